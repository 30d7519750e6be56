package org.wsgi4j.server;

/**
 * What {@link ResponseEngine#run} did with one request, for the front end (which acts on an abort),
 * access logs and statistics.
 *
 * @param status    the status code that was sent (500 when the engine answered an error itself),
 *                  or the application's status when the client went away before it was sent
 * @param bodyBytes body bytes handed to the sink
 * @param outcome   how the response ended
 * @param failure   why it did not end as the application meant: the application's exception (also
 *                  when the engine answered it with a 500), the S12 shortfall, or the I/O error of a
 *                  client that went away; {@code null} when nothing failed
 */
public record Result(int status, long bodyBytes, Outcome outcome, Throwable failure) {

    /** How a response ended. */
    public enum Outcome {
        /** The client received a complete response (possibly a 500 the engine made). */
        COMPLETE,
        /** The response was cut short on purpose so the client can tell (SPEC S12, S16). */
        ABORTED,
        /** The client went away before the response was complete (SPEC S18). */
        CLIENT_GONE
    }
}
