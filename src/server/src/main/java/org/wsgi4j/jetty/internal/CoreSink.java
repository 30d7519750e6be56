package org.wsgi4j.jetty.internal;

import java.io.IOException;
import java.io.InterruptedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.util.Arrays;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutionException;
import org.eclipse.jetty.io.QuietException;
import org.eclipse.jetty.http.HttpField;
import org.eclipse.jetty.http.HttpFields;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Blocker;
import org.eclipse.jetty.util.BufferUtil;
import org.eclipse.jetty.util.Callback;
import org.eclipse.jetty.util.IteratingCallback;
import org.wsgi4j.FileBody;
import org.wsgi4j.Header;
import org.wsgi4j.server.ResponseHead;
import org.wsgi4j.server.ResponseSink;

/**
 * The response engine's sink over a Jetty core {@link Response}: blocking
 * {@link Response#write(boolean, ByteBuffer, org.eclipse.jetty.util.Callback)}s, each of which has
 * left the server when it returns. Small blocks the engine does not flush (a list body) gather in
 * one buffer of Jetty's output aggregation size, as the servlet output buffers them, so a short
 * list body still goes out with a {@code Content-Length} Jetty computes; a flush (SPEC S13) writes
 * what is gathered. The block that completes a declared {@code Content-Length} is written as the
 * last one, so a small answer is one head-and-body write. Without a length Jetty chunks (HTTP/1.1).
 * The application's {@code Date} and {@code Server} replace the ones Jetty filled in (SPEC S24).
 *
 * <p>{@linkplain #nonBlocking Non-blocking}, for {@code --non-blocking} on a thread that must never
 * wait (Jetty's selector), the same blocks in the same order go into a queue that one
 * {@link IteratingCallback} writes, each write started when the one before completed (an answer
 * that is one last write, hello, goes to Jetty directly with the request's callback); the sink's
 * calls return at once. The sink then owns Jetty's callback: it succeeds it when the last write
 * completed, or fails it (Jetty aborts the connection, SPEC S12, S16) after what was queued before an
 * {@link #abort} has been written. A block handed to {@link #sendBlock} is copied unless it is written
 * at once, so the application may reuse its array; a file region is mapped, not copied. What the client
 * has not taken yet stays queued, so the gateway writes this way only an answer it knows to be small.
 * Anything else it hands, with this sink, to a thread that may wait ({@link #waitForClient}): from then on
 * each write waits until it has left, as a blocking sink's does (after what was queued before), without
 * copying, and the sink still completes Jetty's callback at the end.
 */
final class CoreSink implements ResponseSink {

    private final Response response;
    private final int aggregation;
    private ByteBuffer gathered;
    private boolean headSent;
    private long declared = -1;
    private long written;
    private boolean lastWritten;
    /** The request's callback, which a non-blocking sink completes; null when each write blocks. */
    private final Callback callback;
    /** A non-blocking sink's queue, made for a second write: a single last write goes out with the callback. */
    private Writes writes;
    /** Whether a non-blocking sink has handed a write to Jetty: from then on the response counts as committed. */
    private boolean started;
    /** Whether a non-blocking sink has its last write or its abort handed over. */
    private boolean ended;
    /** Whether a non-blocking sink was handed to a thread that may wait: its writes wait from then on. */
    private boolean waits;

    /** A sink whose writes block until they have left (a pool or virtual thread). */
    CoreSink(Response response, int aggregation) {
        this(response, aggregation, null);
    }

    private CoreSink(Response response, int aggregation, Callback callback) {
        this.response = response;
        this.aggregation = aggregation;
        this.callback = callback;
    }

    /**
     * A sink that never waits: its writes are queued and completed by Jetty, and {@code callback},
     * the request's, completes when the response has been written or aborted.
     *
     * @param response    the response written
     * @param aggregation Jetty's output aggregation size, in bytes
     * @param callback    the request's callback, completed by this sink
     * @return the sink
     */
    static CoreSink nonBlocking(Response response, int aggregation, Callback callback) {
        return new CoreSink(response, aggregation, callback);
    }

    /**
     * Makes a non-blocking sink's writes wait until they have left, for the thread the response continues
     * on (one that may wait); the thread that calls this must not use the sink afterwards.
     */
    void waitForClient() {
        waits = true;
    }

    /** Body bytes handed to this sink so far. */
    long given() {
        return written;
    }

    /** Whether writes are queued rather than waited for: non-blocking, on a thread that must not wait. */
    private boolean queues() {
        return callback != null && !waits;
    }

