package org.wsgi4j.jetty;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import org.eclipse.jetty.http.HttpParser;
import org.eclipse.jetty.server.internal.HttpConnection;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.wsgi4j.Application;
import org.wsgi4j.Bodies;
import org.wsgi4j.Environ;
import org.wsgi4j.Header;
import org.wsgi4j.conformance.RawHttpConnection;
import org.wsgi4j.conformance.RawResponse;

/** Every HTTP limit at its boundary: one under, at, one over; real Jetty, raw bytes. */
class HttpLimitsTest {

    private static final int LIMIT_POST = 100;
    private static final int HEADER_SIZE = 2048;
    private static final int FIELDS = 10;
    private static final int LISTEN = 77;
    private static final int HEADER_CACHE = 300;
    private static Wsgi4jServer server;

    /** Reads the whole body; answers how much it read, or how the read failed. */
    static final Application READER = reader(e -> e.getClass().getSimpleName());

    /** Reads the whole body; answers {@code read N}, or {@code failed after N: } and the failure described. */
    static Application reader(Function<IOException, String> describe) {
        return (environ, start) -> {
            InputStream in = (InputStream) environ.get(Environ.WSGI_INPUT);
            long n = 0;
            String outcome;
            try {
                while (in.read() >= 0) {
                    n++;
                }
                outcome = "read " + n;
            } catch (IOException e) {
                outcome = "failed after " + n + ": " + describe.apply(e);
            }
            start.start("200 OK", List.of(new Header("Content-Type", "text/plain")));
            return Bodies.utf8(outcome);
        };
    }

    @BeforeAll
    static void start() throws Exception {
        server = Wsgi4jServer.builder()
                .http("127.0.0.1", 0)
                .mount("/", READER)
                .mount("/uncaught", (environ, start) -> {
                    // Reads the whole body and lets a failed read escape, as most applications do.
                    byte[] body = ((InputStream) environ.get(Environ.WSGI_INPUT)).readAllBytes();
                    start.start("200 OK", List.of(new Header("Content-Type", "text/plain")));
                    return Bodies.utf8("read " + body.length);
                })
                .set(Settings.LIMIT_POST, (long) LIMIT_POST)
                .set(Settings.MAX_REQUEST_HEADER_SIZE, HEADER_SIZE)
                .set(Settings.LIMIT_REQUEST_FIELDS, FIELDS)
                .set(Settings.HTTP_TIMEOUT, Duration.ofSeconds(1))
                .set(Settings.HEADER_TIMEOUT, Duration.ofSeconds(2))
                .set(Settings.LISTEN, LISTEN)
                .set(Settings.HEADER_CACHE_SIZE, HEADER_CACHE)
                .build()
                .start();
    }

    @AfterAll
    static void stop() throws Exception {
        server.stop();
    }

    private static RawResponse send(String request) throws IOException {
        return RawHttpConnection.exchange(new InetSocketAddress("127.0.0.1", server.port()),
                request.getBytes(StandardCharsets.ISO_8859_1));
    }

    @Nested
    @DisplayName("--limit-post")
    class LimitPost {

        @ParameterizedTest(name = "Content-Length {0} with --limit-post 100 -> {1}")
        @CsvSource({"99, 200", "100, 200", "101, 413"})
        void aDeclaredLengthOverTheLimitIs413BeforeTheApplicationRuns(int length, int status) throws Exception {
            RawResponse answer = send("POST / HTTP/1.1\r\nHost: x\r\nConnection: close\r\nContent-Length: "
                    + length + "\r\n\r\n" + "a".repeat(length));
            assertEquals(status, answer.status(), answer.describe());
            if (status == 200) {
                assertEquals("read " + length, answer.bodyText());
            } else {
                assertFalse(answer.bodyText().contains("read"), "the application ran: " + answer.describe());
            }
        }

