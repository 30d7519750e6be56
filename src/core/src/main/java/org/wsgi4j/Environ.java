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

    /** {@code REQUEST_METHOD}: String, the request method as received, a non-empty HTTP token; HEAD stays HEAD (SPEC E1). */
    public static final String REQUEST_METHOD = "REQUEST_METHOD";
    /** {@code SCRIPT_NAME}: String, the mount point, percent-decoded as UTF-8; {@code ""} or starting and not ending with {@code "/"}, never {@code "/"} (SPEC E2). */
    public static final String SCRIPT_NAME = "SCRIPT_NAME";
    /** {@code PATH_INFO}: String, the rest of the path below {@code SCRIPT_NAME}, percent-decoded as UTF-8; {@code ""} or starting with {@code "/"} (SPEC E3). */
    public static final String PATH_INFO = "PATH_INFO";
    /** {@code QUERY_STRING}: String, the target after the first {@code ?}, still percent-encoded; {@code ""} when there is none (SPEC E4). */
    public static final String QUERY_STRING = "QUERY_STRING";
    /** {@code REQUEST_URI}: String, the request target as sent, path still percent-encoded, in origin form; never empty (SPEC E5). */
    public static final String REQUEST_URI = "REQUEST_URI";
    /** {@code CONTENT_TYPE}: String, the {@code Content-Type} header; present only when the request has one (SPEC E6). */
    public static final String CONTENT_TYPE = "CONTENT_TYPE";
    /** {@code CONTENT_LENGTH}: String of ASCII digits, the body length in bytes; absent when the request declares none or is chunked (SPEC E6). */
    public static final String CONTENT_LENGTH = "CONTENT_LENGTH";
    /** {@code SERVER_NAME}: String, the host name the request was addressed to; never empty (SPEC E7). */
    public static final String SERVER_NAME = "SERVER_NAME";
    /** {@code SERVER_PORT}: String of ASCII digits, the port the request was addressed to (SPEC E7). */
    public static final String SERVER_PORT = "SERVER_PORT";
    /** {@code SERVER_PROTOCOL}: String, the protocol, e.g. {@code "HTTP/1.1"} (SPEC E7). */
    public static final String SERVER_PROTOCOL = "SERVER_PROTOCOL";
    /** {@code REMOTE_ADDR}: String, the peer address after trusted-proxy handling; IPv6 without brackets, in RFC 5952 form (SPEC E9). */
    public static final String REMOTE_ADDR = "REMOTE_ADDR";
    /** {@code REMOTE_PORT}: String, the peer port, when known (SPEC E9). */
    public static final String REMOTE_PORT = "REMOTE_PORT";
    /** {@code HTTPS}: String {@code "on"} for https, absent otherwise (SPEC E9). */
    public static final String HTTPS = "HTTPS";

    /** {@code wsgi.version}: {@code List<Integer>}, always {@link #VERSION} (SPEC E10). */
    public static final String WSGI_VERSION = "wsgi.version";
    /** {@code wsgi.url_scheme}: String, {@code "http"} or {@code "https"} (SPEC E9). */
    public static final String WSGI_URL_SCHEME = "wsgi.url_scheme";
    /** {@code wsgi.input}: {@code InputStream} over the request body that never reads past its end (SPEC E11). */
    public static final String WSGI_INPUT = "wsgi.input";
    /** {@code wsgi.input_terminated}: {@code Boolean.TRUE}; the input may be read to end-of-stream without a length (SPEC E11). */
    public static final String WSGI_INPUT_TERMINATED = "wsgi.input_terminated";
    /** {@code wsgi.errors}: {@code PrintWriter} whose text goes to the host's log; applications must not close it (SPEC E12). */
    public static final String WSGI_ERRORS = "wsgi.errors";
    /** {@code wsgi.multithread}: Boolean, true when the application may be called concurrently (SPEC E10). */
    public static final String WSGI_MULTITHREAD = "wsgi.multithread";
    /** {@code wsgi.multiprocess}: Boolean, true when other processes serve the same application (SPEC E10). */
    public static final String WSGI_MULTIPROCESS = "wsgi.multiprocess";
    /** {@code wsgi.run_once}: Boolean, false for every long-running server (SPEC E10). */
    public static final String WSGI_RUN_ONCE = "wsgi.run_once";
    /** {@code wsgi.file_wrapper}: {@link FileWrapper} that turns a file into a {@link FileBody} (SPEC E13, S20). */
    public static final String WSGI_FILE_WRAPPER = "wsgi.file_wrapper";

    /** The value of {@code wsgi.version}: WSGI 1.0, as PEP 3333 keeps it. */
    public static final java.util.List<Integer> VERSION = java.util.List.of(1, 0);

    /** Prefix of the keys that carry request headers ({@code HTTP_ACCEPT}, ...). */
    public static final String HTTP_PREFIX = "HTTP_";

    private Environ() {
    }

    /**
     * The request method (SPEC E1).
     *
     * @param environ the request's environ
     * @return {@code REQUEST_METHOD}, or {@code "GET"} when it is missing or not a String
     */
    public static String requestMethod(Map<String, Object> environ) {
        return string(environ, REQUEST_METHOD).orElse("GET");
    }

    /**
     * The mount point, {@code ""} for the root (never {@code "/"}) (SPEC E2).
     *
     * @param environ the request's environ
     * @return {@code SCRIPT_NAME}, or {@code ""} when it is missing
     */
    public static String scriptName(Map<String, Object> environ) {
        return string(environ, SCRIPT_NAME).orElse("");
    }

    /**
     * The path below the mount point, {@code ""} or starting with {@code "/"} (SPEC E3).
     *
     * @param environ the request's environ
     * @return {@code PATH_INFO}, or {@code ""} when it is missing
     */
    public static String pathInfo(Map<String, Object> environ) {
        return string(environ, PATH_INFO).orElse("");
    }

    /**
     * The raw query string, {@code ""} when the request had none (SPEC E4).
     *
     * @param environ the request's environ
     * @return {@code QUERY_STRING}, still percent-encoded, or {@code ""} when it is missing
     */
    public static String queryString(Map<String, Object> environ) {
        return string(environ, QUERY_STRING).orElse("");
    }

    /**
     * The request body's length, when the request declared one (SPEC E6).
     *
     * @param environ the request's environ
     * @return {@code CONTENT_LENGTH} in bytes; empty when it is missing, empty or not a {@code long}
     */
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

    /**
     * The request body; never reads past its end (SPEC E11).
     *
     * @param environ the request's environ
     * @return {@code wsgi.input}
     * @throws IllegalStateException if the environ has no {@code wsgi.input}
     * @throws ClassCastException if {@code wsgi.input} is not an {@code InputStream}
     */
    public static InputStream input(Map<String, Object> environ) {
        return (InputStream) require(environ, WSGI_INPUT);
    }

    /**
     * The error stream, which goes to the host's log (SPEC E12).
     *
     * @param environ the request's environ
     * @return {@code wsgi.errors}
     * @throws IllegalStateException if the environ has no {@code wsgi.errors}
     * @throws ClassCastException if {@code wsgi.errors} is not a {@code PrintWriter}
     */
    public static PrintWriter errors(Map<String, Object> environ) {
        return (PrintWriter) require(environ, WSGI_ERRORS);
    }

    /**
     * The server's file wrapper (SPEC E13).
     *
     * @param environ the request's environ
     * @return {@code wsgi.file_wrapper}, or {@link FileWrapper#DEFAULT} (plain block reading) when it is missing or not a {@code FileWrapper}
     */
    public static FileWrapper fileWrapper(Map<String, Object> environ) {
        Object wrapper = environ.get(WSGI_FILE_WRAPPER);
        return wrapper instanceof FileWrapper fw ? fw : FileWrapper.DEFAULT;
    }

    /**
     * The URL scheme (SPEC E9).
     *
     * @param environ the request's environ
     * @return {@code wsgi.url_scheme}, {@code "http"} or {@code "https"}; {@code "http"} when it is missing
     */
    public static String urlScheme(Map<String, Object> environ) {
        return string(environ, WSGI_URL_SCHEME).orElse("http");
    }

    /**
     * A request header by its HTTP name ({@code "X-Request-Id"}), looked up as {@code HTTP_X_REQUEST_ID};
     * {@code Content-Type} and {@code Content-Length} are found under their CGI names (SPEC E6, E8).
     *
     * @param environ the request's environ
     * @param name    the header name, any case
     * @return the header value (repeats already joined, SPEC E8), or empty when the request has none
     */
    public static Optional<String> header(Map<String, Object> environ, String name) {
        return string(environ, headerKey(name));
    }

    /**
     * The environ key of a request header: {@code "X-Request-Id"} becomes {@code "HTTP_X_REQUEST_ID"} (SPEC E8);
     * {@code Content-Type} and {@code Content-Length} (any case) become {@link #CONTENT_TYPE} and {@link #CONTENT_LENGTH} (SPEC E6).
     *
     * @param name the header name, ASCII
     * @return the key: {@code HTTP_} plus the name upper-cased with {@code -} turned into {@code _}
     */
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

    /**
     * The reconstructed URL path of this request (SPEC E3).
     *
     * @param environ the request's environ
     * @return {@code SCRIPT_NAME + PATH_INFO}, percent-decoded
     */
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
