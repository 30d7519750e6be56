package org.wsgi4j.uwsgi;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The environ rules that the uwsgi vars need beyond what nginx guarantees (SPEC E3, E7, E8, E9,
 * E14-E16), sent as raw uwsgi packets to a real listener. The same rules run through a real nginx
 * in {@link NginxConformanceTest}.
 */
class UwsgiEnvironTest {

    private final AtomicBoolean called = new AtomicBoolean();
    private UwsgiListener listener;

    @BeforeEach
    void start() throws IOException {
        listener = UwsgiListener.start(UwsgiConfig.builder().tcp("127.0.0.1", 0).application((environ, startResponse) -> {
            called.set(true);
            return UwsgiListenerTest.ENV_DUMP.call(environ, startResponse);
        }).build());
    }

    @AfterEach
    void stop() {
        listener.stop();
    }

    private String exchange(UwsgiPacket packet) throws IOException {
        return UwsgiListenerTest.exchange(new InetSocketAddress("127.0.0.1", listener.port()), packet.toBytes());
    }

    private String environ(UwsgiPacket packet) throws IOException {
        String response = exchange(packet);
        assertTrue(response.startsWith("HTTP/1.1 200 OK\r\n"), response);
        return UwsgiListenerTest.body(response);
    }

    private void assertRefused(UwsgiPacket packet, String reason) throws IOException {
        String response = exchange(packet);
        assertTrue(response.startsWith("HTTP/1.1 400 "), response);
        assertTrue(response.contains(reason), "the 400 names its reason: " + response);
        assertFalse(called.get(), "the application must not run for a refused request");
    }

    private static UwsgiPacket mounted(String scriptName, String path) {
        return UwsgiPacket.request("GET", path).var("SCRIPT_NAME", scriptName);
    }

    @Nested
    @DisplayName("E2, E3: SCRIPT_NAME + PATH_INFO is the request path")
    class ScriptName {

        @ParameterizedTest(name = "SCRIPT_NAME /app, path {0}: PATH_INFO ''{1}''")
        @CsvSource({"/app, ''", "/app/, /", "/app/x, /x", "/app/application, /application"})
        void scriptNameIsRemovedAtASegmentBoundary(String path, String pathInfo) throws IOException {
            String env = environ(mounted("/app", path));
            assertTrue(env.contains("SCRIPT_NAME=/app\n"), env);
            assertTrue(env.contains("PATH_INFO=" + pathInfo + "\n"), env);
        }

        @ParameterizedTest(name = "SCRIPT_NAME /app, path {0}: 400")
        @ValueSource(strings = {"/application", "/apple", "/app;v=1/x", "/", "/other/app"})
        void scriptNameThatIsNotAPrefixAtABoundaryIsRefused(String path) throws IOException {
            assertRefused(mounted("/app", path), "SCRIPT_NAME '/app' is not a prefix of PATH_INFO");
        }
    }

    @Nested
    @DisplayName("E7: SERVER_NAME is never empty")
    class ServerName {

        @ParameterizedTest(name = "Host ''{0}'' gives SERVER_NAME {1}")
        @CsvSource({"example.test:8443, example.test", "example.test, example.test", "'[::1]:8080', '[::1]'"})
        void emptyServerNameFallsBackToTheHostsName(String host, String serverName) throws IOException {
            String env = environ(UwsgiPacket.request("GET", "/").var("SERVER_NAME", "").var("HTTP_HOST", host));
            assertTrue(env.contains("SERVER_NAME=" + serverName + "\n"), env);
        }

        @Test
        @DisplayName("without a Host name, SERVER_NAME is nginx's SERVER_ADDR")
        void emptyServerNameAndEmptyHostFallBackToServerAddr() throws IOException {
            String env = environ(UwsgiPacket.request("GET", "/").var("SERVER_NAME", "").var("HTTP_HOST", "")
                    .var("SERVER_ADDR", "10.1.2.3"));
            assertTrue(env.contains("SERVER_NAME=10.1.2.3\n"), env);
        }

        @Test
        @DisplayName("without a Host name or SERVER_ADDR, SERVER_NAME is the address the listener accepted on")
        void emptyServerNameFallsBackToTheListenersAddress() throws IOException {
            String env = environ(UwsgiPacket.request("GET", "/").var("SERVER_NAME", ""));
            assertTrue(env.contains("SERVER_NAME=127.0.0.1\n"), env);
        }
    }

    @Nested
    @DisplayName("E8: repeated HTTP_* vars")
    class RepeatedVars {

