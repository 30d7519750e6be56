package org.wsgi4j.jetty;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.wsgi4j.conformance.Await;
import org.wsgi4j.conformance.RawHttpConnection;
import org.wsgi4j.conformance.RawRequest;
import org.wsgi4j.conformance.RawResponse;
import org.wsgi4j.servlet.GatewayServlet;

/**
 * The server's settings reach the GatewayServlets of a WAR deployed with --war
 * ({@link GatewayServlet#SERVER_SETTINGS_ATTRIBUTE}): the sample WAR, unpacked with a web.xml that
 * adds one servlet of its own ({@code /check/*}, the inspector again) whose init parameters set
 * another body limit and other trusted proxies.
 */
class WarOperationsTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final long SERVER_LIMIT = 100;
    /** Larger than the server's: the parameter wins, it is not merely the stricter of two limits. */
    private static final long WAR_LIMIT = 200;

    private static Path webapp;

    @BeforeAll
    static void unpackTheSampleWar() throws IOException {
        webapp = Path.of("target", "war-operations", "sample");
        if (Files.exists(webapp)) {
            try (var paths = Files.walk(webapp)) {
                paths.sorted(java.util.Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
            }
        }
        try (ZipInputStream zip = new ZipInputStream(Files.newInputStream(Path.of(System.getProperty(
                "wsgi4j.sample.war"))))) {
            for (ZipEntry entry; (entry = zip.getNextEntry()) != null; ) {
                Path target = webapp.resolve(entry.getName());
                if (entry.isDirectory()) {
                    Files.createDirectories(target);
                } else {
                    Files.createDirectories(target.getParent());
                    Files.copy(zip, target);
                }
            }
        }
        Files.writeString(webapp.resolve("WEB-INF/web.xml"), """
                <?xml version="1.0" encoding="UTF-8"?>
                <web-app xmlns="https://jakarta.ee/xml/ns/jakartaee" version="6.0">
                  <servlet>
                    <servlet-name>check</servlet-name>
                    <servlet-class>org.wsgi4j.servlet.GatewayServlet</servlet-class>
                    <init-param><param-name>application</param-name>
                      <param-value>org.wsgi4j.sample.InspectApp</param-value></init-param>
                    <init-param><param-name>limit-post</param-name><param-value>%d</param-value></init-param>
                    <init-param><param-name>trusted-proxy</param-name><param-value>10.0.0.0/8</param-value></init-param>
                    <load-on-startup>1</load-on-startup>
                  </servlet>
                  <servlet-mapping><servlet-name>check</servlet-name><url-pattern>/check/*</url-pattern></servlet-mapping>
                </web-app>
                """.formatted(WAR_LIMIT));
    }

    private static Wsgi4jServer start(Path accessLog) throws Exception {
        return start(accessLog, Optional.empty());
    }

    /**
     * Only the harakiri test sets a timeout: a 1 s one on every test cut off the first request to the
     * freshly deployed WAR (class loading, JIT) on a busy machine.
     */
    private static Wsgi4jServer start(Path accessLog, Optional<Duration> harakiri) throws Exception {
        return Wsgi4jServer.builder()
                .http("127.0.0.1", 0)
                .war("/sample", webapp)
                .set(Settings.STATS, Optional.of(new Settings.HostPort("127.0.0.1", 0)))
                .set(Settings.ACCESS_LOG, Optional.of(accessLog.toString()))
                .set(Settings.HARAKIRI, harakiri)
                .set(Settings.LIMIT_POST, SERVER_LIMIT)
                .set(Settings.TRUSTED_PROXY, List.of("127.0.0.1/32"))
                .build()
                .start();
    }

    private static Path log(String name) throws IOException {
        Path log = Files.createDirectories(Path.of("target", "war-operations")).resolve(name);
        Files.deleteIfExists(log);
        return log;
    }

    private static JsonNode stats(Wsgi4jServer server) throws IOException {
        return JSON.readTree(RawHttpConnection.exchange(new InetSocketAddress("127.0.0.1", server.statsPort()),
                RawRequest.get("/")).bodyText());
    }

    private static JsonNode mount(JsonNode stats, String label) {
        for (JsonNode mount : stats.get("mounts")) {
            if (mount.get("mount").asText().equals(label)) {
                return mount;
            }
        }
        throw new AssertionError("no mount " + label + " in " + stats);
    }

    private static RawResponse post(Wsgi4jServer server, String target, long declaredLength) throws IOException {
        return RawHttpConnection.exchange(new InetSocketAddress("127.0.0.1", server.port()),
                RawRequest.post(target, "x".repeat((int) declaredLength).getBytes(StandardCharsets.US_ASCII)));
    }

    private static RawResponse forwarded(Wsgi4jServer server, String target) throws IOException {
        return RawHttpConnection.exchange(new InetSocketAddress("127.0.0.1", server.port()),
                RawRequest.get(target + "?format=json").withHeader("X-Forwarded-For", "203.0.113.9"));
    }

    @Test
    @DisplayName("WAR requests are counted per mount (context path + servlet prefix) and logged with that mount")
    void warRequestsAreCountedAndLogged() throws Exception {
        Path log = log("counted-access.log");
        Wsgi4jServer server = start(log);
        try {
            for (int i = 0; i < 3; i++) {
                assertEquals(200, RawHttpConnection.exchange(new InetSocketAddress("127.0.0.1", server.port()),
                        RawRequest.get("/sample/inspect/a?format=json")).status());
            }
            assertEquals(200, RawHttpConnection.exchange(new InetSocketAddress("127.0.0.1", server.port()),
                    RawRequest.get("/sample/")).status());
            assertEquals(404, RawHttpConnection.exchange(new InetSocketAddress("127.0.0.1", server.port()),
                    RawRequest.get("/sample/inspect-not")).status());

            // The client can read an answer before the observer has counted its request as completed.
            Await.until("all five requests completed", () -> stats(server).get("in_flight").asInt() == 0
                    && mount(stats(server), "/sample").get("status").get("4xx").asInt() == 1);
            JsonNode stats = stats(server);
            JsonNode inspect = mount(stats, "/sample/inspect");
            assertEquals(3, inspect.get("requests").asInt(), inspect.toString());
            assertEquals(3, inspect.get("status").get("2xx").asInt(), inspect.toString());
            assertTrue(inspect.get("bytes_out").asLong() > 0, inspect.toString());
            assertEquals(0, inspect.get("in_flight").asInt(), inspect.toString());
            JsonNode index = mount(stats, "/sample");
            assertEquals(1, index.get("status").get("2xx").asInt(), index.toString());
            assertEquals(1, index.get("status").get("4xx").asInt(), index.toString());
            assertEquals(0, mount(stats, "/sample/check").get("requests").asInt());
            String metrics = RawHttpConnection.exchange(new InetSocketAddress("127.0.0.1", server.statsPort()),
                    RawRequest.get("/metrics")).bodyText();
            assertTrue(metrics.contains("wsgi4j_requests_total{mount=\"/sample/inspect\",status=\"2xx\"} 3.0"), metrics);
        } finally {
            server.stop();
        }
        // A line is queued when its request completes, which may be after the client has sent the
        // next request: compare the lines as a set, not in order.
        List<String> lines = Files.readAllLines(log, StandardCharsets.UTF_8);
        assertEquals(5, lines.size(), String.join("\n", lines));
        assertEquals(3, lines.stream().filter(line -> line.contains("\"GET /sample/inspect/a?format=json HTTP/1.1\" 200 ")
                && line.endsWith(" /sample/inspect")).count(), String.join("\n", lines));
        assertEquals(1, lines.stream().filter(line -> line.contains("\"GET /sample/ HTTP/1.1\" 200 ")
                && line.endsWith(" /sample")).count(), String.join("\n", lines));
        assertEquals(1, lines.stream().filter(line -> line.contains("\"GET /sample/inspect-not HTTP/1.1\" 404 ")
                && line.endsWith(" /sample")).count(), String.join("\n", lines));
    }

    @Test
    @DisplayName("--limit-post: a WAR request declaring a body over the server's limit gets 413, one at the limit passes")
    void serversBodyLimitAppliesToWarRequests() throws Exception {
        Wsgi4jServer server = start(log("limit-access.log"));
        try {
            assertEquals(200, post(server, "/sample/inspect/", SERVER_LIMIT).status());
            assertEquals(413, post(server, "/sample/inspect/", SERVER_LIMIT + 1).status());
            assertEquals(1, mount(stats(server), "/sample/inspect").get("status").get("4xx").asInt());
        } finally {
            server.stop();
        }
    }

    @Test
    @DisplayName("a WAR servlet's own limit-post init parameter wins over --limit-post")
    void warInitParameterWinsOverTheServersLimit() throws Exception {
        Wsgi4jServer server = start(log("override-access.log"));
        try {
            assertEquals(200, post(server, "/sample/check/", WAR_LIMIT).status());
            RawResponse over = post(server, "/sample/check/", WAR_LIMIT + 1);
            assertEquals(413, over.status(), over.describe());
            // The server's smaller limit still holds for the servlets without the parameter.
            assertEquals(413, post(server, "/sample/inspect/", SERVER_LIMIT + 1).status());
            assertEquals(2, mount(stats(server), "/sample/check").get("requests").asInt());
        } finally {
            server.stop();
        }
    }

    @Test
    @DisplayName("--trusted-proxy reaches WAR servlets; a servlet's own trusted-proxy init parameter wins")
    void trustedProxyReachesWarServletsUnlessTheirOwnParameterSaysOtherwise() throws Exception {
        Wsgi4jServer server = start(log("proxy-access.log"));
        try {
            JsonNode trusted = JSON.readTree(forwarded(server, "/sample/inspect/").bodyText());
            assertEquals("203.0.113.9", trusted.get("request").get("REMOTE_ADDR").asText(), trusted.toString());
            // The servlet trusts 10.0.0.0/8 only: from 127.0.0.1 the header is removed, the peer stays.
            JsonNode own = JSON.readTree(forwarded(server, "/sample/check/").bodyText());
            assertEquals("127.0.0.1", own.get("request").get("REMOTE_ADDR").asText(), own.toString());
            assertFalse(own.get("headers").has("HTTP_X_FORWARDED_FOR"), own.toString());
        } finally {
            server.stop();
        }
    }

    @Test
    @DisplayName("--harakiri: a WAR request running past the timeout is cut off and counted as a harakiri")
    void harakiriStopsALongWarRequest() throws Exception {
        Wsgi4jServer server = start(log("harakiri-access.log"), Optional.of(Duration.ofSeconds(1)));
        try {
            long started = System.nanoTime();
            RawResponse stream = RawHttpConnection.exchange(new InetSocketAddress("127.0.0.1", server.port()),
                    RawRequest.get("/sample/stream?n=5&interval_ms=3000"));
            // The stream is close-delimited (Connection: close): exchange returning at all means the server
            // closed, and closing before the 15 s the stream would take, without its last event, is the cut.
            long waited = Duration.ofNanos(System.nanoTime() - started).toMillis();
            assertTrue(waited >= 1000 && waited < 12_000, "cut off after " + waited + " ms, the timeout is 1 s");
            assertFalse(stream.bodyText().contains("event: done"), stream.describe());
            JsonNode stats = stats(server);
            assertEquals(1, mount(stats, "/sample/stream").get("harakiri").asInt(), stats.toString());
            assertEquals(1, stats.get("harakiri_count").asInt(), stats.toString());
        } finally {
            server.stop();
        }
    }
}
