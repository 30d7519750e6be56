package org.wsgi4j.server;

import java.util.Map;

/**
 * Told about every request a {@link ResponseEngine} runs, for access logs and statistics. Both
 * methods are called on the request's thread and must return quickly; an exception they throw is
 * logged and otherwise ignored. What an observer needs from {@link #started} in {@link #completed}
 * travels as the request's state, which {@code started} returns and {@code completed} receives: the
 * observer keeps nothing per request or per thread itself (with virtual threads, a thread local
 * would be a new map per request).
 */
public interface RequestObserver {

    /** Observes nothing. */
    RequestObserver NONE = (environ, state, result, nanos) -> { };

    /**
     * Before the application is called. May replace {@code wsgi.input} with a stream that counts
     * what the application reads.
     *
     * @param environ the environ the application is about to be given
     * @return this request's state, handed to {@link #completed}; {@code null} for none
     */
    default Object started(Map<String, Object> environ) {
        return null;
    }

    /**
     * After the response ended and the body was closed.
     *
     * @param environ the environ the application was given (as it left it)
     * @param state   what {@link #started} returned for this request; {@code null} if it threw
     * @param result  what was sent and how it ended
     * @param nanos   the time from {@link #started} to now, in nanoseconds
     */
    void completed(Map<String, Object> environ, Object state, Result result, long nanos);
}
