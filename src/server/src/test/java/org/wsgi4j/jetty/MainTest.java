package org.wsgi4j.jetty;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledForJreRange;
import org.junit.jupiter.api.condition.JRE;

/** The command line: every bad flag exits 2 with a message naming it; the help is the settings table. */
class MainTest {

    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final ByteArrayOutputStream err = new ByteArrayOutputStream();

    private int run(String... args) {
        return run(Map.of(), args);
    }

    private int run(Map<String, String> environment, String... args) {
        return Main.run(args, environment, new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8));
    }

    private String err() {
        return err.toString(StandardCharsets.UTF_8);
    }

    @Test
    @DisplayName("--help lists every setting with its default, and exits 0")
    void helpListsEverySetting() {
        assertEquals(0, run("--help"));
        String help = out.toString(StandardCharsets.UTF_8);
        for (Setting<?> setting : Settings.ALL) {
            assertTrue(help.contains(setting.flag()), setting.flag());
            assertTrue(help.contains("(default: " + setting.defaultText()), setting.flag());
        }
    }

    @Test
    @DisplayName("the usage line does not present --http as required")
    void usageLineDoesNotRequireHttp() {
        assertEquals(0, run("--help"));
        String usage = out.toString(StandardCharsets.UTF_8).lines().findFirst().orElseThrow();
        assertEquals("Usage: java -jar wsgi4j-server.jar [SETTING]...", usage);
    }

    @Test
    @DisplayName("--version prints the project version")
    void versionIsPrinted() {
        assertEquals(0, run("--version"));
        assertTrue(out.toString(StandardCharsets.UTF_8).matches("wsgi4j-server \\d+\\.\\d+\\.\\d+.*\\R"),
                out.toString(StandardCharsets.UTF_8));
    }

    @Test
    @DisplayName("an unknown option exits 2 naming it")
    void unknownOptionExits2() {
        assertEquals(2, run("--http", ":0", "--wsgi-file", "app.py"));
        assertTrue(err().contains("unknown option '--wsgi-file'"), err());
    }

    @Test
    @DisplayName("a malformed --http exits 2 naming the flag and the value")
    void badHttpExits2() {
        assertEquals(2, run("--http", "8080"));
        assertTrue(err().contains("--http=8080: must be [HOST]:PORT"), err());
        err.reset();
        assertEquals(2, run("--http", ":99999"));
        assertTrue(err().contains("--http=:99999: the port must be 0 to 65535"), err());
    }

    @Test
    @DisplayName("without any listener the start stops with a sentence naming the listener flags")
    void aListenerIsRequired() {
        assertEquals(2, run("--mount", "/=org.wsgi4j.jetty.DemoApp"));
        assertTrue(err().contains("no listener: give --http, --https, --uwsgi"), err());
    }

    @Test
    @DisplayName("a --mount without '=' or with an unloadable spec exits 2 naming it")
    void badMountExits2() {
        assertEquals(2, run("--http", ":0", "--mount", "/api"));
        assertTrue(err().contains("--mount=/api: must be PREFIX=SPEC"), err());
        err.reset();
        assertEquals(2, run("--http", ":0", "--mount", "/=com.example.Missing"));
        assertTrue(err().contains("--mount /=com.example.Missing") && err().contains("cannot be loaded"), err());
    }

    @Test
    @DisplayName("a --mount prefix that is not a path exits 2 naming it, without an internal rule id")
    void badPrefixExits2() {
        assertEquals(2, run("--http", ":0", "--mount", "api=org.wsgi4j.jetty.DemoApp"));
        assertTrue(err().contains("--mount=api=org.wsgi4j.jetty.DemoApp: mount prefix 'api' must be '/' or start "
                + "with '/'"), err());
        assertFalse(err().contains("M1:"), err());
    }

    @Test
    @DisplayName("a --classpath entry that does not exist exits 2 naming it")
    void missingClasspathEntryExits2() {
        assertEquals(2, run("--http", ":0", "--classpath", "/no/such/app.jar"));
        assertTrue(err().contains("--classpath=/no/such/app.jar: '/no/such/app.jar' does not exist"), err());
    }

    @Test
    @DisplayName("a --war that does not exist exits 2 naming it")
    void missingWarExits2() {
        assertEquals(2, run("--http", ":0", "--war", "/no/such/app.war"));
        assertTrue(err().contains("WAR '/no/such/app.war' does not exist"), err());
    }

    @Test
    @DisplayName("--threads must be a number in range")
    void badThreadsExits2() {
        assertEquals(2, run("--http", ":0", "--threads", "1"));
        assertTrue(err().contains("--threads=1: must be 2 to 100000"), err());
    }

    @Test
    @EnabledForJreRange(max = JRE.JAVA_20)
    @DisplayName("--virtual-threads on Java 17 exits 2 with a clear message")
    void virtualThreadsNeedJava21() {
        assertEquals(2, run("--http", ":0", "--virtual-threads"));
        assertTrue(err().contains("--virtual-threads: virtual threads need Java 21 or later"), err());
    }

    @Test
    @DisplayName("a bad environment variable names itself and its value")
    void badEnvironmentValueNamesTheVariable() {
        assertEquals(2, run(Map.of("WSGI4J_THREADS", "abc"), "--http", ":0"));
        assertTrue(err().contains("WSGI4J_THREADS=abc: not a number"), err());
    }

    @Test
    @DisplayName("an unknown WSGI4J_ variable is refused, not ignored")
    void unknownEnvironmentVariableIsRefused() {
        assertEquals(2, run(Map.of("WSGI4J_THRADS", "8"), "--http", ":0"));
        assertTrue(err().contains("WSGI4J_THRADS=8: no such setting"), err());
    }

    @Test
    @DisplayName("Kubernetes service-link variables (WSGI4J_SERVICE_HOST, WSGI4J_PORT...) are not taken for settings")
    void kubernetesServiceLinksAreIgnored() throws Exception {
        Map<String, String> links = Map.of("WSGI4J_SERVICE_HOST", "10.0.0.1", "WSGI4J_SERVICE_PORT", "80",
                "WSGI4J_PORT", "tcp://10.0.0.1:80", "WSGI4J_PORT_80_TCP_ADDR", "10.0.0.1",
                "WSGI4J_SERVER_SERVICE_PORT_HTTP", "8080", "WSGI4J_SERVER_PORT_8080_TCP", "tcp://10.0.0.2:8080");
        assertEquals(SettingSources.Action.SERVE, SettingSources.read(new String[0], links).action());
    }

    @Test
    @DisplayName("a bad value in the --config file names the file, the key and the value")
    void badFileValueNamesTheFile() throws Exception {
        Path file = Files.createDirectories(Path.of("target", "main-test")).resolve("bad.properties");
        Files.writeString(file, "threads = abc\n");
        assertEquals(2, run("--config", file.toString(), "--http", ":0"));
        assertTrue(err().contains(file + ": threads=abc: not a number"), err());
    }

    @Test
    @DisplayName("a listener that cannot bind says 'address already in use' and exits 1")
    void portInUseIsSaidAsSuch() throws Exception {
        try (java.net.ServerSocket taken = new java.net.ServerSocket(0, 1,
                java.net.InetAddress.getLoopbackAddress())) {
            assertEquals(1, run("--http", "127.0.0.1:" + taken.getLocalPort(),
                    "--mount", "/=org.wsgi4j.jetty.DemoApp"));
        }
        assertTrue(err().contains("cannot listen on http 127.0.0.1:") && err().contains(": address already in use"),
                err());
    }
}
