package org.wsgi4j.jetty;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.wsgi4j.Application;
import org.wsgi4j.Bodies;
import org.wsgi4j.Environ;
import org.wsgi4j.Header;
import org.wsgi4j.conformance.Await;
import org.wsgi4j.conformance.RawHttpConnection;
import org.wsgi4j.conformance.RawRequest;
import org.wsgi4j.conformance.RawResponse;

/**
 * Harakiri, stats and the access log on a real server, over HTTP (either front end) and uwsgi: a
 * known load, then the exact numbers and lines it must have produced.
 */
class OperationsTest {

    private static final List<Header> TEXT = List.of(new Header("Content-Type", "text/plain"));
    private static final ObjectMapper JSON = new ObjectMapper();

    /** /stuck sleeps a minute; /fail throws; /echo answers the body it read; anything else "ok". */
    private static final Application APP = (environ, start) -> {
        String path = Environ.pathInfo(environ);
        switch (path) {
            case "/stuck" -> Thread.sleep(60_000);
            case "/fail" -> throw new IllegalStateException("the test's failing application");
            case "/echo" -> {
                byte[] body = ((InputStream) environ.get(Environ.WSGI_INPUT)).readAllBytes();
                start.start("200 OK", TEXT);
                return List.of(body);
            }
            default -> { }
        }
        start.start("200 OK", TEXT);
        return Bodies.utf8("ok");
    };

    private static Wsgi4jServer start(Path accessLog, Settings.FrontEnd frontEnd) throws Exception {
        return Wsgi4jServer.builder()
                .set(Settings.FRONT_END, frontEnd)
                .http("127.0.0.1", 0)
                .uwsgi("127.0.0.1", 0)
                .mount("/", APP)
                .mount("/api", APP)
                .set(Settings.STATS, Optional.of(new Settings.HostPort("127.0.0.1", 0)))
                .set(Settings.HARAKIRI, Optional.of(Duration.ofSeconds(1)))
                .set(Settings.ACCESS_LOG, Optional.of(accessLog.toString()))
                .build()
                .start();
    }

    /** A fresh access log file for one test under target/operations. */
    private static Path accessLog(String test, Settings.FrontEnd frontEnd) throws Exception {
        Path log = Files.createDirectories(Path.of("target", "operations")).resolve(test + "-access-" + frontEnd + ".log");
        Files.deleteIfExists(log);
        return log;
    }

    private static RawResponse get(int port, String target) throws Exception {
        return RawHttpConnection.exchange(new InetSocketAddress("127.0.0.1", port), RawRequest.get(target));
    }

    private static JsonNode stats(Wsgi4jServer server) throws Exception {
        return JSON.readTree(get(server.statsPort(), "/").bodyText());
    }

    private static JsonNode mount(JsonNode stats, String prefix) {
        for (JsonNode mount : stats.get("mounts")) {
            if (mount.get("mount").asText().equals(prefix)) {
                return mount;
            }
        }
        throw new AssertionError("no mount " + prefix + " in " + stats);
    }

    @ParameterizedTest(name = "--front-end {0}")
    @EnumSource(Settings.FrontEnd.class)
    @DisplayName("harakiri: a stuck request gets 504 after the timeout while a healthy one beside it answers at once")
    void aStuckRequestTimesOutBesideAHealthyOne(Settings.FrontEnd frontEnd) throws Exception {
        Path log = accessLog("harakiri", frontEnd);
        Wsgi4jServer server = start(log, frontEnd);
        try {
            long started = System.nanoTime();
            CompletableFuture<RawResponse> stuckHttp = CompletableFuture.supplyAsync(() -> {
                try {
                    return get(server.port(), "/stuck");
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
            });
            CompletableFuture<String> stuckUwsgi = CompletableFuture.supplyAsync(() -> {
                try {
                    return UwsgiWiringTest.exchange(new InetSocketAddress("127.0.0.1",
                            server.uwsgiListeners().get(0).port()), "/api/stuck");
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
            });
            Await.until("both stuck requests in flight", () -> {
                JsonNode stats = stats(server);
                return mount(stats, "/").get("in_flight").asInt() == 1 && mount(stats, "/api").get("in_flight").asInt() == 1;
            });
            assertEquals("ok", get(server.port(), "/healthy").bodyText(), "a healthy request was held up");
            assertTrue(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started) < 1000,
                    "the healthy request waited for the stuck one");

            RawResponse http = stuckHttp.get(30, TimeUnit.SECONDS);
            String uwsgi = stuckUwsgi.get(30, TimeUnit.SECONDS);
            assertEquals(504, http.status(), http.describe());
            assertEquals("504 Gateway Timeout\n", http.bodyText(), http.describe());
            assertTrue(uwsgi.startsWith("HTTP/1.1 504 "), uwsgi);
            long waited = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started);
            assertTrue(waited >= 1000 && waited < 20_000, "answered after " + waited + " ms, the timeout is 1 s");

            JsonNode stats = stats(server);
            assertEquals(2, stats.get("harakiri_count").asInt(), stats.toString());
            assertEquals(1, mount(stats, "/").get("harakiri").asInt());
            assertEquals(1, mount(stats, "/api").get("harakiri").asInt());
        } finally {
            server.stop();
        }
        String lines = Files.readString(log);
        assertTrue(lines.contains("\"GET /stuck HTTP/1.1\" 504 20 "), lines);
        assertTrue(lines.contains("\"GET /api/stuck HTTP/1.1\" 504 20 "), lines);
    }

