package org.wsgi4j.uwsgi;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketAddress;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.wsgi4j.Application;
import org.wsgi4j.Bodies;
import org.wsgi4j.Environ;
import org.wsgi4j.Header;
import org.wsgi4j.conformance.Await;

class UwsgiListenerTest {

    static final Application ENV_DUMP = (environ, startResponse) -> {
        StringBuilder text = new StringBuilder();
        new TreeMap<>(environ).forEach((k, v) -> {
            if (v instanceof String || v instanceof Boolean) {
                text.append(k).append('=').append(v).append('\n');
            }
        });
        startResponse.start("200 OK", List.of(new Header("Content-Type", "text/plain; charset=utf-8")));
        return Bodies.utf8(text.toString());
    };

    static final Application ECHO = (environ, startResponse) -> {
        byte[] body = Environ.input(environ).readAllBytes();
        startResponse.start("200 OK", List.of(new Header("Content-Type", "application/octet-stream")));
        return List.of(body);
    };

    UwsgiListener listener;

    @AfterEach
    void stop() {
        if (listener != null) {
            listener.stop();
        }
    }

    UwsgiListener start(Application app) throws IOException {
        return start(app, b -> { });
    }

    UwsgiListener start(Application app, Consumer<UwsgiConfig.Builder> settings) throws IOException {
        UwsgiConfig.Builder builder = UwsgiConfig.builder().tcp("127.0.0.1", 0).application(app);
        settings.accept(builder);
        listener = UwsgiListener.start(builder.build());
        return listener;
    }

    /** Sends the bytes, then reads until the listener closes: one request per connection. */
    static String exchange(SocketAddress address, byte[] request) throws IOException {
        try (SocketChannel channel = SocketChannel.open(address)) {
            ByteBuffer out = ByteBuffer.wrap(request);
            while (out.hasRemaining()) {
                channel.write(out);
            }
            ByteArrayOutputStream response = new ByteArrayOutputStream();
            ByteBuffer in = ByteBuffer.allocate(8192);
            try {
                while (channel.read(in.clear()) >= 0) {
                    response.write(in.array(), 0, in.position());
                }
            } catch (IOException reset) {
                response.write("\n[reset]".getBytes(StandardCharsets.US_ASCII));
            }
            return response.toString(StandardCharsets.UTF_8);
        }
    }

    String exchange(byte[] request) throws IOException {
        return exchange(new InetSocketAddress("127.0.0.1", listener.port()), request);
    }

    static String body(String response) {
        return response.substring(response.indexOf("\r\n\r\n") + 4);
    }

    @Test
    @DisplayName("the vars become the environ: UTF-8 PATH_INFO, raw REQUEST_URI, no HTTP_CONTENT_*, SCRIPT_NAME '/' is '' (E2-E6, S22)")
    void varsBecomeTheEnviron() throws IOException {
        start(ENV_DUMP);
        String response = exchange(UwsgiPacket.request("GET", "/caf%C3%A9?a=%20")
                .var("SCRIPT_NAME", "/")
                .var("CONTENT_TYPE", "")
                .var("CONTENT_LENGTH", "")
                .var("HTTP_CONTENT_TYPE", "text/evil")
                .var("HTTP_CONTENT_LENGTH", "99")
                .var("HTTP_ACCEPT", "text/html")
                .var("UWSGI_FILE", "/etc/passwd")
                .toBytes());

        assertTrue(response.startsWith("HTTP/1.1 200 OK\r\n"), response);
        String env = body(response);
        assertTrue(env.contains("PATH_INFO=/caf\u00e9\n"), env);
        assertTrue(env.contains("REQUEST_URI=/caf%C3%A9?a=%20\n"), env);
        assertTrue(env.contains("QUERY_STRING=a=%20\n"), env);
        assertTrue(env.contains("SCRIPT_NAME=\n"), env);
        assertTrue(env.contains("HTTP_ACCEPT=text/html\n"), env);
        assertTrue(env.contains("wsgi.url_scheme=http\n"), env);
        assertTrue(env.contains("wsgi.input_terminated=true\n"), env);
        assertTrue(env.contains("UWSGI_FILE=/etc/passwd\n"), "UWSGI_* vars are passed, never interpreted: " + env);
        assertFalse(env.contains("HTTP_CONTENT_"), env);
        assertFalse(env.contains("CONTENT_TYPE="), "an empty CONTENT_TYPE is no CONTENT_TYPE (E6): " + env);
        assertFalse(env.contains("CONTENT_LENGTH="), env);
        assertFalse(env.contains("HTTPS="), env);
    }

