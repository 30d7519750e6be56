package org.wsgi4j.docker;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import java.io.ByteArrayOutputStream;
import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Assertions;
import org.junit.jupiter.api.Assumptions;

/**
 * What the checks share: where docker/ is, and how a real tool runs on it. Each tool is an outside
 * program (nginx, docker-compose, node with the packages of docker/checks/package-lock.json);
 * when one is missing the check fails under CI (the {@code CI} variable is set, and .ci/run
 * installs them all) and is skipped with a message elsewhere.
 */
final class Checks {

    static final Path REPOSITORY = Path.of(System.getProperty("wsgi4j.repository", "../..")).toAbsolutePath().normalize();
    static final Path DOCKER = REPOSITORY.resolve("docker");
    /** Where checks write the files they render or break on purpose. */
    static final Path WORK = Path.of(System.getProperty("wsgi4j.work.dir", "target/checks")).toAbsolutePath();

    private static final Path NPM = Path.of(System.getProperty("wsgi4j.npm.dir", "target/npm")).toAbsolutePath();
    private static final long TOOL_TIMEOUT_SECONDS = 120;
    private static final ObjectMapper YAML = YAMLMapper.builder().build();
    private static boolean npmInstalled;

    private Checks() {
    }

    /** What a tool printed (standard output and error together) and its exit status. */
    record Result(int exitCode, String output) {
    }

    /** Runs {@code command} in {@code directory} and waits for it. */
    static Result run(Path directory, List<String> command) throws IOException, InterruptedException {
        return run(directory, command, TOOL_TIMEOUT_SECONDS);
    }

    /** Runs {@code command} in {@code directory}; fails the test when it takes over {@code timeoutSeconds}. */
    static Result run(Path directory, List<String> command, long timeoutSeconds) throws IOException, InterruptedException {
        ProcessBuilder builder = new ProcessBuilder(command).directory(directory.toFile()).redirectErrorStream(true);
        // The test harness's own WSGI4J_* variables (WSGI4J_REQUIRE_NGINX) are no settings, and
        // wsgi4j-server refuses to start under a WSGI4J_* variable it does not know.
        builder.environment().keySet().removeIf(name -> name.startsWith("WSGI4J_"));
        Process process = builder.start();
        process.getOutputStream().close();
        ByteArrayOutputStream output = new ByteArrayOutputStream();
        Thread reader = new Thread(() -> {
            try (InputStream in = process.getInputStream()) {
                in.transferTo(output);
            } catch (IOException e) {
                // the process was killed; what it printed so far is in output
            }
        });
        reader.start();
        if (!process.waitFor(timeoutSeconds, TimeUnit.SECONDS)) {
            process.destroyForcibly().waitFor(30, TimeUnit.SECONDS);
            reader.join(10_000);
            Assertions.fail(String.join(" ", command) + " did not finish within " + timeoutSeconds + " s:\n" + output);
        }
        reader.join();
        return new Result(process.exitValue(), output.toString(StandardCharsets.UTF_8));
    }

    /** Stops a process the checks started: SIGTERM, then SIGKILL if it is still there after 60 s. */
    static void stop(Process process) throws InterruptedException {
        if (process == null) {
            return;
        }
        process.destroy();
        if (!process.waitFor(60, TimeUnit.SECONDS)) {
            process.destroyForcibly().waitFor(30, TimeUnit.SECONDS);
        }
    }

    /**
     * The executable {@code name} from PATH or the system directories; fails the test under CI and
     * skips it elsewhere when the tool is not installed.
     */
    static Path tool(String name, String howToInstall) {
        List<String> directories = new ArrayList<>(Arrays.asList(System.getenv().getOrDefault("PATH", "").split(File.pathSeparator)));
        directories.addAll(List.of("/usr/local/sbin", "/usr/sbin", "/sbin"));
        for (String directory : directories) {
            Path candidate = Path.of(directory.isEmpty() ? "." : directory, name);
            if (Files.isRegularFile(candidate) && Files.isExecutable(candidate)) {
                return candidate;
            }
        }
        String message = name + " is not installed (" + howToInstall + ")";
        if (System.getenv("CI") != null) {
            Assertions.fail(message + "; CI is set, so the check may not be skipped");
        }
        System.err.println("SKIPPED docker/ checks that need " + message);
        Assumptions.abort(message);
        throw new AssertionError("unreachable");
    }

