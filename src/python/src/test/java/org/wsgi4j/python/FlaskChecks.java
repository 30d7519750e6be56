package org.wsgi4j.python;

import static org.junit.jupiter.api.Assertions.assertAll;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.HexFormat;
import org.wsgi4j.conformance.RawRequest;
import org.wsgi4j.conformance.RawResponse;

/** The Flask assertions, shared by every host that serves {@code flask_app.py} (embedded Jetty, Tomcat). */
public final class FlaskChecks {

    private static final ObjectMapper JSON = new ObjectMapper();

    private FlaskChecks() {
    }

    /** Sends one request to the host under test. */
    public interface Sender {
        RawResponse send(RawRequest request) throws Exception;
    }

    public static void indexAnswers(RawResponse response) {
        assertEquals(200, response.status(), response.describe());
        assertEquals("Hello from Flask on wsgi4j\n", response.bodyText());
    }

    public static void routingAndQueryString(RawResponse response) throws Exception {
        assertEquals(200, response.status(), response.describe());
        JsonNode json = JSON.readTree(response.body());
        assertAll(
                () -> assertEquals("Zo\u00eb", json.get("name").asText()),
                () -> assertEquals("bonjour \u00e0", json.get("greeting").asText()),
                () -> assertEquals("[\"a\",\"b\"]", json.get("tags").toString()));
    }

    public static RawRequest jsonRequest() {
        return RawRequest.post("/notes", "{\"title\":\"caf\u00e9\",\"numbers\":[1,2,39]}".getBytes(StandardCharsets.UTF_8))
                .withHeader("Content-Type", "application/json");
    }

    public static void jsonPost(RawResponse response) throws Exception {
        assertEquals(201, response.status(), response.describe());
        JsonNode json = JSON.readTree(response.body());
        assertEquals("caf\u00e9", json.get("received").get("title").asText());
        assertEquals(42, json.get("total").asInt());
    }

    public static void formUpload(Sender sender) throws Exception {
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

        RawResponse response = sender.send(RawRequest.post("/upload", body.toByteArray())
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

    public static void streamedResponse(RawResponse response, int lines) {
        assertEquals(200, response.status(), response.describe());
        assertEquals(RawResponse.Framing.CHUNKED, response.framing(), response.describe());
        StringBuilder expected = new StringBuilder();
        for (int i = 0; i < lines; i++) {
            expected.append("line ").append(i).append('\n');
        }
        assertEquals(expected.toString(), response.bodyText());
        assertTrue(response.complete(), response.describe());
    }

    public static void unknownRouteIs404(RawResponse response) {
        assertEquals(404, response.status(), response.describe());
        assertTrue(response.bodyText().contains("Not Found"), response.describe());
    }

    public static void exceptionIs500(RawResponse response) {
        assertEquals(500, response.status(), response.describe());
        assertFalse(response.bodyText().contains("the view failed"), "no details to the client: " + response.describe());
    }
}
