package org.wsgi4j.jetty;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.Optional;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.wsgi4j.conformance.RawHttpConnection;
import org.wsgi4j.conformance.RawRequest;
import org.wsgi4j.conformance.RawResponse;

/**
 * {@code wsgi.input} on each HTTP front end with the stats and {@code --limit-post} on: the front end's
 * own input counts and limits the body (nothing is wrapped around it per request), so a request
 * without a body still reads {@code b""}, a body is counted as read ({@code bytes_in}) and a chunked
 * body past the limit still fails the read. Real Jetty, raw bytes.
 */
class RequestBodyAccountingTest {

    private static final long LIMIT_POST = 100;

    private static Wsgi4jServer start(Settings.FrontEnd frontEnd, boolean nonBlocking) throws Exception {
        return Wsgi4jServer.builder()
                .set(Settings.FRONT_END, frontEnd)
                .set(Settings.NON_BLOCKING, nonBlocking)
                .http("127.0.0.1", 0)
                .mount("/", HttpLimitsTest.READER)
                .set(Settings.LIMIT_POST, LIMIT_POST)
                .set(Settings.STATS, Optional.of(new Settings.HostPort("127.0.0.1", 0)))
                .build()
                .start();
    }

    private static RawResponse send(Wsgi4jServer server, String request) throws Exception {
        return RawHttpConnection.exchange(new InetSocketAddress("127.0.0.1", server.port()),
                request.getBytes(StandardCharsets.ISO_8859_1));
    }

    private static long bytesIn(Wsgi4jServer server) throws Exception {
        RawResponse stats = RawHttpConnection.exchange(new InetSocketAddress("127.0.0.1", server.statsPort()),
                RawRequest.get("/"));
        JsonNode root = new ObjectMapper().readTree(stats.bodyText());
        return root.get("mounts").get(0).get("bytes_in").asLong();
    }

    private static String chunked(int length) {
        return "POST / HTTP/1.1\r\nHost: x\r\nConnection: close\r\nTransfer-Encoding: chunked\r\n\r\n"
                + Integer.toHexString(length) + "\r\n" + "a".repeat(length) + "\r\n0\r\n\r\n";
    }

    @ParameterizedTest(name = "--front-end {0}, non-blocking {1}")
    @CsvSource({"SERVLET, false", "CORE, false", "CORE, true"})
    @DisplayName("a request without a body reads b\"\" and counts no bytes in")
    void aRequestWithoutABodyReadsNothing(Settings.FrontEnd frontEnd, boolean nonBlocking) throws Exception {
        Wsgi4jServer server = start(frontEnd, nonBlocking);
        try {
            RawResponse answer = send(server, "GET / HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n");
            assertEquals("read 0", answer.bodyText(), answer.describe());
            assertEquals(0, bytesIn(server));
        } finally {
            server.stop();
        }
    }

    @ParameterizedTest(name = "--front-end {0}, non-blocking {1}")
    @CsvSource({"SERVLET, false", "CORE, false", "CORE, true"})
    @DisplayName("the bytes of a body the application reads are counted in bytes_in, with a length or chunked")
    void aBodyIsCountedAsRead(Settings.FrontEnd frontEnd, boolean nonBlocking) throws Exception {
        Wsgi4jServer server = start(frontEnd, nonBlocking);
        try {
            RawResponse declared = send(server, "POST / HTTP/1.1\r\nHost: x\r\nConnection: close\r\n"
                    + "Content-Length: 7\r\n\r\nsixteen");
            assertEquals("read 7", declared.bodyText(), declared.describe());
            RawResponse chunked = send(server, chunked(100));
            assertEquals("read 100", chunked.bodyText(), chunked.describe());
            assertEquals(107, bytesIn(server));
        } finally {
            server.stop();
        }
    }

    @ParameterizedTest(name = "--front-end {0}: chunked body of {1} bytes with --limit-post 100 -> {2}")
    @CsvSource({"SERVLET, 99, read 99", "SERVLET, 100, read 100", "SERVLET, 101, failed after 100: TooLargeException",
        "CORE, 99, read 99", "CORE, 100, read 100", "CORE, 101, failed after 100: TooLargeException"})
    @DisplayName("a chunked body past --limit-post fails the read that passes it")
    void aChunkedBodyPastTheLimitFailsTheRead(Settings.FrontEnd frontEnd, int length, String outcome) throws Exception {
        Wsgi4jServer server = start(frontEnd, false);
        try {
            RawResponse answer = send(server, chunked(length));
            assertEquals(outcome, answer.bodyText(), answer.describe());
        } finally {
            server.stop();
        }
    }
}
