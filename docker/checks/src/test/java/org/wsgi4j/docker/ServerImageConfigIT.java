package org.wsgi4j.docker;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The server image's configuration on the real wsgi4j-server jar: the Dockerfile's ENV, alone and
 * with compose.yaml's or the Deployment's variables on top, must start the server with the sample's
 * applications, pass the image's health check, and stop cleanly (exit 0) on SIGTERM. Ports are
 * moved to free ones and the sample's classes to where the build put them; every other value is
 * used as written, so a value the server refuses fails here with the server's own message.
 */
class ServerImageConfigIT {

    private static final Path JAR = Checks.REPOSITORY.resolve("src/server/target/wsgi4j-server.jar");
    /** compose.yaml's own substitution variables, which never reach the container. */
    private static final Set<String> COMPOSE_VARIABLES = Set.of("WSGI4J_SUBNET");
    private static final long START_TIMEOUT_MILLIS = 120_000;

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

    private static Map<String, String> environment(String source) throws Exception {
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

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"image", "compose", "kubernetes"})
    void theConfigurationStartsTheServerThatPassesTheHealthCheckAndStopsCleanly(String source) throws Exception {
        assertTrue(Files.isRegularFile(JAR), () -> JAR + " is not built");
        Map<String, String> env = environment(source);
        Map<String, Integer> ports = new LinkedHashMap<>();
        for (String name : List.of("WSGI4J_HTTP", "WSGI4J_UWSGI", "WSGI4J_STATS")) {
            Matcher port = Pattern.compile(":(\\d+)$").matcher(env.get(name));
            assertTrue(port.find(), () -> name + "=" + env.get(name) + " has no port");
            int free = freePort();
            ports.put(name, free);
            env.put(name, env.get(name).substring(0, port.start()) + ":" + free);
        }
        assertEquals("/app/sample/classes", env.get("WSGI4J_CLASSPATH"), "where the Dockerfile puts the sample's classes");
        env.put("WSGI4J_CLASSPATH", Checks.REPOSITORY.resolve("webapp-sample/target/wsgi4j-sample/WEB-INF/classes").toString());

        Path log = Checks.WORK.resolve("server-" + source + ".log");
        Files.createDirectories(log.getParent());
        ProcessBuilder command = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-jar", JAR.toString()).redirectErrorStream(true).redirectOutput(log.toFile());
        command.environment().keySet().removeIf(name -> name.startsWith("WSGI4J_"));
        command.environment().putAll(env);
        Process server = command.start();
        try {
            int stats = ports.get("WSGI4J_STATS");
            long deadline = System.currentTimeMillis() + START_TIMEOUT_MILLIS;
            while (!healthy(stats)) {
                assertTrue(server.isAlive(), () -> "the server exited with " + server.exitValue() + " under the "
                        + source + " configuration " + env + ":\n" + read(log));
                assertTrue(System.currentTimeMillis() < deadline, () -> "not healthy in time:\n" + read(log));
                // An outside process: polling its health is what the container runtime does too.
                Thread.sleep(200);
            }
            String index = get(ports.get("WSGI4J_HTTP"), "/");
            assertTrue(index.startsWith("HTTP/1.1 200 "), () -> "GET / on the sample:\n" + index);

            server.destroy();
            assertTrue(server.waitFor(60, TimeUnit.SECONDS), "the server did not stop after SIGTERM");
            assertEquals(0, server.exitValue(), () -> "exit status after SIGTERM:\n" + read(log));
        } finally {
            server.destroyForcibly().waitFor(30, TimeUnit.SECONDS);
        }
    }

    @Test
    void everyWsgi4jVariableInDockerIsAServerFlag() throws Exception {
        Set<String> flags = new TreeSet<>();
        // Where a variable is set: ENV NAME=..., compose's NAME: ..., the Deployment's "name: NAME".
        Pattern variable = Pattern.compile("\\bWSGI4J_([A-Z0-9_]+)\\s*[=:]|name:\\s*WSGI4J_([A-Z0-9_]+)");
        try (Stream<Path> files = Files.walk(Checks.DOCKER)) {
            for (Path file : files.filter(Files::isRegularFile)
                    .filter(f -> !f.toString().contains("/target/") && !f.toString().contains("/node_modules/"))
                    .filter(f -> f.getFileName().toString().matches("Dockerfile|.*\\.ya?ml")).toList()) {
                Matcher matcher = variable.matcher(Checks.read(file));
                while (matcher.find()) {
                    String name = matcher.group(1) != null ? matcher.group(1) : matcher.group(2);
                    if (!COMPOSE_VARIABLES.contains("WSGI4J_" + name)) {
                        flags.add("--" + name.toLowerCase().replace('_', '-'));
                    }
                }
            }
        }
        assertTrue(flags.contains("--graceful-timeout"), () -> "found: " + flags);
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        Checks.Result help = Checks.run(Checks.REPOSITORY, List.of(java, "-jar", JAR.toString(), "--help"));
        assertEquals(0, help.exitCode(), help::output);
        List<String> unknown = flags.stream().filter(flag -> !help.output().contains(flag + " ")).toList();
        assertEquals(List.of(), unknown, () -> "docker/ sets variables for flags wsgi4j-server --help does not list:\n" + help.output());
    }

    /** The image's health check, docker/healthcheck.sh, on the stats port. */
    private static boolean healthy(int statsPort) throws Exception {
        Checks.Result check = Checks.run(Checks.REPOSITORY,
                List.of("bash", Checks.DOCKER.resolve("healthcheck.sh").toString(), "127.0.0.1:" + statsPort, "/health"), 30);
        return check.exitCode() == 0;
    }

    private static String get(int port, String path) throws IOException {
        try (Socket socket = new Socket(InetAddress.getLoopbackAddress(), port)) {
            socket.setSoTimeout(30_000);
            socket.getOutputStream().write(("GET " + path + " HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n")
                    .getBytes(StandardCharsets.ISO_8859_1));
            return new String(socket.getInputStream().readAllBytes(), StandardCharsets.ISO_8859_1);
        }
    }

    private static String read(Path log) {
        try {
            return Files.readString(log, StandardCharsets.ISO_8859_1);
        } catch (IOException e) {
            return "(no log: " + e + ")";
        }
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        }
    }
}
