package org.wsgi4j.jetty;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.Optional;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.wsgi4j.Application;
import org.wsgi4j.conformance.RawHttpConnection;
import org.wsgi4j.conformance.RawRequest;
import org.wsgi4j.conformance.RawResponse;

/**
 * {@code --min-request-data-rate}: a request body arriving slower than the rate fails the
 * application's read ({@code wsgi.input} raises IOException; the application still answers);
 * one arriving faster is read whole. Real Jetty, raw bytes; the rate (1000 bytes/s) is a hundred
 * times the slow client's (10 bytes/s) and a tenth of the fast one's.
 */
class MinRequestDataRateTest {

    private static final long RATE = 1000;
    private static final int LENGTH = 1000;
    private static Wsgi4jServer server;

    /** Reads the whole body; answers how much it read, or how the read failed and why. */
    private static final Application READER = HttpLimitsTest.reader(e -> {
        Throwable cause = e.getCause() == null ? e : e.getCause();
        return e.getClass().getSimpleName() + " caused by " + cause.getClass().getSimpleName() + ": "
                + cause.getMessage();
    });

    @BeforeAll
    static void start() throws Exception {
        server = Wsgi4jServer.builder()
                .http("127.0.0.1", 0)
                .mount("/", READER)
                .set(Settings.MIN_REQUEST_DATA_RATE, Optional.of(RATE))
                .build()
                .start();
    }

    @AfterAll
    static void stop() throws Exception {
        server.stop();
    }

    @Test
    void aBodyArrivingAboveTheRateIsReadWhole() throws Exception {
        RawResponse answer = RawHttpConnection.exchange(new InetSocketAddress("127.0.0.1", server.port()),
                RawRequest.post("/", "a".repeat(LENGTH).getBytes(StandardCharsets.US_ASCII)));
        assertEquals(200, answer.status(), answer.describe());
        assertEquals("read " + LENGTH, answer.bodyText());
    }

    @Test
    void aBodyArrivingInPiecesAboveTheRateIsReadWhole() throws Exception {
        // Two pieces of 500 bytes 10 ms apart: 50,000 bytes/s, fifty times the rate, so that the test
        // fails only if the server cuts a body off that is above the rate, not when a loaded machine
        // stretches the sleeps (100-byte pieces fell below the rate once at a load of 13).
        String answer = send(2, 500, 10);
        assertTrue(answer.startsWith("HTTP/1.1 200 "), answer);
        assertTrue(answer.endsWith("\r\n\r\nread " + LENGTH), answer);
    }

    @Test
    void aBodyArrivingBelowTheRateFailsTheApplicationsRead() throws Exception {
        assertCutOff(send(10, 1, 100));
    }

    /** Jetty's MinimumDataRateHandler counted every request's bytes, so a busy server never cut anyone off. */
    @Test
    void aSlowBodyIsCutOffEvenAfterTheServerHasReadMegabytes() throws Exception {
        int big = 2_000_000;
        RawResponse warm = RawHttpConnection.exchange(new InetSocketAddress("127.0.0.1", server.port()),
                RawRequest.post("/", "a".repeat(big).getBytes(StandardCharsets.US_ASCII)));
        assertEquals("read " + big, warm.bodyText());
        assertCutOff(send(10, 1, 100));
    }

    /**
     * The application's read failed after at most two of the ten trickled bytes (the first wait starts
     * the clock, the next byte shows 10 bytes/s), with Jetty's TimeoutException naming the setting.
     */
    private static void assertCutOff(String answer) {
        assertTrue(answer.startsWith("HTTP/1.1 200 "), answer);
        String body = answer.substring(answer.indexOf("\r\n\r\n") + 4);
        assertTrue(body.matches("failed after [12]: IOException caused by TimeoutException: request body arriving "
                + "at \\d+ bytes/s, below --min-request-data-rate 1000"), body);
    }

    /**
     * Declares {@code LENGTH} bytes, then sends up to {@code pieces} pieces of {@code size} bytes, one
     * every {@code intervalMillis}, stopping early once an answer arrives; returns the whole answer.
     */
    private static String send(int pieces, int size, long intervalMillis) throws Exception {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress("127.0.0.1", server.port()), 5000);
            socket.setSoTimeout(10_000);
            OutputStream out = socket.getOutputStream();
            out.write(("POST / HTTP/1.1\r\nHost: x\r\nConnection: close\r\nContent-Length: " + LENGTH + "\r\n\r\n")
                    .getBytes(StandardCharsets.US_ASCII));
            out.flush();
            InputStream in = socket.getInputStream();
            for (int i = 0; i < pieces && in.available() == 0; i++) {
                Thread.sleep(intervalMillis);
                try {
                    out.write("a".repeat(size).getBytes(StandardCharsets.US_ASCII));
                    out.flush();
                } catch (IOException e) {
                    break;
                }
            }
            ByteArrayOutputStream got = new ByteArrayOutputStream();
            in.transferTo(got);
            return got.toString(StandardCharsets.ISO_8859_1);
        }
    }
}
