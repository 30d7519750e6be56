package org.wsgi4j.docker;

import java.time.Duration;
import org.wsgi4j.conformance.Await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * What docker/tomcat/Dockerfile puts into the image, run on the real Tomcat distribution it is
 * built on: its server.xml (the port moved off 8080) and logging.properties, the sample WAR as
 * ROOT, the image's JAVA_OPTS, started with "catalina.sh run" like the image's ENTRYPOINT.
 */
class TomcatImageConfigIT {

    private static final Duration START_TIMEOUT = Duration.ofMinutes(3);
    private static final Path TOMCAT = Checks.DOCKER.resolve("tomcat");
    private static final Path STDOUT = Checks.WORK.resolve("tomcat-stdout.log");
    private static Path base;
    private static Process tomcat;
    private static int port;

    @BeforeAll
    static void startTomcat() throws Exception {
        Path home = Path.of(System.getProperty("wsgi4j.tomcat.home"));
        base = Checks.WORK.resolve("tomcat-base");
        deleteRecursively(base);
        for (String dir : List.of("conf", "logs", "temp", "webapps", "work")) {
            Files.createDirectories(base.resolve(dir));
        }
        try (var conf = Files.list(home.resolve("conf"))) {
            for (Path file : conf.filter(Files::isRegularFile).toList()) {
                Files.copy(file, base.resolve("conf").resolve(file.getFileName()));
            }
        }
        port = freePort();
        String serverXml = Checks.read(TOMCAT.resolve("server.xml"));
        String moved = serverXml.replace("<Connector port=\"8080\"", "<Connector port=\"" + port + "\"");
        assertTrue(!moved.equals(serverXml), "docker/tomcat/server.xml has no <Connector port=\"8080\"");
        Files.writeString(base.resolve("conf/server.xml"), moved);
        Files.copy(TOMCAT.resolve("logging.properties"), base.resolve("conf/logging.properties"), StandardCopyOption.REPLACE_EXISTING);
        Files.copy(Path.of(System.getProperty("wsgi4j.sample.war")), base.resolve("webapps/ROOT.war"));

        ProcessBuilder command = new ProcessBuilder("sh", home.resolve("bin/catalina.sh").toString(), "run")
                .redirectErrorStream(true);
        Map<String, String> env = command.environment();
        env.put("CATALINA_HOME", home.toString());
        env.put("CATALINA_BASE", base.toString());
        env.put("JAVA_HOME", System.getProperty("java.home"));
        env.put("JAVA_OPTS", imageJavaOpts());
        env.remove("CATALINA_OPTS");
        // Through a pipe, as in a container: the access log opens /dev/stdout itself, which for a
        // file (a plain redirect) would be a second, overwriting, file position.
        OutputStream log = Files.newOutputStream(STDOUT);
        tomcat = command.start();
        Thread copy = new Thread(() -> {
            try (InputStream in = tomcat.getInputStream(); OutputStream out = log) {
                byte[] buffer = new byte[8192];
                for (int n; (n = in.read(buffer)) != -1; ) {
                    out.write(buffer, 0, n);
                    out.flush();
                }
            } catch (IOException e) {
                // Tomcat is gone
            }
        });
        copy.setDaemon(true);
        copy.start();
        // An outside process: its log is the only signal that start-up is over.
        Await.until("Tomcat's 'Server startup in' line", START_TIMEOUT, () -> {
            assertTrue(tomcat.isAlive(), () -> "Tomcat exited while starting:\n" + stdout());
            return stdout().contains("Server startup in");
        }, TomcatImageConfigIT::stdout);
    }

    @AfterAll
    static void stopTomcat() throws InterruptedException {
        Checks.stop(tomcat);
    }

    /** JAVA_OPTS as the Dockerfile's ENV sets it. */
    private static String imageJavaOpts() throws IOException {
        Matcher env = Pattern.compile("(?m)^ENV JAVA_OPTS=\"([^\"]*)\"").matcher(Checks.read(TOMCAT.resolve("Dockerfile")));
        assertTrue(env.find(), "docker/tomcat/Dockerfile sets no JAVA_OPTS");
        return env.group(1);
    }

