package org.wsgi4j.server;

import java.time.Duration;

/**
 * The failure of a request that ran longer than its engine's request timeout (uWSGI's harakiri,
 * {@link EngineOptions#requestTimeout()}): found in {@link Result#failure()}, with the
 * application's own exception, if any, as the cause.
 */
public final class RequestTimeoutException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    RequestTimeoutException(Duration timeout, Throwable cause) {
        super("the request ran longer than the request timeout of " + timeout.toMillis() / 1000.0 + " s", cause);
    }
}
