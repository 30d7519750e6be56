package org.wsgi4j;

import java.nio.charset.StandardCharsets;
import java.util.Iterator;
import java.util.List;
import java.util.Objects;

/**
 * Small helpers that make application bodies shorter to write. All of them return ordinary
 * {@code Iterable<byte[]>} values; none is required by the contract.
 */
public final class Bodies {

    private Bodies() {
    }

    /**
     * No body.
     *
     * @return an empty, immutable body
     */
    public static List<byte[]> empty() {
        return List.of();
    }

    /**
     * {@code text} encoded as UTF-8, as a one-block body (so the server computes its
     * {@code Content-Length}).
     *
     * @param text the whole body
     * @return an immutable one-block body
     */
    public static List<byte[]> utf8(String text) {
        return List.of(text.getBytes(StandardCharsets.UTF_8));
    }

    /**
     * The given blocks, in order.
     *
     * @param blocks the blocks; none may be null (SPEC A6)
     * @return an immutable body of those blocks
     */
    public static List<byte[]> of(byte[]... blocks) {
        return List.of(blocks);
    }

    /**
     * {@code body}, with {@code onClose} run when the server closes it: the way to release a
     * resource (a database cursor, a temporary file) once the response has been sent or abandoned.
     * If {@code body} is itself closable it is closed first; {@code onClose} runs even if that fails.
     *
     * @param body    the body to send
     * @param onClose what to release once the server closes the body (SPEC A7, S17)
     * @return {@code body} with the close action
     */
    public static CloseableBody closing(Iterable<byte[]> body, AutoCloseable onClose) {
        return new CloseableBody(Objects.requireNonNull(body, "body"), Objects.requireNonNull(onClose, "onClose"));
    }

    /**
     * A file body with {@code onClose} run when the server closes it; it stays a {@link FileBody},
     * so the server can still send it without copying (SPEC S20).
     *
     * @param body    the file body to send
     * @param onClose what to release after the file is closed
     * @return the same region with the close action
     */
    public static FileBody closing(FileBody body, AutoCloseable onClose) {
        return body.onClose(Objects.requireNonNull(onClose, "onClose"));
    }

    /** A body with a close action; see {@link #closing}. */
    public static final class CloseableBody implements Iterable<byte[]>, AutoCloseable {
        private final Iterable<byte[]> body;
        private final AutoCloseable onClose;

        private CloseableBody(Iterable<byte[]> body, AutoCloseable onClose) {
            this.body = body;
            this.onClose = onClose;
        }

        @Override
        public Iterator<byte[]> iterator() {
            return body.iterator();
        }

        @Override
        public void close() throws Exception {
            try {
                if (body instanceof AutoCloseable closeable) {
                    closeable.close();
                }
            } finally {
                onClose.close();
            }
        }
    }
}
