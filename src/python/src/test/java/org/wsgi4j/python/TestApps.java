package org.wsgi4j.python;

import java.net.URISyntaxException;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The Python test applications, each imported once per test JVM (an import costs seconds without
 * the JIT) and shared by the test classes; closed when the JVM exits.
 */
final class TestApps {

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
        Path packages = FlaskPackages.copyTo(python().getParent().getParent().resolve("flask-packages"));
        return APPS.computeIfAbsent("flask_app:app",
                spec -> PythonApplication.builder(spec).pythonPath(python(), packages).contexts(2).build());
    }
}
