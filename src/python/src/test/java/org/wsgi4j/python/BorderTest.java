package org.wsgi4j.python;

import static org.junit.jupiter.api.Assertions.assertAll;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Iterator;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.wsgi4j.FileBody;
import org.wsgi4j.conformance.RawHttpConnection;
import org.wsgi4j.conformance.RawRequest;
import org.wsgi4j.conformance.RawResponse;
import org.wsgi4j.jetty.Wsgi4jServer;

/**
 * PEP 3333 at the border between wsgi4j and a Python application, checked by CPython's own
 * {@code wsgiref.validate.validator} (its warnings are errors) around apps served by the real
 * embedded server, plus direct calls for what a client cannot see.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class BorderTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    private Wsgi4jServer server;
    private InetSocketAddress address;

    @BeforeAll
    void start() throws Exception {
        server = Wsgi4jServer.builder().http(0).mount("/", TestApps.border()).mount("/mounted/here", TestApps.border())
                .mount("/unchecked", TestApps.unchecked()).build().start();
        address = new InetSocketAddress("127.0.0.1", server.port());
    }

    @AfterAll
    void stop() throws Exception {
        server.stop();
    }

    private RawResponse send(RawRequest request) throws Exception {
        return RawHttpConnection.exchange(address, request);
    }

    /** Keeps the connection open, so that the framing shows whether a response was cut (S16). */
    private RawResponse sendKeepAlive(RawRequest request) throws Exception {
        try (RawHttpConnection connection = RawHttpConnection.open(address)) {
            connection.send(request.withHeader("Connection", "keep-alive"));
            return connection.readResponse();
        }
    }

    private JsonNode json(RawResponse response) throws Exception {
        assertEquals(200, response.status(), response.describe());
        return JSON.readTree(response.body());
    }

    @Nested
    class Environ {

        @Test
        @DisplayName("paths are UTF-8 bytes as latin-1 str, the query string as sent (PEP 3333 'bytes as unicode')")
        void pathsAreBytesAsLatin1() throws Exception {
            JsonNode environ = json(send(RawRequest.get("/environ/caf%C3%A9/%E2%82%AC?q=%C3%A9&x=%20")));

            String path = new String("/environ/café/€".getBytes(StandardCharsets.UTF_8), StandardCharsets.ISO_8859_1);
            // PATH_INFO is routed by the probe on its prefix only, so the rest is echoed as received.
            assertEquals(path, environ.get("PATH_INFO").asText());
            assertEquals("q=%C3%A9&x=%20", environ.get("QUERY_STRING").asText());
        }

        @Test
        @DisplayName("SCRIPT_NAME of a mount is re-encoded the same way")
        void scriptNameIsBytesAsLatin1() throws Exception {
            RawResponse response = send(RawRequest.get("/mounted/here/path"));

            assertEquals("'/mounted/here' '/path'", response.bodyText());
        }

        @Test
        @DisplayName("wsgi.version is (1, 0), the flags are bools, every CGI key is a str")
        void typesAreNativePython() throws Exception {
            JsonNode environ = json(send(RawRequest.get("/environ").withHeader("X-Custom", "caf\u00e9")));
            JsonNode types = environ.get("types");

            assertAll(
                    () -> assertEquals("[1,0]", environ.get("wsgi.version").toString()),
                    () -> assertEquals("tuple", types.get("wsgi.version").asText()),
                    () -> assertEquals("bool", types.get("wsgi.multithread").asText()),
                    () -> assertEquals("bool", types.get("wsgi.input_terminated").asText()),
                    () -> assertEquals("str", types.get("wsgi.url_scheme").asText()),
                    () -> assertEquals("caf\u00e9", environ.get("HTTP_X_CUSTOM").asText()),
                    () -> types.fields().forEachRemaining(field -> {
                        if (!field.getKey().contains(".")) {
                            assertEquals("str", field.getValue().asText(), field.getKey());
                        }
                    }));
        }
    }

    @Nested
    class Input {

        private static final String BODY = "first line\nsecond\n\nlast without newline";

        @DisplayName("wsgi.input reads as a Python file object, with and without CONTENT_LENGTH")
        @ParameterizedTest(name = "{0}, chunked: {1}")
        @CsvSource({
            "read, false", "read, true", "read3, false", "read3, true", "readline, false", "readline, true",
            "readline4, false", "readlines, false", "readlines, true", "iter, false", "iter, true"})
        void inputReadsAsAFile(String mode, boolean chunked) throws Exception {
            byte[] body = BODY.getBytes(StandardCharsets.ISO_8859_1);
            RawRequest request = chunked
                    ? RawRequest.postChunked("/input/" + mode, List.of(java.util.Arrays.copyOf(body, 7),
                            java.util.Arrays.copyOfRange(body, 7, body.length)))
                    : RawRequest.post("/input/" + mode, body);

            JsonNode parts = json(send(request));

            StringBuilder joined = new StringBuilder();
            parts.forEach(part -> joined.append(part.asText()));
            assertEquals(BODY, joined.toString(), "nothing lost or added");
            switch (mode) {
                case "readline", "readlines", "iter" -> assertEquals(
                        "[\"first line\\n\",\"second\\n\",\"\\n\",\"last without newline\"]", parts.toString());
                case "readline4" -> parts.forEach(part -> assertTrue(part.asText().length() <= 4, parts.toString()));
                case "read3" -> parts.forEach(part -> assertTrue(part.asText().length() <= 3, parts.toString()));
                default -> assertEquals(1, parts.size(), parts.toString());
            }
        }

        @Test
        @DisplayName("read() without a size reads to the end (the validator insists on a size, so unchecked)")
        void readWithoutSizeReadsAll() throws Exception {
            JsonNode parts = json(send(RawRequest.post("/unchecked/input/readall", BODY.getBytes(StandardCharsets.ISO_8859_1))));

            assertEquals(BODY, parts.get(0).asText());
        }

        @Test
        @DisplayName("binary bodies arrive byte for byte")
        void binaryBodyArrivesExactly() throws Exception {
            byte[] body = new byte[256 * 3 + 70_000];
            for (int i = 0; i < body.length; i++) {
                body[i] = (byte) i;
            }
            JsonNode parts = json(send(RawRequest.post("/input/read", body)));

            assertArrayEquals(body, parts.get(0).asText().getBytes(StandardCharsets.ISO_8859_1));
        }
    }

    @Nested
    class Response {

        @Test
        @DisplayName("a generator body is streamed block by block")
        void generatorIsStreamed() throws Exception {
            RawResponse response = sendKeepAlive(RawRequest.get("/stream"));

            assertEquals(RawResponse.Framing.CHUNKED, response.framing(), response.describe());
            assertEquals("block 0\nblock 1\nblock 2\n", response.bodyText());
        }

        @Test
        @DisplayName("the write callable sends before the returned body")
        void writeCallableWorks() throws Exception {
            assertEquals("written, then returned", send(RawRequest.get("/write")).bodyText());
        }

        @Test
        @DisplayName("a Python exception before the headers went out is a 500")
        void exceptionBeforeCommitIs500() throws Exception {
            RawResponse response = send(RawRequest.get("/error"));

            assertEquals(500, response.status(), response.describe());
            assertFalse(response.bodyText().contains("boom"), "no traceback to the client: " + response.describe());
        }

        @Test
        @DisplayName("start_response with exc_info before the headers went out replaces them")
        void excInfoBeforeCommitReplacesTheResponse() throws Exception {
            RawResponse response = send(RawRequest.get("/excinfo-before"));

            assertEquals(500, response.status(), response.describe());
            assertEquals("error page", response.bodyText());
        }

        @Test
        @DisplayName("start_response with exc_info after the headers went out re-raises: the response is cut")
        void excInfoAfterCommitAbortsTheResponse() throws Exception {
            RawResponse response = sendKeepAlive(RawRequest.get("/excinfo-after"));

            assertEquals(200, response.status(), response.describe());
            assertFalse(response.complete(), "a client can tell: " + response.describe());
            assertEquals("first block\n", response.bodyText());
        }

        @Test
        @DisplayName("wsgi.file_wrapper sends the file, from the file's position")
        void fileWrapperSendsTheFile(@TempDir Path dir) throws Exception {
            byte[] content = new byte[100_000];
            new java.util.Random(7).nextBytes(content);
            Path file = Files.write(dir.resolve("data.bin"), content);

            RawResponse response = send(RawRequest.get("/unchecked/file?" + file));

            assertArrayEquals(content, response.body());
            assertEquals(java.util.Optional.of("100000"), response.header("Content-Length"));
        }

        @Test
        @DisplayName("a list of one block gets a computed Content-Length (PEP 3333, SPEC S10)")
        void oneBlockListGetsContentLength() throws Exception {
            RawResponse response = send(RawRequest.get("/unchecked/path"));

            assertEquals(java.util.Optional.of("20"), response.header("Content-Length"), response.describe());
            assertEquals("'/unchecked' '/path'", response.bodyText());
        }

        @Test
        @DisplayName("an unknown path answers the app's own 404")
        void unknownPathIsTheAppsAnswer() throws Exception {
            assertEquals(404, send(RawRequest.get("/nothing")).status());
        }
    }

    /** What only a direct call shows: laziness, close(), the zero-copy body, wsgi.errors. */
    @Nested
    class Direct {

        @Test
        @DisplayName("the body is iterated lazily: a block is produced when the host asks for it")
        void bodyIsLazy() throws Exception {
            Calls calls = Calls.get("/stream");
            Iterable<byte[]> body = calls.call(TestApps.border());
            try {
                Iterator<byte[]> blocks = body.iterator();
                assertEquals("block 0\n", new String(blocks.next(), StandardCharsets.UTF_8));
                assertEquals("producing block 0\n", calls.errors.toString());
                blocks.next();
                assertEquals("producing block 0\nproducing block 1\n", calls.errors.toString());
            } finally {
                ((AutoCloseable) body).close();
            }
        }

        @Test
        @DisplayName("close() reaches the Python body once, however often the host calls it")
        void closeIsCalledOnce() throws Exception {
            Calls calls = Calls.get("/closing");
            Iterable<byte[]> body = calls.call(TestApps.unchecked());
            body.iterator().next();
            ((AutoCloseable) body).close();
            ((AutoCloseable) body).close();

            assertEquals("close called\n", calls.errors.toString());
        }

        @Test
        @DisplayName("a file_wrapper body over a real file becomes a FileBody (the host's zero-copy path)")
        void fileWrapperBecomesFileBody(@TempDir Path dir) throws Exception {
            Path file = Files.writeString(dir.resolve("f.txt"), "0123456789");
            Calls calls = new Calls("GET", "/file", file.toString(), new byte[0]);
            Iterable<byte[]> body = calls.call(TestApps.unchecked());
            try {
                FileBody fileBody = assertInstanceOf(FileBody.class, body);
                assertEquals(10, fileBody.count());
                assertEquals(file.toRealPath(), fileBody.path());
            } finally {
                ((AutoCloseable) body).close();
            }
        }

        @Test
        @DisplayName("a Python exception carries its summary, and its traceback goes to wsgi.errors")
        void exceptionTracebackGoesToWsgiErrors() {
            Calls calls = Calls.get("/error");

            PythonException e = assertThrows(PythonException.class, () -> calls.run(TestApps.border()));

            assertEquals("ValueError: boom from the application", e.getMessage());
            assertTrue(calls.errors.toString().startsWith("Traceback (most recent call last):"), calls.errors.toString());
            assertTrue(calls.errors.toString().contains("border.py"), calls.errors.toString());
        }

        @DisplayName("what PEP 3333 forbids is a TypeError naming it")
        @ParameterizedTest(name = "{0}")
        @CsvSource(delimiter = '|', textBlock = """
                /str-body     | TypeError: the application returned a str; it must return an iterable of bytes
                /str-block    | TypeError: the body yielded a str; blocks must be bytes
                /bytes-status | TypeError: start_response: status must be a str, not bytes
                """)
        void forbiddenTypesAreTypeErrors(String path, String message) {
            PythonException e = assertThrows(PythonException.class, () -> Calls.get(path).run(TestApps.unchecked()));

            assertTrue(e.getMessage().startsWith(message), e.getMessage());
        }
    }
}
