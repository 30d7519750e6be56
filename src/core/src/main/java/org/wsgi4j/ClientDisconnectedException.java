package org.wsgi4j;

import java.io.IOException;

/**
 * Thrown by a server's {@link Write} (and seen by a server when sending a body block) when the
 * client went away before the response was complete. It is not an application error: servers log
 * it at debug level, still call the body's {@code close()}, and send nothing more.
 */
public class ClientDisconnectedException extends IOException {

    private static final long serialVersionUID = 1L;

    /**
     * A disconnect found while sending.
     *
     * @param message what was being done when the client was found gone
     * @param cause   the I/O error that showed it, or {@code null}
     */
    public ClientDisconnectedException(String message, Throwable cause) {
        super(message, cause);
    }
}
