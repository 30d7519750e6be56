package org.wsgi4j;

import java.util.List;

/**
 * The {@code start_response} callable a server hands to an {@link Application}.
 *
 * <p><b>Rules</b> (SPEC.md S1-S8): the status is {@code "200 OK"}: three digits, one space and a
 * reason phrase. Header names are HTTP tokens; values hold no CR, LF or NUL and only latin-1
 * characters; hop-by-hop headers (Connection, Transfer-Encoding, ...) are refused. A refused call
 * throws {@link IllegalArgumentException}; if the application lets it escape, the request answers
 * 500.
 *
 * <p>Nothing is sent when {@code start} is called: the server sends status and headers together
 * with the first non-empty body block (or the first {@link Write#write}), or at the end if the body
 * is empty. Until then the application may call {@code start} again, but only with an
 * {@code excInfo}, which replaces the status and headers (an error page). After the headers went
 * out, a call with {@code excInfo} rethrows it: the original if it is unchecked, otherwise wrapped
 * in an {@link IllegalStateException}. A second call without {@code excInfo} throws
 * {@link IllegalStateException}.
 */
@FunctionalInterface
public interface StartResponse {

    /**
     * Begins (or, with {@code excInfo}, replaces) the response.
     *
     * @param status  status line without the protocol, e.g. {@code "404 Not Found"}
     * @param headers response headers in order; names may repeat
     * @param excInfo the error that made the application call again, or {@code null}
     * @return the legacy write callable, for applications that cannot return an iterable
     */
    Write start(String status, List<Header> headers, Throwable excInfo);

    /**
     * Begins the response; the same as {@code start(status, headers, null)}.
     *
     * @param status  status line without the protocol, e.g. {@code "404 Not Found"} (SPEC A2)
     * @param headers response headers in order; names may repeat (SPEC A3, A4)
     * @return the legacy write callable
     */
    default Write start(String status, List<Header> headers) {
        return start(status, headers, null);
    }
}
