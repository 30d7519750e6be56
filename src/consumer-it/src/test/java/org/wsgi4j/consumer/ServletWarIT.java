package org.wsgi4j.consumer;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.wsgi4j.conformance.RawHttpConnection;
import org.wsgi4j.conformance.RawRequest;
import org.wsgi4j.conformance.RawResponse;
import org.wsgi4j.tomcat.TomcatServer;

/**
 * The WAR a user builds from src/it/servlet-war (wsgi4j-servlet from the BOM, one {@code @Mount}
 * class, no web.xml), deployed into the real Tomcat 11 distribution.
 */
class ServletWarIT {

    private static TomcatServer tomcat;

    @BeforeAll
    static void deploy() throws Exception {
        Path war = Path.of(System.getProperty("wsgi4j.consumer.war"));
        if (!Files.isRegularFile(war)) {
            throw new IllegalStateException("no WAR at " + war + ": the invoker builds it; see target/it/servlet-war/build.log");
        }
        tomcat = TomcatServer.start("tomcat 11 (consumer WAR)", new TomcatServer.Layout(
                Path.of(System.getProperty("wsgi4j.tomcat11.home")), Path.of(System.getProperty("wsgi4j.tomcat.base")),
                Map.of("hello.war", war), Map.of()));
    }

    @AfterAll
    static void stop() {
        if (tomcat != null) {
            tomcat.close();
        }
    }

    @Test
    @DisplayName("the WAR holds wsgi4j-servlet and wsgi4j-core, and nothing else")
    void warHoldsOnlyWsgi4j() throws IOException {
        try (ZipFile zip = new ZipFile(System.getProperty("wsgi4j.consumer.war"))) {
            List<String> libs = zip.stream().map(ZipEntry::getName)
                    .filter(name -> name.startsWith("WEB-INF/lib/") && name.endsWith(".jar"))
                    .map(name -> name.substring("WEB-INF/lib/".length()).replaceAll("-[0-9].*", ""))
                    .sorted().toList();

            assertEquals(List.of("wsgi4j-core", "wsgi4j-servlet"), libs);
        }
    }

    @Test
    @DisplayName("the @Mount application answers under its path, with the mapping's SCRIPT_NAME")
    void mountedApplicationAnswers() throws IOException {
        RawResponse response = RawHttpConnection.exchange(tomcat.address(), RawRequest.get("/hello/greet/x"));

        assertEquals(200, response.status(), () -> response.describe() + "\n" + tomcat.logTail(40));
        assertEquals("SCRIPT_NAME=/hello/greet PATH_INFO=/x", response.bodyText());
    }
}
