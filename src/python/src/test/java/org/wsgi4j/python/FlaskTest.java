package org.wsgi4j.python;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.wsgi4j.conformance.RawRequest;
import org.wsgi4j.conformance.RawResponse;
import org.wsgi4j.jetty.Wsgi4jServer;

/**
 * An unmodified Flask application (Debian's python3-flask) served by the real embedded server: the
 * {@link FlaskChecks}, and concurrent requests through the context pool.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class FlaskTest extends FlaskChecks {

    private static final ObjectMapper JSON = new ObjectMapper();

    private Wsgi4jServer server;
    private InetSocketAddress address;

    @BeforeAll
    void start() throws Exception {
        server = Wsgi4jServer.builder().http(0).mount("/", TestApps.flask()).build().start();
        address = new InetSocketAddress("127.0.0.1", server.port());
    }

    @AfterAll
    void stop() throws Exception {
        if (server != null) {
            server.stop();
        }
    }

    @Override
    protected InetSocketAddress address() {
        return address;
    }

    @Test
    @DisplayName("several threads hammering the pool get their own answers, never another request's")
    void concurrentRequestsGetTheirOwnAnswers() throws Exception {
        int threads = 6;
        int perThread = 15;
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        try {
            List<Future<List<String>>> results = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                int thread = t;
                results.add(pool.submit(() -> {
                    List<String> problems = new ArrayList<>();
                    for (int i = 0; i < perThread; i++) {
                        int number = thread * 1000 + i;
                        String id = "t" + thread + "-" + i;
                        RawResponse response = send(RawRequest.get("/echo/" + number).withHeader("X-Request-Id", id));
                        JsonNode json = JSON.readTree(response.body());
                        if (response.status() != 200 || json.get("number").asInt() != number
                                || json.get("doubled").asInt() != 2 * number || !id.equals(json.get("id").asText())) {
                            problems.add(id + ": " + response.describe());
                        }
                    }
                    return problems;
                }));
            }
            List<String> problems = new ArrayList<>();
            for (Future<List<String>> result : results) {
                problems.addAll(result.get());
            }
            assertEquals(List.of(), problems);
        } finally {
            pool.shutdownNow();
        }
    }
}
