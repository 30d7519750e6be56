package org.wsgi4j.server;

import java.util.Map;

/**
 * Told about every request a {@link ResponseEngine} runs, for access logs and statistics. Both
 * methods are called on the request's thread and must return quickly; an exception they throw is
 * logged and otherwise ignored.
 */
public interface RequestObserver {

    /** Observes nothing. */
    RequestObserver NONE = (environ, result, nanos) -> { };

    /**
     * Before the application is called. May replace {@code wsgi.input} with a stream that counts
     * what the application reads.
     *
     * @param environ the environ the application is about to be given
     */
    default void started(Map<String, Object> environ) {
    }

    /**
     * After the response ended and the body was closed.
     *
     * @param environ the environ the application was given (as it left it)
     * @param result  what was sent and how it ended
     * @param nanos   the time from {@link #started} to now, in nanoseconds
     */
    void completed(Map<String, Object> environ, Result result, long nanos);
}
