package org.wsgi4j.tomcat;

import static org.junit.jupiter.api.Assertions.assertAll;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.wsgi4j.conformance.RawHttpConnection;
import org.wsgi4j.conformance.RawRequest;
import org.wsgi4j.conformance.RawResponse;

/**
 * What a user checks after deploying the sample WAR, over raw HTTP: each application answers under
 * the context path, with the {@code SCRIPT_NAME} the container's mapping gives it. The sample's own
 * unit tests cover the applications' rules; these check that a real container passes requests and
 * responses through intact.
 */
abstract class SampleChecks {

    private static final ObjectMapper JSON = new ObjectMapper();

    private final InetSocketAddress address;
    private final String context;
    private final Path war;

    SampleChecks(InetSocketAddress address, String context, Path war) {
        this.address = address;
        this.context = context;
        this.war = war;
    }

    @Test
    @DisplayName("E2: the index links to every application below the context path")
    void indexLinksBelowTheContextPath() throws IOException {
        RawResponse index = get(context + "/");
        assertEquals(200, index.status(), index.describe());
        for (String path : List.of("/inspect", "/api/notes", "/stream/", "/upload", "/files/")) {
            assertTrue(index.bodyText().contains("href=\"" + context + path + "\""), path + ": " + index.describe());
        }
    }

    @Test
    @DisplayName("E2, E3, E5: inspect shows SCRIPT_NAME = context path + mount, and the rest as PATH_INFO")
    void inspectShowsTheMountInScriptName() throws IOException {
        JsonNode atMount = json(get(context + "/inspect?format=json"), 200).get("request");
        JsonNode below = json(get(context + "/inspect/a%20b?format=json"), 200).get("request");
        assertAll(
                () -> assertEquals(context + "/inspect", atMount.get("SCRIPT_NAME").asText()),
                () -> assertEquals("", atMount.get("PATH_INFO").asText()),
                () -> assertEquals(context + "/inspect?format=json", atMount.get("REQUEST_URI").asText()),
                () -> assertEquals(context + "/inspect", below.get("SCRIPT_NAME").asText()),
                () -> assertEquals("/a b", below.get("PATH_INFO").asText()),
                () -> assertEquals(context + "/inspect/a%20b?format=json", below.get("REQUEST_URI").asText()));
    }

    @Test
    @DisplayName("the notes API creates, lists, reads and deletes a note, with Location below the context path")
    void notesApiCreatesListsReadsAndDeletes() throws IOException {
        String notes = context + "/api/notes";
        RawResponse created = exchange(postJson(notes, "{\"text\": \"caf\u00e9 on Tomcat\"}"));
        JsonNode note = json(created, 201);
        String location = notes + "/" + note.get("id").asLong();
        assertEquals(Optional.of(location), created.header("Location"), created.describe());
        assertEquals("caf\u00e9 on Tomcat", note.get("text").asText());

        JsonNode list = json(get(notes), 200).get("notes");
        assertTrue(list.findValuesAsText("text").contains("caf\u00e9 on Tomcat"), list.toString());
        assertEquals(note, json(get(location), 200));

        RawResponse deleted = exchange(RawRequest.get(location).withMethod("DELETE"));
        assertEquals(204, deleted.status(), deleted.describe());
        assertEquals(404, get(location).status());
    }

    @Test
    @DisplayName("the notes API answers 405 with Allow, 400 for a bad body and 413 for a large one")
    void notesApiRefusesBadRequests() throws IOException {
        String notes = context + "/api/notes";
        RawResponse put = exchange(RawRequest.post(notes, new byte[0]).withMethod("PUT"));
        assertEquals(405, json(put, 405).get("status").asInt());
        assertEquals(Optional.of("GET, HEAD, POST"), put.header("Allow"), put.describe());
        assertEquals(400, json(exchange(postJson(notes, "[1, 2]")), 400).get("status").asInt());
        assertEquals(400, json(exchange(postJson(notes, "{\"text\": ")), 400).get("status").asInt());
        assertEquals(413, json(exchange(postJson(notes, "{\"text\": \"" + "x".repeat(9000) + "\"}")), 413)
                .get("status").asInt());
    }

    @Test
    @DisplayName("S13: the event stream arrives as one HTTP chunk per event, not buffered into one")
    void streamArrivesInSeveralChunks() throws IOException {
        List<byte[]> chunks = chunks(context + "/stream?n=3&interval_ms=50");
        String events = new String(concat(chunks), StandardCharsets.UTF_8);
        assertTrue(chunks.size() >= 4, chunks.size() + " chunks: " + events);
        assertTrue(events.contains("event: done"), events);
    }

