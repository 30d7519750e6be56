package org.wsgi4j.jetty;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.wsgi4j.conformance.Await;

/**
 * The executable jar started as a process, the way an operator runs it; its output goes to files
 * under target/ (named after the test) and is read back for the ports it printed.
 */
final class ServerProcess implements AutoCloseable {

    private static final Pattern LISTENING = Pattern.compile("listening on (\\S+ )?(?:http://)?(\\S+):(\\d+)");

    final Process process;
    final Path log;

    private ServerProcess(Process process, Path log) {
        this.process = process;
        this.log = log;
    }

    /** Starts {@code java -jar wsgi4j-server.jar ARGS} with the test classes on {@code --classpath}. */
    static ServerProcess start(String name, String... args) throws IOException {
        Path jar = Path.of(System.getProperty("wsgi4j.server.jar", "target/wsgi4j-server.jar"));
        Path log = Files.createDirectories(Path.of("target", "process-logs")).resolve(name + ".log");
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-jar", jar.toString(), "--classpath", Path.of("target", "test-classes").toString()));
        command.addAll(List.of(args));
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile());
        // The server refuses unknown WSGI4J_* variables; CI's WSGI4J_REQUIRE_NGINX/_FLASK are the tests' own.
        builder.environment().keySet().removeIf(variable -> variable.startsWith("WSGI4J_REQUIRE_"));
        Process process = builder.start();
        return new ServerProcess(process, log);
    }

    /** Waits for the line announcing the listener whose kind is {@code kind} ("http", "stats", "uwsgi"). */
    int port(String kind) throws Exception {
        int[] port = {-1};
        try {
            Await.until("a '" + kind + "' listener announced", Duration.ofSeconds(60), () -> {
                port[0] = announcedPort(kind);
                if (port[0] < 0 && !process.isAlive()) {
                    throw new IllegalStateException("the server exited with " + process.exitValue() + ":\n" + output());
                }
                return port[0] >= 0;
            });
        } catch (AssertionError e) {
            throw new AssertionError(e.getMessage() + "; the server's output:\n" + output(), e);
        }
        return port[0];
    }

    private int announcedPort(String kind) throws IOException {
        for (String line : Files.readAllLines(log)) {
            Matcher matcher = LISTENING.matcher(line);
            if (matcher.find()) {
                String prefix = matcher.group(1) == null ? "http" : matcher.group(1).strip();
                if (prefix.equals(kind)) {
                    return Integer.parseInt(matcher.group(3));
                }
            }
        }
        return -1;
    }

    String output() throws IOException {
        return Files.readString(log);
    }

    @Override
    public void close() throws Exception {
        if (process.isAlive()) {
            process.destroyForcibly().waitFor();
        }
    }
}
