package org.wsgi4j.sample;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.io.SequenceInputStream;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.wsgi4j.Environ;
import org.wsgi4j.sample.TestRequest.Response;

class NotesApiTest {

    private static final String MOUNT = "/ctx/api/notes";
    private static final int MAX_NOTES = 3;
    private static final int MAX_TEXT = 10;
    private static final int MAX_BODY = 64;

    private final NotesApi api = new NotesApi(new NotesApi.Limits(MAX_NOTES, MAX_TEXT, MAX_BODY));

    private Response create(String json) throws Exception {
        return TestRequest.of("POST", MOUNT, "").body("application/json", json).call(api);
    }

    private static String note(String text) {
        return "{\"text\": \"" + text + "\"}";
    }

    /** {@code {"text":"a"}} padded with JSON whitespace to exactly {@code size} bytes. */
    private static String bodyOfSize(int size) {
        String json = "{\"text\":\"a\"}";
        return json + " ".repeat(size - json.length());
    }

    private static void assertJsonError(Response response, int status, String messagePart) throws Exception {
        assertEquals(status, response.code(), response.text());
        JsonNode error = response.json();
        assertEquals(status, error.get("status").asInt());
        assertTrue(error.get("error").asText().contains(messagePart), error.toString());
    }

    @Nested
    class Routes {

        @Test
        @DisplayName("the list starts empty and shows notes oldest first")
        void listStartsEmptyAndShowsNotesOldestFirst() throws Exception {
            assertEquals(0, TestRequest.get(MOUNT, "").call(api).json().get("notes").size());
            create(note("first"));
            create(note("second"));
            JsonNode notes = TestRequest.get(MOUNT, "/").call(api).json().get("notes");
            assertEquals(List.of("first", "second"), List.of(notes.get(0).get("text").asText(), notes.get(1).get("text").asText()));
        }

        @Test
        @DisplayName("a create answers 201 with the note and a Location built from SCRIPT_NAME (E2)")
        void createAnswers201WithLocationFromScriptName() throws Exception {
            Response response = create(note("hello"));
            assertEquals(201, response.code());
            assertEquals(Optional.of(MOUNT + "/1"), response.header("Location"));
            assertEquals("hello", response.json().get("text").asText());
            assertEquals(1, response.json().get("id").asLong());
        }

        @Test
        @DisplayName("Location is percent-encoded when the mount point has spaces or non-ASCII (E2, S3)")
        void locationIsPercentEncoded() throws Exception {
            Response response = TestRequest.of("POST", "/my app/café", "").body("application/json", note("x")).call(api);
            assertEquals(Optional.of("/my%20app/caf%C3%A9/1"), response.header("Location"));
        }

        @Test
        @DisplayName("mounted at the root, a note's Location is /{id} (E2: SCRIPT_NAME is empty)")
        void worksAtTheRootMount() throws Exception {
            Response response = TestRequest.of("POST", "", "/").body("application/json", note("x")).call(api);
            assertEquals(Optional.of("/1"), response.header("Location"));
            assertEquals("x", TestRequest.get("", "/1").call(api).json().get("text").asText());
        }

        @Test
        @DisplayName("GET /{id} returns the note, DELETE answers 204 without a body, then it is 404")
        void getThenDeleteThenGone() throws Exception {
            create(note("doomed"));
            assertEquals("doomed", TestRequest.get(MOUNT, "/1").call(api).json().get("text").asText());
            Response deleted = TestRequest.of("DELETE", MOUNT, "/1").call(api);
            assertEquals(204, deleted.code());
            assertEquals(0, deleted.body.length);
            assertJsonError(TestRequest.get(MOUNT, "/1").call(api), 404, "no note 1");
            assertJsonError(TestRequest.of("DELETE", MOUNT, "/1").call(api), 404, "no note 1");
        }

        @ParameterizedTest
        @ValueSource(strings = {"/99", "/0", "/abc", "/1/extra", "/-1", "/99999999999999999999"})
        @DisplayName("an unknown id or path is a 404 with a JSON error")
        void unknownIdOrPathIs404(String path) throws Exception {
            create(note("one"));
            assertEquals(404, TestRequest.get(MOUNT, path).call(api).code());
        }

        @Test
        @DisplayName("HEAD on the list is answered like GET (S14 drops the body)")
        void headIsAnsweredLikeGet() throws Exception {
            Response response = TestRequest.of("HEAD", MOUNT, "").call(api);
            assertEquals(200, response.code());
            assertEquals(Optional.of("application/json"), response.header("Content-Type"));
        }
    }

