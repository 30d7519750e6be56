package org.wsgi4j.python.internal;

import java.io.File;
import java.net.URL;
import java.nio.file.Path;
import java.util.Objects;
import org.wsgi4j.Application;
import org.wsgi4j.ApplicationLoader;
import org.wsgi4j.python.PythonApplication;

/**
 * {@code python:module:callable} for {@link org.wsgi4j.Applications#load}, so every host (the
 * server's {@code --mount}, the servlet's {@code application} parameter) can mount a Python app.
 * Where the Python sources come from, see {@link #PATH_PROPERTY} and
 * {@link PythonApplication#RESOURCE_DIRECTORY}.
 */
public final class PythonLoader implements ApplicationLoader {

    /**
     * System property: folders added to the Python path, separated by the platform's path separator
     * ({@code :}); the CLI's {@code --python-path} sets it.
     */
    public static final String PATH_PROPERTY = "wsgi4j.python.path";
    /** System property: the number of contexts ({@link PythonApplication.Builder#contexts}). */
    public static final String CONTEXTS_PROPERTY = "wsgi4j.python.contexts";

    private static final String FILES_LIST = PythonApplication.RESOURCE_DIRECTORY + "/fileslist.txt";

    @Override
    public String scheme() {
        return "python";
    }

    @Override
    public Application load(String spec, ClassLoader classLoader) {
        String app = spec.substring(spec.indexOf(':') + 1);
        PythonApplication.Builder builder;
        try {
            builder = PythonApplication.builder(app);
            String path = System.getProperty(PATH_PROPERTY, "");
            for (String folder : path.split(File.pathSeparator)) {
                if (!folder.isBlank()) {
                    builder.pythonPath(Path.of(folder.strip()));
                }
            }
            String contexts = System.getProperty(CONTEXTS_PROPERTY);
            if (contexts != null) {
                builder.contexts(parse(contexts));
            }
            URL files = classLoader.getResource(FILES_LIST);
            if (files != null) {
                builder.resources(anchor(files, classLoader));
            }
            return builder.build();
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("application spec '" + spec + "': " + e.getMessage(), e);
        }
    }

    private static int parse(String contexts) {
        try {
            return Integer.parseInt(contexts.strip());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("system property " + CONTEXTS_PROPERTY + "='" + contexts
                    + "' is not a number");
        }
    }

    /**
     * GraalPy reads resources through a class of the loader that holds them. This module's own class
     * serves when it sits beside the resources (the usual WAR: both in the web application); otherwise
     * there is no class to name, and guessing one would read another application's files.
     */
    private static Class<?> anchor(URL files, ClassLoader classLoader) {
        ClassLoader own = PythonLoader.class.getClassLoader();
        URL seen = own == null ? null : own.getResource(FILES_LIST);
        if (seen != null && Objects.equals(seen.toString(), files.toString())) {
            return PythonLoader.class;
        }
        throw new IllegalArgumentException("Python resources at " + files + " are not visible to wsgi4j-python's class loader ("
                + own + "); put wsgi4j-python in the same class path as the resources (e.g. both in WEB-INF), or "
                + "use PythonApplication.builder(...).resources(aClassBesideThem)");
    }
}
