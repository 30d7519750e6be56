package org.wsgi4j.server;

import java.util.Objects;

/**
 * Settings of a {@link ResponseEngine}.
 *
 * @param debug  whether a 500 answer carries the stack trace (never in production: it leaks internals)
 * @param logger where application errors, protocol violations and disconnects are logged
 */
public record EngineOptions(boolean debug, System.Logger logger) {

    /**
     * Checks that {@code logger} is given.
     *
     * @param debug  whether a 500 answer carries the stack trace
     * @param logger where the engine logs
     */
    public EngineOptions {
        Objects.requireNonNull(logger, "logger");
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
        return new EngineOptions(debug, logger);
    }

    /**
     * These options with {@code logger} changed.
     *
     * @param logger where the engine logs
     * @return a copy with the new value
     */
    public EngineOptions withLogger(System.Logger logger) {
        return new EngineOptions(debug, logger);
    }
}
