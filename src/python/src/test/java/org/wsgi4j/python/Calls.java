package org.wsgi4j.python;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.wsgi4j.Application;
import org.wsgi4j.Environ;
import org.wsgi4j.FileWrapper;
import org.wsgi4j.Header;

/** Calls an application directly, as a host would, recording what it did. */
final class Calls {

    final Map<String, Object> environ = new HashMap<>();
    final StringWriter errors = new StringWriter();
    final List<String> statuses = new ArrayList<>();
    final List<List<Header>> headers = new ArrayList<>();
    final ByteArrayOutputStream written = new ByteArrayOutputStream();

    Calls(String method, String path, String query, byte[] body) {
        environ.put(Environ.REQUEST_METHOD, method);
        environ.put(Environ.SCRIPT_NAME, "");
        environ.put(Environ.PATH_INFO, path);
        environ.put(Environ.QUERY_STRING, query);
        environ.put(Environ.REQUEST_URI, path + (query.isEmpty() ? "" : "?" + query));
        environ.put(Environ.SERVER_NAME, "localhost");
        environ.put(Environ.SERVER_PORT, "80");
        environ.put(Environ.SERVER_PROTOCOL, "HTTP/1.1");
        environ.put(Environ.REMOTE_ADDR, "127.0.0.1");
        environ.put(Environ.WSGI_VERSION, List.of(1, 0));
        environ.put(Environ.WSGI_URL_SCHEME, "http");
        environ.put(Environ.WSGI_INPUT, new ByteArrayInputStream(body));
        environ.put(Environ.WSGI_INPUT_TERMINATED, Boolean.TRUE);
        environ.put(Environ.WSGI_ERRORS, new PrintWriter(errors, true));
        environ.put(Environ.WSGI_MULTITHREAD, Boolean.TRUE);
        environ.put(Environ.WSGI_MULTIPROCESS, Boolean.FALSE);
        environ.put(Environ.WSGI_RUN_ONCE, Boolean.FALSE);
        environ.put(Environ.WSGI_FILE_WRAPPER, FileWrapper.DEFAULT);
        if (body.length > 0) {
            environ.put(Environ.CONTENT_LENGTH, Integer.toString(body.length));
        }
    }

    static Calls get(String path) {
        return new Calls("GET", path, "", new byte[0]);
    }

    Iterable<byte[]> call(Application application) throws Exception {
        return application.call(environ, (status, list, excInfo) -> {
            statuses.add(status);
            headers.add(list);
            return written::write;
        });
    }

    /** Calls, iterates and closes the body; the body's bytes as UTF-8. */
    String run(Application application) throws Exception {
        Iterable<byte[]> body = call(application);
        try {
            for (byte[] block : body) {
                written.write(block);
            }
        } finally {
            if (body instanceof AutoCloseable closeable) {
                closeable.close();
            }
        }
        return written.toString(StandardCharsets.UTF_8);
    }
}
