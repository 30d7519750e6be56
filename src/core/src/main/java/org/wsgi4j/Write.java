package org.wsgi4j;

import java.io.IOException;

/**
 * The legacy {@code write} callable that {@link StartResponse#start} returns (PEP 3333 "The
 * write() callable"). Each call sends the headers if they have not gone out yet, then the given
 * bytes, and flushes them before it returns. New applications should return their body as an
 * iterable instead.
 *
 * <p>Throws {@link ClientDisconnectedException} when the client has gone away; any exception
 * that escapes the application is handled by the server as for the body (SPEC.md S16, S17).
 */
@FunctionalInterface
public interface Write {

    /**
     * Sends {@code data} (which may be empty) as one block and flushes it (SPEC S19).
     *
     * @param data the bytes to send; not kept after the call returns
     * @throws IOException a {@link ClientDisconnectedException} when the client has gone away
     */
    void write(byte[] data) throws IOException;
}
