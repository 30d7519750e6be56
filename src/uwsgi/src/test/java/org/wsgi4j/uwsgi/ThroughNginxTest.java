package org.wsgi4j.uwsgi;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.wsgi4j.Application;
import org.wsgi4j.Bodies;
import org.wsgi4j.Environ;
import org.wsgi4j.Header;

/** The listener behind a real nginx, configured with docker/nginx/wsgi4j-uwsgi.conf, over TCP and a unix socket. */
class ThroughNginxTest {

    enum Transport { TCP, UNIX }

    static final int DOWNLOAD_BLOCK = 64 * 1024;

    final CountDownLatch endlessClosed = new CountDownLatch(1);
    final CountDownLatch endlessStarted = new CountDownLatch(1);

    final Application app = (environ, startResponse) -> switch (Environ.pathInfo(environ)) {
        case "/env" -> {
            StringBuilder text = new StringBuilder();
            new TreeMap<>(environ).forEach((k, v) -> {
                if (v instanceof String) {
                    text.append(k).append('=').append(v).append('\n');
                }
            });
            startResponse.start("200 OK", List.of(new Header("Content-Type", "text/plain; charset=utf-8")));
            yield Bodies.utf8(text.toString());
        }
        case "/echo" -> {
            byte[] body = Environ.input(environ).readAllBytes();
            startResponse.start("200 OK", List.of(new Header("Content-Type", "application/octet-stream")));
            yield List.of(body);
        }
        case "/download" -> {
            long total = Long.parseLong(Environ.queryString(environ));
            startResponse.start("200 OK", List.of(new Header("Content-Type", "application/octet-stream")));
            yield () -> new Iterator<>() {
                long sent;

                @Override
                public boolean hasNext() {
                    return sent < total;
                }

                @Override
                public byte[] next() {
                    byte[] block = pattern(sent, (int) Math.min(DOWNLOAD_BLOCK, total - sent));
                    sent += block.length;
                    return block;
                }
            };
        }
        case "/endless" -> {
            startResponse.start("200 OK", List.of());
            Iterable<byte[]> endless = TestBodies.endless(new byte[DOWNLOAD_BLOCK], endlessStarted::countDown);
            yield Bodies.closing(endless, endlessClosed::countDown);
        }
        case "/abort-after-commit" -> {
            boolean withLength = Environ.queryString(environ).equals("length");
            startResponse.start("200 OK", withLength ? List.of(new Header("Content-Length", "100")) : List.of());
            yield TestBodies.failingAfter("first".getBytes(StandardCharsets.US_ASCII));
        }
        default -> {
            startResponse.start("404 Not Found", List.of());
            yield Bodies.empty();
        }
    };

    @TempDir
    Path dir;
    UwsgiListener listener;
    NginxFixture nginx;

    @AfterEach
    void stop() throws InterruptedException {
        if (nginx != null) {
            nginx.close();
        }
        if (listener != null) {
            listener.stop();
        }
    }

    int start(Transport transport) throws IOException, InterruptedException {
        NginxFixture.requireBinary();
        UwsgiConfig.Builder config = UwsgiConfig.builder().application(app);
        if (transport == Transport.TCP) {
            config.tcp("127.0.0.1", 0);
        } else {
            config.unixSocket(dir.resolve("wsgi4j.sock"));
        }
        listener = UwsgiListener.start(config.build());
        nginx = NginxFixture.start(listener.address(), dir.resolve("nginx"));
        return nginx.httpPort();
    }

    static byte[] pattern(long offset, int length) {
        byte[] bytes = new byte[length];
        for (int i = 0; i < length; i++) {
            bytes[i] = (byte) ((offset + i) * 7 + (offset + i) / 251);
        }
        return bytes;
    }

    @ParameterizedTest
    @EnumSource(Transport.class)
    @DisplayName("a GET through nginx sees nginx's vars as the environ (E1-E9, S22)")
    void get(Transport transport) throws Exception {
        int port = start(transport);
        RawHttp.Response response = RawHttp.get(port, "/env?x=%20y");
        assertEquals(200, response.status(), nginx.errorLog());
        Map<String, String> env = new TreeMap<>();
        for (String line : response.text().split("\n")) {
            int eq = line.indexOf('=');
            env.put(line.substring(0, eq), line.substring(eq + 1));
        }
        assertEquals("GET", env.get("REQUEST_METHOD"));
        assertEquals("/env", env.get("PATH_INFO"));
        assertEquals("", env.get("SCRIPT_NAME"));
        assertEquals("x=%20y", env.get("QUERY_STRING"));
        assertEquals("/env?x=%20y", env.get("REQUEST_URI"));
        assertEquals("127.0.0.1", env.get("REMOTE_ADDR"));
        assertEquals("HTTP/1.1", env.get("SERVER_PROTOCOL"));
        assertEquals(Integer.toString(port), env.get("SERVER_PORT"));
        assertEquals("http", env.get("wsgi.url_scheme"));
        assertEquals("localhost", env.get("HTTP_HOST"));
        assertFalse(env.containsKey("CONTENT_LENGTH"), env::toString);
        assertFalse(env.containsKey("CONTENT_TYPE"), env::toString);
    }

