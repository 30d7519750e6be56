package org.wsgi4j.python;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Assertions;
import org.junit.jupiter.api.Assumptions;

/**
 * Debian's python3-flask and the pure-Python packages it depends on, copied from the system
 * packages for a test (nothing of them is committed).
 */
public final class FlaskPackages {

    /** Where Debian installs them. */
    public static final Path DIST_PACKAGES = Path.of("/usr/lib/python3/dist-packages");
    /** Flask and its dependencies. */
    public static final List<String> NAMES = List.of("flask", "werkzeug", "jinja2", "markupsafe", "itsdangerous", "click");

    private FlaskPackages() {
    }

    /**
     * Copies the packages into {@code target} (once: an existing copy is kept) and returns it. Skips
     * the calling test when python3-flask is not installed, or fails it when
     * {@code WSGI4J_REQUIRE_FLASK} is set (CI).
     */
    public static synchronized Path copyTo(Path target) {
        if (!Files.isDirectory(DIST_PACKAGES.resolve("flask"))) {
            String message = "python3-flask is not installed (no " + DIST_PACKAGES.resolve("flask") + ")";
            if (System.getenv("WSGI4J_REQUIRE_FLASK") != null) {
                Assertions.fail(message + " and WSGI4J_REQUIRE_FLASK is set");
            }
            System.err.println("SKIPPED Flask tests: " + message + "; install python3-flask to run them");
            Assumptions.abort(message);
        }
        if (Files.isDirectory(target.resolve("flask"))) {
            return target;
        }
        for (String name : NAMES) {
            copyTree(DIST_PACKAGES.resolve(name), target.resolve(name));
        }
        return target;
    }

    /** Copies a folder, leaving out {@code __pycache__} (CPython's bytecode, of no use to GraalPy). */
    public static void copyTree(Path from, Path to) {
        try (Stream<Path> files = Files.walk(from)) {
            for (Path file : (Iterable<Path>) files::iterator) {
                if (file.toString().contains("__pycache__")) {
                    continue;
                }
                Path copy = to.resolve(from.relativize(file).toString());
                if (Files.isDirectory(file)) {
                    Files.createDirectories(copy);
                } else {
                    Files.copy(file, copy, StandardCopyOption.REPLACE_EXISTING);
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