        @Test
        @DisplayName("a singleton field sent twice (uwsgi_params' HTTP_HOST, then a location's) takes the last value")
        void singletonTakesTheLastValue() throws IOException {
            String env = environ(UwsgiPacket.request("GET", "/")
                    .var("HTTP_HOST", "example.test").var("HTTP_HOST", "example.test:8443")
                    .var("HTTP_USER_AGENT", "a").var("HTTP_USER_AGENT", "b"));
            assertTrue(env.contains("HTTP_HOST=example.test:8443\n"), env);
            assertTrue(env.contains("HTTP_USER_AGENT=b\n"), env);
        }

        @Test
        @DisplayName("a list-valued field sent twice is joined with ', ', Cookie with '; '")
        void listFieldsAreJoined() throws IOException {
            String env = environ(UwsgiPacket.request("GET", "/")
                    .var("HTTP_ACCEPT", "text/html").var("HTTP_ACCEPT", "text/plain")
                    .var("HTTP_COOKIE", "a=1").var("HTTP_COOKIE", "b=2"));
            assertTrue(env.contains("HTTP_ACCEPT=text/html, text/plain\n"), env);
            assertTrue(env.contains("HTTP_COOKIE=a=1; b=2\n"), env);
        }
    }

    @Nested
    @DisplayName("E14-E16: odd request targets are refused, never substituted")
    class OddTargets {

        @ParameterizedTest(name = "REQUEST_URI {0}: 400")
        @ValueSource(strings = {"/x%2Fy", "/100%25", "//a//b", "/app//x", "/a/%2e%2e/c", "/a/.%2E/c", "/x%FFy",
                "/%C0%AF", "/%ED%A0%80", "/x%00y", "/x%zz"})
        void ambiguousOrUndecodablePathIsRefused(String target) throws IOException {
            assertRefused(UwsgiPacket.request("GET", "/").var("REQUEST_URI", target), "E1");
        }

        @Test
        @DisplayName("a raw byte above 0x7E in the target is refused (nginx passes it)")
        void rawNonAsciiByteIsRefused() throws IOException {
            assertRefused(UwsgiPacket.request("GET", "/").var("REQUEST_URI", "/?q=caf\u00e9")
                    .var("QUERY_STRING", "q=caf\u00e9"), "E14");
        }

        @Test
        @DisplayName("a PATH_INFO whose bytes are not UTF-8 is refused, not given as U+FFFD")
        void pathInfoThatIsNotUtf8IsRefused() throws IOException {
            assertRefused(UwsgiPacket.request("GET", "/")
                    .var("PATH_INFO".getBytes(StandardCharsets.US_ASCII), new byte[] {'/', 'x', (byte) 0xFF, 'y'}),
                    "E15: PATH_INFO is not valid UTF-8");
        }

        @ParameterizedTest(name = "PATH_INFO holding byte 0x{0}: 400")
        @ValueSource(ints = {0x00, 0x0A, 0x1F, 0x7F})
        @DisplayName("a PATH_INFO holding a control byte is refused, at both ends of the printable range")
        void pathInfoHoldingAControlByteIsRefused(int control) throws IOException {
            assertRefused(UwsgiPacket.request("GET", "/")
                    .var("PATH_INFO".getBytes(StandardCharsets.US_ASCII), new byte[] {'/', 'x', (byte) control}),
                    "E15: PATH_INFO holds the control character");
        }
    }

    @ParameterizedTest(name = "S22: PATH_INFO bytes of ''{0}'' are given as ''{0}''")
    @ValueSource(strings = {"/ !~", "/caf\u00e9", "/\u65e5\u672c", "/\ud83d\ude00"})
    void pathInfoBytesAreDecodedAsUtf8(String path) throws IOException {
        String env = environ(UwsgiPacket.request("GET", "/")
                .var("PATH_INFO".getBytes(StandardCharsets.US_ASCII), path.getBytes(StandardCharsets.UTF_8)));
        assertTrue(env.contains("PATH_INFO=" + path + "\n"), env);
    }

    @ParameterizedTest(name = "E9: REMOTE_ADDR {0} is given as {1}")
    @CsvSource({"'[0:0:0:0:0:0:0:1]', ::1", "0:0:0:0:0:0:0:1, ::1", "::1, ::1", "2001:DB8:0:0:1:0:0:1, 2001:db8::1:0:0:1",
            "127.0.0.1, 127.0.0.1"})
    void ipv6RemoteAddrHasNoBracketsAndOneForm(String sent, String expected) throws IOException {
        String env = environ(UwsgiPacket.request("GET", "/").var("REMOTE_ADDR", sent));
        assertTrue(env.contains("REMOTE_ADDR=" + expected + "\n"), env);
        assertEquals(1, env.split("REMOTE_ADDR=", -1).length - 1, env);
    }
}
