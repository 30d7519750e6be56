package org.wsgi4j.jetty;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.wsgi4j.conformance.Await;
import org.wsgi4j.conformance.RawHttpConnection;
import org.wsgi4j.conformance.RawRequest;
import org.wsgi4j.conformance.RawResponse;

/** SIGTERM to the jar: stop accepting everywhere, 503 on /health, finish what is in flight, exit 0. */
class GracefulShutdownIT {

    private static final ObjectMapper JSON = new ObjectMapper();

    @Test
    @DisplayName("SIGTERM lets a slow request finish, refuses new connections on every listener, and exits 0")
    void sigtermDrainsAndExitsZero() throws Exception {
        try (ServerProcess server = ServerProcess.start("graceful", "--http", "127.0.0.1:0",
                "--uwsgi", "127.0.0.1:0", "--stats", ":0", "--graceful-timeout", "20",
                "--mount", "/=org.wsgi4j.jetty.SlowApp")) {
            int http = server.port("http");
            int uwsgi = server.port("uwsgi");
            int stats = server.port("stats");
            assertEquals(200, get(stats, "/health").status());

            CompletableFuture<RawResponse> slow = CompletableFuture.supplyAsync(() -> {
                try {
                    return get(http, "/sleep/3000");
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
            });
            Await.until("the slow request in flight",
                    () -> JSON.readTree(get(stats, "/").bodyText()).get("in_flight").asInt() == 1);
            long signalled = System.nanoTime();
            server.process.destroy(); // SIGTERM

            Await.until("/health answers 503 while draining", () -> get(stats, "/health").status() == 503);
            Await.until("the HTTP port refuses connections", () -> refuses(http));
            Await.until("the uwsgi port refuses connections", () -> refuses(uwsgi));

            RawResponse answer = slow.get(30, TimeUnit.SECONDS);
            assertEquals(200, answer.status(), answer.describe());
            assertEquals("slept 3000\n", answer.bodyText());
            assertTrue(server.process.waitFor(30, TimeUnit.SECONDS), "the process did not exit");
            assertEquals(0, server.process.exitValue(), server.output());
            assertTrue(System.nanoTime() - signalled < TimeUnit.SECONDS.toNanos(20),
                    "the drain waited for the full graceful timeout instead of the request in flight");
        }
    }

    private static RawResponse get(int port, String target) throws Exception {
        return RawHttpConnection.exchange(new InetSocketAddress("127.0.0.1", port), RawRequest.get(target));
    }

    private static boolean refuses(int port) throws Exception {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress("127.0.0.1", port), 2000);
            return false;
        } catch (SocketException refused) {
            // ConnectException, or a reset: a connect that raced the listener's close was taken into the
            // backlog and reset with it. Either way no connection was made.
            return true;
        }
    }
}
