package org.wsgi4j;

import java.io.InputStream;
import java.io.PrintWriter;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * The names of the environ keys, and small typed accessors over an environ map.
 *
 * <p>Every key, its type and its rule are listed in SPEC.md ("The environ"). Servers fill the map;
 * applications read it and middleware may add keys. The accessors never throw for a missing
 * optional key: they return an empty {@code Optional} or the documented default.
 */
public final class Environ {

    public static final String REQUEST_METHOD = "REQUEST_METHOD";
    public static final String SCRIPT_NAME = "SCRIPT_NAME";
    public static final String PATH_INFO = "PATH_INFO";
    public static final String QUERY_STRING = "QUERY_STRING";
    public static final String REQUEST_URI = "REQUEST_URI";
    public static final String CONTENT_TYPE = "CONTENT_TYPE";
    public static final String CONTENT_LENGTH = "CONTENT_LENGTH";
    public static final String SERVER_NAME = "SERVER_NAME";
    public static final String SERVER_PORT = "SERVER_PORT";
    public static final String SERVER_PROTOCOL = "SERVER_PROTOCOL";
    public static final String REMOTE_ADDR = "REMOTE_ADDR";
    public static final String REMOTE_PORT = "REMOTE_PORT";
    public static final String HTTPS = "HTTPS";

    public static final String WSGI_VERSION = "wsgi.version";
    public static final String WSGI_URL_SCHEME = "wsgi.url_scheme";
    public static final String WSGI_INPUT = "wsgi.input";
    public static final String WSGI_INPUT_TERMINATED = "wsgi.input_terminated";
    public static final String WSGI_ERRORS = "wsgi.errors";
    public static final String WSGI_MULTITHREAD = "wsgi.multithread";
    public static final String WSGI_MULTIPROCESS = "wsgi.multiprocess";
    public static final String WSGI_RUN_ONCE = "wsgi.run_once";
    public static final String WSGI_FILE_WRAPPER = "wsgi.file_wrapper";

    /** The value of {@code wsgi.version}: WSGI 1.0, as PEP 3333 keeps it. */
    public static final java.util.List<Integer> VERSION = java.util.List.of(1, 0);

    /** Prefix of the keys that carry request headers ({@code HTTP_ACCEPT}, ...). */
    public static final String HTTP_PREFIX = "HTTP_";

    private Environ() {
    }

    public static String requestMethod(Map<String, Object> environ) {
        return string(environ, REQUEST_METHOD).orElse("GET");
    }

    /** The mount point, {@code ""} for the root (never {@code "/"}). */
    public static String scriptName(Map<String, Object> environ) {
        return string(environ, SCRIPT_NAME).orElse("");
    }

    /** The path below the mount point, {@code ""} or starting with {@code "/"}. */
    public static String pathInfo(Map<String, Object> environ) {
        return string(environ, PATH_INFO).orElse("");
    }

    /** The raw query string, {@code ""} when the request had none. */
    public static String queryString(Map<String, Object> environ) {
        return string(environ, QUERY_STRING).orElse("");
    }

    /** The request body's length, when the request declared one. */
    public static OptionalLong contentLength(Map<String, Object> environ) {
        Optional<String> value = string(environ, CONTENT_LENGTH);
        if (value.isEmpty() || value.get().isEmpty()) {
            return OptionalLong.empty();
        }
        try {
            return OptionalLong.of(Long.parseLong(value.get()));
        } catch (NumberFormatException e) {
            return OptionalLong.empty();
        }
    }

    /** The request body; never reads past its end. */
    public static InputStream input(Map<String, Object> environ) {
        return (InputStream) require(environ, WSGI_INPUT);
    }

    /** The error stream, which goes to the host's log. */
    public static PrintWriter errors(Map<String, Object> environ) {
        return (PrintWriter) require(environ, WSGI_ERRORS);
    }

    /** The server's file wrapper (a plain block-reading one if the server gave none). */
    public static FileWrapper fileWrapper(Map<String, Object> environ) {
        Object wrapper = environ.get(WSGI_FILE_WRAPPER);
        return wrapper instanceof FileWrapper fw ? fw : FileWrapper.DEFAULT;
    }

    /** {@code "http"} or {@code "https"}. */
    public static String urlScheme(Map<String, Object> environ) {
        return string(environ, WSGI_URL_SCHEME).orElse("http");
    }

    /**
     * A request header by its HTTP name ({@code "X-Request-Id"}), looked up as {@code HTTP_X_REQUEST_ID};
     * {@code Content-Type} and {@code Content-Length} are found under their CGI names.
     */
    public static Optional<String> header(Map<String, Object> environ, String name) {
        return string(environ, headerKey(name));
    }

    /** The environ key of a request header: {@code "X-Request-Id"} becomes {@code "HTTP_X_REQUEST_ID"}. */
    public static String headerKey(String name) {
        if (name.length() == 12 && name.equalsIgnoreCase("Content-Type")) {
            return CONTENT_TYPE;
        }
        if (name.length() == 14 && name.equalsIgnoreCase("Content-Length")) {
            return CONTENT_LENGTH;
        }
        // Header names are ASCII tokens: map case by hand rather than through a Locale.
        char[] key = new char[HTTP_PREFIX.length() + name.length()];
        HTTP_PREFIX.getChars(0, HTTP_PREFIX.length(), key, 0);
        for (int i = 0; i < name.length(); i++) {
            char c = name.charAt(i);
            key[HTTP_PREFIX.length() + i] = c == '-' ? '_' : (c >= 'a' && c <= 'z') ? (char) (c - 32) : c;
        }
        return new String(key);
    }

    /** The reconstructed URL path of this request: {@code SCRIPT_NAME + PATH_INFO}. */
    public static String path(Map<String, Object> environ) {
        return scriptName(environ) + pathInfo(environ);
    }

    /**
     * The rest of {@code path} below {@code prefix} when {@code prefix} is a prefix of it at a
     * {@code /} boundary (SPEC M2, E3): {@code pathBelow("/api", "/api/x")} is {@code "/x"},
     * {@code pathBelow("/api", "/api")} is {@code ""}, {@code pathBelow("/api", "/apix")} is
     * {@code null}. The prefix {@code ""} matches every path. Front ends use it to split a request
     * path into {@code SCRIPT_NAME} and {@code PATH_INFO}, {@code UrlMap} to choose a mount.
     *
     * @param prefix a decoded path prefix, {@code ""} or starting with {@code /} and not ending with {@code /}
     * @param path   a decoded path
     * @return the rest of the path ({@code ""} or starting with {@code /}), or {@code null} if it is not below {@code prefix}
     */
    public static String pathBelow(String prefix, String path) {
        int length = prefix.length();
        if (!path.startsWith(prefix) || (path.length() != length && path.charAt(length) != '/')) {
            return null;
        }
        return path.substring(length);
    }

    private static Optional<String> string(Map<String, Object> environ, String key) {
        Object value = environ.get(key);
        return value instanceof String s ? Optional.of(s) : Optional.empty();
    }

    private static Object require(Map<String, Object> environ, String key) {
        Object value = environ.get(key);
        if (value == null) {
            throw new IllegalStateException("environ has no '" + key + "'");
        }
        return value;
    }
}
