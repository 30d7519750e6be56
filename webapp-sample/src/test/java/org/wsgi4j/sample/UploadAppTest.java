package org.wsgi4j.sample;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.io.SequenceInputStream;
import java.util.Optional;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.wsgi4j.Environ;
import org.wsgi4j.sample.TestRequest.Response;

class UploadAppTest {

    private static final String MOUNT = "/ctx/upload";
    private final UploadApp app = new UploadApp();

    @Test
    @DisplayName("a large chunked upload is read to its end (E11) through one fixed buffer and hashed correctly")
    void largeChunkedUploadIsHashedThroughAFixedBuffer() throws Exception {
        long size = 24L * 1024 * 1024 + 7;
        GeneratedInput input = new GeneratedInput(size);
        Response response = TestRequest.of("POST", MOUNT, "").chunked("application/octet-stream", input).call(app);
        JsonNode result = response.json();
        assertEquals(size, result.get("bytes").asLong());
        assertEquals(GeneratedInput.sha256(size), result.get("sha256").asText());
        assertTrue(result.get("declared_length").isNull(), "chunked: nothing declared");
        assertEquals("application/octet-stream", result.get("content_type").asText());
        assertTrue(input.largestRead() <= UploadApp.BUFFER_SIZE, "largest read " + input.largestRead());
    }

    @Test
    @DisplayName("PUT is an upload too, so that curl -T streams a file")
    void putIsAnUploadToo() throws Exception {
        JsonNode result = TestRequest.of("PUT", MOUNT, "").body("text/plain", "abc").call(app).json();
        assertEquals(3, result.get("bytes").asLong());
        assertEquals("ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad", result.get("sha256").asText());
    }

    @ParameterizedTest
    @ValueSource(ints = {0, 1, UploadApp.BUFFER_SIZE - 1, UploadApp.BUFFER_SIZE, UploadApp.BUFFER_SIZE + 1})
    @DisplayName("bodies around the buffer size (one under, at, one over) and the empty body hash correctly")
    void bodiesAroundTheBufferSizeHashCorrectly(int size) throws Exception {
        byte[] body = new GeneratedInput(size).readAllBytes();
        JsonNode result = TestRequest.of("POST", MOUNT, "/").body("text/plain", body).call(app).json();
        assertEquals(size, result.get("bytes").asLong());
        assertEquals(size, result.get("declared_length").asLong());
        assertEquals(GeneratedInput.sha256(size), result.get("sha256").asText());
    }

    @Test
    @DisplayName("without wsgi.input_terminated only CONTENT_LENGTH bytes are read (PEP 3333)")
    void unterminatedInputIsReadToContentLength() throws Exception {
        GeneratedInput trailing = new GeneratedInput(1000);
        InputStream input = new SequenceInputStream(new ByteArrayInputStream(new GeneratedInput(100).readAllBytes()), trailing);
        JsonNode result = TestRequest.of("POST", MOUNT, "").chunked(null, input)
                .set(Environ.CONTENT_LENGTH, "100").set(Environ.WSGI_INPUT_TERMINATED, null).call(app).json();
        assertEquals(100, result.get("bytes").asLong());
        assertEquals(GeneratedInput.sha256(100), result.get("sha256").asText());
        assertEquals(0, trailing.consumed());
    }

    @Test
    @DisplayName("without wsgi.input_terminated or CONTENT_LENGTH the upload is a 411")
    void unknownLengthIs411() throws Exception {
        Response response = TestRequest.of("POST", MOUNT, "").chunked(null, new GeneratedInput(10))
                .set(Environ.WSGI_INPUT_TERMINATED, null).call(app);
        assertEquals(411, response.code());
        assertEquals(411, response.json().get("status").asInt());
    }

    @Test
    @DisplayName("GET shows a form that posts to SCRIPT_NAME")
    void getShowsTheForm() throws Exception {
        Response response = TestRequest.get("/a b/upload", "").call(app);
        assertEquals(Optional.of("text/html; charset=utf-8"), response.header("Content-Type"));
        assertTrue(response.text().contains("data-target=\"/a%20b/upload\""), response.text());
        assertTrue(response.text().contains("<input type=\"file\""));
    }

    @Test
    @DisplayName("another method is 405 with Allow, another path 404")
    void otherMethodsAndPaths() throws Exception {
        Response response = TestRequest.of("DELETE", MOUNT, "").call(app);
        response.assertMethodNotAllowed("GET, HEAD, POST, PUT");
        assertEquals(404, TestRequest.of("POST", MOUNT, "/x").call(app).code());
    }
}
