package org.wsgi4j.server;

import java.util.Objects;

/**
 * Settings of a {@link ResponseEngine}.
 *
 * @param debug  whether a 500 answer carries the stack trace (never in production: it leaks internals)
 * @param logger where application errors, protocol violations and disconnects are logged
 */
public record EngineOptions(boolean debug, System.Logger logger) {

    public EngineOptions {
        Objects.requireNonNull(logger, "logger");
    }

    /** No stack traces in answers; logs to the {@code org.wsgi4j.server.ResponseEngine} logger. */
    public static EngineOptions defaults() {
        return new EngineOptions(false, System.getLogger(ResponseEngine.class.getName()));
    }

    public EngineOptions withDebug(boolean debug) {
        return new EngineOptions(debug, logger);
    }

    public EngineOptions withLogger(System.Logger logger) {
        return new EngineOptions(debug, logger);
    }
}
