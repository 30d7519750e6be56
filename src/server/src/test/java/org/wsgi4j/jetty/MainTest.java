package org.wsgi4j.jetty;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledForJreRange;
import org.junit.jupiter.api.condition.JRE;

/** The command line: every bad flag exits 2 with a message naming it. */
class MainTest {

    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final ByteArrayOutputStream err = new ByteArrayOutputStream();

    private int run(String... args) {
        return Main.run(args, new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8));
    }

    private String err() {
        return err.toString(StandardCharsets.UTF_8);
    }

    @Test
    @DisplayName("--help lists every flag and exits 0")
    void helpListsEveryFlag() {
        assertEquals(0, run("--help"));
        String help = out.toString(StandardCharsets.UTF_8);
        for (Main.Flag flag : Main.Flag.values()) {
            assertTrue(help.contains(flag.name), flag.name);
        }
    }

    @Test
    @DisplayName("the README's flag table lists every flag the command line knows")
    void readmeListsEveryFlag() throws Exception {
        String readme = java.nio.file.Files.readString(java.nio.file.Path.of("../../README.md"));
        for (Main.Flag flag : Main.Flag.values()) {
            String row = "| `" + flag.name + (flag.argument == null ? "" : " " + flag.argument) + "`";
            assertTrue(readme.contains(row) || readme.contains("`" + flag.name + "`"), "README lacks " + row);
        }
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
    @DisplayName("a malformed --http exits 2 naming the flag")
    void badHttpExits2() {
        assertEquals(2, run("--http", "8080"));
        assertTrue(err().contains("--http '8080' must be [HOST]:PORT"), err());
        err.reset();
        assertEquals(2, run("--http", ":99999"));
        assertTrue(err().contains("--http '99999' must be a number from 0 to 65535"), err());
    }

    @Test
    @DisplayName("--http or --uwsgi is required")
    void httpIsRequired() {
        assertEquals(2, run("--mount", "/=x.Y"));
        assertTrue(err().contains("--http or --uwsgi is required"), err());
    }

    @Test
    @DisplayName("a --mount without '=' or with an unloadable spec exits 2 naming it")
    void badMountExits2() {
        assertEquals(2, run("--http", ":0", "--mount", "/api"));
        assertTrue(err().contains("--mount '/api' must be PREFIX=SPEC"), err());
        err.reset();
        assertEquals(2, run("--http", ":0", "--mount", "/=com.example.Missing"));
        assertTrue(err().contains("--mount /=com.example.Missing") && err().contains("cannot be loaded"), err());
    }

    @Test
    @DisplayName("a --mount prefix that is not a path exits 2 naming it")
    void badPrefixExits2() {
        assertEquals(2, run("--http", ":0", "--mount", "api=org.wsgi4j.jetty.DemoApp"));
        assertTrue(err().contains("M1: mount prefix 'api' must be '/' or start with '/'"), err());
    }

    @Test
    @DisplayName("a --classpath entry that does not exist exits 2 naming it")
    void missingClasspathEntryExits2() {
        assertEquals(2, run("--http", ":0", "--classpath", "/no/such/app.jar"));
        assertTrue(err().contains("--classpath: '/no/such/app.jar' does not exist"), err());
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
        assertTrue(err().contains("--threads '1' must be a number from 2"), err());
    }

    @Test
    @EnabledForJreRange(max = JRE.JAVA_20)
    @DisplayName("--virtual-threads on Java 17 exits 2 with a clear message")
    void virtualThreadsNeedJava21() {
        assertEquals(2, run("--http", ":0", "--virtual-threads"));
        assertTrue(err().contains("virtual threads need Java 21 or later"), err());
    }

    @Test
    @DisplayName("flags also take --flag=value")
    void flagEqualsValueIsAccepted() throws Exception {
        Main.Options options = Main.parse(new String[] {"--http=127.0.0.1:0", "--mount=/a=x.Y", "--threads=4"});
        assertEquals("127.0.0.1", options.host());
        assertEquals(4, options.threads());
        assertEquals("/a", options.mounts().get(0)[0]);
    }
}
