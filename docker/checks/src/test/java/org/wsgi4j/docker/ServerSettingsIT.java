package org.wsgi4j.docker;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Disabled;
import org.junit.jupiter.api.Test;

/**
 * Every WSGI4J_* variable that docker/ sets is a setting of the wsgi4j-server it runs: the
 * variable WSGI4J_GRACEFUL_TIMEOUT is the flag --graceful-timeout, and --help lists every flag.
 */
class ServerSettingsIT {

    /** Variables of compose.yaml itself, substituted by docker-compose, not read by the server. */
    private static final Set<String> COMPOSE_VARIABLES = Set.of("WSGI4J_SUBNET");

    @Test
    @Disabled("until the operations settings (issue 9) land: today's jar has no --stats, --graceful-timeout, "
            + "--access-log, --trusted-proxy nor WSGI4J_* variables")
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
        Path jar = Checks.REPOSITORY.resolve("src/server/target/wsgi4j-server.jar");
        assertTrue(Files.isRegularFile(jar), () -> jar + " is not built");
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        Checks.Result help = Checks.run(Checks.REPOSITORY, List.of(java, "-jar", jar.toString(), "--help"));
        assertEquals(0, help.exitCode(), help::output);
        List<String> unknown = flags.stream().filter(flag -> !help.output().contains(flag + " ")).toList();
        assertEquals(List.of(), unknown, () -> "docker/ sets variables for flags wsgi4j-server --help does not list:\n" + help.output());
    }
}