    @ParameterizedTest(name = "--front-end {0}")
    @EnumSource(Settings.FrontEnd.class)
    @DisplayName("stats: a known load over HTTP and uwsgi gives exact counts in JSON and in Prometheus text")
    void statsCountAKnownLoad(Settings.FrontEnd frontEnd) throws Exception {
        Path log = accessLog("stats", frontEnd);
        Wsgi4jServer server = start(log, frontEnd);
        InetSocketAddress uwsgi = new InetSocketAddress("127.0.0.1", server.uwsgiListeners().get(0).port());
        try {
            for (int i = 0; i < 5; i++) {
                get(server.port(), "/");
            }
            for (int i = 0; i < 3; i++) {
                UwsgiWiringTest.exchange(uwsgi, "/");
            }
            for (int i = 0; i < 2; i++) {
                get(server.port(), "/fail");
            }
            for (int i = 0; i < 4; i++) {
                RawHttpConnection.exchange(new InetSocketAddress("127.0.0.1", server.port()),
                        RawRequest.post("/api/echo", "sixteen".getBytes(StandardCharsets.US_ASCII)));
            }

            RawResponse answer = get(server.statsPort(), "/");
            assertEquals(200, answer.status(), answer.describe());
            JsonNode stats = JSON.readTree(answer.bodyText());
            JsonNode root = mount(stats, "/");
            assertEquals(10, root.get("requests").asInt(), root.toString());
            assertEquals(8, root.get("status").get("2xx").asInt());
            assertEquals(2, root.get("status").get("5xx").asInt());
            assertEquals(2, root.get("exceptions").asInt());
            assertEquals(8 * 2 + 2 * "500 Internal Server Error\n".length(), root.get("bytes_out").asInt());
            assertEquals(0, root.get("in_flight").asInt());
            JsonNode api = mount(stats, "/api");
            assertEquals(4, api.get("requests").asInt());
            assertEquals(4 * 7, api.get("bytes_in").asInt());
            assertEquals(4 * 7, api.get("bytes_out").asInt());
            assertTrue(root.get("latency_ms").has("p50") && root.get("latency_ms").has("p99"), root.toString());
            assertEquals(Main.version(), stats.get("version").asText());
            assertEquals(Runtime.version().feature() >= 21 ? "virtual" : "platform", stats.get("thread_mode").asText());
            assertEquals(3, stats.get("listeners").size(), stats.toString());
            assertTrue(stats.get("threads").get("max").asInt() > 0);

            String metrics = get(server.statsPort(), "/metrics").bodyText();
            assertTrue(metrics.contains("wsgi4j_requests_total{mount=\"/\",status=\"2xx\"} 8.0"), metrics);
            assertTrue(metrics.contains("wsgi4j_requests_total{mount=\"/api\",status=\"2xx\"} 4.0"), metrics);
            assertTrue(metrics.contains("wsgi4j_exceptions_total{mount=\"/\"} 2.0"), metrics);
            assertTrue(metrics.contains("wsgi4j_request_duration_seconds_bucket{mount=\"/\",le=\"+Inf\"} 10"), metrics);

            assertTrue(get(server.statsPort(), "/health").bodyText().endsWith("serving\n"));
        } finally {
            server.stop();
        }
        List<String> lines = Files.readAllLines(log, StandardCharsets.UTF_8);
        assertEquals(14, lines.size(), String.join("\n", lines));
        // Lines are queued as requests complete, not necessarily in the order the client sent them.
        assertTrue(lines.stream().anyMatch(line -> line.matches("127\\.0\\.0\\.1 - - \\[\\d{2}/\\w{3}/\\d{4}:\\d{2}:\\d{2}:\\d{2} [+-]\\d{4}] "
                + "\"GET / HTTP/1\\.1\" 200 2 \"-\" \"-\" \\d+ /")), String.join("\n", lines));
        assertTrue(lines.stream().anyMatch(line -> line.contains("\"POST /api/echo HTTP/1.1\" 200 7 ")
                && line.endsWith(" /api")), String.join("\n", lines));
    }

    @ParameterizedTest(name = "--front-end {0}")
    @EnumSource(Settings.FrontEnd.class)
    @DisplayName("E14: a refused request is counted under 4xx and has its access log line, with the target as received")
    void aRefusedRequestIsCountedAndLogged(Settings.FrontEnd frontEnd) throws Exception {
        Path log = accessLog("refused", frontEnd);
        Wsgi4jServer server = start(log, frontEnd);
        RawResponse refused;
        try {
            refused = get(server.port(), "/?q=caf\u00e9");
            assertEquals(400, refused.status(), refused.describe());
            assertTrue(refused.bodyText().startsWith("E14: "), refused.describe());

            JsonNode root = mount(stats(server), "/");
            assertEquals(1, root.get("requests").asInt(), root.toString());
            assertEquals(1, root.get("status").get("4xx").asInt(), root.toString());
            assertEquals(0, root.get("exceptions").asInt(), root.toString());
            assertEquals(refused.body().length, root.get("bytes_out").asInt(), root.toString());
            assertEquals(0, root.get("in_flight").asInt(), root.toString());
        } finally {
            server.stop();
        }
        List<String> lines = Files.readAllLines(log, StandardCharsets.UTF_8);
        assertEquals(1, lines.size(), String.join("\n", lines));
        // Jetty hands the raw 0xE9 over as U+FFFD (SPEC E14), which the log writes as its UTF-8 bytes.
        assertTrue(lines.get(0).matches("127\\.0\\.0\\.1 - - \\[[^]]+] \"GET /\\?q=caf\\\\xef\\\\xbf\\\\xbd HTTP/1\\.1\" 400 "
                + refused.body().length + " \"-\" \"-\" \\d+ /"), lines.get(0));
    }
}
