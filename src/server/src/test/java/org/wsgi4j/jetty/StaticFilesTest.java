package org.wsgi4j.jetty;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.wsgi4j.Bodies;
import org.wsgi4j.Header;
import org.wsgi4j.conformance.RawHttpConnection;
import org.wsgi4j.conformance.RawRequest;
import org.wsgi4j.conformance.RawResponse;

/**
 * --static-map: Jetty's resource handling (ETag, Range, conditional), never outside its directory,
 * beside the applications of the servlet front end ({@link #frontEnd()}; a subclass runs the same on core).
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class StaticFilesTest {

    private static final Path ROOT = Path.of("target", "static-test").toAbsolutePath();
    private static final Path DIR = ROOT.resolve("public");
    private Wsgi4jServer server;

    /** The front end the applications are served by. */
    Settings.FrontEnd frontEnd() {
        return Settings.FrontEnd.SERVLET;
    }

    @BeforeAll
    void start() throws Exception {
        Files.createDirectories(DIR.resolve("sub"));
        Files.writeString(DIR.resolve("hello.txt"), "hello, static world\n");
        Files.writeString(DIR.resolve("sub").resolve("page.html"), "<p>sub</p>\n");
        Files.writeString(ROOT.resolve("secret.txt"), "SECRET outside the tree\n");
        Path link = DIR.resolve("escape.txt");
        Files.deleteIfExists(link);
        Files.createSymbolicLink(link, ROOT.resolve("secret.txt"));
        Path inside = DIR.resolve("inside.txt");
        Files.deleteIfExists(inside);
        Files.createSymbolicLink(inside, DIR.resolve("hello.txt"));
        Path dirLink = DIR.resolve("up");
        Files.deleteIfExists(dirLink);
        Files.createSymbolicLink(dirLink, ROOT);
        server = Wsgi4jServer.builder()
                .set(Settings.FRONT_END, frontEnd())
                .http("127.0.0.1", 0)
                .mount("/", (env, start) -> {
                    start.start("200 OK", List.of(new Header("Content-Type", "text/plain")));
                    return Bodies.utf8("application");
                })
                .set(Settings.STATIC_MAP, List.of(new Settings.StaticMap("/static", DIR)))
                .build()
                .start();
    }

    @AfterAll
    void stop() throws Exception {
        server.stop();
    }

    /** GET {@code target}; each of {@code headers} is a name and a value, alternating. */
    private RawResponse get(String target, String... headers) throws Exception {
        RawRequest request = RawRequest.get(target);
        for (int i = 0; i + 1 < headers.length; i += 2) {
            request = request.withHeader(headers[i], headers[i + 1]);
        }
        return RawHttpConnection.exchange(new InetSocketAddress("127.0.0.1", server.port()), request);
    }

    private static String header(RawResponse answer, String name) {
        return answer.header(name).orElse(null);
    }

    @Test
    void aFileIsServedWithAnEtagBeforeTheApplications() throws Exception {
        RawResponse answer = get("/static/hello.txt");
        assertEquals(200, answer.status(), answer.describe());
        assertEquals("hello, static world\n", answer.bodyText());
        assertTrue(header(answer, "ETag") != null, answer.describe());
    }

    @Test
    void aMatchingIfNoneMatchIs304() throws Exception {
        String etag = header(get("/static/hello.txt"), "ETag");
        RawResponse answer = get("/static/hello.txt", "If-None-Match", etag);
        assertEquals(304, answer.status(), answer.describe());
        assertEquals("", answer.bodyText());
    }

    @Test
    void aRangeIs206WithThoseBytes() throws Exception {
        RawResponse answer = get("/static/hello.txt", "Range", "bytes=0-4");
        assertEquals(206, answer.status(), answer.describe());
        assertEquals("hello", answer.bodyText());
        assertEquals("bytes 0-4/20", header(answer, "Content-Range"));
    }

    @Test
    void aSymlinkToAFileInsideTheDirectoryIsServed() throws Exception {
        assertEquals("hello, static world\n", get("/static/inside.txt").bodyText());
    }

    @Test
    void pathsOutsideTheMapGoToTheApplications() throws Exception {
        assertEquals("application", get("/elsewhere").bodyText());
    }

    @Test
    void aDirectoryIsNotListed() throws Exception {
        RawResponse answer = get("/static/sub/");
        assertNotEquals(200, answer.status(), answer.describe());
        assertFalse(answer.bodyText().contains("page.html"), answer.describe());
    }

    @DisplayName("nothing outside the directory is ever served")
    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"/static/../secret.txt", "/static/%2e%2e/secret.txt", "/static/%2E%2E/secret.txt",
        "/static/sub/../../secret.txt", "/static/.%2e/secret.txt", "/static/%2e%2e%2fsecret.txt",
        "/static/..%2fsecret.txt", "/static/escape.txt", "/static/up/secret.txt", "/static/..;/secret.txt",
        "/static/%252e%252e/secret.txt", "/static//../secret.txt"})
    void nothingOutsideTheDirectoryIsServed(String target) throws Exception {
        RawResponse answer = get(target);
        assertFalse(answer.describe().contains("SECRET"), target + " -> " + answer.describe());
        assertTrue(answer.status() != 200 || answer.bodyText().equals("application"), target + " -> " + answer.describe());
    }
}
