package org.wsgi4j.server;

import java.io.IOException;
import org.wsgi4j.FileBody;

/**
 * The I/O of one response, provided by a front end (the servlet bridge, the uwsgi listener, a test)
 * and driven by {@link ResponseEngine}, which holds every protocol rule. A sink only moves bytes:
 * it never validates, computes lengths, suppresses bodies or decides between a 500 and an abort.
 *
 * <p>The engine calls, in order: {@link #sendHead} once (again only while
 * {@link #isCommitted()} is false, to replace an error page), then {@link #sendBlock} /
 * {@link #sendFile} each followed by {@link #flush} (a streamed block as one
 * {@link #sendBlockAndFlush} call), then exactly one of {@link #complete} or {@link #abort}. All calls come from the thread running the request (after a
 * {@link BodyDispatch} chose an executor, from the executor's thread, and no longer from the first).
 *
 * <p>Any {@link IOException} a sink throws is taken to mean the client went away (SPEC S18): the
 * engine stops, closes the body and calls {@link #abort}.
 */
public interface ResponseSink {

    /**
     * Sends (or buffers) the status line and headers. Called again while {@link #isCommitted()} is
     * false, it replaces the earlier head and discards any body bytes buffered so far.
     *
     * @param head the validated status and headers, {@code Content-Length} included when known
     * @throws IOException if the client went away (SPEC S18)
     */
    void sendHead(ResponseHead head) throws IOException;

    /**
     * Sends (or buffers) {@code length} body bytes of {@code data} from {@code offset}.
     *
     * @param data   the block; the sink must not keep it after returning
     * @param offset index of the first byte to send
     * @param length number of bytes to send, never more than the declared {@code Content-Length} allows
     * @throws IOException if the client went away (SPEC S18)
     */
    void sendBlock(byte[] data, int offset, int length) throws IOException;

    /**
     * Sends {@code length} body bytes of {@code data} from {@code offset}, then pushes everything
     * sent so far to the client: {@link #sendBlock} followed by {@link #flush}, which is what the
     * default does. The engine calls it for each block of a streamed body and for each
     * {@code write} (SPEC S13, S19); a sink whose transport can write a block through without
     * buffering it does both in one write.
     *
     * @param data   the block; the sink must not keep it after returning
     * @param offset index of the first byte to send
     * @param length number of bytes to send, never more than the declared {@code Content-Length} allows
     * @throws IOException if the client went away (SPEC S18)
     */
    default void sendBlockAndFlush(byte[] data, int offset, int length) throws IOException {
        sendBlock(data, offset, length);
        flush();
    }

    /**
     * Pushes everything sent so far to the client (SPEC S13).
     *
     * @throws IOException if the client went away (SPEC S18)
     */
    void flush() throws IOException;

    /**
     * Ends the response normally: the client sees a complete response.
     *
     * @throws IOException if the client went away (SPEC S18)
     */
    void complete() throws IOException;

    /**
     * Ends the response so that the client can tell it is incomplete (SPEC S12, S16): the
     * connection is closed without a terminating chunk. Must not throw; called at most once. The
     * same cause is in {@link Result#failure()}, for a front end that can only act once the engine
     * has returned.
     *
     * @param cause why: the application's exception (S16), the S12 shortfall, or the I/O error of a
     *              client that went away (S18)
     */
    void abort(Throwable cause);

    /**
     * Whether any byte of the response may have reached the client (the servlet sense of
     * "committed"); after that no 500 is possible. A head handed to {@link #sendHead} but still
     * buffered is not committed.
     *
     * @return {@code true} once bytes may have left, and from then on
     */
    boolean isCommitted();

    /**
     * Sends {@code body}'s region without copying it through the heap, if this front end can
     * (SPEC S20). Returns {@code false} to have the engine iterate the body as blocks instead.
     *
     * @param body the file region; the engine closes it afterwards (S17)
     * @return whether the region was sent; the default sends nothing and returns {@code false}
     * @throws IOException if the client went away (SPEC S18)
     */
    default boolean sendFile(FileBody body) throws IOException {
        return false;
    }
}
