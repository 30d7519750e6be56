package org.wsgi4j.jetty;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetSocketAddress;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.wsgi4j.conformance.ExplodedWebapp;
import org.wsgi4j.conformance.RawHttpConnection;
import org.wsgi4j.conformance.RawRequest;
import org.wsgi4j.conformance.RawResponse;

/** --war: the sample WAR on embedded Jetty, its @Mount applications found by annotation scanning. */
class WarDeploymentTest {

    private static Wsgi4jServer server;

    @BeforeAll
    static void start() throws Exception {
        Path war = Path.of(System.getProperty("wsgi4j.sample.war"));
        server = Wsgi4jServer.builder()
                .http("127.0.0.1", 0)
                .war("/sample", war)
                .mount("/", Wsgi4jServerTest.where("side"))
                .build()
                .start();
    }

    @AfterAll
    static void stop() throws Exception {
        server.stop();
    }

    @Test
    @DisplayName("@Mount applications in a WAR get SCRIPT_NAME = context path + mount")
    void mountedApplicationSeesContextPathInScriptName() throws Exception {
        RawResponse response = RawHttpConnection.exchange(new InetSocketAddress("127.0.0.1", server.port()),
                RawRequest.get("/sample/inspect/a%20b?format=json").withHeader("Accept", "application/json"));
        assertEquals(200, response.status(), response.describe());
        assertTrue(response.bodyText().contains("\"SCRIPT_NAME\":\"/sample/inspect\""), response.bodyText());
        assertTrue(response.bodyText().contains("\"PATH_INFO\":\"/a b\""), response.bodyText());
        assertTrue(response.bodyText().contains("\"REQUEST_URI\":\"/sample/inspect/a%20b?format=json\""), response.bodyText());
    }

    @Test
    @DisplayName("the WAR's root @Mount serves its index; mounts outside the WAR still work")
    void indexAndSideMountBothServe() throws Exception {
        RawResponse index = RawHttpConnection.exchange(new InetSocketAddress("127.0.0.1", server.port()),
                RawRequest.get("/sample/"));
        assertEquals(200, index.status(), index.describe());
        assertTrue(index.bodyText().contains("href=\"/sample/inspect\""), index.bodyText());
        assertEquals("side |/elsewhere", RawHttpConnection.exchange(new InetSocketAddress("127.0.0.1", server.port()),
                RawRequest.get("/elsewhere")).bodyText());
    }

    @Test
    @DisplayName("a WAR whose web.xml names a mistyped application stops the start with wsgi4j's sentence")
    void mistypedWebXmlApplicationStopsTheStart() throws Exception {
        Path dir = ExplodedWebapp.write(Path.of("target", "bad-application-war"),
                Path.of(System.getProperty("wsgi4j.sample.war")),
                ExplodedWebapp.gatewayWebXml("mistyped", "org.wsgi4j.Applications::apii"));
        Wsgi4jServer bad = Wsgi4jServer.builder().http("127.0.0.1", 0).war("/bad", dir).build();
        Exception e = assertThrows(Exception.class, bad::start);
        StringBuilder messages = new StringBuilder();
        for (Throwable t = e; t != null; t = t.getCause()) {
            messages.append(t).append('\n');
        }
        assertTrue(messages.toString().contains("servlet 'mistyped': application spec 'org.wsgi4j.Applications::apii': "
                + "org.wsgi4j.Applications has no public static field or no-argument method 'apii'"), messages::toString);
    }

    @Test
    @DisplayName("a WAR with --front-end core is refused, naming the front end it needs")
    void warWithCoreFrontEndIsRefused() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Wsgi4jServer.builder().http(0)
                .set(Settings.FRONT_END, Settings.FrontEnd.CORE)
                .war("/sample", Path.of(System.getProperty("wsgi4j.sample.war"))).build());
        assertEquals("Settings.WAR: a WAR is a servlet web application, which needs the servlet front end, and "
                + "Settings.FRONT_END chose the core one, which has no servlet layer", e.getMessage());
    }

    @Test
    @DisplayName("a WAR at '/' beside mounted applications is refused, naming the conflict")
    void warAtRootBesideMountsIsRefused() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Wsgi4jServer.builder().http(0)
                .war("/", Path.of(System.getProperty("wsgi4j.sample.war")))
                .mount("/", Wsgi4jServerTest.where("x")).build());
        assertTrue(e.getMessage().contains("a WAR is deployed at '/'"), e.getMessage());
    }
}
