package org.wsgi4j.server;

import java.util.List;
import java.util.OptionalLong;
import org.wsgi4j.Header;

/**
 * The status and headers of a response, validated by {@link ResponseEngine}.
 *
 * @param code          the status code, 100 to 599
 * @param reason        the reason phrase (may be empty)
 * @param headers       the headers in the application's order, including {@code Content-Length}
 *                      when the application sent one or the engine computed it (SPEC S10)
 * @param contentLength the value of {@code Content-Length}, when there is one
 */
public record ResponseHead(int code, String reason, List<Header> headers, OptionalLong contentLength) {

    /**
     * Copies {@code headers}, so the head cannot change after validation.
     *
     * @param code          the status code, 100 to 599
     * @param reason        the reason phrase (may be empty)
     * @param headers       the headers in the application's order
     * @param contentLength the value of {@code Content-Length}, when there is one
     */
    public ResponseHead {
        headers = List.copyOf(headers);
    }

    /**
     * The status as the application wrote it.
     *
     * @return code and reason, e.g. {@code "404 Not Found"}
     */
    public String status() {
        return code + " " + reason;
    }
}
