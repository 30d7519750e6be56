package org.wsgi4j.jetty;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/** Throwaway self-signed certificates for localhost, made by the real openssl and keytool under target/tls. */
final class TestCertificates {

    static final Path DIR = Path.of("target", "tls").toAbsolutePath();
    static final Path CERT = DIR.resolve("cert.pem");
    static final Path KEY = DIR.resolve("key.pem");
    static final Path PKCS12 = DIR.resolve("server.p12");
    static final String PASSWORD = "changeit";

    private TestCertificates() {
    }

    /** Makes the PEM pair (PKCS#8 key) once. */
    static synchronized void pem() throws IOException, InterruptedException {
        if (Files.exists(KEY)) {
            return;
        }
        Files.createDirectories(DIR);
        run(List.of("openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "2", "-subj", "/CN=localhost",
                "-addext", "subjectAltName=DNS:localhost,IP:127.0.0.1", "-keyout", KEY.toString(), "-out",
                CERT.toString()));
    }

    /** Makes the PKCS#12 keystore once. */
    static synchronized void pkcs12() throws IOException, InterruptedException {
        if (Files.exists(PKCS12)) {
            return;
        }
        Files.createDirectories(DIR);
        run(List.of(Path.of(System.getProperty("java.home"), "bin", "keytool").toString(), "-genkeypair",
                "-alias", "wsgi4j", "-keyalg", "RSA", "-keysize", "2048", "-validity", "2", "-dname", "CN=localhost",
                "-storetype", "PKCS12", "-keystore", PKCS12.toString(), "-storepass", PASSWORD));
    }

    private static void run(List<String> command) throws IOException, InterruptedException {
        Path log = DIR.resolve("make.log");
        Process process = new ProcessBuilder(command).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile())).start();
        if (process.waitFor() != 0) {
            throw new IOException(command.get(0) + " failed; see " + log);
        }
    }
}
