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

    /**
     * Whether the header at {@code index} is the application's first {@code Date} or {@code Server}:
     * singleton fields a host may fill in before the application answers (Jetty does), so a sink
     * sets this one in place of the host's instead of adding a second (SPEC S24). Later ones of the
     * same name are added as given.
     *
     * @param index a position in {@link #headers()}
     * @return {@code true} if the sink must replace the host's value of this field with this header
     */
    public boolean replacesHostField(int index) {
        Header header = headers.get(index);
        if (!header.is("Date") && !header.is("Server")) {
            return false;
        }
        for (int i = 0; i < index; i++) {
            if (headers.get(i).is(header.name())) {
                return false;
            }
        }
        return true;
    }
}
