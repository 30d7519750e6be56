package org.wsgi4j.servlet;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.eclipse.jetty.ee10.servlet.ServletContextHandler;
import org.eclipse.jetty.ee10.servlet.ServletHolder;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.wsgi4j.Application;
import org.wsgi4j.Bodies;
import org.wsgi4j.conformance.RawHttpConnection;
import org.wsgi4j.conformance.RawRequest;
import org.wsgi4j.conformance.RawResponse;

/**
 * A {@link GatewayServlet} declared like in {@code web.xml} (by class name, application from the
 * init parameter, no {@code load-on-startup}) in a real Jetty context that runs
 * {@link MountInitializer}: a mistake stops the context's start with GatewayServlet's sentence.
 * Public, as {@code Applications.load} calls only public members.
 */
public class MountInitializerTest {

    /** How often {@link #counted()} was called: the application must be loaded once. */
    static final AtomicInteger LOADS = new AtomicInteger();

    public static Application counted() {
        LOADS.incrementAndGet();
        return (environ, startResponse) -> {
            startResponse.start("200 OK", List.of());
            return Bodies.utf8("counted\n");
        };
    }

    private static Throwable start(String spec, List<Server> started) {
        Server jetty = new Server();
        ServerConnector connector = new ServerConnector(jetty);
        connector.setHost("127.0.0.1");
        jetty.addConnector(connector);
        ServletContextHandler context = new ServletContextHandler("/");
        // As a web application's own loader would: it sees the application classes.
        context.setClassLoader(MountInitializerTest.class.getClassLoader());
        context.addServletContainerInitializer(new MountInitializer());
        ServletHolder holder = new ServletHolder("app", GatewayServlet.class);
        if (spec != null) {
            holder.setInitParameter(GatewayServlet.APPLICATION_PARAM, spec);
        }
        context.addServlet(holder, "/*");
        jetty.setHandler(context);
        started.add(jetty);
        try {
            jetty.start();
            return null;
        } catch (Exception e) {
            return e;
        }
    }

    @ParameterizedTest(name = "application ''{0}'' stops the start: {1}")
    @CsvSource({
            "org.wsgi4j.servlet.MountInitializerTest::apii, servlet 'app': application spec 'org.wsgi4j.servlet.MountInitializerTest::apii'",
            "org.wsgi4j.servlet.NoSuchApp, servlet 'app': application spec 'org.wsgi4j.servlet.NoSuchApp'",
            "'', servlet 'app' has no 'application' init parameter"})
    void mistypedApplicationStopsTheStart(String spec, String sentence) throws Exception {
        List<Server> started = new ArrayList<>();
        try {
            Throwable failure = start(spec.isEmpty() ? null : spec, started);
            assertNotNull(failure, "the context must not start");
            StringBuilder messages = new StringBuilder();
            for (Throwable t = failure; t != null; t = t.getCause()) {
                messages.append(t).append('\n');
            }
            assertTrue(messages.toString().contains(sentence), messages::toString);
        } finally {
            started.get(0).stop();
        }
    }

    @Test
    @DisplayName("a valid application parameter is loaded once, at deployment, and served")
    void validApplicationIsLoadedOnceAndServed() throws Exception {
        LOADS.set(0);
        List<Server> started = new ArrayList<>();
        try {
            assertEquals(null, start("org.wsgi4j.servlet.MountInitializerTest::counted", started));
            assertEquals(1, LOADS.get(), "loaded at deployment, before any request");
            int port = ((ServerConnector) started.get(0).getConnectors()[0]).getLocalPort();
            RawResponse response = RawHttpConnection.exchange(new java.net.InetSocketAddress("127.0.0.1", port),
                    RawRequest.get("/x"));
            assertEquals("counted\n", response.bodyText(), response.describe());
            assertEquals(1, LOADS.get(), "the servlet serves the application the initializer loaded");
        } finally {
            started.get(0).stop();
        }
    }
}
