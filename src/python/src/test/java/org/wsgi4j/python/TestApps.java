package org.wsgi4j.python;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Stream;
import org.junit.jupiter.api.Assertions;
import org.junit.jupiter.api.Assumptions;

/**
 * The Python test applications, each imported once per test JVM (an import costs seconds without
 * the JIT) and shared by the test classes; closed when the JVM exits.
 */
final class TestApps {

    /** Debian's python3-flask and the pure-Python packages it depends on. */
    static final Path DIST_PACKAGES = Path.of("/usr/lib/python3/dist-packages");
    static final List<String> FLASK_PACKAGES = List.of("flask", "werkzeug", "jinja2", "markupsafe", "itsdangerous", "click");

    private static final Map<String, PythonApplication> APPS = new ConcurrentHashMap<>();

    static {
        Runtime.getRuntime().addShutdownHook(new Thread(() -> APPS.values().forEach(PythonApplication::close)));
    }

    private TestApps() {
    }

    /** {@code src/test/resources/python}, as copied to target/test-classes. */
    static Path python() {
        try {
            return Path.of(TestApps.class.getResource("/python/border.py").toURI()).getParent();
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The validated border probes ({@code border:app}), two contexts. */
    static PythonApplication border() {
        return APPS.computeIfAbsent("border:app", spec -> PythonApplication.builder(spec).pythonPath(python()).contexts(2).build());
    }

    /** The border probes without the validator ({@code border:unchecked}), one context. */
    static PythonApplication unchecked() {
        return APPS.computeIfAbsent("border:unchecked",
                spec -> PythonApplication.builder(spec).pythonPath(python()).contexts(1).build());
    }

    /** The Flask app ({@code flask_app:app}) with Flask copied from the system packages, two contexts. */
    static PythonApplication flask() {
        Path packages = flaskPackages();
        return APPS.computeIfAbsent("flask_app:app",
                spec -> PythonApplication.builder(spec).pythonPath(python(), packages).contexts(2).build());
    }

    /**
     * Flask and its dependencies copied from the system packages into target/ (nothing of them is
     * committed). Skips the calling test when python3-flask is not installed, or fails it when
     * {@code WSGI4J_REQUIRE_FLASK} is set (CI).
     */
    static synchronized Path flaskPackages() {
        if (!Files.isDirectory(DIST_PACKAGES.resolve("flask"))) {
            String message = "python3-flask is not installed (no " + DIST_PACKAGES.resolve("flask") + ")";
            if (System.getenv("WSGI4J_REQUIRE_FLASK") != null) {
                Assertions.fail(message + " and WSGI4J_REQUIRE_FLASK is set");
            }
            System.err.println("SKIPPED Flask tests: " + message + "; install python3-flask to run them");
            Assumptions.abort(message);
        }
        Path target = python().getParent().getParent().resolve("flask-packages");
        if (Files.isDirectory(target.resolve("flask"))) {
            return target;
        }
        for (String name : FLASK_PACKAGES) {
            copyTree(DIST_PACKAGES.resolve(name), target.resolve(name));
        }
        return target;
    }

    private static void copyTree(Path from, Path to) {
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
