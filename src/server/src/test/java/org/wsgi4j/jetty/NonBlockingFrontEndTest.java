package org.wsgi4j.jetty;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.eclipse.jetty.util.thread.Invocable.InvocationType;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;
import org.wsgi4j.Application;
import org.wsgi4j.Bodies;
import org.wsgi4j.Environ;
import org.wsgi4j.FileBody;
import org.wsgi4j.Header;
import org.wsgi4j.StartResponse;
import org.wsgi4j.Write;
import org.wsgi4j.conformance.Await;
import org.wsgi4j.conformance.RawHttpConnection;
import org.wsgi4j.conformance.RawRequest;
import org.wsgi4j.conformance.RawResponse;

/**
 * {@code --front-end core --non-blocking}: requests without a body run on Jetty's selector thread,
 * which must never wait. The proofs use the one selector of a small server: if anything held it,
 * a second connection would not be answered. Only an answer in memory and within
 * {@code --non-blocking-buffer-size} is written from the selector; any other is written from a thread
 * that waits for the client, so a client that does not read holds the producer, not the answer.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class NonBlockingFrontEndTest {

    /** More than loopback's socket buffers hold on both sides, so a client that does not read holds the writes. */
    private static final int LARGE = 32 << 20;
    private static final int BLOCK = 64 << 10;
    private static final byte[] EXPECTED_LARGE = expectedLarge();
    /** The server's {@code --non-blocking-buffer-size}. */
    private static final int BUFFER_SIZE = 1000;

    /** The blocks {@code /large} has produced so far. */
    private final AtomicInteger produced = new AtomicInteger();
    /** Whether {@code /list}'s last answer was closed on the thread that called the application. */
    private final AtomicReference<Boolean> closedWhereCalled = new AtomicReference<>();

    private final CountDownLatch released = new CountDownLatch(1);
    private Wsgi4jServer server;
    private InetSocketAddress address;

    @BeforeAll
    void start() throws Exception {
        server = Wsgi4jServer.builder()
                .set(Settings.FRONT_END, Settings.FrontEnd.CORE)
                .set(Settings.NON_BLOCKING, true)
                .set(Settings.NON_BLOCKING_BUFFER_SIZE, BUFFER_SIZE)
                .http("127.0.0.1", 0)
                .mount("/hello", (environ, start) -> {
                    start.start("200 OK", List.of(new Header("Content-Type", "text/plain")));
                    return Bodies.utf8("Hello, World!");
                })
                .mount("/large", (environ, start) -> {
                    start.start("200 OK", List.of(new Header("Content-Type", "application/octet-stream")));
                    return this::reusedBlocks;
                })
                .mount("/list", this::listOfQuerySize)
                .mount("/written", (environ, start) -> {
                    Write write = start.start("200 OK", List.of(new Header("Content-Type", "text/plain")));
                    write.write(Arrays.copyOf(EXPECTED_LARGE, LARGE / 2));
                    Iterator<byte[]> rest = List.of(Arrays.copyOfRange(EXPECTED_LARGE, LARGE / 2, LARGE)).iterator();
                    return () -> rest;
                })
                .mount("/wait", waitsForRelease())
                .mount("/release", (environ, start) -> {
                    released.countDown();
                    start.start("200 OK", List.of());
                    return Bodies.utf8("released\n");
                })
                .build().start();
        address = new InetSocketAddress("127.0.0.1", server.port());
    }

    @AfterAll
    void stop() throws Exception {
        server.stop();
    }

    /** Reads the body, then waits for {@code /release}: only a thread allowed to wait may run it. */
    private Application waitsForRelease() {
        return (environ, start) -> {
            byte[] body;
            try (InputStream in = Environ.input(environ)) {
                body = in.readAllBytes();
            }
            try {
                if (!released.await(30, TimeUnit.SECONDS)) {
                    throw new IllegalStateException("never released");
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
            start.start("200 OK", List.of());
            return Bodies.of(body);
        };
    }

    /**
     * A list of two blocks totalling the query string's number of bytes, which records whether it was
     * closed (so sent) on the thread that called the application.
     */
    private Iterable<byte[]> listOfQuerySize(Map<String, Object> environ, StartResponse start) {
        int size = Integer.parseInt((String) environ.get(Environ.QUERY_STRING));
        start.start("200 OK", List.of(new Header("Content-Type", "application/octet-stream")));
        Thread caller = Thread.currentThread();
        return new ClosingList(caller, List.of(new byte[size / 2], new byte[size - size / 2]));
    }

    private final class ClosingList extends ArrayList<byte[]> implements AutoCloseable {
        private final Thread caller;

        ClosingList(Thread caller, List<byte[]> blocks) {
            super(blocks);
            this.caller = caller;
        }

        @Override
        public void close() {
            closedWhereCalled.set(Thread.currentThread() == caller);
        }
    }

    /**
     * {@link #LARGE} bytes in blocks of {@link #BLOCK}, all from one array refilled for each block,
     * as an application reading into a buffer does: a sink that kept the array would send wrong bytes.
     */
    private Iterator<byte[]> reusedBlocks() {
        byte[] block = new byte[BLOCK];
        return new Iterator<>() {
            private int index;

            @Override
            public boolean hasNext() {
                return index < LARGE / BLOCK;
            }

            @Override
            public byte[] next() {
                produced.incrementAndGet();
                Arrays.fill(block, (byte) index++);
                return block;
            }
        };
    }

    private static byte[] expectedLarge() {
        byte[] all = new byte[LARGE];
        for (int i = 0; i < LARGE / BLOCK; i++) {
            Arrays.fill(all, i * BLOCK, (i + 1) * BLOCK, (byte) i);
        }
        return all;
    }

    private RawResponse get(String target) throws IOException {
        return RawHttpConnection.exchange(address, RawRequest.get(target));
    }

    @Test
    @DisplayName("Jetty may run the whole handler chain on its selector thread")
    void handlerChainIsNonBlocking() {
        assertEquals(InvocationType.NON_BLOCKING, server.jetty().getInvocationType());
    }

    @Test
    @DisplayName("a request without a body is answered with its Content-Length")
    void helloIsAnsweredWithItsLength() throws IOException {
        RawResponse response = get("/hello");
        assertEquals(200, response.status(), response.describe());
        assertEquals("Hello, World!", response.bodyText());
        assertEquals(Optional.of("13"), response.header("Content-Length"));
    }

    @Test
    @DisplayName("a large streamed answer reaches the client whole, even from an array the application reuses")
    void largeStreamedAnswerArrivesWhole() throws IOException {
        RawResponse response = get("/large");
        assertEquals(200, response.status(), response.describe());
        assertArrayEquals(EXPECTED_LARGE, response.body());
    }

    @Test
    @DisplayName("a client that does not read a streamed answer holds its producer, not the selector or the answer")
    void slowReaderHoldsTheProducer() throws Exception {
        try (RawHttpConnection slow = RawHttpConnection.open(address)) {
            produced.set(0);
            slow.send(RawRequest.get("/large"));
            assertEquals(200, slow.readHead().status());
            RawResponse other = get("/hello");
            assertEquals("Hello, World!", other.bodyText(), other.describe());
            int seen = -1;
            for (int waited = 0; waited < 10_000 && produced.get() != seen; waited += 500) {
                seen = produced.get();
                Thread.sleep(500);
            }
            // Loopback's socket buffers take a few MiB; without backpressure all LARGE bytes would be produced.
            assertTrue((long) seen * BLOCK < LARGE / 2, seen + " blocks of " + LARGE / BLOCK + " produced");
            assertArrayEquals(EXPECTED_LARGE, slow.readResponse().body());
        }
    }

    @ParameterizedTest(name = "{0} bytes: from the selector: {1}")
    @CsvSource({"999, true", "1000, true", "1001, false"})
    @DisplayName("a list answer is written from the selector only within --non-blocking-buffer-size")
    void listWithinTheBufferSizeIsWrittenFromTheSelector(int size, boolean fromSelector) throws IOException {
        RawResponse response = get("/list?" + size);
        assertEquals(size, response.body().length, response.describe());
        assertEquals(fromSelector, closedWhereCalled.get());
    }

    @Test
    @DisplayName("what the write callable queued on the selector goes out before the body written from a pool thread")
    void writtenThenStreamedArrivesInOrder() throws Exception {
        try (RawHttpConnection slow = RawHttpConnection.open(address)) {
            slow.send(RawRequest.get("/written"));
            // Read late, so the pool thread's blocks find the write callable's still queued before them.
            Thread.sleep(200);
            assertArrayEquals(EXPECTED_LARGE, slow.readResponse().body());
        }
    }

    @Test
    @DisplayName("a request with a body runs on a thread that may wait: another connection is served meanwhile")
    void requestWithBodyMayWait() throws IOException {
        try (RawHttpConnection waiting = RawHttpConnection.open(address)) {
            waiting.send(RawRequest.post("/wait", "posted".getBytes()));
            RawResponse release = get("/release");
            assertEquals("released\n", release.bodyText(), release.describe());
            RawResponse answer = waiting.readResponse();
            assertEquals(200, answer.status(), answer.describe());
            assertEquals("posted", answer.bodyText());
        }
    }

    @Nested
    @DisplayName("--non-blocking is refused at start")
    class Refused {

        @Test
        @DisplayName("with the servlet front end, naming both settings")
        void withServletFrontEnd() {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Wsgi4jServer.builder()
                    .http(0).set(Settings.NON_BLOCKING, true).mount("/", Wsgi4jServerTest.where("x")).build());
            assertEquals("Settings.NON_BLOCKING runs applications on Jetty's selector thread, which only --front-end "
                    + "core does; the front end is servlet (the default)", e.getMessage());
        }

        @Test
        @DisplayName("with --war, naming both settings")
        void withWar() {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Wsgi4jServer.builder()
                    .http(0).set(Settings.FRONT_END, Settings.FrontEnd.CORE).set(Settings.NON_BLOCKING, true)
                    .war("/sample", Path.of(System.getProperty("wsgi4j.sample.war"))).build());
            assertEquals("Settings.NON_BLOCKING runs applications on Jetty's selector thread, which only --front-end "
                    + "core does, and Settings.WAR deploys a servlet web application, which needs --front-end servlet: "
                    + "give one or the other", e.getMessage());
        }

        @Test
        @DisplayName("--non-blocking-buffer-size without --non-blocking, naming both")
        void bufferSizeWithoutNonBlocking() {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Wsgi4jServer.builder()
                    .http(0).set(Settings.FRONT_END, Settings.FrontEnd.CORE)
                    .set(Settings.NON_BLOCKING_BUFFER_SIZE, 4096)
                    .mount("/", Wsgi4jServerTest.where("x")).build());
            assertEquals("Settings.NON_BLOCKING_BUFFER_SIZE bounds what --non-blocking writes from Jetty's selector "
                    + "thread, and --non-blocking is off: give both or neither", e.getMessage());
        }

        @Test
        @DisplayName("with --harakiri, whose interrupt would hit the selector thread")
        void withHarakiri() {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Wsgi4jServer.builder()
                    .http(0).set(Settings.FRONT_END, Settings.FrontEnd.CORE).set(Settings.NON_BLOCKING, true)
                    .set(Settings.HARAKIRI, Optional.of(Duration.ofSeconds(5)))
                    .mount("/", Wsgi4jServerTest.where("x")).build());
            assertEquals("Settings.HARAKIRI interrupts a request's thread, and with Settings.NON_BLOCKING that is "
                    + "Jetty's selector thread, shared by every connection: give one or the other", e.getMessage());
        }

        @Test
        @DisplayName("with --static-map, whose blocking file handler would keep every request off the selector")
        void withStaticMap() {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Wsgi4jServer.builder()
                    .http(0).set(Settings.FRONT_END, Settings.FrontEnd.CORE).set(Settings.NON_BLOCKING, true)
                    .set(Settings.STATIC_MAP, List.of(new Settings.StaticMap("/static", Path.of("target"))))
                    .mount("/", Wsgi4jServerTest.where("x")).build());
            assertEquals("Settings.STATIC_MAP serves files with Jetty's ResourceHandler, which blocks, so Jetty would "
                    + "run every request on a pool thread and Settings.NON_BLOCKING would change nothing: give one or "
                    + "the other (nginx can serve the files)", e.getMessage());
        }
    }

    /**
     * An answer handed to a pool thread ends with its last write there, which completes Jetty's
     * callback: nothing may be written after it (the engine flushes after a file and after each
     * streamed block). Each request must end once, as a success: the access log's line says how it ended.
     */
    @Nested
    @TestInstance(TestInstance.Lifecycle.PER_CLASS)
    @DisplayName("an answer sent from a pool thread ends once, as a success")
    class HandedOffAnswersEndOnce {

        private static final int REQUESTS = 40;
        private static final byte[] CONTENT = "a file's bytes, written as they are\n".getBytes(StandardCharsets.US_ASCII);

        @ParameterizedTest(name = "{0}")
        @ValueSource(strings = {"/file", "/streamed-with-length"})
        void everyRequestEndsAsASuccess(String target) throws Exception {
            Path dir = Files.createDirectories(Path.of("target", "non-blocking"));
            Path file = Files.write(dir.resolve("handed-off.txt"), CONTENT);
            Path log = dir.resolve("handed-off" + target.replace('/', '-') + "-access.log");
            Files.deleteIfExists(log);
            Wsgi4jServer handedOff = Wsgi4jServer.builder()
                    .set(Settings.FRONT_END, Settings.FrontEnd.CORE)
                    .set(Settings.NON_BLOCKING, true)
                    .set(Settings.ACCESS_LOG, Optional.of(log.toString()))
                    .http("127.0.0.1", 0)
                    .mount("/file", (environ, start) -> {
                        start.start("200 OK", List.of(new Header("Content-Type", "text/plain")));
                        return FileBody.of(file);
                    })
                    .mount("/streamed-with-length", (environ, start) -> {
                        start.start("200 OK", List.of(new Header("Content-Type", "text/plain"),
                                new Header("Content-Length", String.valueOf(CONTENT.length))));
                        Iterator<byte[]> blocks = List.of(Arrays.copyOf(CONTENT, 10),
                                Arrays.copyOfRange(CONTENT, 10, CONTENT.length)).iterator();
                        return () -> blocks;
                    })
                    .build().start();
            try {
                InetSocketAddress where = new InetSocketAddress("127.0.0.1", handedOff.port());
                for (int i = 0; i < REQUESTS; i++) {
                    RawResponse response = RawHttpConnection.exchange(where, RawRequest.get(target));
                    assertEquals(200, response.status(), response.describe());
                    assertArrayEquals(CONTENT, response.body());
                }
                Await.until(REQUESTS + " lines in the access log", () -> Files.readAllLines(log).size() >= REQUESTS);
                List<String> lines = Files.readAllLines(log);
                assertEquals(REQUESTS, lines.size(), String.join("\n", lines));
                for (String line : lines) {
                    assertTrue(line.contains("\"GET " + target + " HTTP/1.1\" 200 " + CONTENT.length + " "), line);
                }
            } finally {
                handedOff.stop();
            }
        }
    }
}
