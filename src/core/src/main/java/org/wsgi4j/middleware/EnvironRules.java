package org.wsgi4j.middleware;

import java.io.InputStream;
import java.io.PrintWriter;
import java.util.List;
import java.util.Map;
import org.wsgi4j.Environ;
import org.wsgi4j.FileWrapper;
import org.wsgi4j.internal.HttpSyntax;
import org.wsgi4j.server.RequestTarget;

/** The environ half of {@link Lint}: SPEC.md E1-E13, checked before the application is called. */
final class EnvironRules {

    private static final List<String> FLAGS =
            List.of(Environ.WSGI_MULTITHREAD, Environ.WSGI_MULTIPROCESS, Environ.WSGI_RUN_ONCE);

    private EnvironRules() {
    }

    static void check(Map<String, Object> environ, System.Logger logger) {
        if (environ == null) {
            throw new LintError("E1", "the environ is null");
        }
        String method = string(environ, Environ.REQUEST_METHOD, "E1");
        if (!HttpSyntax.isToken(method)) {
            throw new LintError("E1", "REQUEST_METHOD '" + method + "' is not a token");
        }
        String scriptName = string(environ, Environ.SCRIPT_NAME, "E2");
        if (!scriptName.isEmpty() && (!scriptName.startsWith("/") || scriptName.endsWith("/"))) {
            throw new LintError("E2", "SCRIPT_NAME '" + scriptName
                    + "' must be \"\" or start with '/' and not end with '/'");
        }
        String pathInfo = string(environ, Environ.PATH_INFO, "E3");
        if (!pathInfo.isEmpty() && !pathInfo.startsWith("/")) {
            throw new LintError("E3", "PATH_INFO '" + pathInfo + "' must be \"\" or start with '/'");
        }
        string(environ, Environ.QUERY_STRING, "E4");
        String requestUri = nonEmpty(environ, Environ.REQUEST_URI, "E5");
        try {
            RequestTarget.check(requestUri);
        } catch (IllegalArgumentException e) {
            // The message starts with the rule, "E14: ...".
            throw new LintError(e.getMessage().substring(0, e.getMessage().indexOf(':')),
                    e.getMessage().substring(e.getMessage().indexOf(':') + 2) + " (REQUEST_URI '" + requestUri + "')");
        }
        optionalString(environ, Environ.CONTENT_TYPE, "E6");
        digits(environ, Environ.CONTENT_LENGTH, false, "E6");
        for (String key : List.of("HTTP_CONTENT_TYPE", "HTTP_CONTENT_LENGTH")) {
            if (environ.containsKey(key)) {
                throw new LintError("E6", "the environ has '" + key + "'; it must be '" + key.substring(5)
                        + "' only");
            }
        }
        nonEmpty(environ, Environ.SERVER_NAME, "E7");
        digits(environ, Environ.SERVER_PORT, true, "E7");
        String protocol = string(environ, Environ.SERVER_PROTOCOL, "E7");
        if (!protocol.startsWith("HTTP/")) {
            Lint.soft(logger, "E7", "SERVER_PROTOCOL '" + protocol + "' is not an HTTP version");
        }
        for (Map.Entry<String, Object> entry : environ.entrySet()) {
            if (entry.getKey().startsWith(Environ.HTTP_PREFIX)) {
                checkHeaderKey(entry.getKey(), entry.getValue());
            }
        }
        checkScheme(environ);
        if (environ.get(Environ.REMOTE_ADDR) instanceof String remote && remote.startsWith("[")) {
            throw new LintError("E9", "REMOTE_ADDR '" + remote + "' must have no brackets");
        }
        if (!Environ.VERSION.equals(environ.get(Environ.WSGI_VERSION))) {
            throw new LintError("E10", "wsgi.version must be List.of(1, 0), was "
                    + describe(environ.get(Environ.WSGI_VERSION)));
        }
        for (String flag : FLAGS) {
            typed(environ, flag, Boolean.class, "E10");
        }
        typed(environ, Environ.WSGI_INPUT, InputStream.class, "E11");
        if (environ.get(Environ.WSGI_INPUT_TERMINATED) != Boolean.TRUE) {
            throw new LintError("E11", "wsgi.input_terminated must be Boolean.TRUE, was "
                    + describe(environ.get(Environ.WSGI_INPUT_TERMINATED)));
        }
        typed(environ, Environ.WSGI_ERRORS, PrintWriter.class, "E12");
        typed(environ, Environ.WSGI_FILE_WRAPPER, FileWrapper.class, "E13");
    }

    private static void checkHeaderKey(String key, Object value) {
        if (!(value instanceof String text)) {
            throw new LintError("E8", "'" + key + "' must be a String, was " + describe(value));
        }
        for (int i = Environ.HTTP_PREFIX.length(); i < key.length(); i++) {
            char c = key.charAt(i);
            if (c == '-' || Character.isLowerCase(c)) {
                throw new LintError("E8", "request header key '" + key
                        + "' must be upper case with '-' turned into '_'");
            }
        }
        for (int i = 0; i < text.length(); i++) {
            if (text.charAt(i) > 0xFF) {
                throw new LintError("E8", "value of '" + key + "' has a character above U+00FF; header values"
                        + " are decoded as ISO-8859-1");
            }
        }
    }

    private static void checkScheme(Map<String, Object> environ) {
        nonEmpty(environ, Environ.REMOTE_ADDR, "E9");
        digits(environ, Environ.REMOTE_PORT, false, "E9");
        String scheme = string(environ, Environ.WSGI_URL_SCHEME, "E9");
        if (!scheme.equals("http") && !scheme.equals("https")) {
            throw new LintError("E9", "wsgi.url_scheme '" + scheme + "' must be 'http' or 'https'");
        }
        Object https = environ.get(Environ.HTTPS);
        if (scheme.equals("https") ? !"on".equals(https) : https != null) {
            throw new LintError("E9", "HTTPS is " + describe(https) + " with wsgi.url_scheme '" + scheme
                    + "'; it must be \"on\" exactly for https and absent otherwise");
        }
    }

    private static String string(Map<String, Object> environ, String key, String rule) {
        return typed(environ, key, String.class, rule);
    }

    private static String nonEmpty(Map<String, Object> environ, String key, String rule) {
        String value = string(environ, key, rule);
        if (value.isEmpty()) {
            throw new LintError(rule, "environ key '" + key + "' is empty");
        }
        return value;
    }

    private static void optionalString(Map<String, Object> environ, String key, String rule) {
        if (environ.containsKey(key)) {
            string(environ, key, rule);
        }
    }

    private static void digits(Map<String, Object> environ, String key, boolean required, String rule) {
        if (!required && !environ.containsKey(key)) {
            return;
        }
        String value = string(environ, key, rule);
        if (value.isEmpty() || !value.chars().allMatch(c -> c >= '0' && c <= '9')) {
            throw new LintError(rule, key + " '" + value + "' must be ASCII digits");
        }
    }

    private static <T> T typed(Map<String, Object> environ, String key, Class<T> type, String rule) {
        Object value = environ.get(key);
        if (value == null) {
            throw new LintError(rule, "environ has no '" + key + "'");
        }
        if (!type.isInstance(value)) {
            throw new LintError(rule, "environ key '" + key + "' must be a " + type.getSimpleName() + ", was "
                    + describe(value));
        }
        return type.cast(value);
    }

    static String describe(Object value) {
        if (value == null || value instanceof String) {
            return value == null ? "null" : "'" + value + "'";
        }
        return "a " + value.getClass().getName() + " (" + value + ")";
    }
}
