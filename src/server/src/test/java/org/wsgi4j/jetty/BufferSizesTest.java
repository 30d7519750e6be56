package org.wsgi4j.jetty;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.eclipse.jetty.server.HttpConfiguration;
import org.eclipse.jetty.server.HttpConnectionFactory;
import org.eclipse.jetty.server.ServerConnector;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.wsgi4j.Application;
import org.wsgi4j.Environ;
import org.wsgi4j.Header;
import org.wsgi4j.conformance.RawHttpConnection;
import org.wsgi4j.conformance.RawResponse;

/**
 * {@code --input-buffer-size} and {@code --output-buffer-size} at their boundaries on a real server,
 * raw bytes: a body one under, at and one over the buffer's size arrives whole, in reads no larger
 * than the buffer, and is answered whole, as one block with Content-Length and as blocks gathered
 * in the buffer (Jetty frames those as it likes: Content-Length when the whole answer fit in the
 * buffer, else chunked, or close-delimited on a connection that closes).
 */
class BufferSizesTest {

    private static final int INPUT = 4096;
    private static final int OUTPUT = 8192;
    private static Wsgi4jServer server;

    /**
     * {@code POST /echo}: reads {@code wsgi.input} with a 64 KiB array and answers the body, the largest
     * single read in {@code X-Largest-Read}. {@code GET /N} and {@code GET /N/blocks}: N bytes of a
     * repeating pattern, with Content-Length as one block, or without it in blocks of 1,000.
     */
    private static final Application APP = (environ, start) -> {
        String path = Environ.pathInfo(environ);
        if (path.equals("/echo")) {
            InputStream in = Environ.input(environ);
            ByteArrayOutputStream body = new ByteArrayOutputStream();
            byte[] buffer = new byte[65536];
            int largest = 0;
            for (int n; (n = in.read(buffer, 0, buffer.length)) >= 0; ) {
                body.write(buffer, 0, n);
                largest = Math.max(largest, n);
            }
            start.start("200 OK", List.of(new Header("Content-Length", Integer.toString(body.size())),
                    new Header("X-Largest-Read", Integer.toString(largest))));
            return List.of(body.toByteArray());
        }
        boolean inBlocks = path.endsWith("/blocks");
        byte[] body = pattern(Integer.parseInt(path.substring(1, inBlocks ? path.length() - "/blocks".length()
                : path.length())));
        if (!inBlocks) {
            start.start("200 OK", List.of(new Header("Content-Length", Integer.toString(body.length))));
            return List.of(body);
        }
        start.start("200 OK", List.of(new Header("Content-Type", "application/octet-stream")));
        List<byte[]> blocks = new ArrayList<>();
        for (int at = 0; at < body.length; at += 1000) {
            blocks.add(Arrays.copyOfRange(body, at, Math.min(body.length, at + 1000)));
        }
        return blocks;
    };

    @BeforeAll
    static void start() throws Exception {
        server = Wsgi4jServer.builder()
                .http("127.0.0.1", 0)
                .mount("/", APP)
                .set(Settings.INPUT_BUFFER_SIZE, INPUT)
                .set(Settings.OUTPUT_BUFFER_SIZE, OUTPUT)
                .build()
                .start();
    }

    @AfterAll
    static void stop() throws Exception {
        server.stop();
    }

    /** Bytes that differ from their neighbours, so a lost, repeated or moved piece shows. */
    private static byte[] pattern(int length) {
        byte[] bytes = new byte[length];
        for (int i = 0; i < length; i++) {
            bytes[i] = (byte) (i % 251);
        }
        return bytes;
    }

    private static RawResponse exchange(byte[] request) throws IOException {
        return RawHttpConnection.exchange(new InetSocketAddress("127.0.0.1", server.port()), request);
    }

    private static RawResponse get(String target) throws IOException {
        return exchange(("GET " + target + " HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n")
                .getBytes(StandardCharsets.ISO_8859_1));
    }

    private static HttpConfiguration httpConfiguration() {
        return ((ServerConnector) server.jetty().getConnectors()[0])
                .getConnectionFactory(HttpConnectionFactory.class).getHttpConfiguration();
    }

    @Nested
    @DisplayName("--input-buffer-size 4k")
    class Input {

        @ParameterizedTest(name = "a body of {0} bytes arrives whole, in reads of at most 4096")
        @ValueSource(ints = {INPUT - 1, INPUT, INPUT + 1, 64 * 1024})
        void aBodyArrivesWholeInReadsNoLargerThanTheBuffer(int length) throws Exception {
            byte[] body = pattern(length);
            ByteArrayOutputStream request = new ByteArrayOutputStream();
            request.writeBytes(("POST /echo HTTP/1.1\r\nHost: x\r\nConnection: close\r\nContent-Length: " + length
                    + "\r\n\r\n").getBytes(StandardCharsets.ISO_8859_1));
            request.writeBytes(body);
            RawResponse answer = exchange(request.toByteArray());
            assertEquals(200, answer.status(), answer.describe());
            assertArrayEquals(body, answer.body());
            int largest = Integer.parseInt(answer.header("X-Largest-Read").orElseThrow());
            assertTrue(largest <= INPUT, "a read of " + largest + " bytes from a 4096-byte buffer");
        }

        @Test
        void aRequestHeadLargerThanTheBufferIsParsedWhole() throws Exception {
            String pad = "p".repeat(3 * INPUT);
            RawResponse answer = exchange(("GET /5 HTTP/1.1\r\nHost: x\r\nConnection: close\r\nX-Pad: " + pad
                    + "\r\n\r\n").getBytes(StandardCharsets.ISO_8859_1));
            assertEquals(200, answer.status(), answer.describe());
            assertArrayEquals(pattern(5), answer.body());
        }

        @Test
        void theConnectorReadsIntoABufferOfTheSetSize() {
            assertEquals(INPUT, httpConfiguration().getInputBufferSize());
        }
    }

    @Nested
    @DisplayName("--output-buffer-size 8k")
    class Output {

        @ParameterizedTest(name = "a body of {0} bytes with Content-Length is answered whole")
        @ValueSource(ints = {OUTPUT - 1, OUTPUT, OUTPUT + 1, 3 * OUTPUT + 1})
        void aKnownLengthBodyIsAnsweredWhole(int length) throws Exception {
            RawResponse answer = get("/" + length);
            assertEquals(200, answer.status(), answer.describe());
            assertEquals(RawResponse.Framing.CONTENT_LENGTH, answer.framing());
            assertTrue(answer.complete(), answer.describe());
            assertArrayEquals(pattern(length), answer.body());
        }

        @ParameterizedTest(name = "a body of {0} bytes in blocks of 1000 is answered whole")
        @ValueSource(ints = {OUTPUT / 4 - 1, OUTPUT / 4, OUTPUT / 4 + 1, OUTPUT - 1, OUTPUT, OUTPUT + 1})
        void blocksGatheredInTheBufferAreAnsweredWhole(int length) throws Exception {
            RawResponse answer = get("/" + length + "/blocks");
            assertEquals(200, answer.status(), answer.describe());
            assertTrue(answer.complete(), answer.describe());
            assertArrayEquals(pattern(length), answer.body());
        }

        @Test
        void theConnectorWritesThroughABufferOfTheSetSizeAndGathersAQuarterOfIt() {
            assertEquals(OUTPUT, httpConfiguration().getOutputBufferSize());
            assertEquals(OUTPUT / 4, httpConfiguration().getOutputAggregationSize());
        }
    }
}