        /** A POST to {@code path} whose body is {@code length} bytes in one chunk. */
        private static String chunked(String path, int length) {
            return "POST " + path + " HTTP/1.1\r\nHost: x\r\nConnection: close\r\nTransfer-Encoding: chunked\r\n\r\n"
                    + Integer.toHexString(length) + "\r\n" + "a".repeat(length) + "\r\n0\r\n\r\n";
        }

        @ParameterizedTest(name = "chunked body of {0} bytes with --limit-post 100 -> {1}")
        @CsvSource({"99, read 99", "100, read 100", "101, failed after 100: TooLargeException"})
        void aChunkedBodyPastTheLimitFailsTheStream(int length, String outcome) throws Exception {
            RawResponse answer = send(chunked("/", length));
            assertEquals(outcome, answer.bodyText());
        }

        @ParameterizedTest(name = "chunked body of {0} bytes, the read's failure not caught -> {1}")
        @CsvSource({"100, 200", "101, 413"})
        void aChunkedBodyPastTheLimitThatTheApplicationDoesNotCatchIs413(int length, int status) throws Exception {
            RawResponse answer = send(chunked("/uncaught", length));
            assertEquals(status, answer.status(), answer.describe());
            assertEquals(status == 200 ? "read 100"
                    : "413 Content Too Large: the request body is larger than the limit of 100 bytes\n", answer.bodyText());
        }
    }

    @Nested
    @DisplayName("--limit-request-fields")
    class Fields {

        @ParameterizedTest(name = "{0} header fields with a limit of 10 -> {1}")
        @CsvSource({"9, 200", "10, 200", "11, 431"})
        void moreFieldsThanTheLimitIs431(int fields, int status) throws Exception {
            StringBuilder request = new StringBuilder("GET / HTTP/1.1\r\nHost: x\r\nConnection: close\r\n");
            for (int i = 2; i < fields; i++) {
                request.append("X-F").append(i).append(": v\r\n");
            }
            RawResponse answer = send(request.append("\r\n").toString());
            assertEquals(status, answer.status(), answer.describe());
        }
    }

    @Nested
    @DisplayName("--max-request-header-size")
    class HeaderSize {

        /** A request whose head (request line, header lines and the blank line, CRLFs included) is {@code size} bytes. */
        private String requestOfSize(int size) {
            String start = "GET / HTTP/1.1\r\nHost: x\r\nConnection: close\r\nX-Pad: ";
            return start + "p".repeat(size - start.length() - 4) + "\r\n\r\n";
        }

        @ParameterizedTest(name = "a head of {0} bytes with a limit of 2048 -> {1}")
        @CsvSource({"2047, 200", "2048, 200", "2049, 431"})
        void aHeadLargerThanTheLimitIs431(int size, int status) throws Exception {
            RawResponse answer = send(requestOfSize(size));
            assertEquals(status, answer.status(), answer.describe());
        }
    }

    @Nested
    @DisplayName("--header-cache-size")
    class HeaderCache {

        /**
         * The parser of the server's side of a kept-alive connection after two requests on it: from the
         * second request on, Jetty builds the connection's header cache with this parser's size.
         */
        private HttpParser parserAfterTwoRequests(Wsgi4jServer on, RawHttpConnection connection) throws IOException {
            for (int i = 0; i < 2; i++) {
                connection.sendRequest("GET / HTTP/1.1\r\nHost: x\r\nUser-Agent: t\r\n\r\n"
                        .getBytes(StandardCharsets.US_ASCII));
                RawResponse answer = connection.readResponse();
                assertEquals(200, answer.status(), answer.describe());
            }
            return on.jetty().getConnectors()[0].getConnectedEndPoints().stream()
                    .filter(endPoint -> endPoint.getRemoteSocketAddress() instanceof InetSocketAddress remote
                            && remote.getPort() == connection.localPort())
                    .map(endPoint -> ((HttpConnection) endPoint.getConnection()).getParser())
                    .findFirst().orElseThrow(() -> new AssertionError("no server side for port "
                            + connection.localPort()));
        }

