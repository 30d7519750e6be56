package org.wsgi4j.jetty;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.InputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.eclipse.jetty.ee10.servlet.ServletContextHandler;
import org.eclipse.jetty.ee10.servlet.ServletHolder;
import org.eclipse.jetty.server.handler.ContextHandlerCollection;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.wsgi4j.Application;
import org.wsgi4j.Bodies;
import org.wsgi4j.Environ;
import org.wsgi4j.Header;
import org.wsgi4j.conformance.RawHttpConnection;
import org.wsgi4j.conformance.RawRequest;
import org.wsgi4j.conformance.RawResponse;
import org.wsgi4j.servlet.GatewayServlet;

/**
 * A WAR's way to the bridge-level settings: GatewayServlet's init parameters harakiri, limit-post and
 * trusted-proxy, on a servlet declared as web.xml would (no wsgi4j-server settings involved).
 */
class GatewayServletInitParametersTest {

    private static Wsgi4jServer server;

    private static final Application APP = (environ, start) -> {
        if (Environ.pathInfo(environ).equals("/stuck")) {
            Thread.sleep(60_000);
        }
        long read = ((InputStream) environ.get(Environ.WSGI_INPUT)).readAllBytes().length;
        start.start("200 OK", List.of(new Header("Content-Type", "text/plain")));
        return Bodies.utf8(read + " " + environ.get(Environ.REMOTE_ADDR) + " " + environ.get("HTTP_X_FORWARDED_FOR"));
    };

    @BeforeAll
    static void start() throws Exception {
        server = Wsgi4jServer.builder()
                .http("127.0.0.1", 0)
                .mount("/", APP)
                .customizer(jetty -> {
                    ServletContextHandler war = new ServletContextHandler("/war");
                    ServletHolder holder = new ServletHolder("declared", new GatewayServlet(APP));
                    holder.setInitParameter(GatewayServlet.HARAKIRI_PARAM, "1");
                    holder.setInitParameter(GatewayServlet.LIMIT_POST_PARAM, "10");
                    holder.setInitParameter(GatewayServlet.TRUSTED_PROXY_PARAM, "10.0.0.0/8");
                    war.addServlet(holder, "/*");
                    ServletHolder nobody = new ServletHolder("nobody", new GatewayServlet(APP));
                    nobody.setInitParameter(GatewayServlet.TRUSTED_PROXY_PARAM, "");
                    war.addServlet(nobody, "/nobody/*");
                    jetty.getDescendant(ContextHandlerCollection.class).addHandler(war);
                })
                .build()
                .start();
    }

    @AfterAll
    static void stop() throws Exception {
        server.stop();
    }

    @Test
    void limitPostRefusesALargerDeclaredBody() throws Exception {
        RawResponse answer = RawHttpConnection.exchange(new InetSocketAddress("127.0.0.1", server.port()),
                RawRequest.post("/war/x", "01234567890".getBytes(StandardCharsets.US_ASCII)));
        assertEquals(413, answer.status(), answer.describe());
    }

    @Test
    void harakiriAnswers504() throws Exception {
        RawResponse answer = RawHttpConnection.exchange(new InetSocketAddress("127.0.0.1", server.port()),
                RawRequest.get("/war/stuck"));
        assertEquals(504, answer.status(), answer.describe());
    }

    @Test
    void trustedProxyRemovesAnUntrustedPeersHeaders() throws Exception {
        RawResponse answer = RawHttpConnection.exchange(new InetSocketAddress("127.0.0.1", server.port()),
                RawRequest.get("/war/x").withHeader("X-Forwarded-For", "6.6.6.6"));
        assertEquals("0 127.0.0.1 null", answer.bodyText());
    }

    @Test
    void anEmptyTrustedProxyTrustsNobody() throws Exception {
        RawResponse answer = RawHttpConnection.exchange(new InetSocketAddress("127.0.0.1", server.port()),
                RawRequest.get("/war/nobody/x").withHeader("X-Forwarded-For", "6.6.6.6"));
        assertEquals("0 127.0.0.1 null", answer.bodyText());
    }

    @Test
    void aMalformedParameterFailsInitNamingIt() {
        ServletHolder holder = new ServletHolder("bad", new GatewayServlet(APP));
        holder.setInitParameter(GatewayServlet.LIMIT_POST_PARAM, "lots");
        ServletContextHandler context = new ServletContextHandler("/bad");
        context.addServlet(holder, "/*");
        Exception e = org.junit.jupiter.api.Assertions.assertThrows(Exception.class, () -> {
            org.eclipse.jetty.server.Server jetty = new org.eclipse.jetty.server.Server();
            jetty.setHandler(context);
            try {
                jetty.start();
                holder.getServlet();
            } finally {
                jetty.stop();
            }
        });
        String message = String.valueOf(e.getMessage()) + " " + (e.getCause() == null ? "" : e.getCause().getMessage());
        assertTrue(message.contains("init parameter 'limit-post' = 'lots' is not a number of bytes"), message);
    }
}
