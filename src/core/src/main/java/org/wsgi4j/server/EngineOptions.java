package org.wsgi4j.server;

import java.time.Duration;
import java.util.Objects;
import java.util.Optional;

/**
 * Settings of a {@link ResponseEngine}.
 *
 * @param debug          whether a 500 answer carries the stack trace (never in production: it leaks internals)
 * @param logger         where application errors, protocol violations and disconnects are logged
 * @param requestTimeout how long a request may run (uWSGI's harakiri), from the call of the
 *                       application to the end of its answer; past it the request's thread is
 *                       interrupted and the answer is 504 if nothing was committed, else the
 *                       connection is aborted; the body's {@code close()} still runs. Empty: no limit
 * @param observer       told about every request, for access logs and statistics
 */
public record EngineOptions(boolean debug, System.Logger logger, Optional<Duration> requestTimeout,
                            RequestObserver observer) {

    /**
     * Checks that {@code logger} is given.
     *
     * @param debug  whether a 500 answer carries the stack trace
     * @param logger where the engine logs
     * @param requestTimeout how long a request may run; empty: no limit
     * @param observer told about every request
     * @throws NullPointerException if an argument is {@code null}
     * @throws IllegalArgumentException if {@code requestTimeout} is zero or negative
     */
    public EngineOptions {
        Objects.requireNonNull(logger, "logger");
        Objects.requireNonNull(requestTimeout, "requestTimeout");
        Objects.requireNonNull(observer, "observer");
        requestTimeout.ifPresent(timeout -> {
            if (timeout.isNegative() || timeout.isZero()) {
                throw new IllegalArgumentException("'requestTimeout' must be positive, was " + timeout);
            }
        });
    }

    /**
     * No request timeout, no observer.
     *
     * @param debug  whether a 500 answer carries the stack trace
     * @param logger where the engine logs
     */
    public EngineOptions(boolean debug, System.Logger logger) {
        this(debug, logger, Optional.empty(), RequestObserver.NONE);
    }

    /**
     * No stack traces in answers; logs to the {@code org.wsgi4j.server.ResponseEngine} logger.
     *
     * @return the defaults
     */
    public static EngineOptions defaults() {
        return new EngineOptions(false, System.getLogger(ResponseEngine.class.getName()));
    }

    /**
     * These options with {@code debug} changed.
     *
     * @param debug whether 500 answers carry the stack trace
     * @return a copy with the new value
     */
    public EngineOptions withDebug(boolean debug) {
        return new EngineOptions(debug, logger, requestTimeout, observer);
    }

    /**
     * These options with {@code logger} changed.
     *
     * @param logger where the engine logs
     * @return a copy with the new value
     */
    public EngineOptions withLogger(System.Logger logger) {
        return new EngineOptions(debug, logger, requestTimeout, observer);
    }

    /**
     * These options with {@code requestTimeout} changed.
     *
     * @param requestTimeout how long a request may run; empty: no limit
     * @return a copy with the new value
     * @throws IllegalArgumentException if the timeout is zero or negative
     */
    public EngineOptions withRequestTimeout(Optional<Duration> requestTimeout) {
        return new EngineOptions(debug, logger, requestTimeout, observer);
    }

    /**
     * These options with {@code observer} changed.
     *
     * @param observer told about every request; {@link RequestObserver#NONE} for none
     * @return a copy with the new value
     */
    public EngineOptions withObserver(RequestObserver observer) {
        return new EngineOptions(debug, logger, requestTimeout, observer);
    }
}
