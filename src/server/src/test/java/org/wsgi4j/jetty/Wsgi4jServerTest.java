package org.wsgi4j.jetty;

import static java.nio.charset.StandardCharsets.US_ASCII;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetSocketAddress;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.eclipse.jetty.ee10.servlet.ServletContextHandler;
import org.eclipse.jetty.ee10.servlet.ServletHolder;
import org.eclipse.jetty.server.handler.ContextHandlerCollection;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.ValueSource;
import org.wsgi4j.Application;
import org.wsgi4j.Bodies;
import org.wsgi4j.Environ;
import org.wsgi4j.Header;
import org.wsgi4j.conformance.RawHttpConnection;
import org.wsgi4j.conformance.RawRequest;
import org.wsgi4j.conformance.RawResponse;
import org.wsgi4j.servlet.GatewayServlet;

/** The embedded server: mounting, and how a failure after commit reaches a raw client. */
class Wsgi4jServerTest {

    private static final List<Header> TEXT = List.of(new Header("Content-Type", "text/plain"));
    private static Wsgi4jServer server;

    static Application where(String name) {
        return (env, start) -> {
            start.start("200 OK", TEXT);
            return Bodies.utf8(name + " " + Environ.scriptName(env) + "|" + Environ.pathInfo(env));
        };
    }

    @BeforeAll
    static void start() throws Exception {
        server = Wsgi4jServer.builder()
                .http("127.0.0.1", 0)
                .mount("/", where("root"))
                .mount("/api", where("api"))
                .mount("/api/v2", where("v2"))
                .mount("/fail-after-commit", (env, start) -> {
                    start.start("200 OK", TEXT);
                    // Lazy, so the first block is flushed (S13) before the second fails.
                    return () -> java.util.Arrays.asList("first block\n".getBytes(US_ASCII), (byte[]) null).iterator();
                })
                .mount("/short", (env, start) -> {
                    start.start("200 OK", List.of(new Header("Content-Length", "100")));
                    return Bodies.of("only ten b".getBytes(US_ASCII), "".getBytes(US_ASCII));
                })
                .build()
                .start();
    }

    @AfterAll
    static void stop() throws Exception {
        server.stop();
    }

    @Test
    @DisplayName("M2-M4: each mount is a servlet mapping; the longest prefix wins at a / boundary")
    void mountsFollowTheServletMapping() throws Exception {
        Map<String, String> expected = Map.of(
                "/", "root |/",
                "/x/y", "root |/x/y",
                "/apix", "root |/apix",
                "/api", "api /api|",
                "/api/", "api /api|/",
                "/api/notes/1", "api /api|/notes/1",
                "/api/v2/x", "v2 /api/v2|/x");
        for (Map.Entry<String, String> e : expected.entrySet()) {
            assertEquals(e.getValue(), RawHttpConnection.exchange(new InetSocketAddress("127.0.0.1", server.port()),
                    RawRequest.get(e.getKey())).bodyText(), e.getKey());
        }
    }

    @Test
    @DisplayName("S16: an error after commit reaches the client as a chunked body without its last chunk")
    void errorAfterCommitLeavesTheChunkedBodyUnterminated() throws Exception {
        // Kept alive on purpose: readResponse reads an incomplete response to the server's close, and fails
        // if the connection stays open, so returning at all shows the close.
        RawResponse response = RawHttpConnection.exchange(new InetSocketAddress("127.0.0.1", server.port()),
                RawRequest.get("/fail-after-commit").withHeader("Connection", "keep-alive"));
        assertEquals(RawResponse.Framing.CHUNKED, response.framing(), response.describe());
        assertTrue(response.bodyText().contains("first block"), response.describe());
        assertFalse(response.complete(), "terminating chunk must not be sent: " + response.describe());
    }

    @Test
    @DisplayName("S12: a body shorter than its Content-Length ends with a closed connection")
    void shortBodyClosesTheConnection() throws Exception {
        // Kept alive on purpose, as above: returning at all shows the close.
        RawResponse response = RawHttpConnection.exchange(new InetSocketAddress("127.0.0.1", server.port()),
                RawRequest.get("/short").withHeader("Connection", "keep-alive"));
        assertEquals(Optional.of("100"), response.header("Content-Length"), response.describe());
        assertEquals("only ten b", response.bodyText());
        assertFalse(response.complete(), "keep-alive would leave the client waiting for 90 more bytes");
    }

    @Test
    @DisplayName("the builder refuses a bad prefix, naming it")
    void badPrefixIsRefused() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Wsgi4jServer.builder().mount("api/", where("x")).build());
        assertEquals("M1: mount prefix 'api/' must be '/' or start with '/' and not end with '/'", e.getMessage());
        assertThrows(IllegalArgumentException.class,
                () -> Wsgi4jServer.builder().mount("/a", where("x")).mount("/a", where("y")).build());
    }

    @DisplayName("the builder refuses a prefix with '*', which would be another kind of servlet mapping")
    @ParameterizedTest(name = "\"{0}\"")
    @ValueSource(strings = {"/*", "/api/*", "/*.x", "/a*b"})
    void wildcardPrefixIsRefused(String prefix) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Wsgi4jServer.builder().mount(prefix, where("x")).build());
        assertEquals("path '" + prefix + "' must be plain; '*' would change the servlet mapping", e.getMessage());
    }

    @Test
    @DisplayName("with mounts only, requests go to the one servlet context without a context collection in front")
    void mountsAloneHaveNoContextCollection() {
        assertNull(server.jetty().getDescendant(ContextHandlerCollection.class));
        assertNotNull(server.jetty().getDescendant(ServletContextHandler.class));
    }

    @ParameterizedTest(name = "--front-end {0}")
    @EnumSource(Settings.FrontEnd.class)
    @DisplayName("a customizer finds the context collection, and a context it adds is served beside the mounts")
    void customizerAddsAContextBesideTheMounts(Settings.FrontEnd frontEnd) throws Exception {
        Wsgi4jServer customized = Wsgi4jServer.builder()
                .http("127.0.0.1", 0)
                .set(Settings.FRONT_END, frontEnd)
                .mount("/", where("root"))
                .customizer(jetty -> {
                    ServletContextHandler extra = new ServletContextHandler("/extra");
                    extra.addServlet(new ServletHolder("extra", new GatewayServlet(where("extra"))), "/*");
                    jetty.getDescendant(ContextHandlerCollection.class).addHandler(extra);
                })
                .build()
                .start();
        try {
            InetSocketAddress address = new InetSocketAddress("127.0.0.1", customized.port());
            assertEquals("extra /extra|/x", RawHttpConnection.exchange(address, RawRequest.get("/extra/x")).bodyText());
            assertEquals("root |/y", RawHttpConnection.exchange(address, RawRequest.get("/y")).bodyText());
        } finally {
            customized.stop();
        }
    }

    @Test
    @DisplayName("port 0 binds a free port that the server reports")
    void portZeroIsReported() {
        assertTrue(server.port() > 0);
    }
}
