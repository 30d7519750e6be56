package org.wsgi4j.servlet.internal;

import static org.junit.jupiter.api.Assertions.assertAll;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.util.Map;
import org.eclipse.jetty.ee10.servlet.ServletContextHandler;
import org.eclipse.jetty.ee10.servlet.ServletHolder;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.server.handler.ContextHandlerCollection;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;
import org.wsgi4j.Application;
import org.wsgi4j.conformance.EnvironDump;
import org.wsgi4j.conformance.Probes;
import org.wsgi4j.conformance.RawHttpConnection;
import org.wsgi4j.conformance.RawRequest;
import org.wsgi4j.conformance.RawResponse;
import org.wsgi4j.servlet.GatewayServlet;
import org.wsgi4j.servlet.ServletKeys;

/**
 * The bridge's translation table on a real Jetty: SCRIPT_NAME and PATH_INFO for each servlet
 * mapping kind (SPEC E2, E3), the context path's decoding, and the refusals of E14-E16.
 */
class ServletEnvironTest {

    private static Server jetty;
    private static InetSocketAddress address;

    @BeforeAll
    static void start() throws Exception {
        Application probes = Probes.application();
        jetty = new Server();
        ServerConnector connector = new ServerConnector(jetty);
        connector.setHost("127.0.0.1");
        jetty.addConnector(connector);
        ServletContextHandler ctx = new ServletContextHandler("/ctx");
        for (String mapping : new String[] {"/p/*", "/exact", "*.x", "", "/"}) {
            ctx.addServlet(new ServletHolder("probes " + mapping, new GatewayServlet(probes)), mapping);
        }
        ServletContextHandler cafe = new ServletContextHandler("/caf\u00e9");
        cafe.addServlet(new ServletHolder("probes in /caf\u00e9", new GatewayServlet(probes)), "/*");
        jetty.setHandler(new ContextHandlerCollection(ctx, cafe));
        jetty.start();
        address = new InetSocketAddress("127.0.0.1", connector.getLocalPort());
    }

    @AfterAll
    static void stop() throws Exception {
        jetty.stop();
    }

    private static Map<String, EnvironDump.Entry> environ(String target) throws IOException {
        RawResponse response = RawHttpConnection.exchange(address, RawRequest.get(target));
        assertEquals(200, response.status(), response.describe());
        return EnvironDump.parse(response.bodyText());
    }

    @Nested
    @DisplayName("E2, E3: SCRIPT_NAME and PATH_INFO follow the servlet mapping")
    class Mapping {

        @ParameterizedTest(name = "{0}: {1} gives SCRIPT_NAME ''{2}'' and PATH_INFO ''{3}''")
        @CsvSource({
                "path /p/*, /ctx/p/a%20b, /ctx/p, /a b",
                "path /p/* without path info, /ctx/p, /ctx/p, ''",
                "exact /exact, /ctx/exact, /ctx/exact, ''",
                "extension *.x, /ctx/dir/page.x, /ctx, /dir/page.x",
                "context root '', /ctx/, /ctx, /",
                "default /, /ctx/other/x, /ctx, /other/x",
                "path /* in an encoded context, /caf%C3%A9/x, /caf\u00e9, /x",
                "path parameter on the context, /ctx;v=1/p/x, /ctx/p, /x"})
        void mappingGivesScriptNameAndPathInfo(String kind, String target, String scriptName, String pathInfo)
                throws IOException {
            Map<String, EnvironDump.Entry> environ = environ(target);
            assertAll(kind,
                    () -> assertEquals(scriptName, environ.get("SCRIPT_NAME").value(), "SCRIPT_NAME"),
                    () -> assertEquals(pathInfo, environ.get("PATH_INFO").value(), "PATH_INFO"),
                    () -> assertEquals(target, environ.get("REQUEST_URI").value(), "REQUEST_URI"));
        }

        @Test
        @DisplayName("wsgi4j.servlet.request and .response are in the environ under ServletKeys")
        void servletObjectsAreUnderTheirPublicKeys() throws IOException {
            Map<String, EnvironDump.Entry> environ = environ("/ctx/p/x");
            assertTrue(environ.containsKey(ServletKeys.REQUEST), environ::toString);
            assertTrue(environ.containsKey(ServletKeys.RESPONSE), environ::toString);
        }
    }

    @ParameterizedTest(name = "E14-E16: {0} is answered 400 with the rule in a plain-text body")
    @ValueSource(strings = {"/ctx/p/x%2Fy", "/ctx/p/100%25", "/ctx/p//x", "/ctx/p/%2e%2e/x", "/ctx/p?q=caf\u00e9"})
    void oddTargetIsRefusedWithItsReason(String target) throws IOException {
        RawResponse response = RawHttpConnection.exchange(address, RawRequest.get(target));
        assertEquals(400, response.status(), response.describe());
    }

    @Nested
    @DisplayName("the context path: path parameters removed, then percent-decoded as UTF-8 (E2, E15)")
    class ContextPath {

        @ParameterizedTest(name = "{0} decodes to {1}")
        @CsvSource({"/ctx, /ctx", "/caf%C3%A9, /caf\u00e9", "/caf\u00e9, /caf\u00e9", "/a%20b, /a b",
                "/%F0%9F%98%80, /\uD83D\uDE00", "'/\uD83D\uDE00%20', '/\uD83D\uDE00 '", "'', ''"})
        void contextPathDecodesAsUtf8(String raw, String decoded) {
            assertEquals(decoded, ServletEnviron.decode(raw));
        }

        @ParameterizedTest(name = "{0} is refused")
        @ValueSource(strings = {"/x%2", "/x%zz", "/x%FF", "/%C0%AF", "/x%00"})
        void contextPathThatCannotBeDecodedExactlyIsRefused(String raw) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> ServletEnviron.decode(raw));
            assertTrue(e.getMessage().startsWith("E15: "), e.getMessage());
        }

        @ParameterizedTest(name = "{0} without path parameters is {1}")
        @CsvSource({"/conf;v=1, /conf", "/a;x/b;y=2, /a/b", "/a, /a", "/a;, /a", "'', ''"})
        void pathParametersAreRemoved(String raw, String stripped) {
            assertEquals(stripped, ServletEnviron.withoutPathParameters(raw));
        }
    }
}
