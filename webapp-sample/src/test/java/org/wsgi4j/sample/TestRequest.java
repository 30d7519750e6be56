package org.wsgi4j.sample;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.wsgi4j.Application;
import org.wsgi4j.Environ;
import org.wsgi4j.FileWrapper;
import org.wsgi4j.Header;

/**
 * A test-scope stand-in for a server: builds an environ with every key SPEC.md section 2 requires,
 * calls an application, and records the status, headers and body. It checks the few application
 * rules a bug in these samples could break (A1 start before the body, A5 one start, A6 non-null
 * blocks, A7 close once, A9 no Content-Type on 204, A10 honest Content-Length); the full
 * validator is {@code Lint}, and real HTTP goes through the integration tests.
 */
final class TestRequest {

    private final Map<String, Object> environ = new HashMap<>();

    private TestRequest(String method, String scriptName, String pathInfo) {
        environ.put(Environ.REQUEST_METHOD, method);
        environ.put(Environ.SCRIPT_NAME, scriptName);
        environ.put(Environ.PATH_INFO, pathInfo);
        environ.put(Environ.QUERY_STRING, "");
        environ.put(Environ.SERVER_NAME, "sample.test");
        environ.put(Environ.SERVER_PORT, "8080");
        environ.put(Environ.SERVER_PROTOCOL, "HTTP/1.1");
        environ.put(Environ.REMOTE_ADDR, "127.0.0.1");
        environ.put(Environ.REMOTE_PORT, "54321");
        environ.put("HTTP_HOST", "sample.test:8080");
        environ.put(Environ.WSGI_VERSION, Environ.VERSION);
        environ.put(Environ.WSGI_URL_SCHEME, "http");
        environ.put(Environ.WSGI_INPUT, new ByteArrayInputStream(new byte[0]));
        environ.put(Environ.WSGI_INPUT_TERMINATED, Boolean.TRUE);
        environ.put(Environ.WSGI_ERRORS, new PrintWriter(new StringWriter(), true));
        environ.put(Environ.WSGI_MULTITHREAD, Boolean.TRUE);
        environ.put(Environ.WSGI_MULTIPROCESS, Boolean.FALSE);
        environ.put(Environ.WSGI_RUN_ONCE, Boolean.FALSE);
        environ.put(Environ.WSGI_FILE_WRAPPER, FileWrapper.DEFAULT);
    }

    /** A request for {@code SCRIPT_NAME + PATH_INFO}; both decoded, as a server gives them (E2, E3). */
    static TestRequest of(String method, String scriptName, String pathInfo) {
        return new TestRequest(method, scriptName, pathInfo);
    }

    static TestRequest get(String scriptName, String pathInfo) {
        return of("GET", scriptName, pathInfo);
    }

    /** The raw query string (E4). */
    TestRequest query(String queryString) {
        environ.put(Environ.QUERY_STRING, queryString);
        return this;
    }

    TestRequest header(String name, String value) {
        environ.put(Environ.headerKey(name), value);
        return this;
    }

    /** A body with a {@code Content-Length} (E6). */
    TestRequest body(String contentType, byte[] body) {
        environ.put(Environ.CONTENT_LENGTH, Integer.toString(body.length));
        return chunked(contentType, new ByteArrayInputStream(body));
    }

    TestRequest body(String contentType, String body) {
        return body(contentType, body.getBytes(StandardCharsets.UTF_8));
    }

    /** A body without {@code Content-Length}, as a chunked request arrives (E6, E11). */
    TestRequest chunked(String contentType, InputStream input) {
        if (contentType != null) {
            environ.put(Environ.CONTENT_TYPE, contentType);
        }
        environ.put(Environ.WSGI_INPUT, input);
        return this;
    }

    /** Sets (or, with {@code null}, removes) any key, for what the builder has no method for. */
    TestRequest set(String key, Object value) {
        if (value == null) {
            environ.remove(key);
        } else {
            environ.put(key, value);
        }
        return this;
    }

    Map<String, Object> environ() {
        return environ;
    }

    /** Calls {@code app}, iterates the whole body and closes it. */
    Response call(Application app) throws Exception {
        Response response = start(app);
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try {
            for (byte[] block : response.rawBody) {
                assertNotNull(block, "A6: a body block is null");
                assertTrue(block.length == 0 || response.status != null, "A1: a non-empty block before start");
                bytes.writeBytes(block);
            }
        } finally {
            response.close();
        }
        response.body = bytes.toByteArray();
        if (!environ.get(Environ.REQUEST_METHOD).equals("HEAD")) {
            response.header("Content-Length").ifPresent(length ->
                    assertEquals(Long.parseLong(length), response.body.length, "A10: Content-Length is honest"));
        }
        return response;
    }

    /** Calls {@code app} and returns before the body is iterated; the caller iterates and closes it. */
    Response start(Application app) throws Exception {
        environ.putIfAbsent(Environ.REQUEST_URI, requestUri());
        Response response = new Response();
        response.rawBody = app.call(environ, (status, headers, excInfo) -> {
            assertTrue(response.status == null || excInfo != null, "A5: start called twice without excInfo");
            response.status = status;
            response.headers = List.copyOf(headers);
            return data -> fail("the samples do not use write()");
        });
        assertNotNull(response.rawBody, "A6: call returned null");
        if (response.status != null && (response.code() == 204 || response.code() < 200)) {
            assertTrue(response.header("Content-Type").isEmpty(), "A9: Content-Type on a " + response.status);
        }
        return response;
    }

    private String requestUri() {
        String query = (String) environ.get(Environ.QUERY_STRING);
        return Urls.encodePath(Environ.path(environ)) + (query.isEmpty() ? "" : "?" + query);
    }

    /** What the application answered. */
    static final class Response implements AutoCloseable {
        String status;
        List<Header> headers = new ArrayList<>();
        Iterable<byte[]> rawBody;
        byte[] body;
        private boolean closed;

        int code() {
            assertNotNull(status, "A1: the application never called start");
            return Integer.parseInt(status.substring(0, 3));
        }

        /** The first header called {@code name}, ignoring case. */
        Optional<String> header(String name) {
            return headers.stream().filter(h -> h.is(name)).map(Header::value).findFirst();
        }

        String text() {
            return new String(body, StandardCharsets.UTF_8);
        }

        JsonNode json() throws Exception {
            assertEquals(Optional.of("application/json"), header("Content-Type"), "a JSON answer");
            return Responses.JSON.readTree(body);
        }

        /** A 405 that names the allowed methods (RFC 9110 15.5.6). */
        void assertMethodNotAllowed(String allow) {
            assertEquals(405, code(), status);
            assertEquals(Optional.of(allow), header("Allow"));
        }

        /** Closes the body once, as a server does (S17). */
        @Override
        public void close() throws Exception {
            assertFalse(closed, "A7: closed twice");
            closed = true;
            if (rawBody instanceof AutoCloseable closeable) {
                closeable.close();
            }
        }
    }
}
