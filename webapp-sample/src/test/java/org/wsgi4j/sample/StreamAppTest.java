package org.wsgi4j.sample;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.wsgi4j.sample.TestRequest.Response;

class StreamAppTest {

    private static final String MOUNT = "/ctx/stream";

    /** Pauses recorded instead of slept, so the tests see when the iterator asks for them. */
    private final List<Long> pauses = new ArrayList<>();
    private final StreamApp app = new StreamApp(pauses::add);

    private static List<String> events(Response response) {
        String text = response.text();
        assertTrue(text.endsWith("\n\n"), "every event ends with a blank line");
        return List.of(text.split("\n\n"));
    }

    @Test
    @DisplayName("the stream is text/event-stream with ten tick events 300 ms apart, then done")
    void defaultStreamIsTenTicksThenDone() throws Exception {
        Response response = TestRequest.get(MOUNT, "").call(app);
        assertEquals(200, response.code());
        assertEquals(Optional.of("text/event-stream"), response.header("Content-Type"));
        assertEquals(Optional.of("no-cache"), response.header("Cache-Control"));
        assertEquals(Optional.of("no"), response.header("X-Accel-Buffering"));
        assertTrue(response.header("Content-Length").isEmpty(), "a stream has no length");
        List<String> events = events(response);
        assertEquals(11, events.size());
        assertTrue(events.get(0).startsWith("retry: 10000\nid: 1\nevent: tick\ndata: {\"n\":1,\"of\":10,"), events.get(0));
        assertTrue(events.get(9).startsWith("id: 10\nevent: tick\n"), events.get(9));
        assertEquals("event: done\ndata: {\"events\":10}", events.get(10));
        assertEquals(List.of(300L, 300L, 300L, 300L, 300L, 300L, 300L, 300L, 300L), pauses);
    }

    @Test
    @DisplayName("each event is made when the server asks for the next block, not ahead (S13)")
    void eventsAreMadeLazily() throws Exception {
        Response response = TestRequest.get(MOUNT, "").query("n=3&interval_ms=50").start(app);
        assertEquals(200, response.code());
        assertTrue(pauses.isEmpty(), "nothing made before iteration");
        Iterator<byte[]> blocks = response.rawBody.iterator();
        assertTrue(new String(blocks.next(), StandardCharsets.UTF_8).contains("id: 1\n"));
        assertEquals(List.of(), pauses, "the first event comes at once");
        assertTrue(new String(blocks.next(), StandardCharsets.UTF_8).contains("id: 2\n"));
        assertEquals(List.of(50L), pauses, "the second one after one pause");
        response.close();
    }

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource({
            "n=0, 400", "n=1, 200", "n=100, 200", "n=101, 400", "n=ten, 400", "n=, 400",
            "interval_ms=-1, 400", "interval_ms=0, 200", "interval_ms=5000, 200", "interval_ms=5001, 400",
            "n=%zz, 400"})
    @DisplayName("n is 1..100 and interval_ms 0..5000: in range streams, out of range is a 400 naming the parameter")
    void parameterBoundaries(String query, int status) throws Exception {
        Response response = TestRequest.get(MOUNT, "").query(query).call(app);
        assertEquals(status, response.code(), response.text());
        if (status == 400) {
            assertTrue(response.text().contains("'" + query.substring(0, query.indexOf('=')) + "'")
                    || query.contains("%zz"), response.text());
        } else if (query.startsWith("n=")) {
            assertEquals(Integer.parseInt(query.substring(2)) + 1, events(response).size());
        }
    }

    @Test
    @DisplayName("/stream/ is an HTML page whose EventSource points at SCRIPT_NAME with the same parameters")
    void slashIsTheHtmlPage() throws Exception {
        Response response = TestRequest.get("/my app/stream", "/").query("n=5&interval_ms=100").call(app);
        assertEquals(Optional.of("text/html; charset=utf-8"), response.header("Content-Type"));
        assertTrue(response.text().contains("data-src=\"/my%20app/stream?n=5&amp;interval_ms=100\""), response.text());
        assertTrue(response.text().contains("new EventSource(list.dataset.src)"));
        assertTrue(pauses.isEmpty());
    }

    @Test
    @DisplayName("?view=html at the mount point is the same page")
    void viewHtmlIsThePage() throws Exception {
        Response response = TestRequest.get(MOUNT, "").query("view=html").call(app);
        assertTrue(response.text().contains("data-src=\"/ctx/stream?n=10&amp;interval_ms=300\""), response.text());
    }

    @Test
    @DisplayName("HEAD gets the stream's headers and no events, so it does not wait (S14)")
    void headSendsNoEvents() throws Exception {
        Response response = TestRequest.of("HEAD", MOUNT, "").call(app);
        assertEquals(Optional.of("text/event-stream"), response.header("Content-Type"));
        assertEquals(0, response.body.length);
        assertTrue(pauses.isEmpty());
    }

    @Test
    @DisplayName("another path is 404, another method 405 with Allow")
    void otherPathsAndMethods() throws Exception {
        assertEquals(404, TestRequest.get(MOUNT, "/x").call(app).code());
        Response response = TestRequest.of("POST", MOUNT, "").call(app);
        response.assertMethodNotAllowed("GET, HEAD");
    }

    @Test
    @DisplayName("an interrupt during a pause ends the stream with an error and keeps the interrupt flag (S16)")
    void interruptEndsTheStream() throws Exception {
        StreamApp interrupted = new StreamApp(millis -> {
            throw new InterruptedException("host timeout");
        });
        Response response = TestRequest.get(MOUNT, "").start(interrupted);
        Iterator<byte[]> blocks = response.rawBody.iterator();
        blocks.next();
        try {
            IllegalStateException e = assertThrows(IllegalStateException.class, blocks::next);
            assertTrue(e.getMessage().contains("before event 2 of 10"), e.getMessage());
            assertTrue(Thread.currentThread().isInterrupted());
        } finally {
            Thread.interrupted();
        }
        assertFalse(Thread.currentThread().isInterrupted());
    }
}
