package org.wsgi4j.conformance;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Optional;
import org.wsgi4j.Header;

/**
 * A response as {@link RawHttpConnection} read it off the socket: the head, the de-framed body and
 * how the body ended.
 *
 * @param status   the status code
 * @param reason   the reason phrase as sent
 * @param headers  the header fields in order, values as ISO-8859-1 strings
 * @param body     the body bytes received (de-chunked); for an incomplete response, what arrived
 * @param framing  how the body was delimited
 * @param complete whether the body ended as its framing says a body ends; {@code false} when the
 *                 connection closed (or was reset) before that: the client can tell it is broken
 * @param trailing bytes the server sent after the framed end of the response, up to the close
 *                 (always a server bug with {@code Connection: close}: a body where none may be)
 */
public record RawResponse(int status, String reason, List<Header> headers, byte[] body, Framing framing,
                          boolean complete, byte[] trailing) {

    /** How a response body is delimited (RFC 9112 section 6.3). */
    public enum Framing {
        /** No body can follow: HEAD, 1xx, 204, 304. */
        NONE,
        /** Delimited by {@code Content-Length}. */
        CONTENT_LENGTH,
        /** Delimited by chunked transfer coding. */
        CHUNKED,
        /** Delimited by closing the connection: a truncated body looks complete. */
        CLOSE
    }

    /**
     * The first value of header {@code name}, ignoring case.
     *
     * @param name the header name
     * @return the value, or empty when the header is absent
     */
    public Optional<String> header(String name) {
        return headers.stream().filter(h -> h.is(name)).map(Header::value).findFirst();
    }

    /**
     * All values of header {@code name}, in order.
     *
     * @param name the header name
     * @return the values, empty when the header is absent
     */
    public List<String> headers(String name) {
        return headers.stream().filter(h -> h.is(name)).map(Header::value).toList();
    }

    /**
     * The body as text.
     *
     * @return the body decoded as UTF-8
     */
    public String bodyText() {
        return new String(body, StandardCharsets.UTF_8);
    }

    /**
     * A one-line description for assertion messages.
     *
     * @return A one-line description for assertion messages
     */
    public String describe() {
        return status + " " + reason + " " + headers + ", " + framing + (complete ? "" : " INCOMPLETE")
                + ", " + body.length + " body bytes" + (trailing.length > 0 ? ", " + trailing.length
                + " trailing bytes" : "") + ": " + abbreviate(bodyText());
    }

    private static String abbreviate(String text) {
        return text.length() <= 300 ? text : text.substring(0, 300) + "...";
    }
}
