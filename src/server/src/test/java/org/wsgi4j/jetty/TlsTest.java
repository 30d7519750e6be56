package org.wsgi4j.jetty;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import javax.net.ssl.SSLContext;
import org.junit.jupiter.api.Test;
import org.wsgi4j.Application;
import org.wsgi4j.Bodies;
import org.wsgi4j.Environ;
import org.wsgi4j.Header;
import org.wsgi4j.conformance.TrustingTls;

/** --https with PEM or PKCS#12, HTTP/2 by ALPN, and --http2c; checked with the JDK's own HTTP/2 client. */
class TlsTest {

    private static final Application SCHEME = (env, start) -> {
        start.start("200 OK", List.of(new Header("Content-Type", "text/plain")));
        return Bodies.utf8(env.get(Environ.WSGI_URL_SCHEME) + " " + env.get(Environ.SERVER_PROTOCOL));
    };

    private static HttpClient http2Client() throws Exception {
        SSLContext context = TrustingTls.context();
        return HttpClient.newBuilder().version(HttpClient.Version.HTTP_2).sslContext(context).build();
    }

    private static Settings.Https https(Path cert, Optional<Path> key) {
        return new Settings.Https(new Settings.HostPort("127.0.0.1", 0), cert, key);
    }

    @Test
    void pemCertificateAndKeyServeHttp2OverAlpn() throws Exception {
        TestCertificates.pem();
        Wsgi4jServer server = Wsgi4jServer.builder().mount("/", SCHEME)
                .set(Settings.HTTPS, Optional.of(https(TestCertificates.CERT, Optional.of(TestCertificates.KEY))))
                .build().start();
        try {
            HttpResponse<String> answer = http2Client().send(HttpRequest.newBuilder(
                    URI.create("https://localhost:" + server.httpsPort() + "/")).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertEquals(HttpClient.Version.HTTP_2, answer.version());
            assertEquals("https HTTP/2.0", answer.body());
        } finally {
            server.stop();
        }
    }

    @Test
    void aPkcs12KeystoreServesHttps() throws Exception {
        TestCertificates.pkcs12();
        Wsgi4jServer server = Wsgi4jServer.builder().mount("/", SCHEME)
                .set(Settings.HTTPS, Optional.of(https(TestCertificates.PKCS12, Optional.empty())))
                .set(Settings.HTTPS_KEYSTORE_PASSWORD, Optional.of(TestCertificates.PASSWORD))
                .build().start();
        try {
            HttpResponse<String> answer = http2Client().send(HttpRequest.newBuilder(
                    URI.create("https://localhost:" + server.httpsPort() + "/")).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertEquals(200, answer.statusCode());
            assertTrue(answer.body().startsWith("https "), answer.body());
        } finally {
            server.stop();
        }
    }

    @Test
    void aKeyThatIsNotPkcs8IsRefusedNamingTheFileAndTheFix() throws Exception {
        TestCertificates.pem();
        Path notAKey = Files.writeString(TestCertificates.DIR.resolve("rsa.pem"),
                "-----BEGIN RSA PRIVATE KEY-----\nAAAA\n-----END RSA PRIVATE KEY-----\n");
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Wsgi4jServer.builder()
                .mount("/", SCHEME).set(Settings.HTTPS, Optional.of(https(TestCertificates.CERT, Optional.of(notAKey))))
                .build());
        assertTrue(e.getMessage().startsWith("Settings.HTTPS: '" + notAKey + "' is not an unencrypted PKCS#8 PEM key")
                && e.getMessage().contains("openssl pkcs8 -topk8 -nocrypt"), e.getMessage());
    }

    @Test
    void http2cSpeaksCleartextHttp2OnTheHttpListener() throws Exception {
        Wsgi4jServer server = Wsgi4jServer.builder().http("127.0.0.1", 0).mount("/", SCHEME)
                .set(Settings.HTTP2C, true).build().start();
        try {
            HttpResponse<String> answer = HttpClient.newBuilder().version(HttpClient.Version.HTTP_2).build().send(
                    HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.port() + "/")).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertEquals(HttpClient.Version.HTTP_2, answer.version());
            assertEquals("http HTTP/2.0", answer.body());
        } finally {
            server.stop();
        }
    }
}
