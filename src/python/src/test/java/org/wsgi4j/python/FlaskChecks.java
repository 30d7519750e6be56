package org.wsgi4j.python;

import static org.junit.jupiter.api.Assertions.assertAll;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayOutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.HexFormat;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.wsgi4j.conformance.RawHttpConnection;
import org.wsgi4j.conformance.RawRequest;
import org.wsgi4j.conformance.RawResponse;

/**
 * The Flask checks, one test per behaviour, for every host that serves {@code flask_app.py}
 * (embedded Jetty in {@code FlaskTest}, Tomcat in {@code TomcatFlaskIT}): a host's test class
 * extends this, starts the host and says where the application answers.
 */
public abstract class FlaskChecks {

    private static final ObjectMapper JSON = new ObjectMapper();

    /**
     * Where the host listens.
     *
     * @return the address of the started host
     */
    protected abstract InetSocketAddress address();

    /**
     * Where the application is mounted on the host.
     *
     * @return {@code ""} at the root, or a context path such as {@code "/flask"}
     */
    protected String mountPath() {
        return "";
    }

    /**
     * How many lines the streamed response check asks for.
     *
     * @return the number of {@code line N} lines
     */
    protected int streamedLines() {
        return 50;
    }

    /**
     * Sends one request to the application and reads its response.
     *
     * @param request the request, its target relative to {@link #mountPath()}
     * @return the response
     * @throws Exception if the exchange fails
     */
    protected RawResponse send(RawRequest request) throws Exception {
        return RawHttpConnection.exchange(address(), new RawRequest(request.method(), mountPath() + request.target(),
                request.headers(), request.chunks(), request.chunked()));
    }

    @Test
    @DisplayName("the index route answers")
    public void indexAnswers() throws Exception {
        RawResponse response = send(RawRequest.get("/"));
        assertEquals(200, response.status(), response.describe());
        assertEquals("Hello from Flask on wsgi4j\n", response.bodyText());
    }

    @Test
    @DisplayName("a route variable and a query string with repeated and encoded values")
    public void routingAndQueryString() throws Exception {
        RawResponse response = send(RawRequest.get("/hello/Zo%C3%AB?greeting=bonjour%20%C3%A0&tag=a&tag=b"));
        assertEquals(200, response.status(), response.describe());
        JsonNode json = JSON.readTree(response.body());
        assertAll(
                () -> assertEquals("Zo\u00eb", json.get("name").asText()),
                () -> assertEquals("bonjour \u00e0", json.get("greeting").asText()),
                () -> assertEquals("[\"a\",\"b\"]", json.get("tags").toString()));
    }

    @Test
    @DisplayName("a JSON POST is parsed and answered 201")
    public void jsonPost() throws Exception {
        RawResponse response = send(RawRequest.post("/notes",
                        "{\"title\":\"caf\u00e9\",\"numbers\":[1,2,39]}".getBytes(StandardCharsets.UTF_8))
                .withHeader("Content-Type", "application/json"));
        assertEquals(201, response.status(), response.describe());
        JsonNode json = JSON.readTree(response.body());
        assertEquals("caf\u00e9", json.get("received").get("title").asText());
        assertEquals(42, json.get("total").asInt());
    }

    @Test
    @DisplayName("a multipart form upload arrives whole")
    public void formUpload() throws Exception {
        byte[] file = new byte[300_000];
        for (int i = 0; i < file.length; i++) {
            file[i] = (byte) (i * 31 + (i >> 8));
        }
        String boundary = "----wsgi4jBoundary7MA4YWxk";
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        body.write(("--" + boundary + "\r\nContent-Disposition: form-data; name=\"comment\"\r\n\r\nmy r\u00e9sum\u00e9\r\n"
                + "--" + boundary + "\r\nContent-Disposition: form-data; name=\"file\"; filename=\"data.bin\"\r\n"
                + "Content-Type: application/octet-stream\r\n\r\n").getBytes(StandardCharsets.UTF_8));
        body.write(file);
        body.write(("\r\n--" + boundary + "--\r\n").getBytes(StandardCharsets.UTF_8));

        RawResponse response = send(RawRequest.post("/upload", body.toByteArray())
                .withHeader("Content-Type", "multipart/form-data; boundary=" + boundary));

        assertEquals(200, response.status(), response.describe());
        JsonNode json = JSON.readTree(response.body());
        assertAll(
                () -> assertEquals("data.bin", json.get("filename").asText()),
                () -> assertEquals(file.length, json.get("size").asInt()),
                () -> assertEquals(HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(file)),
                        json.get("sha256").asText()),
                () -> assertEquals("my r\u00e9sum\u00e9", json.get("comment").asText()));
    }

    @Test
    @DisplayName("a streamed response arrives in order, chunked")
    public void streamedResponse() throws Exception {
        int lines = streamedLines();
        RawResponse response;
        try (RawHttpConnection connection = RawHttpConnection.open(address())) {
            // Kept alive: chunked framing is then the only way to delimit the stream.
            connection.send(RawRequest.get(mountPath() + "/stream?n=" + lines).withHeader("Connection", "keep-alive"));
            response = connection.readResponse();
        }
        assertEquals(200, response.status(), response.describe());
        assertEquals(RawResponse.Framing.CHUNKED, response.framing(), response.describe());
        StringBuilder expected = new StringBuilder();
        for (int i = 0; i < lines; i++) {
            expected.append("line ").append(i).append('\n');
        }
        assertEquals(expected.toString(), response.bodyText());
        assertTrue(response.complete(), response.describe());
    }

    @Test
    @DisplayName("an unknown route is Flask's 404")
    public void unknownRouteIs404() throws Exception {
        RawResponse response = send(RawRequest.get("/no/such/page"));
        assertEquals(404, response.status(), response.describe());
        assertTrue(response.bodyText().contains("Not Found"), response.describe());
    }

    @Test
    @DisplayName("an exception in a view is Flask's own 500 page")
    public void exceptionIs500() throws Exception {
        RawResponse response = send(RawRequest.get("/fail"));
        assertEquals(500, response.status(), response.describe());
        assertFalse(response.bodyText().contains("the view failed"), "no details to the client: " + response.describe());
    }
}