        @Test
        @DisplayName("a kept-alive connection caches header lines within the size set")
        void theSettingSizesEachConnectionsCache() throws Exception {
            try (RawHttpConnection connection = RawHttpConnection.open(
                    new InetSocketAddress("127.0.0.1", server.port()))) {
                assertEquals(HEADER_CACHE, parserAfterTwoRequests(server, connection).getHeaderCacheSize());
            }
        }

        @Test
        @DisplayName("by default a kept-alive connection keeps no header cache (Jetty's would hold 96 KiB)")
        void theDefaultKeepsNoCache() throws Exception {
            Wsgi4jServer plain = Wsgi4jServer.builder().http("127.0.0.1", 0).mount("/", READER).build().start();
            try (RawHttpConnection connection = RawHttpConnection.open(
                    new InetSocketAddress("127.0.0.1", plain.port()))) {
                assertEquals(0, parserAfterTwoRequests(plain, connection).getHeaderCacheSize());
            } finally {
                plain.stop();
            }
        }
    }

    @Nested
    @DisplayName("timeouts")
    class Timeouts {

        @Test
        @DisplayName("--http-timeout: an idle kept-alive connection is closed after the timeout")
        void anIdleConnectionIsClosed() throws Exception {
            try (Socket socket = new Socket()) {
                socket.connect(new InetSocketAddress("127.0.0.1", server.port()));
                socket.setSoTimeout(10_000);
                socket.getOutputStream().write("GET / HTTP/1.1\r\nHost: x\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
                long answered = readUntil(socket.getInputStream(), "read 0");
                long closed = readToEnd(socket.getInputStream());
                long idle = TimeUnit.NANOSECONDS.toMillis(closed - answered);
                assertTrue(idle >= 900 && idle < 8000, "closed after " + idle + " ms idle, the timeout is 1 s");
            }
        }

        @Test
        @DisplayName("--header-timeout: a client trickling its headers is cut off at the deadline")
        void aTricklingHeadIsCutOffAtTheDeadline() throws Exception {
            try (Socket socket = new Socket()) {
                socket.connect(new InetSocketAddress("127.0.0.1", server.port()));
                long opened = System.nanoTime();
                boolean cutOff = false;
                byte[] head = "GET / HTTP/1.1\r\nHost: x\r\nX-Slow: ".getBytes(StandardCharsets.US_ASCII);
                // One byte every 400 ms: each byte restarts the 1 s idle timeout, so only the deadline ends it.
                for (int i = 0; i < 40 && !cutOff; i++) {
                    try {
                        socket.getOutputStream().write(head[Math.min(i, head.length - 1)]);
                        socket.getOutputStream().flush();
                        Thread.sleep(400);
                    } catch (IOException e) {
                        cutOff = true;
                    }
                }
                long elapsed = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - opened);
                assertTrue(cutOff, "the connection stayed open for " + elapsed + " ms");
                assertTrue(elapsed >= 1900 && elapsed < 10_000, "cut off after " + elapsed + " ms, the deadline is 2 s");
            }
        }
    }

    @Test
    @DisplayName("--listen sets the listen backlog of the HTTP socket")
    void listenSetsTheBacklog() throws Exception {
        Process ss = new ProcessBuilder("ss", "-Hltn", "sport = :" + server.port()).redirectErrorStream(true).start();
        String line = new String(ss.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
        ss.waitFor();
        // For a listening socket, ss shows the backlog in the Send-Q column.
        assertEquals(String.valueOf(LISTEN), line.split("\\s+")[2], line);
    }

    private static long readUntil(InputStream in, String marker) throws IOException {
        StringBuilder got = new StringBuilder();
        int b;
        while ((b = in.read()) >= 0) {
            got.append((char) b);
            if (got.toString().endsWith(marker)) {
                return System.nanoTime();
            }
        }
        throw new IOException("closed before '" + marker + "': " + got);
    }

    private static long readToEnd(InputStream in) throws IOException {
        try {
            while (in.read() >= 0) {
                // discard
            }
        } catch (java.net.SocketException e) {
            // a reset is a close too
        }
        return System.nanoTime();
    }

}
