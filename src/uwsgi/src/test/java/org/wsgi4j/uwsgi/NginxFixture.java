package org.wsgi4j.uwsgi;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketAddress;
import java.net.UnixDomainSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Assertions;
import org.junit.jupiter.api.Assumptions;

/**
 * A real nginx in front of a uwsgi address, configured with the file users copy
 * ({@code docker/nginx/wsgi4j-uwsgi.conf}) and run in the foreground as the test user, every file
 * it writes under {@code dir}. Reusable by any test that needs "through nginx":
 *
 * <pre>{@code
 * try (NginxFixture nginx = NginxFixture.start(listener.address(), dir)) {
 *     ... connect to 127.0.0.1:nginx.httpPort() ...
 * }
 * }</pre>
 *
 * When nginx is not installed, {@link #start} fails the test if {@code WSGI4J_REQUIRE_NGINX} is set
 * (CI) and skips it with a message otherwise.
 */
public final class NginxFixture implements AutoCloseable {

    private static final long READY_TIMEOUT_MILLIS = 30_000;
    /** The shipped {@code location / {...}} block, indented four spaces; group 1 is its body. */
    private static final Pattern ROOT_LOCATION = Pattern.compile("(?m)^    location / \\{\n((?:(?!    \\}\n).*\n)*)    \\}\n");

    private final Process process;
    private final int httpPort;
    private final Path dir;

    private NginxFixture(Process process, int httpPort, Path dir) {
        this.process = process;
        this.httpPort = httpPort;
        this.dir = dir;
    }

    /** The nginx binary, if installed. */
    public static Optional<Path> binary() {
        for (String candidate : new String[] {"/usr/sbin/nginx", "/usr/local/sbin/nginx", "/usr/bin/nginx"}) {
            if (Files.isExecutable(Path.of(candidate))) {
                return Optional.of(Path.of(candidate));
            }
        }
        return Optional.empty();
    }

    /** Skips (or, with WSGI4J_REQUIRE_NGINX set, fails) the calling test when nginx is missing. */
    public static Path requireBinary() {
        Optional<Path> binary = binary();
        if (binary.isEmpty()) {
            String message = "nginx is not installed (looked in /usr/sbin, /usr/local/sbin, /usr/bin)";
            if (System.getenv("WSGI4J_REQUIRE_NGINX") != null) {
                Assertions.fail(message + " and WSGI4J_REQUIRE_NGINX is set");
            }
            System.err.println("SKIPPED nginx tests: " + message + "; install nginx-light to run them");
            Assumptions.abort(message);
        }
        return binary.get();
    }

    /** Starts nginx proxying to {@code uwsgi} and returns once it accepts HTTP connections. */
    public static NginxFixture start(SocketAddress uwsgi, Path dir) throws IOException, InterruptedException {
        return start(uwsgi, dir, List.of());
    }

    /**
     * Starts nginx proxying to {@code uwsgi}, with one more location per entry of
     * {@code locations} ({@code "/app/"}): a copy of the shipped {@code location /} block as
     * {@code location /app/} plus {@code uwsgi_param SCRIPT_NAME /app;}, which is what the
     * config's comment tells users to write ({@code "/bare"}, without the trailing slash, is the
     * mistake SPEC E3 refuses requests for); the copy leaves SERVER_NAME as {@code uwsgi_params}
     * sends it and sends HTTP_HOST twice (see {@link #withScriptNameLocations}). Returns once nginx
     * accepts HTTP connections.
     */
    public static NginxFixture start(SocketAddress uwsgi, Path dir, List<String> locations)
            throws IOException, InterruptedException {
        Path binary = requireBinary();
        Files.createDirectories(dir);
        Path configDir = configDirectory();
        String server = uwsgi instanceof UnixDomainSocketAddress unix
                ? "unix:" + unix.getPath().toAbsolutePath()
                : "127.0.0.1:" + ((InetSocketAddress) uwsgi).getPort();
        IOException last = null;
        for (int attempt = 0; attempt < 3; attempt++) {
            int port = freePort();
            Files.copy(configDir.resolve("uwsgi_params"), dir.resolve("uwsgi_params"),
                    java.nio.file.StandardCopyOption.REPLACE_EXISTING);
            Files.writeString(dir.resolve("wsgi4j-uwsgi.conf"),
                    withScriptNameLocations(Files.readString(configDir.resolve("wsgi4j-uwsgi.conf")), locations)
                            // [::1] too, on the same port, for SPEC E9 over IPv6.
                            .replace("listen {{LISTEN}};", "listen {{LISTEN}};\n    listen [::1]:" + port + ";")
                            .replace("{{LISTEN}}", "127.0.0.1:" + port)
                            .replace("{{UWSGI_SERVER}}", server)
                            .replace("{{UWSGI_PARAMS}}", dir.resolve("uwsgi_params").toString()));
            String main;
            try (InputStream in = NginxFixture.class.getResourceAsStream("/nginx/nginx-test.conf")) {
                main = new String(in.readAllBytes(), StandardCharsets.UTF_8);
            }
            // A root master would run its workers as "nobody", who cannot open the test's files.
            String user = "root".equals(System.getProperty("user.name")) ? "user root;" : "";
            Files.writeString(dir.resolve("nginx.conf"), main.replace("{{DIR}}", dir.toString()).replace("{{USER}}", user));
            Process process = new ProcessBuilder(binary.toString(), "-p", dir.toString(), "-c",
                    dir.resolve("nginx.conf").toString(), "-e", dir.resolve("error.log").toString())
                    .redirectErrorStream(true)
                    .redirectOutput(dir.resolve("stdout.log").toFile())
                    .start();
            if (awaitListening(process, port)) {
                return new NginxFixture(process, port, dir);
            }
            process.destroyForcibly().waitFor(30, TimeUnit.SECONDS);
            last = new IOException("nginx did not start on port " + port + ":\n" + log(dir));
        }
        throw last;
    }

