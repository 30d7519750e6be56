package org.wsgi4j;

import java.util.Map;

/**
 * A gateway application: the one function every wsgi4j host calls (PEP 3333's application object).
 *
 * <p><b>Who calls it.</b> A server (the servlet bridge, the uwsgi listener, a test) calls
 * {@link #call} once per request, on the thread that serves that request. Implementations must be
 * thread-safe: the same instance serves concurrent requests.
 *
 * <p><b>What it must do.</b> Call {@code startResponse.start(status, headers)} exactly once
 * (again only with an {@code excInfo}, see {@link StartResponse}) before or while producing the
 * body, and return the body: an {@code Iterable<byte[]>} that the server iterates once, sending
 * each non-empty block as it arrives. If the returned object also implements
 * {@link AutoCloseable}, the server calls {@code close()} exactly once when it is done with it,
 * whatever happened (normal end, exception, client gone).
 *
 * <p><b>On failure.</b> An exception thrown from {@code call}, from the body's iterator or from a
 * {@link Write} makes the server answer {@code 500 Internal Server Error} if nothing has been sent
 * yet; after the response is committed, the server logs it and aborts the connection so that the
 * client sees a broken response, never a complete one. See SPEC.md for the full rules.
 *
 * <pre>{@code
 * Application hello = (environ, startResponse) -> {
 *     startResponse.start("200 OK", List.of(new Header("Content-Type", "text/plain; charset=utf-8")));
 *     return Bodies.utf8("Hello, " + Environ.pathInfo(environ) + "\n");
 * };
 * }</pre>
 */
@FunctionalInterface
public interface Application {

    /**
     * Serves one request.
     *
     * @param environ       the request: CGI-style keys plus the {@code wsgi.*} keys (see {@link Environ});
     *                      mutable, owned by this request
     * @param startResponse begins the response; must be called before the first non-empty block
     * @return the response body, iterated once; never {@code null}
     * @throws Exception anything; the server turns it into a 500 or an aborted response
     */
    Iterable<byte[]> call(Map<String, Object> environ, StartResponse startResponse) throws Exception;
}
