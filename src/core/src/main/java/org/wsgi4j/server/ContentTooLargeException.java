package org.wsgi4j.server;

import java.io.IOException;

/**
 * A read of {@code wsgi.input} past a request body limit ({@code BodyLimit}, uWSGI's {@code limit-post}).
 * When the application lets it escape before the response is committed, the engine answers
 * {@code 413 Content Too Large} instead of S15's 500: the client sent too much, the application did not
 * fail (SPEC S15).
 */
public class ContentTooLargeException extends IOException {
    private static final long serialVersionUID = 1L;

    /**
     * @param message what was too large, and the limit
     */
    public ContentTooLargeException(String message) {
        super(message);
    }
}
