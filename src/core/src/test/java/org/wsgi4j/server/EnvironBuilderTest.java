package org.wsgi4j.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;
import org.wsgi4j.Environ;
import org.wsgi4j.FileWrapper;

class EnvironBuilderTest {

    @Test
    @DisplayName("E8: a header becomes HTTP_ upper-cased with - turned into _")
    void headerBecomesHttpKey() {
        Map<String, Object> env = new EnvironBuilder().header("x-Request-id", "abc").build();
        assertEquals("abc", env.get("HTTP_X_REQUEST_ID"));
    }

    @Test
    @DisplayName("E8: repeated headers are joined with ', ', Cookie with '; '")
    void repeatedHeadersAreJoined() {
        Map<String, Object> env = new EnvironBuilder()
                .header("Accept", "a").header("accept", "b")
                .header("Cookie", "x=1").header("Cookie", "y=2").build();
        assertEquals("a, b", env.get("HTTP_ACCEPT"));
        assertEquals("x=1; y=2", env.get("HTTP_COOKIE"));
    }

    @Test
    @DisplayName("E8: header names containing an underscore are dropped")
    void underscoreHeadersAreDropped() {
        Map<String, Object> env = new EnvironBuilder().header("X_User", "evil").header("X-User", "good").build();
        assertEquals("good", env.get("HTTP_X_USER"));
    }

    @Test
    @DisplayName("E6: Content-Type and Content-Length become CONTENT_*, never HTTP_CONTENT_*")
    void contentHeadersAreNotHttpKeys() {
        Map<String, Object> env = new EnvironBuilder()
                .header("Content-Type", "text/plain").header("Content-Length", "12").build();
        assertEquals("text/plain", env.get(Environ.CONTENT_TYPE));
        assertEquals("12", env.get(Environ.CONTENT_LENGTH));
        assertFalse(env.containsKey("HTTP_CONTENT_TYPE"));
        assertFalse(env.containsKey("HTTP_CONTENT_LENGTH"));
    }

    @Test
    @DisplayName("E6: a Content-Length that is not digits gives no CONTENT_LENGTH")
    void nonDigitContentLengthIsDropped() {
        assertNull(new EnvironBuilder().header("Content-Length", "-1").build().get(Environ.CONTENT_LENGTH));
        assertNull(new EnvironBuilder().header("Content-Length", "1e3").build().get(Environ.CONTENT_LENGTH));
    }

    @Test
    @DisplayName("E6: CGI variables HTTP_CONTENT_* are dropped; others are kept as given")
    void cgiVariablesDropHttpContentKeys() {
        Map<String, Object> env = new EnvironBuilder()
                .cgi("HTTP_CONTENT_TYPE", "a").cgi("HTTP_CONTENT_LENGTH", "1")
                .cgi("CONTENT_TYPE", "b").cgi("UWSGI_SCRIPT", "x").build();
        assertEquals("b", env.get("CONTENT_TYPE"));
        assertEquals("x", env.get("UWSGI_SCRIPT"));
        assertFalse(env.containsKey("HTTP_CONTENT_TYPE"));
        assertFalse(env.containsKey("HTTP_CONTENT_LENGTH"));
    }

    @Test
    @DisplayName("E2: SCRIPT_NAME '/' becomes '', a trailing slash is removed")
    void scriptNameIsNeverSlash() {
        assertEquals("", new EnvironBuilder().scriptName("/").build().get(Environ.SCRIPT_NAME));
        assertEquals("", new EnvironBuilder().cgi("SCRIPT_NAME", "/").build().get(Environ.SCRIPT_NAME));
        assertEquals("/app", new EnvironBuilder().scriptName("/app/").build().get(Environ.SCRIPT_NAME));
    }

    @Test
    @DisplayName("E4, E10, E11, E13: defaults for the keys a front end did not set")
    void defaultsAreFilled() {
        Map<String, Object> env = new EnvironBuilder().method("GET").build();
        assertEquals("", env.get(Environ.QUERY_STRING));
        assertEquals("", env.get(Environ.SCRIPT_NAME));
        assertEquals("", env.get(Environ.PATH_INFO));
        assertEquals(List.of(1, 0), env.get(Environ.WSGI_VERSION));
        assertEquals(Boolean.TRUE, env.get(Environ.WSGI_INPUT_TERMINATED));
        assertEquals(Boolean.TRUE, env.get(Environ.WSGI_MULTITHREAD));
        assertEquals(Boolean.FALSE, env.get(Environ.WSGI_RUN_ONCE));
        assertEquals(FileWrapper.DEFAULT, env.get(Environ.WSGI_FILE_WRAPPER));
        assertEquals("http", env.get(Environ.WSGI_URL_SCHEME));
    }

    @Test
    @DisplayName("E9: https sets HTTPS=on; http has no HTTPS key")
    void httpsSetsHttpsOn() {
        assertEquals("on", new EnvironBuilder().scheme("https").build().get(Environ.HTTPS));
        assertFalse(new EnvironBuilder().scheme("http").build().containsKey(Environ.HTTPS));
        assertEquals("https", new EnvironBuilder().cgi("HTTPS", "on").build().get(Environ.WSGI_URL_SCHEME));
    }

    @Test
    @DisplayName("E4: a null query string is stored as ''")
    void nullQueryIsEmpty() {
        assertEquals("", new EnvironBuilder().queryString(null).build().get(Environ.QUERY_STRING));
    }

