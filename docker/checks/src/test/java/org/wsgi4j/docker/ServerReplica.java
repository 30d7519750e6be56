package org.wsgi4j.docker;

import java.time.Duration;
import org.wsgi4j.conformance.Await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The real wsgi4j-server jar run as the server image runs it: the Dockerfile's ENV, with
 * compose.yaml's or the Deployment's variables on top, the ports moved to free ones (same
 * interfaces) and the sample's classes to where the build put them; every other value as written.
 * Its output goes to WORK/server-NAME.log.
 */
final class ServerReplica implements AutoCloseable {

    static final Path JAR = Checks.REPOSITORY.resolve("src/server/target/wsgi4j-server.jar");
    private static final Duration START_TIMEOUT = Duration.ofMinutes(2);

    final Map<String, String> env;
    final int httpPort;
    final int uwsgiPort;
    final int statsPort;
    final Path log;
    private final Process process;

    private ServerReplica(Map<String, String> env, Map<String, Integer> ports, Path log, Process process) {
        this.env = env;
        this.httpPort = ports.get("WSGI4J_HTTP");
        this.uwsgiPort = ports.get("WSGI4J_UWSGI");
        this.statsPort = ports.get("WSGI4J_STATS");
        this.log = log;
        this.process = process;
    }

    /** The ENV of docker/server/Dockerfile, in order, quotes removed. */
    static Map<String, String> imageEnv() throws IOException {
        String dockerfile = Checks.read(Checks.DOCKER.resolve("server/Dockerfile")).replace("\\\n", " ");
        Map<String, String> env = new LinkedHashMap<>();
        Pattern assignment = Pattern.compile("(\\w+)=(\"([^\"]*)\"|\\S*)");
        for (String line : dockerfile.lines().filter(l -> l.startsWith("ENV ")).toList()) {
            Matcher matcher = assignment.matcher(line.substring(4));
            while (matcher.find()) {
                env.put(matcher.group(1), matcher.group(3) != null ? matcher.group(3) : matcher.group(2));
            }
        }
        assertTrue(env.containsKey("WSGI4J_STATS"), () -> "the image's ENV: " + env);
        return env;
    }

    /** The image's ENV under {@code source}: "image" alone, "compose" or "kubernetes" on top. */
    static Map<String, String> environment(String source) throws Exception {
        Map<String, String> env = imageEnv();
        switch (source) {
            case "image" -> { }
            case "compose" -> ComposeTest.config().path("services").path("server").path("environment")
                    .properties().forEach(e -> env.put(e.getKey(), e.getValue().asText()));
            case "kubernetes" -> {
                for (JsonNode variable : KubernetesTest.container().path("env")) {
                    env.put(variable.path("name").asText(), variable.path("value").asText());
                }
            }
            default -> throw new IllegalArgumentException(source);
        }
        return env;
    }

    /** Starts the jar under {@code env} (changed as the class comment says) and waits until /health is 200. */
    static ServerReplica start(String name, Map<String, String> env) throws Exception {
        assertTrue(Files.isRegularFile(JAR), () -> JAR + " is not built");
        Map<String, Integer> ports = new LinkedHashMap<>();
        for (String variable : List.of("WSGI4J_HTTP", "WSGI4J_UWSGI", "WSGI4J_STATS")) {
            Matcher port = Pattern.compile(":(\\d+)$").matcher(env.get(variable));
            assertTrue(port.find(), () -> variable + "=" + env.get(variable) + " has no port");
            int free = freePort();
            ports.put(variable, free);
            env.put(variable, env.get(variable).substring(0, port.start()) + ":" + free);
        }
        assertEquals("/app/sample/classes", env.get("WSGI4J_CLASSPATH"), "where the Dockerfile puts the sample's classes");
        env.put("WSGI4J_CLASSPATH", Checks.REPOSITORY.resolve("webapp-sample/target/wsgi4j-sample/WEB-INF/classes").toString());

        Path log = Checks.WORK.resolve("server-" + name + ".log");
        Files.createDirectories(log.getParent());
        ProcessBuilder command = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-jar", JAR.toString()).redirectErrorStream(true).redirectOutput(log.toFile());
        command.environment().keySet().removeIf(variable -> variable.startsWith("WSGI4J_"));
        command.environment().putAll(env);
        ServerReplica replica = new ServerReplica(env, ports, log, command.start());
        try {
            // An outside process: polling its health is what the container runtime does too.
            Await.until("the server healthy under " + env, START_TIMEOUT, () -> {
                assertTrue(replica.process.isAlive(), () -> "the server exited with " + replica.process.exitValue()
                        + " under " + env + ":\n" + replica.log());
                return replica.healthy();
            }, replica::log);
        } catch (Throwable e) {
            replica.close();
            throw e;
        }
        return replica;
    }

    /** The image's health check, docker/healthcheck.sh, on the stats port. */
    boolean healthy() throws Exception {
        Checks.Result check = Checks.run(Checks.REPOSITORY,
                List.of("bash", Checks.DOCKER.resolve("healthcheck.sh").toString(), "127.0.0.1:" + statsPort, "/health"), 30);
        return check.exitCode() == 0;
    }

    /** SIGTERM, as the container runtime sends it; the exit status. */
    int stop() throws InterruptedException {
        process.destroy();
        assertTrue(process.waitFor(60, TimeUnit.SECONDS), "the server did not stop within 60 s of SIGTERM");
        return process.exitValue();
    }

    String log() {
        try {
            return Files.readString(log, StandardCharsets.ISO_8859_1);
        } catch (IOException e) {
            return "(no log: " + e + ")";
        }
    }

    @Override
    public void close() throws InterruptedException {
        process.destroyForcibly().waitFor(30, TimeUnit.SECONDS);
    }

    static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        }
    }
}
