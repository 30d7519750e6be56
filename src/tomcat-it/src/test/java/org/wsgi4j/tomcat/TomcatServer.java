package org.wsgi4j.tomcat;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * A real Tomcat from an unpacked distribution ({@code org.apache.tomcat:tomcat:zip}, unpacked by
 * the build), started as a child process with {@code bin/catalina.sh run} on its own
 * {@code CATALINA_BASE} under {@code target/}. The integration tests start one per test class and
 * close it in {@code @AfterAll}; a JVM shutdown hook stops it too, so an aborted test run leaves no
 * Tomcat behind. Published in this module's test jar for src/consumer-it.
 *
 * <p>The base gets the distribution's {@code conf/} with a generated {@code server.xml} and
 * {@code logging.properties} (everything to the process output, in order): one HTTP
 * connector on 127.0.0.1 and a port picked free at start, sending {@code 100 Continue} only when
 * the application reads (SPEC S21; Tomcat's default sends it at once), no shutdown port (the process is stopped
 * by a signal), no AJP, no auto-deploy. The process output is kept in
 * {@code CATALINA_BASE/logs/catalina.out} for diagnosis; {@link #logTail} reads it, and
 * {@link #awaitOutput} lets a test wait for a line.
 *
 * <p>{@link #start} returns once Tomcat logged {@code Server startup in}, that is, once every
 * context has been deployed (or has failed to deploy). It throws, with the log's tail in the
 * message, when the process exits first or does not get there within {@link #START_TIMEOUT_SECONDS}.
 */
public final class TomcatServer implements AutoCloseable {

    /** Generous: two Tomcats may start on a loaded 2-core machine. */
    static final int START_TIMEOUT_SECONDS = 180;
    private static final int STOP_TIMEOUT_SECONDS = 60;
    private static final String STARTED = "Server startup in";

    /**
     * Every logger to the console, synchronously: one ordered stream (the distribution's
     * configuration splits it into asynchronously written files), so a test can tell what was
     * logged between two of its requests.
     */
    private static final String LOGGING = """
            handlers = java.util.logging.ConsoleHandler
            .level = INFO
            java.util.logging.ConsoleHandler.level = ALL
            java.util.logging.ConsoleHandler.formatter = org.apache.juli.OneLineFormatter
            java.util.logging.ConsoleHandler.encoding = UTF-8
            """;

    private final String name;
    private final Path base;
    private final int port;
    private final Process process;
    private final Thread output;
    private final Thread shutdownHook;
    private final CountDownLatch started = new CountDownLatch(1);
    /** The process output so far, line by line; guarded by itself, notified on every line. */
    private final List<String> lines = new ArrayList<>();

    private TomcatServer(String name, Path base, int port, ProcessBuilder command) throws IOException {
        this.name = name;
        this.base = base;
        this.port = port;
        this.process = command.start();
        // catalina.sh writes CATALINA_PID only for "start"; written here, it names the process to
        // kill by hand if the test JVM itself was killed before its shutdown hook could run.
        Files.writeString(base.resolve("catalina.pid"), Long.toString(process.pid()));
        this.shutdownHook = new Thread(this::stop, name + " shutdown hook");
        Runtime.getRuntime().addShutdownHook(shutdownHook);
        this.output = new Thread(this::copyOutput, name + " output");
        output.setDaemon(true);
        output.start();
    }

    /**
     * What to deploy, and where the distribution is.
     *
     * @param home     the unpacked distribution ({@code CATALINA_HOME})
     * @param base     the {@code CATALINA_BASE} to create; deleted first if it exists
     * @param webapps  file name in {@code webapps/} (the context path: {@code conf.war} is {@code /conf})
     *                 to the WAR file or exploded directory to copy there
     * @param contexts context path to WAR file, declared in {@code server.xml} and served without
     *                 unpacking (for paths that a file name cannot carry, like {@code /café})
     */
    public record Layout(Path home, Path base, Map<String, Path> webapps, Map<String, Path> contexts) {
    }

    /** Creates the base, starts Tomcat and waits until it has deployed everything. */
    public static TomcatServer start(String name, Layout layout) throws IOException, InterruptedException {
        Path home = layout.home();
        if (!Files.isRegularFile(home.resolve("bin/catalina.sh"))) {
            throw new IllegalStateException(name + ": no Tomcat distribution at '" + home
                    + "' (the build unpacks it in pre-integration-test; run the tests with 'mvn verify')");
        }
        Path base = layout.base();
        deleteRecursively(base);
        for (String dir : List.of("conf", "logs", "temp", "webapps", "work")) {
            Files.createDirectories(base.resolve(dir));
        }
        try (Stream<Path> conf = Files.list(home.resolve("conf"))) {
            for (Path file : conf.filter(Files::isRegularFile).toList()) {
                Files.copy(file, base.resolve("conf").resolve(file.getFileName()));
            }
        }
        int port = freePort();
        Files.writeString(base.resolve("conf/server.xml"), serverXml(port, layout.contexts()), StandardCharsets.UTF_8);
        Files.writeString(base.resolve("conf/logging.properties"), LOGGING, StandardCharsets.UTF_8);
        for (Map.Entry<String, Path> webapp : layout.webapps().entrySet()) {
            copyRecursively(webapp.getValue(), base.resolve("webapps").resolve(webapp.getKey()));
        }

        ProcessBuilder command = new ProcessBuilder("sh", home.resolve("bin/catalina.sh").toString(), "run")
                .directory(base.toFile())
                .redirectErrorStream(true);
        Map<String, String> env = command.environment();
        for (String inherited : List.of("JRE_HOME", "JAVA_OPTS", "CATALINA_OPTS", "CATALINA_OUT", "CATALINA_TMPDIR")) {
            env.remove(inherited);
        }
        env.put("JAVA_HOME", System.getProperty("java.home"));
        env.put("CATALINA_HOME", home.toString());
        env.put("CATALINA_BASE", base.toString());
        env.put("CATALINA_PID", base.resolve("catalina.pid").toString());
        // Small and quick to start: the tests send little traffic, and CI has two cores. A connector
        // that cannot bind (the port was taken after freePort) ends the process instead of leaving
        // a Tomcat that started without it.
        env.put("CATALINA_OPTS", "-Xmx256m -XX:+UseSerialGC -XX:TieredStopAtLevel=1"
                + " -Dorg.apache.catalina.startup.EXIT_ON_INIT_FAILURE=true");

        TomcatServer tomcat = new TomcatServer(name, base, port, command);
        try {
            tomcat.awaitStarted();
        } catch (IOException | RuntimeException | InterruptedException e) {
            tomcat.close();
            throw e;
        }
        return tomcat;
    }

    /** Where the connector listens. */
    public InetSocketAddress address() {
        return new InetSocketAddress("127.0.0.1", port);
    }

    /** For messages: the name given at {@link #start}. */
    String name() {
        return name;
    }

    /** {@code CATALINA_BASE/logs}. */
    Path logs() {
        return base.resolve("logs");
    }

    /** The last {@code count} lines of the process output, for failure messages. */
    public String logTail(int count) {
        List<String> all = output(0);
        return "---- " + logs().resolve("catalina.out") + " (last " + Math.min(count, all.size()) + " of "
                + all.size() + " lines)\n" + String.join("\n", all.subList(Math.max(0, all.size() - count), all.size()));
    }

    /** The number of lines of process output so far: a mark for {@link #awaitOutput}. */
    int outputMark() {
        synchronized (lines) {
            return lines.size();
        }
    }

    /** The process output from line {@code from} on (0: all of it). */
    List<String> output(int from) {
        synchronized (lines) {
            return List.copyOf(lines.subList(from, lines.size()));
        }
    }

    /**
     * Waits until a line after {@code from} contains {@code needle}, and returns the lines from
     * {@code from} up to and including it.
     *
     * @throws IOException if no such line comes within {@link #START_TIMEOUT_SECONDS}
     */
    List<String> awaitOutput(int from, String needle) throws IOException, InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(START_TIMEOUT_SECONDS);
        synchronized (lines) {
            for (int next = from; ; next++) {
                while (next >= lines.size()) {
                    long left = TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime());
                    if (left <= 0) {
                        throw new IOException(name + " logged no line containing '" + needle + "' within "
                                + START_TIMEOUT_SECONDS + " s");
                    }
                    lines.wait(left);
                }
                if (lines.get(next).contains(needle)) {
                    return List.copyOf(lines.subList(from, next + 1));
                }
            }
        }
    }

    /** Stops Tomcat (SIGTERM, so it shuts down cleanly) and waits for the process to end. */
    @Override
    public void close() {
        stop();
        try {
            Runtime.getRuntime().removeShutdownHook(shutdownHook);
        } catch (IllegalStateException e) {
            // The JVM is shutting down and the hook is running or has run: nothing left to do.
        }
    }

    private void stop() {
        // catalina.sh run exec's java, so the process is Tomcat itself; descendants covers a
        // shell that did not exec.
        List<ProcessHandle> processes = new ArrayList<>(process.descendants().toList());
        processes.add(process.toHandle());
        processes.forEach(ProcessHandle::destroy);
        for (ProcessHandle handle : processes) {
            try {
                handle.onExit().get(STOP_TIMEOUT_SECONDS, TimeUnit.SECONDS);
            } catch (Exception e) {
                handle.destroyForcibly();
                handle.onExit().join();
            }
        }
        try {
            output.join(TimeUnit.SECONDS.toMillis(STOP_TIMEOUT_SECONDS));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private void awaitStarted() throws IOException, InterruptedException {
        boolean ready = false;
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(START_TIMEOUT_SECONDS);
        while (!ready && process.isAlive() && System.nanoTime() < deadline) {
            ready = started.await(1, TimeUnit.SECONDS);
        }
        if (!ready) {
            String why = process.isAlive() ? "did not finish starting within " + START_TIMEOUT_SECONDS + " s"
                    : "exited with status " + process.waitFor() + " before it finished starting";
            throw new IOException(name + " " + why + "; logs in " + logs() + "\n" + logTail(80));
        }
    }

    /** Tees the process output to {@code catalina.out} and watches it for the end of start-up. */
    private void copyOutput() {
        try (BufferedReader reader = new BufferedReader(new InputStreamReader(process.getInputStream(),
                StandardCharsets.UTF_8));
             OutputStream out = Files.newOutputStream(logs().resolve("catalina.out"))) {
            for (String line; (line = reader.readLine()) != null; ) {
                out.write((line + "\n").getBytes(StandardCharsets.UTF_8));
                out.flush();
                synchronized (lines) {
                    lines.add(line);
                    lines.notifyAll();
                }
                if (line.contains(STARTED)) {
                    started.countDown();
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(name + ": cannot copy the process output to " + logs(), e);
        }
    }

    private static String serverXml(int port, Map<String, Path> contexts) {
        StringBuilder declared = new StringBuilder();
        contexts.forEach((path, war) -> declared.append("        <Context path=\"").append(xml(path))
                .append("\" docBase=\"").append(xml(war.toAbsolutePath().toString()))
                .append("\" unpackWAR=\"false\"/>\n"));
        return """
                <?xml version="1.0" encoding="UTF-8"?>
                <!-- Generated by the wsgi4j integration tests. port="-1": no shutdown port.
                     continueResponseTiming="onRead": Tomcat's default ("immediately") answers
                     Expect: 100-continue before the application runs, which SPEC S21 rules out.
                     The second connector, on [::1] and the same port, is for SPEC E9 over IPv6. -->
                <Server port="-1" shutdown="SHUTDOWN">
                  <Listener className="org.apache.catalina.startup.VersionLoggerListener"/>
                  <Service name="Catalina">
                    <Connector address="127.0.0.1" port="%1$d" protocol="HTTP/1.1" connectionTimeout="20000"
                               continueResponseTiming="onRead"/>
                    <Connector address="::1" port="%1$d" protocol="HTTP/1.1" connectionTimeout="20000"
                               continueResponseTiming="onRead"/>
                    <Engine name="Catalina" defaultHost="localhost">
                      <Host name="localhost" appBase="webapps" unpackWARs="true" autoDeploy="false">
                %2$s        <Valve className="org.apache.catalina.valves.AccessLogValve" directory="logs"
                               prefix="access" suffix=".log" pattern="%%h %%t &quot;%%r&quot; %%s %%b %%D"/>
                      </Host>
                    </Engine>
                  </Service>
                </Server>
                """.formatted(port, declared);
    }

    private static String xml(String text) {
        return text.replace("&", "&amp;").replace("\"", "&quot;").replace("<", "&lt;");
    }

    /**
     * A port that was free a moment ago. Tomcat binds it a second later; another process could
     * take it in between, and then the process exits with "Address already in use" in the log tail.
     */
    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        }
    }

    private static void copyRecursively(Path source, Path target) throws IOException {
        try (Stream<Path> files = Files.walk(source)) {
            for (Path file : files.toList()) {
                Path copy = target.resolve(source.relativize(file).toString());
                if (Files.isDirectory(file)) {
                    Files.createDirectories(copy);
                } else {
                    Files.createDirectories(copy.getParent());
                    Files.copy(file, copy, StandardCopyOption.REPLACE_EXISTING);
                }
            }
        }
    }

    /** Deletes {@code dir} and everything below it, if it exists. */
    static void deleteRecursively(Path dir) throws IOException {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> files = Files.walk(dir)) {
            for (Path file : files.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(file);
            }
        }
    }
}