    @ParameterizedTest(name = "E8: {0} sent twice keeps its last value")
    @ValueSource(strings = {"Host", "Authorization", "Proxy-Authorization", "Date", "From", "If-Modified-Since",
        "If-Unmodified-Since", "If-Range", "Max-Forwards", "Range", "Referer", "User-Agent", "Age", "ETag",
        "Content-Location", "Content-Range", "Content-Type", "HOST", "user-agent"})
    void singletonFieldTakesItsLastValue(String name) {
        Map<String, Object> env = new EnvironBuilder().header(name, "first").header(name, "second").build();
        assertEquals("second", env.get(Environ.headerKey(name)));
    }

    @ParameterizedTest(name = "E8: {0} sent twice is joined, not replaced")
    @ValueSource(strings = {"Accept", "Cache-Control", "Via", "X-Custom", "Content-Language", "Authorization-Extra"})
    void listFieldJoinsItsValues(String name) {
        Map<String, Object> env = new EnvironBuilder().header(name, "first").header(name, "second").build();
        assertEquals("first, second", env.get(Environ.headerKey(name)));
    }

    @Test
    @DisplayName("E8: a repeated HTTP_* CGI variable joins like a repeated header: singletons last, lists joined")
    void repeatedHttpCgiVariablesJoinLikeHeaders() {
        Map<String, Object> env = new EnvironBuilder()
                .cgi("HTTP_HOST", "example.test").cgi("HTTP_HOST", "example.test:8443")
                .cgi("HTTP_ACCEPT", "a").cgi("HTTP_ACCEPT", "b")
                .cgi("HTTP_COOKIE", "x=1").cgi("HTTP_COOKIE", "y=2")
                .cgi("SERVER_NAME", "").cgi("SERVER_NAME", "example.com").build();
        assertEquals("example.test:8443", env.get("HTTP_HOST"));
        assertEquals("a, b", env.get("HTTP_ACCEPT"));
        assertEquals("x=1; y=2", env.get("HTTP_COOKIE"));
        assertEquals("example.com", env.get("SERVER_NAME"));
    }

    @ParameterizedTest(name = "E7: SERVER_NAME ''{0}'' with Host ''{1}'' and local address {2} gives {3}")
    @CsvSource({"'', example.test:8443, 10.0.0.1, example.test", "'', '[::1]:80', 10.0.0.1, '[::1]'",
            "'', '', 10.0.0.1, 10.0.0.1", "'', '', 0:0:0:0:0:0:0:1, '[::1]'", "named, other, 10.0.0.1, named"})
    void serverNameIsNeverEmpty(String serverName, String host, String local, String expected) {
        Map<String, Object> env = new EnvironBuilder().cgi("SERVER_NAME", serverName).header("Host", host)
                .localAddress(local).build();
        assertEquals(expected, env.get(Environ.SERVER_NAME));
    }

    @ParameterizedTest(name = "E9: REMOTE_ADDR {0} is {1}")
    @CsvSource({"'[0:0:0:0:0:0:0:1]', ::1", "0:0:0:0:0:0:0:1, ::1", "::1, ::1", "'[::1]', ::1",
            "2001:DB8:0:0:1:0:0:1, 2001:db8::1:0:0:1", "2001:db8:0:0:0:0:2:1, 2001:db8::2:1",
            "fe80:0:0:0:0:0:0:1%eth0, fe80::1%eth0", "1:0:0:2:0:0:0:3, 1:0:0:2::3", "0:0:0:0:0:0:0:0, ::",
            "127.0.0.1, 127.0.0.1", "1:2:3:4:5:6:7:8, 1:2:3:4:5:6:7:8", "1:0:2:3:4:5:6:7, 1:0:2:3:4:5:6:7"})
    void remoteAddrHasOneForm(String address, String expected) {
        assertEquals(expected, new EnvironBuilder().remote(address, 1).build().get(Environ.REMOTE_ADDR));
    }

    @ParameterizedTest(name = "E9: a socket address {0} port {1} gives the peer its text gives")
    @CsvSource({"0:0:0:0:0:0:0:1, 51234", "127.0.0.1, 80", "2001:DB8:0:0:1:0:0:1, 65535", "10.0.0.1, 0"})
    void remoteFromSocketAddressIsRemoteFromText(String address, int port) throws Exception {
        InetSocketAddress peer = new InetSocketAddress(InetAddress.getByName(address), port);
        Map<String, Object> fromText = new EnvironBuilder().remote(address, port).build();
        for (int request = 0; request < 2; request++) {
            // The second request of a "connection" reads what the first one formatted.
            Map<String, Object> fromSocket = new EnvironBuilder().remote(peer).build();
            assertEquals(fromText.get(Environ.REMOTE_ADDR), fromSocket.get(Environ.REMOTE_ADDR));
            assertEquals(fromText.get(Environ.REMOTE_PORT), fromSocket.get(Environ.REMOTE_PORT));
        }
    }

    @Test
    @DisplayName("E9: two peers never share a REMOTE_PORT, whatever the cache keeps")
    void eachSocketAddressKeepsItsOwnPeer() throws Exception {
        InetAddress loopback = InetAddress.getByName("127.0.0.1");
        for (int port = 1; port <= 3000; port++) {
            Map<String, Object> env = new EnvironBuilder().remote(new InetSocketAddress(loopback, port)).build();
            assertEquals(Integer.toString(port), env.get(Environ.REMOTE_PORT));
        }
    }

    @Test
    @DisplayName("E9: an unresolved peer is taken by its host string")
    void unresolvedPeerIsItsHostString() {
        Map<String, Object> env = new EnvironBuilder().remote(InetSocketAddress.createUnresolved("[::1]", 8)).build();
        assertEquals("::1", env.get(Environ.REMOTE_ADDR));
        assertEquals("8", env.get(Environ.REMOTE_PORT));
    }
}