    @Test
    @DisplayName("HTTPS on makes the scheme https; a mounted SCRIPT_NAME is cut from PATH_INFO; repeated headers join (E2, E3, E8, E9)")
    void schemeMountAndRepeatedHeaders() throws IOException {
        start(ENV_DUMP);
        String env = body(exchange(UwsgiPacket.request("GET", "/app/x")
                .var("SCRIPT_NAME", "/app")
                .var("HTTPS", "on")
                .var("HTTP_COOKIE", "a=1")
                .var("HTTP_COOKIE", "b=2")
                .var("HTTP_ACCEPT", "text/html")
                .var("HTTP_ACCEPT", "text/plain")
                .toBytes()));

        assertTrue(env.contains("wsgi.url_scheme=https\n"), env);
        assertTrue(env.contains("HTTPS=on\n"), env);
        assertTrue(env.contains("SCRIPT_NAME=/app\n"), env);
        assertTrue(env.contains("PATH_INFO=/x\n"), env);
        assertTrue(env.contains("HTTP_COOKIE=a=1; b=2\n"), env);
        assertTrue(env.contains("HTTP_ACCEPT=text/html, text/plain\n"), env);
    }

    @Test
    @DisplayName("a CGI var sent twice takes its last value, so a location can override uwsgi_params (E7)")
    void repeatedCgiVarTakesItsLastValue() throws IOException {
        start(ENV_DUMP);
        // nginx sends both vars when a location repeats one that uwsgi_params sets; the shipped
        // config relies on that for "uwsgi_param SERVER_NAME $host" after nginx's $server_name.
        String env = body(exchange(UwsgiPacket.request("GET", "/x")
                .var("SERVER_NAME", "")
                .var("SERVER_NAME", "example.com")
                .toBytes()));

        assertTrue(env.contains("SERVER_NAME=example.com\n"), env);
        assertFalse(env.contains("SERVER_NAME=localhost"), env);
    }

    @Test
    @DisplayName("the request body reaches wsgi.input and ends at CONTENT_LENGTH (E11)")
    void bodyIsReadToContentLength() throws IOException {
        start(ECHO);
        byte[] body = new byte[300_000];
        for (int i = 0; i < body.length; i++) {
            body[i] = (byte) (i * 31);
        }
        byte[] request = UwsgiPacket.request("POST", "/echo").body(body).toBytes();
        try (Socket socket = new Socket("127.0.0.1", listener.port())) {
            socket.getOutputStream().write(request);
            byte[] response = socket.getInputStream().readAllBytes();
            String head = new String(response, 0, 200, StandardCharsets.ISO_8859_1);
            assertTrue(head.startsWith("HTTP/1.1 200 OK\r\n"), head);
            assertTrue(head.contains("Content-Length: 300000\r\n"), head);
            int start = head.indexOf("\r\n\r\n") + 4;
            assertEquals(body.length, response.length - start);
            for (int i = 0; i < body.length; i++) {
                assertEquals(body[i], response[start + i], "byte " + i);
            }
        }
    }

    @Test
    @DisplayName("the body limit holds at its boundary: one under and at pass, one over is 413 before the app runs")
    void bodyLimitBoundary() throws IOException {
        AtomicBoolean called = new AtomicBoolean();
        start((environ, startResponse) -> {
            called.set(true);
            return ECHO.call(environ, startResponse);
        }, b -> b.maxBodySize(1000));

        assertTrue(exchange(UwsgiPacket.request("POST", "/").body(new byte[999]).toBytes()).startsWith("HTTP/1.1 200 "));
        assertTrue(exchange(UwsgiPacket.request("POST", "/").body(new byte[1000]).toBytes()).startsWith("HTTP/1.1 200 "));
        called.set(false);
        String over = exchange(UwsgiPacket.request("POST", "/").body(new byte[1001]).toBytes());
        assertTrue(over.startsWith("HTTP/1.1 413 "), over);
        assertFalse(called.get(), "the application must not run for a refused request");
    }

