package org.wsgi4j.jetty;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledForJreRange;
import org.junit.jupiter.api.condition.JRE;
import org.junit.jupiter.api.io.TempDir;

/** The command line: every bad flag exits 2 with a message naming it; the help is the settings table. */
class MainTest {

    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final ByteArrayOutputStream err = new ByteArrayOutputStream();

    private int run(String... args) {
        return run(Map.of(), args);
    }

    private int run(Map<String, String> environment, String... args) {
        return Main.run(args, environment, new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8));
    }

    private String err() {
        return err.toString(StandardCharsets.UTF_8);
    }

    @Test
    @DisplayName("--help lists every setting with its default, and exits 0")
    void helpListsEverySetting() {
        assertEquals(0, run("--help"));
        String help = out.toString(StandardCharsets.UTF_8);
        for (Setting<?> setting : Settings.ALL) {
            assertTrue(help.contains(setting.flag()), setting.flag());
            assertTrue(help.contains("(default: " + setting.defaultText()), setting.flag());
        }
    }

    @Test
    @DisplayName("the usage line does not present --http as required")
    void usageLineDoesNotRequireHttp() {
        assertEquals(0, run("--help"));
        String usage = out.toString(StandardCharsets.UTF_8).lines().findFirst().orElseThrow();
        assertEquals("Usage: java -jar wsgi4j-server.jar [SETTING]...", usage);
    }

    @Test
    @DisplayName("--version prints the project version")
    void versionIsPrinted() {
        assertEquals(0, run("--version"));
        assertTrue(out.toString(StandardCharsets.UTF_8).matches("wsgi4j-server \\d+\\.\\d+\\.\\d+.*\\R"),
                out.toString(StandardCharsets.UTF_8));
    }

    @Test
    @DisplayName("an unknown option exits 2 naming it")
    void unknownOptionExits2() {
        assertEquals(2, run("--http", ":0", "--wsgi-file", "app.py"));
        assertTrue(err().contains("unknown option '--wsgi-file'"), err());
    }

    @Test
    @DisplayName("a malformed --http exits 2 naming the flag and the value")
    void badHttpExits2() {
        assertEquals(2, run("--http", "8080"));
        assertTrue(err().contains("--http=8080: must be [HOST]:PORT"), err());
        err.reset();
        assertEquals(2, run("--http", ":99999"));
        assertTrue(err().contains("--http=:99999: the port must be 0 to 65535"), err());
    }

    @Test
    @DisplayName("without any listener the start stops with a sentence naming the listener flags")
    void aListenerIsRequired() {
        assertEquals(2, run("--mount", "/=org.wsgi4j.jetty.DemoApp"));
        assertTrue(err().contains("no listener: give --http, --https, --uwsgi"), err());
    }

    @Test
    @DisplayName("a --mount without '=' or with an unloadable spec exits 2 naming it")
    void badMountExits2() {
        assertEquals(2, run("--http", ":0", "--mount", "/api"));
        assertTrue(err().contains("--mount=/api: must be PREFIX=SPEC"), err());
        err.reset();
        assertEquals(2, run("--http", ":0", "--mount", "/=com.example.Missing"));
        assertTrue(err().contains("--mount /=com.example.Missing") && err().contains("cannot be loaded"), err());
    }

    @Test
    @DisplayName("a --mount prefix that is not a path exits 2 naming it, without an internal rule id")
    void badPrefixExits2() {
        assertEquals(2, run("--http", ":0", "--mount", "api=org.wsgi4j.jetty.DemoApp"));
        assertTrue(err().contains("--mount=api=org.wsgi4j.jetty.DemoApp: mount prefix 'api' must be '/' or start "
                + "with '/'"), err());
        assertFalse(err().contains("M1:"), err());
    }

    @Test
    @DisplayName("a --classpath entry that does not exist exits 2 naming it")
    void missingClasspathEntryExits2() {
        assertEquals(2, run("--http", ":0", "--classpath", "/no/such/app.jar"));
        assertTrue(err().contains("--classpath=/no/such/app.jar: '/no/such/app.jar' does not exist"), err());
    }

    @Test
    @DisplayName("a --war that does not exist exits 2 naming it")
    void missingWarExits2() {
        assertEquals(2, run("--http", ":0", "--war", "/no/such/app.war"));
        assertTrue(err().contains("WAR '/no/such/app.war' does not exist"), err());
    }

    @Test
    @DisplayName("an --access-log in a directory that does not exist exits 2 naming it, when the setting is read")
    void accessLogInMissingDirectoryExits2() {
        assertEquals(2, run("--http", ":0", "--access-log", "/no/such/dir/access.log"));
        assertTrue(err().contains("--access-log=/no/such/dir/access.log: the directory '/no/such/dir' does not exist"),
                err());
    }

    @Test
    @DisplayName("an --access-log that is a directory exits 2 naming it")
    void accessLogThatIsADirectoryExits2() {
        assertEquals(2, run("--http", ":0", "--access-log", "target"));
        assertTrue(err().contains("--access-log=target: 'target' is a directory, not a file"), err());
    }

    @Test
    @DisplayName("--access-log-queue without --access-log exits 2 naming both")
    void accessLogQueueWithoutAccessLogExits2() {
        assertEquals(2, run("--http", ":0", "--access-log-queue", "5"));
        assertTrue(err().contains("--access-log-queue=5 sizes the access log's queue, and --access-log is off: give "
                + "both or neither"), err());
    }

    @Test
    @DisplayName("--threads must be a number in range")
    void badThreadsExits2() {
        assertEquals(2, run("--http", ":0", "--threads", "1"));
        assertTrue(err().contains("--threads=1: must be 2 to 100000"), err());
    }

    @Test
    @EnabledForJreRange(max = JRE.JAVA_20)
    @DisplayName("--virtual-threads on Java 17 exits 2 with a clear message")
    void virtualThreadsNeedJava21() {
        assertEquals(2, run("--http", ":0", "--virtual-threads"));
        assertTrue(err().contains("--virtual-threads: virtual threads need Java 21 or later"), err());
    }

    @Test
    @DisplayName("a bad environment variable names itself and its value")
    void badEnvironmentValueNamesTheVariable() {
        assertEquals(2, run(Map.of("WSGI4J_THREADS", "abc"), "--http", ":0"));
        assertTrue(err().contains("WSGI4J_THREADS=abc: not a number"), err());
    }

    @Test
    @DisplayName("an unknown WSGI4J_ variable is refused, not ignored")
    void unknownEnvironmentVariableIsRefused() {
        assertEquals(2, run(Map.of("WSGI4J_THRADS", "8"), "--http", ":0"));
        assertTrue(err().contains("WSGI4J_THRADS=8: no such setting"), err());
    }

    @Test
    @DisplayName("Kubernetes service-link variables (WSGI4J_SERVICE_HOST, WSGI4J_PORT...) are not taken for settings")
    void kubernetesServiceLinksAreIgnored() throws Exception {
        Map<String, String> links = Map.of("WSGI4J_SERVICE_HOST", "10.0.0.1", "WSGI4J_SERVICE_PORT", "80",
                "WSGI4J_PORT", "tcp://10.0.0.1:80", "WSGI4J_PORT_80_TCP_ADDR", "10.0.0.1",
                "WSGI4J_SERVER_SERVICE_PORT_HTTP", "8080", "WSGI4J_SERVER_PORT_8080_TCP", "tcp://10.0.0.2:8080");
        assertEquals(SettingSources.Action.SERVE, SettingSources.read(new String[0], links).action());
    }

    @Test
    @DisplayName("a bad value in the --config file names the file, the key and the value")
    void badFileValueNamesTheFile() throws Exception {
        Path file = Files.createDirectories(Path.of("target", "main-test")).resolve("bad.properties");
        Files.writeString(file, "threads = abc\n");
        assertEquals(2, run("--config", file.toString(), "--http", ":0"));
        assertTrue(err().contains(file + ": threads=abc: not a number"), err());
    }

    @Test
    @DisplayName("a listener that cannot bind says 'address already in use' and exits 1")
    void portInUseIsSaidAsSuch() throws Exception {
        try (java.net.ServerSocket taken = new java.net.ServerSocket(0, 1,
                java.net.InetAddress.getLoopbackAddress())) {
            assertEquals(1, run("--http", "127.0.0.1:" + taken.getLocalPort(),
                    "--mount", "/=org.wsgi4j.jetty.DemoApp"));
        }
        assertTrue(err().contains("cannot listen on http 127.0.0.1:") && err().contains(": address already in use"),
                err());
    }

    @Test
    @DisplayName("--python-path and --python-jit reach python: mounts as the loader options python.path and python.jit")
    void pythonSettingsBecomeLoaderOptions(@org.junit.jupiter.api.io.TempDir Path dir) throws Exception {
        Path app = Files.createDirectories(dir.resolve("app"));
        Path packages = Files.createDirectories(dir.resolve("packages"));
        Settings settings = SettingSources.read(new String[] {"--python-path", app.toString(), "--python-path",
                packages.toString(), "--python-jit"}, Map.of()).settings();

        assertEquals(Map.of("python.path", app.toAbsolutePath() + java.io.File.pathSeparator + packages.toAbsolutePath(),
                "python.jit", "true"), Main.loaderOptions(settings));
    }

    @Test
    @DisplayName("python: without wsgi4j-python in --classpath exits 2 naming the artifact to add")
    void pythonMountWithoutTheModuleNamesTheArtifact() {
        assertEquals(2, run("--http", "127.0.0.1:0", "--mount", "/=python:hello:app"));
        assertTrue(err().contains("--mount /=python:hello:app: application spec 'python:hello:app': unknown scheme "
                + "'python:' (add org.wsgi4j:wsgi4j-python"), err());
    }

    @Test
    @DisplayName("a --python-path that is not a directory exits 2 naming it")
    void pythonPathMustBeADirectory() {
        assertEquals(2, run("--http", "127.0.0.1:0", "--python-path", "/no/such/dir"));
        assertTrue(err().contains("'/no/such/dir' is not a directory"), err());
    }

    /** A setting given with another it cannot go with: named as given, before anything is loaded or printed. */
    @Nested
    class CrossSettingRefusals {

        @Test
        @DisplayName("--war with --front-end core names both flags as written, before 'deploying' is printed")
        void warWithCoreFrontEndNamesTheFlags(@TempDir Path webapp) {
            assertEquals(2, run("--http", ":0", "--war", webapp.toString(), "--front-end", "core"));
            assertTrue(err().contains("--war=" + webapp + ": a WAR is a servlet web application, which needs the "
                    + "servlet front end, and --front-end=core chose the core one"), err());
            assertFalse(err().contains("deploying"), err());
        }

        @Test
        @DisplayName("a front end from WSGI4J_FRONT_END is named by the variable, not by the flag")
        void frontEndFromTheEnvironmentNamesTheVariable(@TempDir Path webapp) {
            assertEquals(2, run(Map.of("WSGI4J_FRONT_END", "core", "WSGI4J_WAR", webapp.toString()), "--http", ":0"));
            assertTrue(err().contains("WSGI4J_WAR=" + webapp + ": a WAR is a servlet web application, which needs the "
                    + "servlet front end, and WSGI4J_FRONT_END=core chose the core one"), err());
            assertFalse(err().contains("deploying"), err());
        }

        @Test
        @DisplayName("every occurrence of a repeated flag is named: two WARs at one context path")
        void repeatedFlagIsNamedByEachOccurrence(@TempDir Path webapp) {
            assertEquals(2, run("--http", ":0", "--war", "/a=" + webapp, "--war", "/a=" + webapp));
            assertTrue(err().contains("--war=/a=" + webapp + ", --war=/a=" + webapp + ": two WARs are deployed at '/a'"),
                    err());
        }

        @Test
        @DisplayName("WSGI4J_HTTP2C without an HTTP listener names the variable, before the demo is announced")
        void http2cFromTheEnvironmentNamesTheVariable() {
            assertEquals(2, run(Map.of("WSGI4J_HTTP2C", "true"), "--uwsgi", "127.0.0.1:0"));
            assertTrue(err().contains("WSGI4J_HTTP2C=true: HTTP/2 cleartext is spoken on the --http listener, "
                    + "and there is none"), err());
            assertFalse(err().contains("demo"), err());
        }

        @Test
        @DisplayName("a --config file's line is named as the file and the line")
        void settingFromTheFileNamesTheFileAndLine(@TempDir Path dir) throws Exception {
            Path config = Files.writeString(dir.resolve("wsgi4j.properties"), "http2c = true\n");
            assertEquals(2, run("--uwsgi", "127.0.0.1:0", "--config", config.toString()));
            assertTrue(err().contains(config + ": http2c=true: HTTP/2 cleartext is spoken on the --http listener"),
                    err());
        }

        @Test
        @DisplayName("a TLS file given in WSGI4J_HTTPS is refused naming the variable, before the demo is announced")
        void tlsFileFromTheEnvironmentNamesTheVariable() throws Exception {
            TestCertificates.pem();
            Path notAKey = Files.writeString(TestCertificates.DIR.resolve("rsa-main.pem"),
                    "-----BEGIN RSA PRIVATE KEY-----\nAAAA\n-----END RSA PRIVATE KEY-----\n");
            String value = "127.0.0.1:0," + TestCertificates.CERT + "," + notAKey;
            assertEquals(2, run(Map.of("WSGI4J_HTTPS", value)));
            assertTrue(err().contains("WSGI4J_HTTPS=" + value + ": '" + notAKey + "' is not an unencrypted PKCS#8 PEM key"),
                    err());
            assertFalse(err().contains("demo"), err());
        }

        @Test
        @DisplayName("through the builder, the settings are named by their constants")
        void builderSettingsAreNamedByTheirConstants(@TempDir Path webapp) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Wsgi4jServer.builder()
                    .http(0).set(Settings.HTTP2C, true).war("/a", webapp).war("/a", webapp).build());
            assertEquals("Settings.WAR: two WARs are deployed at '/a'", e.getMessage());
        }
    }
}
