package org.wsgi4j.docker;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * docker/healthcheck.sh, the HEALTHCHECK of both images, run by the real bash against a real HTTP
 * server: healthy on 200 only.
 */
class HealthCheckScriptTest {

    private static HttpServer server;

    @BeforeAll
    static void startServer() throws IOException {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/health", exchange -> {
            exchange.sendResponseHeaders(200, -1);
            exchange.close();
        });
        server.createContext("/draining", exchange -> {
            exchange.sendResponseHeaders(503, -1);
            exchange.close();
        });
        server.start();
    }

    @AfterAll
    static void stopServer() {
        server.stop(0);
    }

    /**
     * Runs the script; it must end on its own well within the 30 s given here (it gives up
     * after 4 s without an answer, inside the images' 5 s HEALTHCHECK timeout).
     */
    private static Checks.Result check(String address, String path) throws Exception {
        String bash = Checks.tool("bash", "the images run the check with bash").toString();
        return Checks.run(Checks.REPOSITORY, List.of(bash, Checks.DOCKER.resolve("healthcheck.sh").toString(), address, path),
                30);
    }

    private static String address(int port) {
        return "127.0.0.1:" + port;
    }

    @Test
    void healthyWhenTheAnswerIs200() throws Exception {
        Checks.Result result = check(address(server.getAddress().getPort()), "/health");
        assertEquals(0, result.exitCode(), result::output);
    }

    @Test
    void unhealthyWhenTheAnswerIs503() throws Exception {
        Checks.Result result = check(address(server.getAddress().getPort()), "/draining");
        assertEquals(1, result.exitCode(), result::output);
        assertTrue(result.output().contains("503"), result::output);
    }

    @Test
    void unhealthyWhenTheAnswerIs404() throws Exception {
        assertEquals(1, check(address(server.getAddress().getPort()), "/elsewhere").exitCode());
    }

    @Test
    void unhealthyWhenNothingListens() throws Exception {
        int port;
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            port = socket.getLocalPort();
        }
        Checks.Result result = check(address(port), "/health");
        assertEquals(1, result.exitCode(), result::output);
        assertTrue(result.output().contains("nothing listens"), result::output);
    }

    /** A hung server, which holds the connection until the test ends: the script gives up on its own. */
    @Test
    void unhealthyWhenTheServerNeverAnswers() throws Exception {
        try (ServerSocket silent = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            Thread accepting = new Thread(() -> {
                try {
                    Socket held = silent.accept();
                    try {
                        Thread.sleep(Long.MAX_VALUE);
                    } finally {
                        held.close();
                    }
                } catch (IOException | InterruptedException e) {
                    // the test is over
                }
            });
            accepting.setDaemon(true);
            accepting.start();
            Checks.Result result = check(address(silent.getLocalPort()), "/health");
            accepting.interrupt();
            assertEquals(1, result.exitCode(), result::output);
            assertTrue(result.output().contains("no answer"), result::output);
        }
    }
}