    /** Whether a non-blocking sink has been ended by {@link #complete} or {@link #abort}. */
    boolean ended() {
        return callback == null || ended;
    }

    @Override
    public void sendHead(ResponseHead head) {
        if (headSent) {
            // A replacement (an error page) before commit: drop the earlier status, headers and gathered bytes.
            response.reset();
            written = 0;
            if (gathered != null) {
                gathered.clear();
            }
        }
        headSent = true;
        response.setStatus(head.code());
        HttpFields.Mutable fields = response.getHeaders();
        declared = head.contentLength().orElse(-1);
        List<Header> headers = head.headers();
        for (int i = 0, count = headers.size(); i < count; i++) {
            Header header = headers.get(i);
            if (header.is("Content-Length")) {
                // The engine read the length already (SPEC A10): Jetty's generator need not parse it again.
                long length = declared >= 0 ? declared : Long.parseLong(header.value());
                fields.put(new HttpField.LongValueHttpField(HttpHeader.CONTENT_LENGTH,
                        HttpHeader.CONTENT_LENGTH.asString(), header.value(), length));
            } else if (head.replacesHostField(i)) {
                fields.put(field(header));
            } else {
                fields.add(field(header));
            }
        }
    }

    /**
     * The Jetty field of {@code header}: what {@code new HttpField(name, value)} gives, without its
     * case-insensitive lookup of the name in Jetty's header table for the names applications send
     * most, written as RFC 9110 spells them (the lookup would find the same {@link HttpHeader}).
     */
    private static HttpField field(Header header) {
        String name = header.name();
        HttpHeader known = switch (name) {
            case "Content-Type" -> HttpHeader.CONTENT_TYPE;
            case "Cache-Control" -> HttpHeader.CACHE_CONTROL;
            case "Content-Encoding" -> HttpHeader.CONTENT_ENCODING;
            case "Location" -> HttpHeader.LOCATION;
            case "Set-Cookie" -> HttpHeader.SET_COOKIE;
            case "ETag" -> HttpHeader.ETAG;
            case "Last-Modified" -> HttpHeader.LAST_MODIFIED;
            case "Vary" -> HttpHeader.VARY;
            default -> null;
        };
        return known != null ? new HttpField(known, name, header.value()) : new HttpField(name, header.value());
    }

    @Override
    public void sendBlock(byte[] data, int offset, int length) throws IOException {
        written += length;
        boolean last = written == declared;
        boolean empty = gathered == null || gathered.position() == 0;
        if (empty && (last || length > aggregation)) {
            write(last, borrowed(data, offset, length));
            return;
        }
        if (gathered == null) {
            gathered = ByteBuffer.allocate(aggregation);
        }
        if (length > gathered.remaining()) {
            writeGathered(false);
            if (length > aggregation) {
                write(last, borrowed(data, offset, length));
                return;
            }
        }
        gathered.put(data, offset, length);
        if (last) {
            writeGathered(true);
        }
    }

    @Override
    public void flush() throws IOException {
        if (lastWritten) {
            // The last write has gone (a file, or a block that completed the declared length). On a thread
            // the answer was handed to, it completed Jetty's callback too: nothing may be written after it.
            return;
        }
        if (gathered != null && gathered.position() > 0) {
            writeGathered(false);
        } else if (!isCommitted()) {
            // Commit the head as given (HEAD, 304): completing an unwritten response would add "Content-Length: 0".
            write(false, BufferUtil.EMPTY_BUFFER);
        }
    }

    @Override
    public void complete() throws IOException {
        if (!lastWritten) {
            if (gathered != null && gathered.position() > 0) {
                writeGathered(true);
            } else {
                write(true, BufferUtil.EMPTY_BUFFER);
            }
        }
    }

    @Override
    public void abort(Throwable cause) {
        // Blocking, the gateway fails Jetty's callback with Result.failure(); Jetty then aborts the connection.
        if (callback != null && !ended) {
            ended = true;
            if (writes != null) {
                writes.end(cause);
            } else {
                // Nothing is being written. Quiet: the engine has logged the failure already.
                callback.failed(new QuietException.Exception(cause));
            }
        }
    }

    @Override
    public boolean isCommitted() {
        return response.isCommitted() || started;
    }

    /**
     * The region is memory-mapped and written as it is, so its bytes never pass through the Java
     * heap (SPEC S20); a mapping is indexed by int, so larger regions go as blocks.
     */
    @Override
    public boolean sendFile(FileBody body) throws IOException {
        if (body.count() > Integer.MAX_VALUE) {
            return false;
        }
        if (gathered != null && gathered.position() > 0) {
            writeGathered(false);
        }
        ByteBuffer region = body.channel().map(FileChannel.MapMode.READ_ONLY, body.position(), body.count());
        written += body.count();
        write(written == declared, region);
        return true;
    }