    public int httpPort() {
        return httpPort;
    }

    /** nginx's error log so far, for assertion messages. */
    public String errorLog() {
        return log(dir);
    }

    @Override
    public void close() throws InterruptedException {
        process.destroy();
        if (!process.waitFor(30, TimeUnit.SECONDS)) {
            process.destroyForcibly().waitFor(30, TimeUnit.SECONDS);
        }
    }

    /** Copies the shipped root location once per location, placed before it; SCRIPT_NAME is the location without a trailing '/'. */
    private static String withScriptNameLocations(String config, List<String> prefixes) {
        Matcher root = ROOT_LOCATION.matcher(config);
        if (!root.find()) {
            throw new IllegalStateException("the shipped config has no 'location / { ... }' block to copy:\n" + config);
        }
        StringBuilder locations = new StringBuilder();
        // The copies keep nginx's stock SERVER_NAME ($server_name: empty in this catch-all server)
        // and send HTTP_HOST twice, as configs on top of Debian's uwsgi_params do, so SPEC E7's
        // fallback and E8's singleton rule run through a real nginx.
        String body = root.group(1).replace("uwsgi_param SERVER_NAME $host;",
                "uwsgi_param HTTP_HOST $host;\n        uwsgi_param HTTP_HOST $http_host;");
        for (String location : prefixes) {
            String scriptName = location.endsWith("/") ? location.substring(0, location.length() - 1) : location;
            locations.append("    location ").append(location).append(" {\n")
                    .append("        uwsgi_param SCRIPT_NAME ").append(scriptName).append(";\n")
                    .append(body)
                    .append("    }\n\n");
        }
        return config.substring(0, root.start()) + locations + config.substring(root.start());
    }

    private static boolean awaitListening(Process process, int port) throws InterruptedException {
        long deadline = System.currentTimeMillis() + READY_TIMEOUT_MILLIS;
        while (System.currentTimeMillis() < deadline) {
            if (!process.isAlive()) {
                return false;
            }
            try (Socket probe = new Socket("127.0.0.1", port)) {
                return true;
            } catch (IOException notYet) {
                // nginx is an external process: polling its port is the only readiness signal it gives.
                Thread.sleep(50);
            }
        }
        return false;
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        }
    }

    private static Path configDirectory() {
        for (Path at = Path.of("").toAbsolutePath(); at != null; at = at.getParent()) {
            Path candidate = at.resolve("docker/nginx");
            if (Files.isRegularFile(candidate.resolve("wsgi4j-uwsgi.conf"))) {
                return candidate;
            }
        }
        throw new IllegalStateException("docker/nginx/wsgi4j-uwsgi.conf not found above " + Path.of("").toAbsolutePath());
    }

    private static String log(Path dir) {
        StringBuilder text = new StringBuilder();
        for (String name : new String[] {"error.log", "stdout.log"}) {
            try {
                text.append(Files.readString(dir.resolve(name)));
            } catch (IOException e) {
                text.append("(no ").append(name).append(")\n");
            }
        }
        return text.toString();
    }
}
