package org.wsgi4j.middleware;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.wsgi4j.Application;
import org.wsgi4j.Environ;
import org.wsgi4j.FileWrapper;
import org.wsgi4j.Header;
import org.wsgi4j.StartResponse;

/**
 * A minimal, well-behaved server for middleware tests: a compliant environ, a start that records
 * the status and headers, a body iterated once and closed once. It holds none of the response
 * engine's rules (the real one is {@code org.wsgi4j.server.ResponseEngine}); it only lets tests
 * see what an application did.
 */
final class Driver {

    private Driver() {
    }

    /** A server's start that accepts anything and discards what is written, for tests that drive the body themselves. */
    static final StartResponse ACCEPT = (status, headers, excInfo) -> data -> { };

    /** What the application answered. */
    record Response(String status, List<Header> headers, byte[] body) {

        String text() {
            return new String(body, java.nio.charset.StandardCharsets.UTF_8);
        }
    }

    /** A compliant environ for a GET of {@code scriptName + pathInfo}. */
    static Map<String, Object> environ(String scriptName, String pathInfo) {
        Map<String, Object> environ = new HashMap<>();
        environ.put(Environ.REQUEST_METHOD, "GET");
        environ.put(Environ.SCRIPT_NAME, scriptName);
        environ.put(Environ.PATH_INFO, pathInfo);
        environ.put(Environ.QUERY_STRING, "");
        String path = scriptName + pathInfo;
        environ.put(Environ.REQUEST_URI, path.isEmpty() ? "/" : path);
        environ.put(Environ.SERVER_NAME, "localhost");
        environ.put(Environ.SERVER_PORT, "8080");
        environ.put(Environ.SERVER_PROTOCOL, "HTTP/1.1");
        environ.put(Environ.REMOTE_ADDR, "127.0.0.1");
        environ.put(Environ.REMOTE_PORT, "50000");
        environ.put("HTTP_HOST", "localhost:8080");
        environ.put(Environ.WSGI_VERSION, Environ.VERSION);
        environ.put(Environ.WSGI_URL_SCHEME, "http");
        environ.put(Environ.WSGI_INPUT, new ByteArrayInputStream(new byte[0]));
        environ.put(Environ.WSGI_INPUT_TERMINATED, Boolean.TRUE);
        environ.put(Environ.WSGI_ERRORS, new PrintWriter(new StringWriter()));
        environ.put(Environ.WSGI_MULTITHREAD, Boolean.TRUE);
        environ.put(Environ.WSGI_MULTIPROCESS, Boolean.FALSE);
        environ.put(Environ.WSGI_RUN_ONCE, Boolean.FALSE);
        environ.put(Environ.WSGI_FILE_WRAPPER, FileWrapper.DEFAULT);
        return environ;
    }

    static Map<String, Object> environ() {
        return environ("", "/");
    }

    /** Calls {@code application}, iterates its body once and closes it once. */
    static Response run(Application application, Map<String, Object> environ) throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        Object[] response = new Object[2];
        StartResponse start = (status, headers, excInfo) -> {
            response[0] = status;
            response[1] = headers;
            return out::write;
        };
        Iterable<byte[]> body = application.call(environ, start);
        try {
            for (byte[] block : body) {
                out.write(block);
            }
        } finally {
            if (body instanceof AutoCloseable closeable) {
                closeable.close();
            }
        }
        @SuppressWarnings("unchecked")
        List<Header> headers = (List<Header>) response[1];
        return new Response((String) response[0], headers, out.toByteArray());
    }
}