    private void writeGathered(boolean last) throws IOException {
        if (queues()) {
            // The queue keeps the buffer until it is written; the next blocks gather in a new one.
            ByteBuffer full = gathered.flip();
            gathered = null;
            write(last, full);
            return;
        }
        write(last, gathered.flip());
        gathered.clear();
    }

    /** The caller's bytes, which only a write that waits may send without a copy. */
    private ByteBuffer borrowed(byte[] data, int offset, int length) {
        return queues() ? ByteBuffer.wrap(Arrays.copyOfRange(data, offset, offset + length))
                : ByteBuffer.wrap(data, offset, length);
    }

    private void write(boolean last, ByteBuffer buffer) throws IOException {
        if (queues()) {
            started = true;
            if (writes == null && last) {
                // The whole answer in one write (hello): Jetty completes the request's callback itself.
                response.write(true, buffer, callback);
            } else {
                if (writes == null) {
                    writes = new Writes();
                }
                writes.add(last, buffer);
            }
            ended |= last;
        } else {
            if (writes != null) {
                // What the write callable queued on the selector goes first.
                writes.awaitIdle();
                writes = null;
            }
            try (Blocker.Callback blocker = Blocker.callback()) {
                response.write(last, buffer, blocker);
                blocker.block();
            }
            if (last && callback != null) {
                ended = true;
                callback.succeeded();
            }
        }
        lastWritten |= last;
    }

    private record Write(boolean last, ByteBuffer buffer) {
    }

    /**
     * The writes of a non-blocking sink, one at a time in the order given: the engine's thread adds,
     * Jetty's completion of each write starts the next (on whichever thread completed it).
     */
    private final class Writes extends IteratingCallback {
        private final Queue<Write> queue = new ConcurrentLinkedQueue<>();
        /** Set by the engine's thread once the last write or an abort is queued. */
        private volatile boolean ended;
        private volatile Throwable aborted;
        private volatile Throwable failed;
        /** Completed when the queue is empty and no write is in flight, for a sink that waits from now on. */
        private volatile CompletableFuture<Void> idle;

        void add(boolean last, ByteBuffer buffer) throws IOException {
            Throwable failure = failed;
            if (failure != null) {
                throw new IOException("the client went away: " + failure, failure);
            }
            queue.add(new Write(last, buffer));
            if (last) {
                ended = true;
            }
            iterate();
        }

        /** Waits until every queued write has completed. */
        void awaitIdle() throws IOException {
            CompletableFuture<Void> done = new CompletableFuture<>();
            idle = done;
            // Read after publishing idle: onCompleteFailure sets failed before it reads idle, so one sees the other.
            Throwable failure = failed;
            if (failure != null) {
                done.completeExceptionally(failure);
            }
            iterate();
            try {
                done.get();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new InterruptedIOException("interrupted while the queued writes were sent");
            } catch (ExecutionException e) {
                throw new IOException("the client went away: " + e.getCause(), e.getCause());
            }
        }

        void end(Throwable cause) {
            if (!ended) {
                aborted = cause;
                ended = true;
                iterate();
            }
        }

        @Override
        protected Action process() {
            // Read before polling: the engine queues the last write before it sets ended, so an
            // empty queue after ended was seen really is the end (not a write queued meanwhile).
            boolean end = ended;
            Write next = queue.poll();
            if (next != null) {
                response.write(next.last(), next.buffer(), this);
                return Action.SCHEDULED;
            }
            if (end) {
                return Action.SUCCEEDED;
            }
            CompletableFuture<Void> waiting = idle;
            if (waiting != null) {
                waiting.complete(null);
            }
            return Action.IDLE;
        }

        @Override
        protected void onCompleteSuccess() {
            Throwable cause = aborted;
            if (cause == null) {
                callback.succeeded();
            } else {
                // Quiet: the engine has logged the failure already. Jetty aborts the connection.
                callback.failed(new QuietException.Exception(cause));
            }
        }

        @Override
        protected void onCompleteFailure(Throwable cause) {
            failed = cause;
            CompletableFuture<Void> waiting = idle;
            if (waiting != null) {
                waiting.completeExceptionally(cause);
            }
            callback.failed(cause);
        }

        @Override
        public InvocationType getInvocationType() {
            // Starting the next write never blocks, so Jetty may complete a write on its selector thread.
            return InvocationType.NON_BLOCKING;
        }
    }
}
