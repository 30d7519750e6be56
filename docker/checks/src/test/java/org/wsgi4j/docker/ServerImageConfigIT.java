package org.wsgi4j.docker;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.InetAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
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

    /** compose.yaml's own substitution variables, which never reach the container. */
    private static final Set<String> COMPOSE_VARIABLES = Set.of("WSGI4J_SUBNET");

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"image", "compose", "kubernetes"})
    void theConfigurationStartsTheServerThatPassesTheHealthCheckAndStopsCleanly(String source) throws Exception {
        try (ServerReplica server = ServerReplica.start(source, ServerReplica.environment(source))) {
            String index = get(server.httpPort, "/");
            assertTrue(index.startsWith("HTTP/1.1 200 "), () -> "GET / on the sample:\n" + index);
            assertEquals(0, server.stop(), () -> "exit status after SIGTERM:\n" + server.log());
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
        Checks.Result help = Checks.run(Checks.REPOSITORY, List.of(java, "-jar", ServerReplica.JAR.toString(), "--help"));
        assertEquals(0, help.exitCode(), help::output);
        List<String> unknown = flags.stream().filter(flag -> !help.output().contains(flag + " ")).toList();
        assertEquals(List.of(), unknown, () -> "docker/ sets variables for flags wsgi4j-server --help does not list:\n" + help.output());
    }

    private static String get(int port, String path) throws IOException {
        try (Socket socket = new Socket(InetAddress.getLoopbackAddress(), port)) {
            socket.setSoTimeout(30_000);
            socket.getOutputStream().write(("GET " + path + " HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n")
                    .getBytes(StandardCharsets.ISO_8859_1));
            return new String(socket.getInputStream().readAllBytes(), StandardCharsets.ISO_8859_1);
        }
    }
}