    @Test
    @DisplayName("a CONTENT_LENGTH that is not digits is answered 400")
    void badContentLengthIs400() throws IOException {
        start(ECHO);
        String response = exchange(UwsgiPacket.request("POST", "/").var("CONTENT_LENGTH", "-1").toBytes());
        assertTrue(response.startsWith("HTTP/1.1 400 "), response);
        assertTrue(response.contains("CONTENT_LENGTH '-1'"), response);
    }

    @Test
    @DisplayName("a request the environ rules refuse gets core's Refusal: every character of the reason, as UTF-8 (E3)")
    void refusalReasonKeepsEveryCharacter() throws IOException {
        start(ENV_DUMP);
        String response = exchange(UwsgiPacket.request("GET", "/x").var("SCRIPT_NAME", "/\u20ac").toBytes());
        assertTrue(response.startsWith("HTTP/1.1 400 Bad Request\r\n"), response);
        assertTrue(response.contains("\r\nContent-Type: text/plain; charset=utf-8\r\n"), response);
        assertTrue(body(response).startsWith("E3: SCRIPT_NAME '/\u20ac' is not a prefix of PATH_INFO '/x'"), response);
    }

    @Test
    @DisplayName("the observer sees a refused request, with the method and the target as nginx sent them, nothing decoded")
    void observerSeesARefusedRequest() throws Exception {
        List<String> seen = new CopyOnWriteArrayList<>();
        start(ENV_DUMP, b -> b.observer((environ, state, result, nanos) -> seen.add(environ.get("REQUEST_METHOD") + " "
                + environ.get("REQUEST_URI") + " [" + environ.get("PATH_INFO") + "] " + result.status())));
        String response = exchange(UwsgiPacket.request("GET", "/a%2Fb?q=1").toBytes());
        assertTrue(response.startsWith("HTTP/1.1 400 "), response);
        Await.until("the observer was told", () -> !seen.isEmpty());
        assertEquals(List.of("GET /a%2Fb?q=1 [] 400"), seen);
    }