    @Test
    @DisplayName("E11: a chunked upload of 3 MB arrives whole: its length and SHA-256 match")
    void chunkedUploadArrivesWhole() throws IOException {
        byte[] data = new byte[3 * 1024 * 1024 + 17];
        for (int i = 0; i < data.length; i++) {
            data[i] = (byte) (i * 31 + (i >>> 11));
        }
        List<byte[]> chunks = new ArrayList<>();
        for (int from = 0; from < data.length; from += 256 * 1024 + 3) {
            chunks.add(Arrays.copyOfRange(data, from, Math.min(data.length, from + 256 * 1024 + 3)));
        }
        JsonNode result = json(exchange(RawRequest.postChunked(context + "/upload", chunks)
                .withHeader("Content-Type", "application/octet-stream")), 200);
        assertAll(
                () -> assertEquals(data.length, result.get("bytes").asLong()),
                () -> assertEquals(sha256(data), result.get("sha256").asText()),
                () -> assertTrue(result.get("declared_length").isNull(), result.toString()));
    }

    @ParameterizedTest(name = "S20: files/{0} arrives with its Content-Length and exact bytes")
    @ValueSource(strings = {"style.css", "hello.txt", "wsgi4j.png"})
    void filesArriveWithLengthAndExactBytes(String name) throws IOException {
        byte[] expected = bundled(name);
        RawResponse response = get(context + "/files/" + name);
        assertAll(response.describe(),
                () -> assertEquals(200, response.status()),
                () -> assertTrue(response.complete()),
                () -> assertEquals(Optional.of(Integer.toString(expected.length)), response.header("Content-Length")),
                () -> assertArrayEquals(expected, response.body()));
    }

    private RawResponse get(String target) throws IOException {
        return exchange(RawRequest.get(target));
    }

    private RawResponse exchange(RawRequest request) throws IOException {
        return RawHttpConnection.exchange(address, request);
    }

    private static RawRequest postJson(String target, String json) {
        return RawRequest.post(target, json.getBytes(StandardCharsets.UTF_8))
                .withHeader("Content-Type", "application/json");
    }

    private static JsonNode json(RawResponse response, int status) throws IOException {
        assertEquals(status, response.status(), response.describe());
        assertTrue(response.complete(), response.describe());
        assertTrue(response.header("Content-Type").orElse("").startsWith("application/json"), response.describe());
        return JSON.readTree(response.body());
    }

    /** The bundled file as the WAR carries it. */
    private byte[] bundled(String name) throws IOException {
        try (ZipFile zip = new ZipFile(war.toFile())) {
            ZipEntry entry = zip.getEntry("WEB-INF/classes/org/wsgi4j/sample/files/" + name);
            assertTrue(entry != null, name + " is not in " + war);
            try (InputStream in = zip.getInputStream(entry)) {
                return in.readAllBytes();
            }
        }
    }

    /**
     * The data chunks of a chunked response, as framed on the wire (RawHttpConnection de-chunks,
     * which would hide whether the server buffered).
     */
    private List<byte[]> chunks(String target) throws IOException {
        try (Socket socket = new Socket()) {
            socket.connect(address, RawHttpConnection.TIMEOUT_MILLIS);
            socket.setSoTimeout(RawHttpConnection.TIMEOUT_MILLIS);
            socket.getOutputStream().write(("GET " + target + " HTTP/1.1\r\nHost: " + address.getHostString() + ":"
                    + address.getPort() + "\r\nConnection: close\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
            InputStream in = new BufferedInputStream(socket.getInputStream());
            String status = line(in);
            assertTrue(status.startsWith("HTTP/1.1 200 "), status);
            boolean chunked = false;
            for (String header = line(in); !header.isEmpty(); header = line(in)) {
                chunked |= header.toLowerCase(Locale.ROOT).equals("transfer-encoding: chunked");
            }
            assertTrue(chunked, "the stream must be chunked");
            List<byte[]> chunks = new ArrayList<>();
            for (int size = Integer.parseInt(line(in), 16); size > 0; size = Integer.parseInt(line(in), 16)) {
                chunks.add(in.readNBytes(size));
                assertEquals("", line(in), "CRLF after a chunk");
            }
            return chunks;
        }
    }

    private static String line(InputStream in) throws IOException {
        ByteArrayOutputStream line = new ByteArrayOutputStream();
        for (int b = in.read(); b != '\n'; b = in.read()) {
            if (b < 0) {
                throw new IOException("the connection closed in the middle of a line: '" + line + "'");
            }
            if (b != '\r') {
                line.write(b);
            }
        }
        return line.toString(StandardCharsets.ISO_8859_1);
    }

    private static byte[] concat(List<byte[]> chunks) {
        ByteArrayOutputStream all = new ByteArrayOutputStream();
        chunks.forEach(all::writeBytes);
        return all.toByteArray();
    }

    private static String sha256(byte[] data) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(data));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JVM has SHA-256", e);
        }
    }
}
