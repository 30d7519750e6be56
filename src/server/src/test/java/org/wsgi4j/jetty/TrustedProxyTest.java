package org.wsgi4j.jetty;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.wsgi4j.Application;
import org.wsgi4j.Bodies;
import org.wsgi4j.Environ;
import org.wsgi4j.Header;
import org.wsgi4j.conformance.RawHttpConnection;
import org.wsgi4j.conformance.RawRequest;
import org.wsgi4j.conformance.RawResponse;

/** --trusted-proxy on a real server: spoofed Forwarded / X-Forwarded-* headers reach no application. */
class TrustedProxyTest {

    /** Answers the address, scheme, host and every forwarded-header key it was given. */
    private static final Application SHOW = (env, start) -> {
        Map<String, Object> forwarded = new TreeMap<>();
        env.forEach((key, value) -> {
            if (key.startsWith("HTTP_X_FORWARDED") || key.equals("HTTP_FORWARDED")) {
                forwarded.put(key, value);
            }
        });
        start.start("200 OK", List.of(new Header("Content-Type", "text/plain")));
        return Bodies.utf8(env.get(Environ.REMOTE_ADDR) + " " + env.get(Environ.WSGI_URL_SCHEME) + " "
                + env.get(Environ.SERVER_NAME) + " " + env.get(Environ.HTTPS) + " " + forwarded);
    };

    private static final String SPOOF = "X-Forwarded-For: 10.9.8.7\r\nX-Forwarded-Proto: https\r\n"
            + "X-Forwarded-Host: bank.example\r\nForwarded: for=10.9.8.7;proto=https\r\n";

    private static Wsgi4jServer start(List<String> trusted) throws Exception {
        return start(trusted, Settings.FrontEnd.SERVLET);
    }

    private static Wsgi4jServer start(List<String> trusted, Settings.FrontEnd frontEnd) throws Exception {
        return Wsgi4jServer.builder().set(Settings.FRONT_END, frontEnd).http("127.0.0.1", 0).uwsgi("127.0.0.1", 0).mount("/", SHOW)
                .set(Settings.TRUSTED_PROXY, trusted).build().start();
    }

    @ParameterizedTest(name = "--front-end {0}")
    @EnumSource(Settings.FrontEnd.class)
    @DisplayName("by default nobody is trusted: over HTTP the spoofed headers are ignored and removed")
    void spoofedHeadersAreIgnoredOverHttpByDefault(Settings.FrontEnd frontEnd) throws Exception {
        Wsgi4jServer server = start(List.of(), frontEnd);
        try {
            RawResponse answer = RawHttpConnection.exchange(new InetSocketAddress("127.0.0.1", server.port()),
                    ("GET / HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n" + SPOOF + "\r\n")
                            .getBytes(StandardCharsets.ISO_8859_1));
            assertEquals("127.0.0.1 http localhost null {}", answer.bodyText());
        } finally {
            server.stop();
        }
    }

    @Test
    @DisplayName("over uwsgi a client's spoofed headers are removed too (REMOTE_ADDR is the client nginx saw)")
    void spoofedHeadersAreIgnoredOverUwsgi() throws Exception {
        Wsgi4jServer server = start(List.of("127.0.0.1"));
        try {
            String answer = UwsgiWiringTest.exchange(new InetSocketAddress("127.0.0.1",
                    server.uwsgiListeners().get(0).port()), "/", Map.of("REMOTE_ADDR", "203.0.113.5",
                    "HTTP_X_FORWARDED_FOR", "10.9.8.7", "HTTP_X_FORWARDED_PROTO", "https"));
            assertTrue(answer.endsWith("203.0.113.5 http localhost null {}"), answer);
        } finally {
            server.stop();
        }
    }

    @ParameterizedTest(name = "--front-end {0}")
    @EnumSource(Settings.FrontEnd.class)
    @DisplayName("a listed proxy states client address, scheme and host")
    void aTrustedProxyIsBelieved(Settings.FrontEnd frontEnd) throws Exception {
        Wsgi4jServer server = start(List.of("127.0.0.0/8"), frontEnd);
        try {
            RawResponse answer = RawHttpConnection.exchange(new InetSocketAddress("127.0.0.1", server.port()),
                    RawRequest.get("/").withHeader("Host", "localhost")
                            .withHeader("X-Forwarded-For", "198.51.100.7").withHeader("X-Forwarded-Proto", "https")
                            .withHeader("X-Forwarded-Host", "www.example.com"));
            assertEquals("198.51.100.7 https www.example.com on {HTTP_X_FORWARDED_FOR=198.51.100.7, "
                    + "HTTP_X_FORWARDED_HOST=www.example.com, HTTP_X_FORWARDED_PROTO=https}", answer.bodyText());
        } finally {
            server.stop();
        }
    }
}
