package org.wsgi4j.middleware;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.wsgi4j.Application;
import org.wsgi4j.Environ;

class ProxyHeadersTest {

    /** Runs the middleware on an environ from {@code peer} with {@code headers} and returns what the application saw. */
    private static Map<String, Object> seen(List<String> trusted, String peer, String... headers) throws Exception {
        Map<String, Object> environ = new HashMap<>();
        environ.put(Environ.REMOTE_ADDR, peer);
        environ.put(Environ.REMOTE_PORT, "40000");
        environ.put(Environ.WSGI_URL_SCHEME, "http");
        environ.put(Environ.SERVER_NAME, "backend");
        environ.put(Environ.SERVER_PORT, "8080");
        environ.put("HTTP_HOST", "backend:8080");
        for (int i = 0; i < headers.length; i += 2) {
            environ.put(headers[i], headers[i + 1]);
        }
        Map<String, Object> seen = new HashMap<>();
        Application app = (env, start) -> {
            seen.putAll(env);
            return List.of();
        };
        ProxyHeaders.wrap(app, trusted).call(environ, (status, h, exc) -> data -> { });
        return seen;
    }

    @Nested
    @DisplayName("from a peer that is not trusted")
    class Untrusted {

        @Test
        void forwardedHeadersAreRemovedAndNothingChanges() throws Exception {
            Map<String, Object> env = seen(List.of(), "203.0.113.9", "HTTP_X_FORWARDED_FOR", "10.0.0.1",
                    "HTTP_X_FORWARDED_PROTO", "https", "HTTP_X_FORWARDED_HOST", "bank.example",
                    "HTTP_FORWARDED", "for=10.0.0.1;proto=https", "HTTP_X_FORWARDED_PORT", "443");
            assertEquals("203.0.113.9", env.get(Environ.REMOTE_ADDR));
            assertEquals("http", env.get(Environ.WSGI_URL_SCHEME));
            assertEquals("backend:8080", env.get("HTTP_HOST"));
            assertFalse(env.containsKey(Environ.HTTPS));
            assertFalse(env.keySet().stream().anyMatch(k -> k.startsWith("HTTP_X_FORWARDED") || k.equals("HTTP_FORWARDED")),
                    env.toString());
        }

        @Test
        void aPeerOutsideTheTrustedBlocksIsNotTrusted() throws Exception {
            Map<String, Object> env = seen(List.of("10.0.0.0/8"), "11.0.0.1", "HTTP_X_FORWARDED_FOR", "1.2.3.4");
            assertEquals("11.0.0.1", env.get(Environ.REMOTE_ADDR));
            assertNull(env.get("HTTP_X_FORWARDED_FOR"));
        }
    }

    @Nested
    @DisplayName("from a trusted proxy")
    class Trusted {

        @Test
        void xForwardedSetsClientSchemeAndHost() throws Exception {
            Map<String, Object> env = seen(List.of("127.0.0.1"), "127.0.0.1", "HTTP_X_FORWARDED_FOR", "198.51.100.7",
                    "HTTP_X_FORWARDED_PROTO", "https", "HTTP_X_FORWARDED_HOST", "www.example.com");
            assertEquals("198.51.100.7", env.get(Environ.REMOTE_ADDR));
            assertFalse(env.containsKey(Environ.REMOTE_PORT));
            assertEquals("https", env.get(Environ.WSGI_URL_SCHEME));
            assertEquals("on", env.get(Environ.HTTPS));
            assertEquals("www.example.com", env.get("HTTP_HOST"));
            assertEquals("www.example.com", env.get(Environ.SERVER_NAME));
            assertEquals("443", env.get(Environ.SERVER_PORT));
            assertEquals("198.51.100.7", env.get("HTTP_X_FORWARDED_FOR"), "the headers stay for the application");
        }

        @Test
        void forwardedWinsOverXForwarded() throws Exception {
            Map<String, Object> env = seen(List.of("::1"), "::1",
                    "HTTP_FORWARDED", "for=\"[2001:db8::7]:4711\";proto=https;host=shop.example:8443",
                    "HTTP_X_FORWARDED_FOR", "192.0.2.99");
            assertEquals("2001:db8::7", env.get(Environ.REMOTE_ADDR));
            assertEquals("https", env.get(Environ.WSGI_URL_SCHEME));
            assertEquals("shop.example", env.get(Environ.SERVER_NAME));
            assertEquals("8443", env.get(Environ.SERVER_PORT));
        }

        @Test
        void theClientIsTheNearestAddressThatIsNotATrustedProxy() throws Exception {
            Map<String, Object> env = seen(List.of("10.0.0.0/8"), "10.0.0.2",
                    "HTTP_X_FORWARDED_FOR", "6.6.6.6, 198.51.100.7, 10.0.0.5");
            assertEquals("198.51.100.7", env.get(Environ.REMOTE_ADDR), "a client cannot prepend a fake address");
        }

        @ParameterizedTest
        @ValueSource(strings = {"ftp", "javascript", ""})
        void anUnknownSchemeIsIgnored(String proto) throws Exception {
            Map<String, Object> env = seen(List.of("127.0.0.1"), "127.0.0.1", "HTTP_X_FORWARDED_PROTO", proto);
            assertEquals("http", env.get(Environ.WSGI_URL_SCHEME));
        }

        @ParameterizedTest
        @ValueSource(strings = {"evil.example/path", "a b", "host:99999999"})
        void aMalformedHostIsIgnored(String host) throws Exception {
            Map<String, Object> env = seen(List.of("127.0.0.1"), "127.0.0.1", "HTTP_X_FORWARDED_HOST", host);
            assertEquals("backend:8080", env.get("HTTP_HOST"));
            assertEquals("backend", env.get(Environ.SERVER_NAME));
        }

        @ParameterizedTest
        @ValueSource(strings = {"8443", "65535", "1"})
        void aPortOfOneToFiveDigitsIsTaken(String port) throws Exception {
            Map<String, Object> env = seen(List.of("127.0.0.1"), "127.0.0.1", "HTTP_X_FORWARDED_PORT", port);
            assertEquals(port, env.get(Environ.SERVER_PORT));
        }

        @ParameterizedTest
        @ValueSource(strings = {"123456", "84a3", "-1", "+80"})
        void aPortThatIsNotOneToFiveDigitsIsIgnored(String port) throws Exception {
            Map<String, Object> env = seen(List.of("127.0.0.1"), "127.0.0.1", "HTTP_X_FORWARDED_PORT", port);
            assertEquals("8080", env.get(Environ.SERVER_PORT));
        }

        @ParameterizedTest
        @ValueSource(strings = {"198.51.100", "198.51.100.7.1", "198..100.7"})
        void aForAddressWithoutFourDottedPartsIsIgnored(String node) throws Exception {
            Map<String, Object> env = seen(List.of("127.0.0.1"), "127.0.0.1", "HTTP_X_FORWARDED_FOR", node);
            assertEquals("127.0.0.1", env.get(Environ.REMOTE_ADDR));
        }

        @Test
        void aForAddressThatIsNotAnAddressIsIgnored() throws Exception {
            Map<String, Object> env = seen(List.of("127.0.0.1"), "127.0.0.1", "HTTP_X_FORWARDED_FOR", "evil.example");
            assertEquals("127.0.0.1", env.get(Environ.REMOTE_ADDR));
        }
    }

    @Test
    void aTrustedEntryThatIsNotABlockIsRefusedNamingIt() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> ProxyHeaders.wrap((env, start) -> List.of(), List.of("proxy.example")));
        assertEquals("'proxy.example' is not an IP address or CIDR block", e.getMessage());
    }
}
