package org.wsgi4j.docker;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The Dockerfiles under docker/, through docker/checks/lint-dockerfile.js: Docker's syntax
 * (dockerfile-utils) and the rules of a shipped image (pinned base images, a non-root USER, a
 * HEALTHCHECK, an exec-form ENTRYPOINT).
 */
class DockerfileLintTest {

    private static final Path SERVER = Checks.DOCKER.resolve("server/Dockerfile");
    private static final Path TOMCAT = Checks.DOCKER.resolve("tomcat/Dockerfile");

    static Stream<Path> dockerfiles() throws IOException {
        try (Stream<Path> files = Files.walk(Checks.DOCKER)) {
            List<Path> found = files.filter(f -> f.getFileName().toString().equals("Dockerfile"))
                    .filter(f -> !f.toString().contains("node_modules") && !f.toString().contains("target"))
                    .sorted().toList();
            assertTrue(found.containsAll(List.of(SERVER, TOMCAT)), () -> "the images' Dockerfiles are missing: " + found);
            return found.stream();
        }
    }

    @ParameterizedTest
    @MethodSource("dockerfiles")
    void shippedDockerfilePassesTheLinter(Path dockerfile) throws Exception {
        Checks.Result lint = Checks.node("lint-dockerfile.js", List.of(dockerfile));
        assertEquals(0, lint.exitCode(), lint::output);
    }

    @Test
    void tomcatImageIsTheTomcatTheBuildTests() throws IOException {
        String version = System.getProperty("wsgi4j.tomcat10.version");
        Matcher from = Pattern.compile("(?m)^FROM tomcat:(\\S+)").matcher(Checks.read(TOMCAT));
        assertTrue(from.find(), "docker/tomcat/Dockerfile has no FROM tomcat:...");
        assertTrue(from.group(1).startsWith(version + "-jre17"),
                () -> "the image is tomcat:" + from.group(1) + ", src/tomcat-it tests Tomcat " + version + " (tomcat10.version)");
    }

    /** Each rule, broken once in a copy of the server's Dockerfile: the linter must refuse it. */
    @Nested
    class TheLinterRefuses {

        @ParameterizedTest(name = "{0}")
        @CsvSource(delimiter = '|', textBlock = """
                a latest base image       | ^FROM eclipse-temurin:\\S+          | FROM eclipse-temurin:latest           | tag 'latest' does not start with a MAJOR.MINOR version
                an untagged base image    | ^FROM eclipse-temurin:\\S+          | FROM eclipse-temurin                  | has no tag
                a major-only build image  | ^FROM maven:.*                       | FROM maven:3-eclipse-temurin AS build | tag '3-eclipse-temurin' does not start
                no USER                   | ^USER .*\\n                         | ''                                    | has no USER
                USER root                 | ^USER .*                            | USER root                             | runs as 'root'
                USER 0                    | ^USER .*                            | USER 0:0                              | runs as '0'
                no HEALTHCHECK            | ^HEALTHCHECK (.*\\\\\\n)*.*\\n      | ''                                    | has no HEALTHCHECK
                HEALTHCHECK NONE          | ^HEALTHCHECK (.*\\\\\\n)*.*\\n      | HEALTHCHECK NONE\\n                   | must run a command
                a shell-form ENTRYPOINT   | ^ENTRYPOINT .*                      | ENTRYPOINT java -jar /app/x.jar       | must be in exec form
                no ENTRYPOINT             | ^ENTRYPOINT .*\\n                   | ''                                    | has no ENTRYPOINT
                an unknown instruction    | ^EXPOSE                             | EXPOS                                 | Unknown instruction: EXPOS
                an unknown flag           | --start-period=                     | --start-periods=                      | Unknown flag: start-periods
                """)
        void aDockerfileWith(String broken, String regex, String replacement, String expected) throws Exception {
            String original = Checks.read(SERVER);
            String mutant = Checks.breaking(original, regex, replacement.replace("\\n", "\n"));
            assertNotEquals(original, mutant);
            Path file = Checks.write("dockerfiles/" + broken.replace(' ', '-') + "/Dockerfile", mutant);
            Checks.Result lint = Checks.node("lint-dockerfile.js", List.of(file));
            assertEquals(1, lint.exitCode(), () -> "the linter passed " + broken + ":\n" + lint.output());
            assertTrue(lint.output().contains(expected), () -> "expected '" + expected + "' in:\n" + lint.output());
        }
    }
}