    @Test
    @DisplayName("HTTP spoken to the uwsgi port is answered with a hint to use uwsgi_pass or --http")
    void httpOnTheUwsgiPortGetsAHint() throws IOException {
        start(ENV_DUMP);
        String response = exchange("GET / HTTP/1.1\r\nHost: x\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
        assertTrue(response.startsWith("HTTP/1.1 400 "), response);
        assertTrue(response.contains("uwsgi_pass"), response);
        assertTrue(response.contains("--http"), response);
    }

    @Test
    @DisplayName("the vars size limit holds at its boundary: over it the answer is 431 naming maxVarsSize")
    void varsSizeLimitBoundary() throws IOException {
        start(ENV_DUMP, b -> b.maxVarsSize(300));
        UwsgiPacket base = UwsgiPacket.request("GET", "/");
        int baseSize = base.varsBlock().length;
        for (int size : new int[] {299, 300, 301}) {
            byte[] packet = UwsgiPacket.request("GET", "/")
                    .var("HTTP_X", "x".repeat(size - baseSize - 2 - 6 - 2)).toBytes();
            assertEquals(size, packet.length - 4);
            String response = exchange(packet);
            if (size <= 300) {
                assertTrue(response.startsWith("HTTP/1.1 200 "), size + ": " + response);
            } else {
                assertTrue(response.startsWith("HTTP/1.1 431 Request Header Fields Too Large\r\n"), response);
                assertTrue(body(response).contains("maxVarsSize"), response);
            }
        }
    }

    @Test
    @DisplayName("the vars count limit holds at its boundary: over it the answer is 431 naming maxVars")
    void varsCountLimitBoundary() throws IOException {
        start(ENV_DUMP, b -> b.maxVars(20));
        int base = 10;
        for (int count : new int[] {19, 20, 21}) {
            UwsgiPacket packet = UwsgiPacket.request("GET", "/");
            for (int i = base; i < count; i++) {
                packet.var("HTTP_X" + i, "x");
            }
            String response = exchange(packet.toBytes());
            if (count <= 20) {
                assertTrue(response.startsWith("HTTP/1.1 200 "), count + ": " + response);
            } else {
                assertTrue(response.startsWith("HTTP/1.1 431 "), count + ": " + response);
                assertTrue(body(response).contains("maxVars"), response);
            }
        }
    }

    @Test
    @DisplayName("the queue cap holds at its boundary: past maxQueued waiting connections a new one is answered 503")
    void queueCapBoundary() throws Exception {
        start(ENV_DUMP, b -> b.maxQueued(3));
        List<Socket> idle = new java.util.ArrayList<>();
        try {
            for (int waiting : new int[] {1, 2, 3}) {
                while (idle.size() < waiting) {
                    Socket socket = new Socket("127.0.0.1", listener.port());
                    socket.getOutputStream().write(new byte[] {0, 100, 0, 0});
                    idle.add(socket);
                }
                awaitQueued(waiting);
                String response = exchange(UwsgiPacket.request("GET", "/").toBytes());
                if (waiting < 3) {
                    assertTrue(response.startsWith("HTTP/1.1 200 "), waiting + " waiting: " + response);
                } else {
                    assertTrue(response.startsWith("HTTP/1.1 503 Service Unavailable\r\n"), response);
                    assertTrue(body(response).contains("maxQueued"), response);
                }
            }
        } finally {
            for (Socket socket : idle) {
                socket.close();
            }
        }
    }

    /** The listener has accepted the idle connections (its count includes them) before the probe. */
    void awaitQueued(int count) throws Exception {
        Await.until("the listener to accept " + count + " connections", () -> listener.queued() >= count);
    }

    @Test
    @DisplayName("a TCP peer outside the allow list is closed on before a byte is read")
    void peerOutsideTheAllowListIsRefused() throws IOException {
        AtomicBoolean called = new AtomicBoolean();
        start((environ, startResponse) -> {
            called.set(true);
            return ENV_DUMP.call(environ, startResponse);
        }, b -> b.allow(List.of("10.0.0.0/8")));

        String response = exchange(UwsgiPacket.request("GET", "/").toBytes());
        assertFalse(response.contains("HTTP/"), response);
        assertFalse(called.get());
    }

    @Test
    @DisplayName("an exception before commit is a 500 (S15)")
    void exceptionBeforeCommitIs500() throws IOException {
        start((environ, startResponse) -> {
            throw new IllegalStateException("boom");
        });
        String response = exchange(UwsgiPacket.request("GET", "/").toBytes());
        assertTrue(response.startsWith("HTTP/1.1 500 "), response);
    }

    @Test
    @DisplayName("an exception after commit cuts the response short with a reset, never a complete response (S16)")
    void exceptionAfterCommitResets() throws IOException {
        start((environ, startResponse) -> {
            startResponse.start("200 OK", List.of(new Header("Content-Length", "100")));
            return TestBodies.failingAfter("first".getBytes(StandardCharsets.US_ASCII));
        });
        String response = exchange(UwsgiPacket.request("GET", "/").toBytes());
        assertTrue(response.startsWith("HTTP/1.1 200 OK\r\n"), response);
        assertTrue(body(response).length() < 100, response);
    }

    @Test
    @DisplayName("a client that disconnects mid-stream makes the server call close() (S17, S18)")
    void disconnectMidStreamCallsClose() throws Exception {
        CountDownLatch firstBlockSent = new CountDownLatch(1);
        CountDownLatch closed = new CountDownLatch(1);
        byte[] block = new byte[64 * 1024];
        start((environ, startResponse) -> {
            startResponse.start("200 OK", List.of());
            Iterable<byte[]> endless = TestBodies.endless(block, firstBlockSent::countDown);
            return Bodies.closing(endless, closed::countDown);
        });
        try (Socket socket = new Socket("127.0.0.1", listener.port())) {
            socket.getOutputStream().write(UwsgiPacket.request("GET", "/stream").toBytes());
            socket.getInputStream().read(new byte[1024]);
            assertTrue(firstBlockSent.await(30, TimeUnit.SECONDS));
        }
        assertTrue(closed.await(60, TimeUnit.SECONDS), "close() was not called after the client went away");
    }

    @Test
    @DisplayName("a response write that waits past bodyTimeout for a peer that does not read ends the response and runs close()")
    void bodyTimeoutEndsAStalledWrite() throws Exception {
        CountDownLatch closed = new CountDownLatch(1);
        byte[] block = new byte[64 * 1024];
        start((environ, startResponse) -> {
            startResponse.start("200 OK", List.of());
            return Bodies.closing(TestBodies.endless(block, () -> { }), closed::countDown);
        }, b -> b.bodyTimeout(Duration.ofMillis(300)));
        try (Socket socket = new Socket("127.0.0.1", listener.port())) {
            socket.getOutputStream().write(UwsgiPacket.request("GET", "/stream").toBytes());
            // Never reads: the socket buffers fill and the listener's write blocks.
            assertTrue(closed.await(5, TimeUnit.SECONDS), "the stalled write was not timed out");
        }
    }

    @Test
    @DisplayName("an application that leaves the body unread still gets its whole response to the client")
    void unreadBodyDoesNotCutTheResponse() throws IOException {
        start((environ, startResponse) -> {
            startResponse.start("200 OK", List.of());
            return List.of(new byte[200_000]);
        });
        byte[] request = UwsgiPacket.request("POST", "/").body(new byte[500_000]).toBytes();
        String response = exchange(request);
        assertTrue(response.contains("Content-Length: 200000\r\n"), response.substring(0, 100));
        assertEquals(200_000, body(response).length());
    }

    @Test
    @DisplayName("a peer that sends half a packet and waits is closed after the header timeout")
    void headerTimeoutClosesSlowPeers() throws IOException {
        start(ENV_DUMP, b -> b.headerTimeout(Duration.ofMillis(300)));
        try (Socket socket = new Socket("127.0.0.1", listener.port())) {
            socket.setSoTimeout(60_000);
            socket.getOutputStream().write(new byte[] {0, 100, 0, 0, 1});
            InputStream in = socket.getInputStream();
            assertEquals(-1, in.read(), "the listener must close a connection that stalls in the vars");
        }
    }

    @Test
    @DisplayName("the header timeout is one deadline from accept, not per read: a peer trickling its vars byte by byte is cut off")
    void headerTimeoutCountsFromAccept() throws Exception {
        start(ENV_DUMP, b -> b.headerTimeout(Duration.ofMillis(500)));
        byte[] packet = UwsgiPacket.request("GET", "/").toBytes();
        try (SocketChannel channel = SocketChannel.open(new InetSocketAddress("127.0.0.1", listener.port()))) {
            int sent = 0;
            try {
                // 50 ms per byte: the whole packet would take several seconds, ten times the timeout.
                for (; sent < packet.length; sent++) {
                    channel.write(ByteBuffer.wrap(packet, sent, 1));
                    Thread.sleep(50);
                }
            } catch (IOException closed) {
                // The listener closed (or reset) the connection while the peer was still sending.
            }
            assertTrue(sent < packet.length, "the whole packet went out byte by byte: no deadline from accept");
            ByteBuffer in = ByteBuffer.allocate(100);
            int n;
            try {
                n = channel.read(in);
            } catch (IOException reset) {
                n = -1;
            }
            assertEquals(-1, n, "closed without an answer");
        }
    }

    @Test
    @DisplayName("a body read that waits past bodyTimeout fails in the application as a client gone (S18), and the connection is closed")
    void bodyTimeoutEndsAStalledRead() throws Exception {
        java.util.concurrent.CompletableFuture<Throwable> seen = new java.util.concurrent.CompletableFuture<>();
        start((environ, startResponse) -> {
            try {
                Environ.input(environ).readAllBytes();
                seen.complete(null);
            } catch (IOException e) {
                seen.complete(e);
                throw e;
            }
            startResponse.start("200 OK", List.of());
            return List.of();
        }, b -> b.bodyTimeout(Duration.ofMillis(300)));
        byte[] packet = UwsgiPacket.request("POST", "/").body(new byte[1000]).toBytes();
        try (SocketChannel channel = SocketChannel.open(new InetSocketAddress("127.0.0.1", listener.port()))) {
            channel.write(ByteBuffer.wrap(packet, 0, packet.length - 500));
            // Well before 10 s: a selector asleep until its next log summary would enforce the deadline only then.
            Throwable failure = seen.get(5, TimeUnit.SECONDS);
            assertTrue(failure instanceof org.wsgi4j.ClientDisconnectedException
                    && failure.getMessage().contains("no progress for 300 ms"),
                    "the application's read must fail with the timeout, was " + failure);
            int n;
            try {
                n = channel.read(ByteBuffer.allocate(100));
            } catch (IOException reset) {
                n = -1;
            }
            assertEquals(-1, n, "the connection is closed without an answer");
        }
    }

    @Test
    @DisplayName("a unix socket serves requests, gets 0660 permissions, and its file is removed on stop")
    void unixSocket(@TempDir Path dir) throws IOException {
        Path path = dir.resolve("wsgi4j.sock");
        listener = UwsgiListener.start(UwsgiConfig.builder().unixSocket(path).application(ECHO).build());

        assertEquals("rw-rw----", PosixFilePermissions.toString(Files.getPosixFilePermissions(path)));
        assertEquals(Files.getAttribute(dir, "posix:group"), Files.getAttribute(path, "posix:group"));
        String response = exchange(UnixDomainSocketAddress.of(path),
                UwsgiPacket.request("POST", "/").body("over unix".getBytes(StandardCharsets.US_ASCII)).toBytes());
        assertTrue(response.startsWith("HTTP/1.1 200 OK\r\n"), response);
        assertEquals("over unix", body(response));
        listener.stop();
        assertFalse(Files.exists(path), "the socket file must be removed on stop");
    }

    @Test
    @DisplayName("the unix socket gets the configured mode and group (uWSGI's --chmod-socket, --chown-socket)")
    void unixSocketModeAndGroup(@TempDir Path dir) throws IOException {
        Path path = dir.resolve("wsgi4j.sock");
        String group = ((java.nio.file.attribute.GroupPrincipal) Files.getAttribute(dir, "posix:group")).getName();
        listener = UwsgiListener.start(UwsgiConfig.builder().unixSocket(path).application(ECHO)
                .socketPermissions("666").socketGroup(group).build());

        assertEquals("rw-rw-rw-", PosixFilePermissions.toString(Files.getPosixFilePermissions(path)));
        assertEquals(group, ((java.nio.file.attribute.GroupPrincipal) Files.getAttribute(path, "posix:group")).getName());
    }

    @Test
    @DisplayName("a socket group that does not exist stops the start with a sentence naming it")
    void unknownSocketGroupStopsTheStart(@TempDir Path dir) {
        UwsgiConfig config = UwsgiConfig.builder().unixSocket(dir.resolve("wsgi4j.sock")).application(ECHO)
                .socketGroup("no-such-group-wsgi4j").build();
        IOException e = org.junit.jupiter.api.Assertions.assertThrows(IOException.class, () -> UwsgiListener.start(config));
        assertTrue(e.getMessage().contains("'no-such-group-wsgi4j': no such group"), e.getMessage());
        assertFalse(Files.exists(dir.resolve("wsgi4j.sock")), "a failed start leaves no socket file");
    }

    @Test
    @DisplayName("a stale socket file is replaced, a live one refused")
    void staleSocketFileIsReplaced(@TempDir Path dir) throws IOException {
        Path path = dir.resolve("stale.sock");
        UwsgiConfig config = UwsgiConfig.builder().unixSocket(path).application(ECHO).build();
        listener = UwsgiListener.start(config);
        IOException live = org.junit.jupiter.api.Assertions.assertThrows(IOException.class,
                () -> UwsgiListener.start(config));
        assertTrue(live.getMessage().contains("another server"), live.getMessage());
        listener.stop();

        Files.createFile(path);
        listener = UwsgiListener.start(config);
        assertTrue(exchange(UnixDomainSocketAddress.of(path), UwsgiPacket.request("GET", "/").toBytes())
                .startsWith("HTTP/1.1 200 "));
    }

    @Test
    @DisplayName("config refuses limits it cannot honour, naming the setting")
    void configRefusesImpossibleLimits() {
        IllegalArgumentException e = org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class,
                () -> UwsgiConfig.builder().tcp("127.0.0.1", 0).application(ECHO).maxVarsSize(70000).build());
        assertTrue(e.getMessage().contains("'maxVarsSize'"), e.getMessage());
        e = org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class,
                () -> UwsgiConfig.builder().tcp("127.0.0.1", 0).application(ECHO).allow(List.of("localhost")).build());
        assertTrue(e.getMessage().contains("'localhost'"), e.getMessage());
    }
}
