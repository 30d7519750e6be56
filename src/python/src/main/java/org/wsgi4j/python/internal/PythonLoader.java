package org.wsgi4j.python.internal;

import java.io.File;
import java.net.URL;
import java.nio.file.Path;
import java.util.Map;
import java.util.Objects;
import org.wsgi4j.Application;
import org.wsgi4j.ApplicationLoader;
import org.wsgi4j.python.PythonApplication;

/**
 * {@code python:module:callable} for {@link org.wsgi4j.Applications#load}, so every host (the
 * server's {@code --mount}, the servlet's {@code application} parameter) can mount a Python app.
 *
 * <p>The Python path: the sources packed as resources in the class loader
 * ({@value PythonApplication#RESOURCE_DIRECTORY}{@code /src}, listed in its {@code fileslist.txt}),
 * then the folders of the option {@value #PATH} (the server's {@code --python-path}), or, when the
 * host passes none, of the system property {@value #PATH_PROPERTY}. Options and their system
 * properties: {@value #PATH} / {@value #PATH_PROPERTY} (folders separated by the platform's path
 * separator), {@value #CONTEXTS} / {@value #CONTEXTS_PROPERTY}, {@value #JIT} / {@value #JIT_PROPERTY}
 * ({@code true}: refuse to start without the Graal compiler).
 */
public final class PythonLoader implements ApplicationLoader {

    /** Option: folders on the Python path, separated by the platform's path separator. */
    public static final String PATH = "python.path";
    /** Option: how many contexts serve the application, as {@link PythonApplication.Builder#contexts(int)}. */
    public static final String CONTEXTS = "python.contexts";
    /**
     * Option: {@code true} refuses to start without the Graal compiler, as
     * {@link PythonApplication.Builder#requireCompiler(boolean)}.
     */
    public static final String JIT = "python.jit";
    /** System property read when the host passes no {@value #PATH} option. */
    public static final String PATH_PROPERTY = "wsgi4j.python.path";
    /** System property read when the host passes no {@value #CONTEXTS} option. */
    public static final String CONTEXTS_PROPERTY = "wsgi4j.python.contexts";
    /** System property read when the host passes no {@value #JIT} option. */
    public static final String JIT_PROPERTY = "wsgi4j.python.jit";

    private static final String FILES_LIST = PythonApplication.RESOURCE_DIRECTORY + "/fileslist.txt";

    @Override
    public String scheme() {
        return "python";
    }

    @Override
    public Application load(String spec, ClassLoader classLoader, Map<String, String> options) {
        String app = spec.substring(spec.indexOf(':') + 1);
        try {
            PythonApplication.Builder builder = PythonApplication.builder(app);
            for (String folder : option(options, PATH, PATH_PROPERTY, "").split(File.pathSeparator)) {
                if (!folder.isBlank()) {
                    builder.pythonPath(Path.of(folder.strip()));
                }
            }
            String contexts = option(options, CONTEXTS, CONTEXTS_PROPERTY, null);
            if (contexts != null) {
                builder.contexts(number(CONTEXTS, contexts));
            }
            builder.requireCompiler(Boolean.parseBoolean(option(options, JIT, JIT_PROPERTY, "false")));
            URL files = classLoader.getResource(FILES_LIST);
            if (files != null) {
                builder.resources(anchor(files));
            }
            return builder.build();
        } catch (IllegalArgumentException | IllegalStateException e) {
            throw new IllegalArgumentException("application spec '" + spec + "': " + e.getMessage(), e);
        }
    }

    private static String option(Map<String, String> options, String key, String property, String fallback) {
        String value = options.get(key);
        return value != null ? value : System.getProperty(property, fallback);
    }

    private static int number(String key, String text) {
        try {
            return Integer.parseInt(text.strip());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(key + " '" + text + "' is not a number");
        }
    }

    /**
     * GraalPy reads resources through a class of the loader that holds them. This module's own class
     * serves when it sits beside the resources (the usual WAR: both in the web application); otherwise
     * there is no class to name, and guessing one would read another application's files.
     */
    private static Class<?> anchor(URL files) {
        ClassLoader own = PythonLoader.class.getClassLoader();
        URL seen = own == null ? null : own.getResource(FILES_LIST);
        if (seen != null && Objects.equals(seen.toString(), files.toString())) {
            return PythonLoader.class;
        }
        throw new IllegalArgumentException("Python resources at " + files + " are not visible to wsgi4j-python's class "
                + "loader (" + own + "); put wsgi4j-python in the same class path as the resources (both in WEB-INF, "
                + "or both in --classpath), or use PythonApplication.builder(...).resources(aClassBesideThem)");
    }
}
