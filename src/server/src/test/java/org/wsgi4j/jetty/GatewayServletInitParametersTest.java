package org.wsgi4j.jetty;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.InputStream;
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
        RawHttp.Exchange answer = RawHttp.send(server.port(), "POST /war/x HTTP/1.1\r\nHost: x\r\nConnection: close\r\n"
                + "Content-Length: 11\r\n\r\n01234567890", 10_000);
        assertEquals(413, answer.status(), answer.text());
    }

    @Test
    void harakiriAnswers504() throws Exception {
        RawHttp.Exchange answer = RawHttp.send(server.port(), "GET /war/stuck HTTP/1.1\r\nHost: x\r\n"
                + "Connection: close\r\n\r\n", 30_000);
        assertEquals(504, answer.status(), answer.text());
    }

    @Test
    void trustedProxyRemovesAnUntrustedPeersHeaders() throws Exception {
        RawHttp.Exchange answer = RawHttp.send(server.port(), "GET /war/x HTTP/1.1\r\nHost: x\r\nConnection: close\r\n"
                + "X-Forwarded-For: 6.6.6.6\r\n\r\n", 10_000);
        assertEquals("0 127.0.0.1 null", answer.body());
    }

    @Test
    void anEmptyTrustedProxyTrustsNobody() throws Exception {
        RawHttp.Exchange answer = RawHttp.send(server.port(), "GET /war/nobody/x HTTP/1.1\r\nHost: x\r\n"
                + "Connection: close\r\nX-Forwarded-For: 6.6.6.6\r\n\r\n", 10_000);
        assertEquals("0 127.0.0.1 null", answer.body());
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
