package org.wsgi4j.sample;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;
import org.wsgi4j.Environ;
import org.wsgi4j.FileBody;
import org.wsgi4j.FileWrapper;
import org.wsgi4j.sample.TestRequest.Response;

class FilesAppTest {

    private static final String MOUNT = "/ctx/files";
    private final FilesApp bundled = new FilesApp();

    private static byte[] resource(String name) throws Exception {
        try (InputStream in = FilesApp.class.getResourceAsStream("files/" + name)) {
            return in.readAllBytes();
        }
    }

    @ParameterizedTest
    @CsvSource({
            "style.css, text/css; charset=utf-8",
            "hello.txt, text/plain; charset=utf-8",
            "wsgi4j.png, image/png"})
    @DisplayName("each bundled file is served whole, with its Content-Type and Content-Length")
    void bundledFilesAreServed(String name, String type) throws Exception {
        Response response = TestRequest.get(MOUNT, "/" + name).call(bundled);
        assertEquals(200, response.code());
        assertEquals(Optional.of(type), response.header("Content-Type"));
        assertArrayEquals(resource(name), response.body);
        assertEquals(Optional.of(Integer.toString(response.body.length)), response.header("Content-Length"));
        assertEquals(Optional.of("nosniff"), response.header("X-Content-Type-Options"));
    }

    @Test
    @DisplayName("the body comes from the environ's wsgi.file_wrapper and is closed with the response (E13, S20, A7)")
    void bodyComesFromTheFileWrapperAndIsClosed() throws Exception {
        List<Path> wrapped = new ArrayList<>();
        FileWrapper recording = file -> {
            wrapped.add(file);
            return FileBody.of(file);
        };
        Response response = TestRequest.get(MOUNT, "/hello.txt").set(Environ.WSGI_FILE_WRAPPER, recording).call(bundled);
        assertEquals(1, wrapped.size());
        assertEquals("hello.txt", wrapped.get(0).getFileName().toString());
        FileBody body = assertInstanceOf(FileBody.class, response.rawBody);
        assertFalse(body.channel().isOpen(), "closed by the server's close()");
    }

    @Test
    @DisplayName("HEAD answers the same headers (the server sends no body, S14)")
    void headAnswersTheSameHeaders() throws Exception {
        Response response = TestRequest.of("HEAD", MOUNT, "/wsgi4j.png").call(bundled);
        assertEquals(Optional.of("image/png"), response.header("Content-Type"));
        assertEquals(Optional.of(Integer.toString(resource("wsgi4j.png").length)), response.header("Content-Length"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"/..", "/../pom.xml", "/../../etc/passwd", "/a/../style.css", "/./style.css",
            "//style.css", "/style.css/", "/style.css/..", "/..\\style.css", "/\\etc\\passwd", "/style.css\0.png"})
    @DisplayName("'..', '.', empty segments, backslashes and NUL are refused with 400 (PATH_INFO is decoded, E3)")
    void traversalIsRefused(String path) throws Exception {
        Response response = TestRequest.get(MOUNT, path).call(bundled);
        assertEquals(400, response.code(), path);
        assertTrue(response.text().contains("not a plain file name"));
    }

    @Test
    @DisplayName("a missing file is 404")
    void missingFileIs404() throws Exception {
        assertEquals(404, TestRequest.get(MOUNT, "/nope.css").call(bundled).code());
    }

    @Test
    @DisplayName("a directory is 404 and a file below it is served")
    void directoriesAreNotFiles(@TempDir Path root) throws Exception {
        Files.createDirectory(root.resolve("sub"));
        Files.writeString(root.resolve("sub/data.bin"), "12345");
        FilesApp app = new FilesApp(root);
        assertEquals(404, TestRequest.get(MOUNT, "/sub").call(app).code());
        Response response = TestRequest.get(MOUNT, "/sub/data.bin").call(app);
        assertEquals("12345", response.text());
        assertEquals(Optional.of("application/octet-stream"), response.header("Content-Type"));
    }

    @Test
    @DisplayName("a symbolic link that leads outside the root is 404")
    void symlinkOutOfTheRootIs404(@TempDir Path temp) throws Exception {
        Path root = Files.createDirectory(temp.resolve("root"));
        Path secret = Files.writeString(temp.resolve("secret.txt"), "secret");
        Files.createSymbolicLink(root.resolve("link.txt"), secret);
        Files.writeString(root.resolve("inside.txt"), "inside");
        Files.createSymbolicLink(root.resolve("alias.txt"), root.resolve("inside.txt"));
        FilesApp app = new FilesApp(root);
        assertEquals(404, TestRequest.get(MOUNT, "/link.txt").call(app).code());
        assertEquals("inside", TestRequest.get(MOUNT, "/alias.txt").call(app).text());
    }

    @ParameterizedTest
    @ValueSource(strings = {"POST", "PUT", "DELETE", "OPTIONS"})
    @DisplayName("methods other than GET and HEAD are 405 with Allow: GET, HEAD")
    void otherMethodsAre405(String method) throws Exception {
        Response response = TestRequest.of(method, MOUNT, "/style.css").call(bundled);
        response.assertMethodNotAllowed("GET, HEAD");
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "/"})
    @DisplayName("the mount point lists the files with links built from SCRIPT_NAME")
    void mountPointListsTheFiles(String path) throws Exception {
        String page = TestRequest.get("/my app/files", path).call(bundled).text();
        for (String name : FilesApp.BUNDLED) {
            assertTrue(page.contains("<a href=\"/my%20app/files/" + name + "\">" + name + "</a>"), page);
        }
    }

    @Test
    @DisplayName("a root that does not exist is refused at construction, naming it")
    void missingRootIsRefused(@TempDir Path temp) {
        Path missing = temp.resolve("missing");
        UncheckedIOException e = assertThrows(UncheckedIOException.class, () -> new FilesApp(missing));
        assertTrue(e.getMessage().contains(missing.toString()), e.getMessage());
    }
}