    @Nested
    class Errors {

        @Test
        @DisplayName("a wrong method on the list is 405 with Allow: GET, HEAD, POST")
        void wrongMethodOnListIs405WithAllow() throws Exception {
            Response response = TestRequest.of("PUT", MOUNT, "").call(api);
            assertJsonError(response, 405, "PUT");
            response.assertMethodNotAllowed("GET, HEAD, POST");
        }

        @Test
        @DisplayName("a wrong method on a note is 405 with Allow: GET, HEAD, DELETE")
        void wrongMethodOnNoteIs405WithAllow() throws Exception {
            create(note("x"));
            Response response = TestRequest.of("POST", MOUNT, "/1").body("application/json", note("y")).call(api);
            assertJsonError(response, 405, "POST");
            response.assertMethodNotAllowed("GET, HEAD, DELETE");
        }

        @ParameterizedTest
        @ValueSource(strings = {"text/plain", "application/x-www-form-urlencoded", "application/jsonx", ""})
        @DisplayName("a body that is not declared JSON is 415")
        void nonJsonContentTypeIs415(String contentType) throws Exception {
            Response response = TestRequest.of("POST", MOUNT, "")
                    .body(contentType.isEmpty() ? null : contentType, note("x").getBytes()).call(api);
            assertJsonError(response, 415, "Content-Type");
        }

        @ParameterizedTest
        @ValueSource(strings = {"application/json; charset=utf-8", "Application/JSON", "application/vnd.notes+json"})
        @DisplayName("JSON with parameters, in any case, or a +json type is accepted")
        void jsonContentTypesAreAccepted(String contentType) throws Exception {
            assertEquals(201, TestRequest.of("POST", MOUNT, "").body(contentType, note("x")).call(api).code());
        }

        @ParameterizedTest
        @ValueSource(strings = {"{", "{\"text\": \"a\"} trailing", "[\"text\"]", "\"text\"", "",
                "{\"text\": \"a\", \"text\": \"b\"}"})
        @DisplayName("malformed JSON, trailing tokens, duplicate keys or a non-object is a 400 with a JSON error")
        void badJsonIs400(String body) throws Exception {
            assertEquals(400, create(body).code());
            assertEquals(0, TestRequest.get(MOUNT, "").call(api).json().get("notes").size());
        }

        @Test
        @DisplayName("a missing, null, non-string or blank text is a 400 naming 'text'")
        void missingOrBlankTextIs400() throws Exception {
            assertJsonError(create("{}"), 400, "'text' is missing");
            assertJsonError(create("{\"text\": null}"), 400, "'text' is missing");
            assertJsonError(create("{\"text\": 5}"), 400, "'text' must be a string");
            assertJsonError(create(note(" \\t ")), 400, "'text' is blank");
        }

        @Test
        @DisplayName("text length: one under and at the limit are stored, one over is a 400")
        void textLengthBoundaries() throws Exception {
            assertEquals(201, create(note("a".repeat(MAX_TEXT - 1))).code());
            assertEquals(201, create(note("a".repeat(MAX_TEXT))).code());
            assertJsonError(create(note("a".repeat(MAX_TEXT + 1))), 400, "limit is " + MAX_TEXT);
        }

        @Test
        @DisplayName("text length counts code points, so ten emoji fit a ten-character limit")
        void textLengthCountsCodePoints() throws Exception {
            assertEquals(201, create(note("\uD83D\uDE00".repeat(MAX_TEXT))).code());
        }

        @Test
        @DisplayName("body size: one under and at the limit are read, one over is a 413 refused from CONTENT_LENGTH without reading")
        void bodySizeBoundaries() throws Exception {
            assertEquals(201, create(bodyOfSize(MAX_BODY - 1)).code());
            assertEquals(201, create(bodyOfSize(MAX_BODY)).code());
            GeneratedInput input = new GeneratedInput(MAX_BODY + 1);
            Response response = TestRequest.of("POST", MOUNT, "").chunked("application/json", input)
                    .set(Environ.CONTENT_LENGTH, Integer.toString(MAX_BODY + 1)).call(api);
            assertJsonError(response, 413, "larger than " + MAX_BODY);
            assertEquals(0, input.consumed(), "refused early, from CONTENT_LENGTH");
        }

