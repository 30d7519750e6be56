package org.wsgi4j.docker;

import java.time.Duration;
import org.wsgi4j.conformance.Await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The compose setup's front without Docker: the real nginx with docker/nginx/compose.conf in front
 * of two real wsgi4j-server replicas configured as compose.yaml configures them (uwsgi over TCP,
 * the allow list narrowed to loopback, as the compose network is narrowed to its subnet).
 */
class ComposeNginxIT {

    private static ServerReplica first;
    private static ServerReplica second;
    private static Process nginx;
    private static Path dir;
    private static int port;

    @BeforeAll
    static void start() throws Exception {
        Path binary = Checks.tool("nginx", "Debian: apt-get install nginx-light");
        first = replica("first");
        second = replica("second");
        port = ServerReplica.freePort();
        String config = Checks.read(NginxComposeConfigTest.CONFIG)
                .replaceFirst("(?m)^    listen 80;", "    listen 127.0.0.1:" + port + ";")
                .replaceFirst("(?m)^    listen 8081;", "    listen 127.0.0.1:" + ServerReplica.freePort() + ";");
        dir = ComposeNginx.write("compose-nginx", config,
                Map.of("server", List.of("127.0.0.1:" + first.uwsgiPort, "127.0.0.1:" + second.uwsgiPort)));
        nginx = new ProcessBuilder(binary.toString(), "-p", dir.toString(), "-c", dir.resolve("nginx.conf").toString(),
                "-e", dir.resolve("error.log").toString())
                .redirectErrorStream(true).redirectOutput(dir.resolve("stdout.log").toFile()).start();
        // An outside process: its port is the only readiness signal it gives.
        Await.until("nginx listening", Duration.ofSeconds(30), () -> {
            try (Socket probe = new Socket(InetAddress.getLoopbackAddress(), port)) {
                return true;
            } catch (IOException notYet) {
                assertTrue(nginx.isAlive(), () -> "nginx exited:\n" + log("error.log") + log("stdout.log"));
                return false;
            }
        });
    }

    private static ServerReplica replica(String name) throws Exception {
        Map<String, String> env = ServerReplica.environment("compose");
        env.put("WSGI4J_UWSGI_ALLOW", "127.0.0.0/8");
        return ServerReplica.start("compose-" + name, env);
    }

    @AfterAll
    static void stop() throws InterruptedException {
        Checks.stop(nginx);
        for (ServerReplica replica : new ServerReplica[] {first, second}) {
            if (replica != null) {
                replica.close();
            }
        }
    }

    private static String log(String name) {
        try {
            return Files.readString(dir.resolve(name));
        } catch (IOException e) {
            return "";
        }
    }

    /** GET through nginx, addressed to Example.COM with nginx's port. */
    private static String get(String target) throws IOException {
        return exchange("GET " + target + " HTTP/1.1\r\nHost: Example.COM:" + port + "\r\nConnection: close\r\n\r\n");
    }

    /** Sends {@code request} raw to nginx and reads the answer to its end. */
    private static String exchange(String request) throws IOException {
        try (Socket socket = new Socket(InetAddress.getLoopbackAddress(), port)) {
            socket.setSoTimeout(30_000);
            socket.getOutputStream().write(request.getBytes(StandardCharsets.UTF_8));
            return new String(socket.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    @Test
    void staticFilesComeFromNginx() throws IOException {
        String answer = get("/static/robots.txt");
        assertTrue(answer.startsWith("HTTP/1.1 200 "), answer);
        assertTrue(answer.endsWith(Checks.read(Checks.DOCKER.resolve("nginx/static/robots.txt"))), answer);
        assertTrue(answer.contains("Cache-Control: max-age=3600"), answer);
    }

    /**
     * The sample's notes live in the memory of the replica that took the POST; nginx deals the
     * requests round robin, so of the two GETs after it exactly one sees the note.
     */
    @Test
    void requestsReachEveryReplicaOverUwsgi() throws Exception {
        String note = "{\"text\": \"replica-probe\"}";
        String created = exchange("POST /api/notes HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/json\r\n"
                + "Content-Length: " + note.length() + "\r\nConnection: close\r\n\r\n" + note);
        assertTrue(created.startsWith("HTTP/1.1 201 "), created);
        int seen = 0;
        for (int i = 0; i < 2; i++) {
            if (get("/api/notes").contains("replica-probe")) {
                seen++;
            }
        }
        assertEquals(1, seen, "GETs that saw the note, of two dealt to two replicas");
    }

    @Test
    void theApplicationSeesTheRequestAsTheClientSentIt() throws IOException {
        String answer = get("/inspect/a%20b?format=json&x=%41");
        assertTrue(answer.startsWith("HTTP/1.1 200 "), answer);
        assertTrue(answer.contains("\"SCRIPT_NAME\":\"/inspect\""), answer);
        assertTrue(answer.contains("\"PATH_INFO\":\"/a b\""), answer);
        assertTrue(answer.contains("\"REQUEST_URI\":\"/inspect/a%20b?format=json&x=%41\""), answer);
        assertTrue(answer.contains("\"SERVER_NAME\":\"example.com\""), answer);
        assertTrue(answer.contains("\"REMOTE_ADDR\":\"127.0.0.1\""), answer);
    }

    /** Buffering is on in compose.conf; the sample's stream opts out with X-Accel-Buffering: no. */
    @Test
    void aStreamThatOptsOutOfBufferingArrivesEventByEvent() throws IOException {
        try (Socket socket = new Socket(InetAddress.getLoopbackAddress(), port)) {
            socket.setSoTimeout(30_000);
            socket.getOutputStream().write(("GET /stream?n=3&interval_ms=1500 HTTP/1.1\r\nHost: localhost\r\n"
                    + "Connection: close\r\n\r\n").getBytes(StandardCharsets.ISO_8859_1));
            InputStream in = socket.getInputStream();
            StringBuilder received = new StringBuilder();
            byte[] buffer = new byte[8192];
            while (!received.toString().contains("tick")) {
                int n = in.read(buffer);
                assertTrue(n > 0, () -> "the stream ended before its first event:\n" + received);
                received.append(new String(buffer, 0, n, StandardCharsets.UTF_8));
            }
            // Had nginx buffered, the first event would have come with the rest, "done" included.
            assertFalse(received.toString().contains("done"), () -> "the whole stream arrived at once:\n" + received);
            received.append(new String(in.readAllBytes(), StandardCharsets.UTF_8));
            assertTrue(received.toString().contains("done"), received::toString);
        }
    }
}
