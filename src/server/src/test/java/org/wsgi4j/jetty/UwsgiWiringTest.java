package org.wsgi4j.jetty;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.wsgi4j.conformance.RawHttpConnection;
import org.wsgi4j.conformance.RawRequest;

/** --uwsgi: the mounted applications are reachable over the uwsgi protocol with the same prefixes. */
class UwsgiWiringTest {

    @TempDir
    Path dir;

    @Test
    @DisplayName("M3/M4: a uwsgi request is routed by the same mounts as HTTP, over TCP and a unix socket")
    void uwsgiSharesTheMounts() throws Exception {
        Path socket = dir.resolve("w.sock");
        Wsgi4jServer server = Wsgi4jServer.builder()
                .http("127.0.0.1", 0)
                .uwsgi("127.0.0.1", 0)
                .uwsgi(socket)
                .mount("/", Wsgi4jServerTest.where("root"))
                .mount("/api", Wsgi4jServerTest.where("api"))
                .build()
                .start();
        try {
            int tcp = server.uwsgiListeners().get(0).port();
            String viaTcp = exchange(new InetSocketAddress("127.0.0.1", tcp), "/api/x");
            assertTrue(viaTcp.startsWith("HTTP/1.1 200"), viaTcp);
            assertTrue(viaTcp.endsWith("api /api|/x"), viaTcp);
            String viaUnix = exchange(UnixDomainSocketAddress.of(socket), "/other");
            assertTrue(viaUnix.endsWith("root |/other"), viaUnix);
            assertEquals("api /api|/y", RawHttpConnection.exchange(new InetSocketAddress("127.0.0.1", server.port()),
                    RawRequest.get("/api/y")).bodyText());
        } finally {
            server.stop();
        }
        assertTrue(Files.notExists(socket), "the socket file is removed on stop");
    }

    @Test
    @DisplayName("a server with only a uwsgi listener needs no HTTP port")
    void uwsgiOnlyServerStarts() throws Exception {
        Wsgi4jServer server = Wsgi4jServer.builder().uwsgi("127.0.0.1", 0)
                .mount("/", Wsgi4jServerTest.where("only")).build().start();
        try {
            String answer = exchange(new InetSocketAddress("127.0.0.1", server.uwsgiListeners().get(0).port()), "/z");
            assertTrue(answer.endsWith("only |/z"), answer);
        } finally {
            server.stop();
        }
    }

    /** One uwsgi request (modifier1 0) with the vars nginx's uwsgi_params sends; the raw answer. */
    static String exchange(java.net.SocketAddress address, String path) throws IOException {
        return exchange(address, path, Map.of());
    }

    /** As {@link #exchange(java.net.SocketAddress, String)}, with {@code vars} added or replacing nginx's. */
    static String exchange(java.net.SocketAddress address, String path, Map<String, String> extra) throws IOException {
        Map<String, String> vars = new java.util.HashMap<>(Map.of("REQUEST_METHOD", "GET", "REQUEST_URI", path,
                "PATH_INFO", path, "QUERY_STRING", "", "SERVER_PROTOCOL", "HTTP/1.1", "SERVER_NAME", "localhost",
                "SERVER_PORT", "80", "REMOTE_ADDR", "127.0.0.1", "REMOTE_PORT", "5000", "HTTP_HOST", "localhost"));
        vars.putAll(extra);
        ByteArrayOutputStream block = new ByteArrayOutputStream();
        for (Map.Entry<String, String> var : vars.entrySet()) {
            for (String s : new String[] {var.getKey(), var.getValue()}) {
                byte[] bytes = s.getBytes(StandardCharsets.UTF_8);
                block.write(bytes.length & 0xFF);
                block.write(bytes.length >> 8);
                block.write(bytes);
            }
        }
        ByteBuffer packet = ByteBuffer.allocate(4 + block.size());
        packet.put((byte) 0).put((byte) (block.size() & 0xFF)).put((byte) (block.size() >> 8)).put((byte) 0);
        packet.put(block.toByteArray()).flip();
        try (SocketChannel channel = address instanceof UnixDomainSocketAddress
                ? SocketChannel.open(StandardProtocolFamily.UNIX) : SocketChannel.open()) {
            channel.connect(address);
            while (packet.hasRemaining()) {
                channel.write(packet);
            }
            ByteArrayOutputStream answer = new ByteArrayOutputStream();
            ByteBuffer buffer = ByteBuffer.allocate(8192);
            while (channel.read(buffer) >= 0) {
                answer.write(buffer.array(), 0, buffer.position());
                buffer.clear();
            }
            return answer.toString(StandardCharsets.ISO_8859_1);
        }
    }
}