    @ParameterizedTest
    @EnumSource(Transport.class)
    @DisplayName("a POST body goes through nginx to wsgi.input and back")
    void postWithBody(Transport transport) throws Exception {
        int port = start(transport);
        RawHttp.Response response = RawHttp.post(port, "/echo", "hello, uwsgi".getBytes(StandardCharsets.US_ASCII));
        assertEquals(200, response.status(), nginx.errorLog());
        assertEquals("hello, uwsgi", response.text());
    }

    @ParameterizedTest
    @EnumSource(Transport.class)
    @DisplayName("a large upload (8 MiB) arrives intact")
    void largeUpload(Transport transport) throws Exception {
        int port = start(transport);
        byte[] body = pattern(0, 8 * 1024 * 1024);
        RawHttp.Response response = RawHttp.post(port, "/echo", body);
        assertEquals(200, response.status(), nginx.errorLog());
        assertTrue(response.complete());
        assertArrayEquals(body, response.body());
    }

    @ParameterizedTest
    @EnumSource(Transport.class)
    @DisplayName("a large download (32 MiB, no Content-Length, so close-delimited) arrives intact and complete")
    void largeDownload(Transport transport) throws Exception {
        int port = start(transport);
        int size = 32 * 1024 * 1024;
        RawHttp.Response response = RawHttp.get(port, "/download?" + size);
        assertEquals(200, response.status(), nginx.errorLog());
        assertTrue(response.complete(), "nginx must end the chunked body cleanly");
        assertArrayEquals(pattern(0, size), response.body());
    }

    @ParameterizedTest
    @EnumSource(Transport.class)
    @DisplayName("a slow client that sends its body in pieces and reads slowly gets the same bytes")
    void slowClient(Transport transport) throws Exception {
        int port = start(transport);
        byte[] body = pattern(0, 256 * 1024);
        try (Socket socket = new Socket("127.0.0.1", port)) {
            socket.setSoTimeout(120_000);
            OutputStream out = socket.getOutputStream();
            out.write(("POST /echo HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\nContent-Length: "
                    + body.length + "\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
            for (int at = 0; at < body.length; at += 32 * 1024) {
                out.write(body, at, 32 * 1024);
                out.flush();
                Thread.sleep(20); // pacing, not synchronisation: the point is a client that dawdles
            }
            InputStream in = new SlowInputStream(socket.getInputStream());
            RawHttp.Response response = RawHttp.read(in);
            assertEquals(200, response.status(), nginx.errorLog());
            assertArrayEquals(body, response.body());
        }
    }

    @ParameterizedTest
    @EnumSource(Transport.class)
    @DisplayName("a client that disconnects mid-stream makes the application's close() run (S17, S18)")
    void disconnectMidStream(Transport transport) throws Exception {
        int port = start(transport);
        try (Socket socket = new Socket("127.0.0.1", port)) {
            socket.getOutputStream().write("GET /endless HTTP/1.1\r\nHost: localhost\r\n\r\n"
                    .getBytes(StandardCharsets.US_ASCII));
            socket.getInputStream().readNBytes(100_000);
            assertTrue(endlessStarted.await(60, TimeUnit.SECONDS));
        }
        assertTrue(endlessClosed.await(120, TimeUnit.SECONDS),
                "close() did not run after the client went away\n" + nginx.errorLog());
    }

    @ParameterizedTest
    @EnumSource(Transport.class)
    @DisplayName("a failure after commit with Content-Length reaches the client as a short body (S16)")
    void failureAfterCommitWithLengthIsVisible(Transport transport) throws Exception {
        int port = start(transport);
        RawHttp.Response response = RawHttp.get(port, "/abort-after-commit?length");
        assertEquals(200, response.status());
        assertFalse(response.complete(), "a cut Content-Length body must look cut: " + response.text());
    }

    @Test
    @DisplayName("over TCP, a failure after commit without Content-Length resets, and nginx leaves the chunked body unterminated (S16)")
    void failureAfterCommitWithoutLengthIsVisibleOverTcp() throws Exception {
        int port = start(Transport.TCP);
        RawHttp.Response response = RawHttp.get(port, "/abort-after-commit");
        assertEquals(200, response.status());
        assertFalse(response.complete(), "nginx finished the response as if complete:\n" + nginx.errorLog());
    }

    /** Reads at most 4 KiB per call, pausing between calls. */
    private static final class SlowInputStream extends java.io.FilterInputStream {
        SlowInputStream(InputStream in) {
            super(in);
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            try {
                Thread.sleep(2); // pacing: a reader slower than the application
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IOException(e);
            }
            return super.read(b, off, Math.min(len, 4096));
        }
    }
}
