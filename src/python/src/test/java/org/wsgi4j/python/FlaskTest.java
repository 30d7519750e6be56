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
import org.wsgi4j.conformance.RawHttpConnection;
import org.wsgi4j.conformance.RawRequest;
import org.wsgi4j.conformance.RawResponse;
import org.wsgi4j.jetty.Wsgi4jServer;

/** An unmodified Flask application (Debian's python3-flask) served by the real embedded server. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class FlaskTest {

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

    RawResponse send(RawRequest request) throws Exception {
        return RawHttpConnection.exchange(address, request);
    }

    @Test
    @DisplayName("the index route answers")
    void indexAnswers() throws Exception {
        FlaskChecks.indexAnswers(send(RawRequest.get("/")));
    }

    @Test
    @DisplayName("a route variable and a query string with repeated and encoded values")
    void routingAndQueryString() throws Exception {
        FlaskChecks.routingAndQueryString(send(RawRequest.get("/hello/Zo%C3%AB?greeting=bonjour%20%C3%A0&tag=a&tag=b")));
    }

    @Test
    @DisplayName("a JSON POST is parsed and answered 201")
    void jsonPost() throws Exception {
        FlaskChecks.jsonPost(send(FlaskChecks.jsonRequest()));
    }

    @Test
    @DisplayName("a multipart form upload arrives whole")
    void formUpload() throws Exception {
        FlaskChecks.formUpload(this::send);
    }

    @Test
    @DisplayName("a streamed response arrives in order, chunked")
    void streamedResponse() throws Exception {
        try (RawHttpConnection connection = RawHttpConnection.open(address)) {
            connection.send(RawRequest.get("/stream?n=50").withHeader("Connection", "keep-alive"));
            FlaskChecks.streamedResponse(connection.readResponse(), 50);
        }
    }

    @Test
    @DisplayName("an unknown route is Flask's 404")
    void unknownRouteIs404() throws Exception {
        FlaskChecks.unknownRouteIs404(send(RawRequest.get("/no/such/page")));
    }

    @Test
    @DisplayName("an exception in a view is Flask's own 500 page")
    void exceptionIs500() throws Exception {
        FlaskChecks.exceptionIs500(send(RawRequest.get("/fail")));
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
