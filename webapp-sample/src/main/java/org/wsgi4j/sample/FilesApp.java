package org.wsgi4j.sample;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Stream;
import org.wsgi4j.Application;
import org.wsgi4j.Environ;
import org.wsgi4j.FileBody;
import org.wsgi4j.Header;
import org.wsgi4j.StartResponse;
import org.wsgi4j.servlet.Mount;

/**
 * Serves files through {@code wsgi.file_wrapper} (SPEC E13, S20), meant to be mounted at
 * {@code /files}: {@code GET /style.css} sends that file with its {@code Content-Type} and
 * {@code Content-Length}, {@code GET /} lists the files.
 *
 * <p>The no-argument constructor serves the files bundled in this jar or WAR
 * ({@link #BUNDLED}, under {@code org/wsgi4j/sample/files/}). It copies them once into a fresh
 * temporary directory, because a classpath resource may live inside a jar (no {@code Path} to hand
 * to the file wrapper) or in an exploded {@code WEB-INF/classes} (a path, but a container may
 * still pack or move it); a real file is what lets the server use sendfile. The copies are deleted
 * when the JVM exits, not when the application is undeployed: a few kilobytes per deployment.
 *
 * <p>Only plain names below the root are served: a path with a {@code ..} or {@code .} segment,
 * an empty segment, a backslash or a NUL is a 400 (PATH_INFO is already percent-decoded, so
 * {@code %2e%2e} arrives here as {@code ..}), and a name that resolves outside the root (through a
 * symbolic link) or is not a regular file is a 404. Methods other than GET and HEAD are a 405.
 */
@Mount("/files")
public final class FilesApp implements Application {

    /** The bundled files, relative to {@code org/wsgi4j/sample/files/}. */
    public static final List<String> BUNDLED = List.of("style.css", "hello.txt", "wsgi4j.png");

    private static final Map<String, String> TYPES = Map.of(
            "css", "text/css; charset=utf-8",
            "txt", "text/plain; charset=utf-8",
            "html", "text/html; charset=utf-8",
            "js", "text/javascript; charset=utf-8",
            "json", "application/json",
            "png", "image/png",
            "svg", "image/svg+xml",
            "ico", "image/vnd.microsoft.icon");

    private final Path root;

    /** Serves {@link #BUNDLED}, copied once to a temporary directory. */
    public FilesApp() {
        this(copyBundled());
    }

    /**
     * Serves the regular files under {@code root}.
     *
     * @throws UncheckedIOException if {@code root} is not an existing directory
     */
    public FilesApp(Path root) {
        try {
            this.root = root.toRealPath();
        } catch (IOException e) {
            throw new UncheckedIOException("files root '" + root + "' does not exist", e);
        }
        if (!Files.isDirectory(this.root)) {
            throw new UncheckedIOException(new IOException("files root '" + root + "' is not a directory"));
        }
    }

    @Override
    public Iterable<byte[]> call(Map<String, Object> environ, StartResponse startResponse) throws Exception {
        String method = Environ.requestMethod(environ);
        if (!Responses.isRead(method)) {
            return Responses.text(startResponse, Responses.METHOD_NOT_ALLOWED, method + " is not allowed here\n",
                    Responses.allow("GET, HEAD"));
        }
        if (Responses.atMountPoint(environ)) {
            return Responses.html(startResponse, Responses.OK, listing(environ));
        }
        String path = Environ.pathInfo(environ);
        String name = path.substring(1);
        if (!isPlainName(name)) {
            return Responses.text(startResponse, Responses.BAD_REQUEST, "'" + path + "' is not a plain file name\n");
        }
        Path file = resolve(name);
        if (file == null) {
            return Responses.text(startResponse, Responses.NOT_FOUND, "no file '" + path + "'\n");
        }
        FileBody body;
        try {
            body = Environ.fileWrapper(environ).wrap(file);
        } catch (IOException e) {
            // Deleted between the check and the open: the same answer as if it had never been there.
            return Responses.text(startResponse, Responses.NOT_FOUND, "no file '" + path + "'\n");
        }
        try {
            startResponse.start(Responses.OK, List.of(
                    new Header("Content-Type", contentType(name)),
                    new Header("Content-Length", Long.toString(body.count())),
                    new Header("X-Content-Type-Options", "nosniff")));
        } catch (RuntimeException e) {
            body.close();
            throw e;
        }
        return body;
    }

    private static boolean isPlainName(String name) {
        if (name.indexOf('\\') >= 0 || name.indexOf('\0') >= 0) {
            return false;
        }
        for (String segment : name.split("/", -1)) {
            if (segment.isEmpty() || segment.equals(".") || segment.equals("..")) {
                return false;
            }
        }
        return true;
    }

    /** The real file for {@code name}, or {@code null} when it is missing, not a regular file or outside the root. */
    private Path resolve(String name) {
        try {
            Path file = root.resolve(name).toRealPath();
            return file.startsWith(root) && Files.isRegularFile(file, LinkOption.NOFOLLOW_LINKS) ? file : null;
        } catch (IOException e) {
            return null;
        }
    }

    private static String contentType(String name) {
        int dot = name.lastIndexOf('.');
        String extension = dot < 0 ? "" : name.substring(dot + 1).toLowerCase(Locale.ROOT);
        return TYPES.getOrDefault(extension, "application/octet-stream");
    }

    private String listing(Map<String, Object> environ) throws IOException {
        String base = Environ.scriptName(environ);
        StringBuilder body = new StringBuilder("<ul>\n");
        try (Stream<Path> files = Files.walk(root)) {
            files.filter(Files::isRegularFile).map(file -> root.relativize(file).toString().replace('\\', '/')).sorted()
                    .forEach(name -> body.append("<li><a href=\"").append(Html.escape(Urls.encodePath(base + "/" + name)))
                            .append("\">").append(Html.escape(name)).append("</a> <span class=\"muted\">")
                            .append(Html.escape(contentType(name))).append("</span></li>\n"));
        }
        return Html.page("Files", body.append("</ul>\n").toString());
    }

    private static Path copyBundled() {
        try {
            Path directory = Files.createTempDirectory("wsgi4j-sample-files");
            // deleteOnExit runs in reverse order of registration: the directory goes last, once empty.
            directory.toFile().deleteOnExit();
            for (String name : BUNDLED) {
                Path target = directory.resolve(name);
                try (InputStream in = FilesApp.class.getResourceAsStream("files/" + name)) {
                    if (in == null) {
                        throw new IOException("bundled resource 'org/wsgi4j/sample/files/" + name + "' is missing");
                    }
                    Files.copy(in, target, StandardCopyOption.REPLACE_EXISTING);
                }
                target.toFile().deleteOnExit();
            }
            return directory;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot copy the bundled files to a temporary directory", e);
        }
    }
}
