package org.wsgi4j.jetty;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.ConnectException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/** SIGTERM to the jar: stop accepting everywhere, 503 on /health, finish what is in flight, exit 0. */
class GracefulShutdownIT {

    @Test
    @DisplayName("SIGTERM lets a slow request finish, refuses new connections on every listener, and exits 0")
    void sigtermDrainsAndExitsZero() throws Exception {
        try (ServerProcess server = ServerProcess.start("graceful", "--http", "127.0.0.1:0",
                "--uwsgi", "127.0.0.1:0", "--stats", ":0", "--graceful-timeout", "20",
                "--mount", "/=org.wsgi4j.jetty.SlowApp")) {
            int http = server.port("http");
            int uwsgi = server.port("uwsgi");
            int stats = server.port("stats");
            assertEquals(200, RawHttp.send(stats, "GET /health HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n",
                    5000).status());

            CompletableFuture<RawHttp.Exchange> slow = CompletableFuture.supplyAsync(() -> {
                try {
                    return RawHttp.send(http, "GET /sleep/3000 HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n",
                            30_000);
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
            });
            Thread.sleep(1000);
            long signalled = System.nanoTime();
            server.process.destroy(); // SIGTERM
            Thread.sleep(500);

            RawHttp.Exchange health = RawHttp.send(stats,
                    "GET /health HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n", 5000);
            assertEquals(503, health.status(), health.text());
            assertThrows(ConnectException.class, () -> connect(http), "the HTTP port still accepts");
            assertThrows(ConnectException.class, () -> connect(uwsgi), "the uwsgi port still accepts");

            RawHttp.Exchange answer = slow.get(30, TimeUnit.SECONDS);
            assertEquals(200, answer.status(), answer.text());
            assertEquals("slept 3000\n", answer.body());
            assertTrue(server.process.waitFor(30, TimeUnit.SECONDS), "the process did not exit");
            assertEquals(0, server.process.exitValue(), server.output());
            assertTrue(System.nanoTime() - signalled < TimeUnit.SECONDS.toNanos(20),
                    "the drain waited for the full graceful timeout instead of the request in flight");
        }
    }

    private static void connect(int port) throws Exception {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress("127.0.0.1", port), 2000);
        }
    }
}