    /**
     * Runs {@code script} of docker/checks with node and the exact packages of its
     * package-lock.json, installed once by {@code npm ci} under target/.
     */
    static Result node(String script, List<Path> arguments) throws IOException, InterruptedException {
        Path node = tool("node", "Debian: apt-get install nodejs npm");
        Path directory = npmPackages();
        List<String> command = new ArrayList<>(List.of(node.toString(), directory.resolve(script).toString()));
        arguments.forEach(argument -> command.add(argument.toString()));
        return run(REPOSITORY, command);
    }

    private static synchronized Path npmPackages() throws IOException, InterruptedException {
        if (npmInstalled) {
            return NPM;
        }
        Path npm = tool("npm", "Debian: apt-get install nodejs npm");
        Path checks = DOCKER.resolve("checks");
        Files.createDirectories(NPM);
        byte[] lock = Files.readAllBytes(checks.resolve("package-lock.json"));
        boolean current = Files.isDirectory(NPM.resolve("node_modules"))
                && Files.exists(NPM.resolve("package-lock.json"))
                && Arrays.equals(lock, Files.readAllBytes(NPM.resolve("package-lock.json")));
        try (var files = Files.list(checks)) {
            for (Path file : files.filter(f -> f.toString().endsWith(".js") || f.toString().endsWith(".json")).toList()) {
                Files.copy(file, NPM.resolve(file.getFileName()), StandardCopyOption.REPLACE_EXISTING);
            }
        }
        if (!current) {
            Result install = run(NPM, List.of(npm.toString(), "ci", "--no-audit", "--no-fund", "--ignore-scripts"));
            Assertions.assertEquals(0, install.exitCode(), () -> "npm ci in " + NPM + " failed:\n" + install.output());
        }
        npmInstalled = true;
        return NPM;
    }

    /** The one YAML document in {@code text}. */
    static JsonNode yaml(String text) throws IOException {
        return YAML.readTree(text);
    }

    /** Every YAML document in {@code file}, in order. */
    static List<JsonNode> yamlDocuments(Path file) throws IOException {
        List<JsonNode> documents = new ArrayList<>();
        try (var parser = new YAMLFactory().createParser(file.toFile())) {
            var iterator = YAML.readValues(parser, JsonNode.class);
            while (iterator.hasNext()) {
                documents.add(iterator.next());
            }
        }
        return documents;
    }

    static String read(Path file) throws IOException {
        return Files.readString(file);
    }

    /** Writes {@code content} to WORK/{@code name} and returns the file. */
    static Path write(String name, String content) throws IOException {
        Path file = WORK.resolve(name);
        Files.createDirectories(file.getParent());
        Files.writeString(file, content);
        return file;
    }

    /**
     * {@code text} with the first match of {@code regex} (multi-line mode) replaced; fails when
     * nothing matched, so a check meant to break a file never passes on an unbroken one.
     */
    static String breaking(String text, String regex, String replacement) {
        Matcher matcher = Pattern.compile(regex, Pattern.MULTILINE).matcher(text);
        Assertions.assertTrue(matcher.find(), () -> "nothing matches /" + regex + "/ to break");
        return matcher.replaceFirst(replacement);
    }

    /** An integer option {@code -XX:NAME=N} in a JVM option string. */
    static int jvmOption(String options, String name) {
        Matcher matcher = Pattern.compile("-XX:" + name + "=(\\d+)").matcher(options);
        Assertions.assertTrue(matcher.find(), () -> "no -XX:" + name + " in '" + options + "'");
        return Integer.parseInt(matcher.group(1));
    }
}
