package org.wsgi4j.jetty.internal;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.cert.Certificate;
import java.security.spec.PKCS8EncodedKeySpec;
import java.util.Base64;
import java.util.Collection;
import java.util.Optional;
import org.eclipse.jetty.util.ssl.SslContextFactory;

/**
 * The TLS side of {@code --https}: a Jetty {@link SslContextFactory.Server} from PEM files (a
 * certificate chain and an unencrypted PKCS#8 private key, as uWSGI's {@code --https} takes them)
 * or from a PKCS#12 keystore. A file that cannot be used stops the start with a sentence naming it.
 */
public final class Tls {

    private static final String PEM_KEY_BEGIN = "-----BEGIN PRIVATE KEY-----";
    private static final String PEM_KEY_END = "-----END PRIVATE KEY-----";

    private Tls() {
    }

    /**
     * @param setting  the {@code --https} setting as the person gave it ({@code Settings.origin}), for messages
     * @param cert     PEM certificate chain, or a PKCS#12 keystore when {@code key} is empty
     * @param key      PEM PKCS#8 private key
     * @param password the keystore's password (PKCS#12 only)
     * @return a Jetty TLS context factory holding the certificate and key
     * @throws IllegalArgumentException naming the file that cannot be used, and why
     */
    public static SslContextFactory.Server contextFactory(String setting, Path cert, Optional<Path> key,
                                                          Optional<String> password) {
        SslContextFactory.Server factory = new SslContextFactory.Server();
        if (key.isEmpty()) {
            factory.setKeyStorePath(cert.toAbsolutePath().toString());
            factory.setKeyStoreType("PKCS12");
            factory.setKeyStorePassword(password.orElse(""));
            try (InputStream in = Files.newInputStream(cert)) {
                KeyStore.getInstance("PKCS12").load(in, password.orElse("").toCharArray());
            } catch (IOException | GeneralSecurityException e) {
                throw new IllegalArgumentException(setting + ": '" + cert + "' is not a PKCS#12 keystore this password "
                        + "opens (" + e.getMessage() + ")", e);
            }
        } else {
            factory.setKeyStore(pemKeyStore(setting, cert, key.get()));
            factory.setKeyStorePassword("");
        }
        return factory;
    }

    private static KeyStore pemKeyStore(String setting, Path certFile, Path keyFile) {
        Certificate[] chain;
        try (InputStream in = Files.newInputStream(certFile)) {
            Collection<? extends Certificate> certificates = java.security.cert.CertificateFactory.getInstance("X.509")
                    .generateCertificates(in);
            chain = certificates.toArray(new Certificate[0]);
        } catch (IOException | GeneralSecurityException e) {
            throw new IllegalArgumentException(setting + ": '" + certFile + "' is not a PEM certificate chain ("
                    + e.getMessage() + ")", e);
        }
        if (chain.length == 0) {
            throw new IllegalArgumentException(setting + ": '" + certFile + "' holds no certificate");
        }
        PrivateKey key = pemKey(setting, keyFile);
        try {
            KeyStore store = KeyStore.getInstance("PKCS12");
            store.load(null, null);
            store.setKeyEntry("wsgi4j", key, new char[0], chain);
            return store;
        } catch (IOException | GeneralSecurityException e) {
            throw new IllegalArgumentException(setting + ": the key in '" + keyFile + "' does not go with the "
                    + "certificate in '" + certFile + "' (" + e.getMessage() + ")", e);
        }
    }

    private static PrivateKey pemKey(String setting, Path keyFile) {
        String text;
        try {
            text = Files.readString(keyFile, StandardCharsets.US_ASCII);
        } catch (IOException e) {
            throw new IllegalArgumentException(setting + ": '" + keyFile + "' cannot be read (" + e.getMessage() + ")", e);
        }
        int begin = text.indexOf(PEM_KEY_BEGIN);
        int end = text.indexOf(PEM_KEY_END);
        if (begin < 0 || end < begin) {
            throw new IllegalArgumentException(setting + ": '" + keyFile + "' is not an unencrypted PKCS#8 PEM key "
                    + "(BEGIN PRIVATE KEY); convert it with: openssl pkcs8 -topk8 -nocrypt -in " + keyFile
                    + " -out key.pem");
        }
        byte[] der = Base64.getMimeDecoder().decode(text.substring(begin + PEM_KEY_BEGIN.length(), end));
        for (String algorithm : new String[] {"RSA", "EC", "Ed25519", "RSASSA-PSS"}) {
            try {
                return KeyFactory.getInstance(algorithm).generatePrivate(new PKCS8EncodedKeySpec(der));
            } catch (GeneralSecurityException e) {
                // try the next algorithm
            }
        }
        throw new IllegalArgumentException(setting + ": the key in '" + keyFile + "' is not an RSA, EC or Ed25519 key");
    }
}