        @Test
        @DisplayName("a chunked body (no CONTENT_LENGTH, E11) over the limit is a 413 after reading at most limit+1 bytes")
        void chunkedBodyOverLimitReadsAtMostLimitPlusOne() throws Exception {
            GeneratedInput input = new GeneratedInput(10_000_000);
            Response response = TestRequest.of("POST", MOUNT, "").chunked("application/json", input).call(api);
            assertJsonError(response, 413, "larger than " + MAX_BODY);
            assertTrue(input.consumed() <= MAX_BODY + 1, "read " + input.consumed() + " bytes");
        }

        @Test
        @DisplayName("a chunked body at the limit is read to its end and stored")
        void chunkedBodyAtLimitIsStored() throws Exception {
            Response response = TestRequest.of("POST", MOUNT, "")
                    .chunked("application/json", new ByteArrayInputStream(bodyOfSize(MAX_BODY).getBytes())).call(api);
            assertEquals(201, response.code());
        }

        @Test
        @DisplayName("a CONTENT_LENGTH that understates the body is not trusted: the input is still read to limit+1")
        void understatedContentLengthIsNotTrusted() throws Exception {
            GeneratedInput input = new GeneratedInput(10_000);
            Response response = TestRequest.of("POST", MOUNT, "").chunked("application/json", input)
                    .set(Environ.CONTENT_LENGTH, "10").call(api);
            assertEquals(413, response.code());
            assertTrue(input.consumed() <= MAX_BODY + 1, "read " + input.consumed() + " bytes");
        }

        @Test
        @DisplayName("without wsgi.input_terminated or CONTENT_LENGTH the length is unknown: 411 (E11)")
        void unknownLengthIs411() throws Exception {
            Response response = TestRequest.of("POST", MOUNT, "").chunked("application/json", new GeneratedInput(10))
                    .set(Environ.WSGI_INPUT_TERMINATED, null).call(api);
            assertJsonError(response, 411, "no known length");
        }

        @Test
        @DisplayName("without wsgi.input_terminated the body is read only up to CONTENT_LENGTH (PEP 3333)")
        void unterminatedInputIsReadToContentLength() throws Exception {
            String json = note("exact");
            GeneratedInput trailing = new GeneratedInput(1000);
            InputStream input = new SequenceInputStream(
                    new ByteArrayInputStream(json.getBytes()), trailing);
            Response response = TestRequest.of("POST", MOUNT, "").chunked("application/json", input)
                    .set(Environ.CONTENT_LENGTH, Integer.toString(json.length()))
                    .set(Environ.WSGI_INPUT_TERMINATED, null).call(api);
            assertEquals(201, response.code(), response.text());
            assertEquals(0, trailing.consumed());
        }

        @Test
        @DisplayName("a full store is a 409 until a note is deleted")
        void fullStoreIs409UntilANoteIsDeleted() throws Exception {
            for (int i = 0; i < MAX_NOTES - 1; i++) {
                assertEquals(201, create(note("n" + i)).code());
            }
            assertEquals(201, create(note("last")).code(), "at the limit");
            assertJsonError(create(note("over")), 409, "full (" + MAX_NOTES + " notes)");
            assertEquals(204, TestRequest.of("DELETE", MOUNT, "/1").call(api).code());
            assertEquals(Optional.of(MOUNT + "/" + (MAX_NOTES + 1)), create(note("again")).header("Location"));
        }
    }

    @Test
    @DisplayName("concurrent creates never exceed the limit and never share an id (wsgi.multithread, E10)")
    void concurrentCreatesRespectTheLimit() throws Exception {
        int limit = 20;
        NotesApi shared = new NotesApi(new NotesApi.Limits(limit, MAX_TEXT, MAX_BODY));
        int threads = 8;
        int attempts = 60;
        CountDownLatch go = new CountDownLatch(1);
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        try {
            List<Future<Response>> results = new ArrayList<>();
            for (int i = 0; i < attempts; i++) {
                String text = "t" + i;
                Callable<Response> task = () -> {
                    go.await();
                    return TestRequest.of("POST", MOUNT, "").body("application/json", note(text)).call(shared);
                };
                results.add(pool.submit(task));
            }
            go.countDown();
            Set<String> locations = new HashSet<>();
            int conflicts = 0;
            for (Future<Response> result : results) {
                Response response = result.get(60, TimeUnit.SECONDS);
                if (response.code() == 201) {
                    locations.add(response.header("Location").orElseThrow());
                } else {
                    assertEquals(409, response.code());
                    conflicts++;
                }
            }
            assertEquals(limit, locations.size(), "distinct ids");
            assertEquals(attempts - limit, conflicts);
            assertEquals(limit, TestRequest.get(MOUNT, "").call(shared).json().get("notes").size());
        } finally {
            pool.shutdownNow();
        }
    }
}