    /** Tomcat's standard output so far: what the container runtime would collect. */
    private static String stdout() {
        try {
            return Files.exists(STDOUT) ? Files.readString(STDOUT, StandardCharsets.ISO_8859_1) : "";
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Sends {@code request} raw and returns everything the server sent until it closed or paused 3 s. */
    private static String exchange(String request) throws IOException {
        try (Socket socket = new Socket(InetAddress.getLoopbackAddress(), port)) {
            socket.setSoTimeout(3_000);
            OutputStream out = socket.getOutputStream();
            out.write(request.getBytes(StandardCharsets.ISO_8859_1));
            out.flush();
            InputStream in = socket.getInputStream();
            StringBuilder answer = new StringBuilder();
            byte[] buffer = new byte[8192];
            try {
                for (int n; (n = in.read(buffer)) != -1; ) {
                    answer.append(new String(buffer, 0, n, StandardCharsets.ISO_8859_1));
                }
            } catch (java.net.SocketTimeoutException paused) {
                // the server waits for more of the request: what it sent so far is the answer
            }
            return answer.toString();
        }
    }

    @Test
    void theImagesHealthCheckPassesOnTheSample() throws Exception {
        String bash = Checks.tool("bash", "the image runs the check with bash").toString();
        Checks.Result check = Checks.run(Checks.REPOSITORY,
                List.of(bash, Checks.DOCKER.resolve("healthcheck.sh").toString(), "127.0.0.1:" + port, "/"), 30);
        assertEquals(0, check.exitCode(), check::output);
    }

    @Test
    void tomcatDoesNotAnswer100ContinueForABodyTheApplicationNeverReads() throws IOException {
        // SPEC S21: the index refuses POST without reading; with Tomcat's default timing the
        // client would get "100 Continue" first and upload the body for nothing.
        String answer = exchange("POST / HTTP/1.1\r\nHost: localhost\r\nExpect: 100-continue\r\n"
                + "Content-Length: 1000000\r\nConnection: close\r\n\r\n");
        assertTrue(answer.startsWith("HTTP/1.1 405 "), () -> "expected 405 without 100 Continue:\n" + answer);
    }

    @Test
    void theClientAddressComesFromXForwardedForThroughTheProxy() throws IOException {
        String answer = exchange("GET /inspect?format=json HTTP/1.1\r\nHost: localhost\r\n"
                + "X-Forwarded-For: 203.0.113.7\r\nX-Forwarded-Proto: https\r\nConnection: close\r\n\r\n");
        assertTrue(answer.startsWith("HTTP/1.1 200 "), answer);
        assertTrue(answer.contains("\"REMOTE_ADDR\":\"203.0.113.7\""), answer);
        assertTrue(answer.contains("\"HTTPS\":\"on\""), answer);
    }

    @Test
    void theAccessLogGoesToStandardOutputWithTheForwardedClient() throws Exception {
        exchange("GET /inspect?access-log-probe HTTP/1.1\r\nHost: localhost\r\nX-Forwarded-For: 198.51.100.9\r\n"
                + "Connection: close\r\n\r\n");
        Pattern line = Pattern.compile("(?m)^198\\.51\\.100\\.9 .*\"GET /inspect\\?access-log-probe HTTP/1.1\" 200");
        Await.until("the access log line on standard output", Duration.ofSeconds(10),
                () -> line.matcher(stdout()).find(), TomcatImageConfigIT::stdout);
    }

    @Test
    void nothingIsLoggedToFiles() throws IOException {
        try (var logs = Files.list(base.resolve("logs"))) {
            assertEquals(List.of(), logs.map(f -> f.getFileName().toString()).sorted().toList(), "files in logs/");
        }
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        }
    }

    private static void deleteRecursively(Path root) throws IOException {
        if (!Files.exists(root)) {
            return;
        }
        try (var files = Files.walk(root)) {
            for (Path file : files.sorted(java.util.Comparator.reverseOrder()).toList()) {
                Files.delete(file);
            }
        }
    }
}
