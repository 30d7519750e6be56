package org.wsgi4j.sample;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.wsgi4j.Environ;
import org.wsgi4j.Header;
import org.wsgi4j.StartResponse;

/**
 * The few ways the sample applications answer. Every body is one block in a one-element list, so
 * the server computes {@code Content-Length} (SPEC S10).
 */
final class Responses {

    static final String OK = "200 OK";
    static final String CREATED = "201 Created";
    static final String NO_CONTENT = "204 No Content";
    static final String BAD_REQUEST = "400 Bad Request";
    static final String NOT_FOUND = "404 Not Found";
    static final String METHOD_NOT_ALLOWED = "405 Method Not Allowed";
    static final String CONFLICT = "409 Conflict";
    static final String LENGTH_REQUIRED = "411 Length Required";
    static final String CONTENT_TOO_LARGE = "413 Content Too Large";
    static final String UNSUPPORTED_MEDIA_TYPE = "415 Unsupported Media Type";

    /**
     * Shared and thread-safe once built. Strict on input: trailing garbage after the JSON value and
     * duplicate keys are errors, not silently ignored.
     */
    static final ObjectMapper JSON = JsonMapper.builder()
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            .enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION)
            .build();

    static final String HTML_TYPE = "text/html; charset=utf-8";
    static final String TEXT_TYPE = "text/plain; charset=utf-8";
    static final String JSON_TYPE = "application/json";

    private Responses() {
    }

    static List<byte[]> html(StartResponse startResponse, String status, String page, Header... extra) {
        return send(startResponse, status, HTML_TYPE, page.getBytes(StandardCharsets.UTF_8), extra);
    }

    static List<byte[]> text(StartResponse startResponse, String status, String text, Header... extra) {
        return send(startResponse, status, TEXT_TYPE, text.getBytes(StandardCharsets.UTF_8), extra);
    }

    static List<byte[]> json(StartResponse startResponse, String status, Object value, Header... extra)
            throws JsonProcessingException {
        return send(startResponse, status, JSON_TYPE, JSON.writeValueAsBytes(value), extra);
    }

    /** A JSON error: {@code {"status": 404, "error": "no note 7"}}. */
    static List<byte[]> jsonError(StartResponse startResponse, String status, String message, Header... extra)
            throws JsonProcessingException {
        Map<String, Object> error = new LinkedHashMap<>();
        error.put("status", Integer.parseInt(status.substring(0, 3)));
        error.put("error", message);
        return json(startResponse, status, error, extra);
    }

    /** The {@code Allow} header a 405 must carry (RFC 9110 15.5.6). */
    static Header allow(String methods) {
        return new Header("Allow", methods);
    }

    /**
     * Whether the request is for the mount point itself: {@code PATH_INFO} is {@code ""} (the
     * request was {@code /mount}) or {@code "/"} ({@code /mount/}); both mean the same to these apps.
     */
    static boolean atMountPoint(Map<String, Object> environ) {
        String path = Environ.pathInfo(environ);
        return path.isEmpty() || path.equals("/");
    }

    /** Whether {@code method} is GET or HEAD: HEAD is answered like GET and the server drops the body (S14). */
    static boolean isRead(String method) {
        return method.equals("GET") || method.equals("HEAD");
    }

    private static List<byte[]> send(StartResponse startResponse, String status, String contentType, byte[] body,
                                     Header... extra) {
        List<Header> headers = new ArrayList<>(extra.length + 1);
        headers.add(new Header("Content-Type", contentType));
        headers.addAll(Arrays.asList(extra));
        startResponse.start(status, headers);
        return List.<byte[]>of(body);
    }
}
