package org.wsgi4j.uwsgi.internal;

import java.io.IOException;
import java.net.SocketTimeoutException;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.AsynchronousCloseException;
import java.nio.channels.FileChannel;
import java.nio.channels.SocketChannel;
import java.util.concurrent.TimeUnit;

/**
 * One connection's socket (TCP or unix) with a deadline on every read and write. Blocking
 * channels ignore {@code SO_TIMEOUT} and unix-domain channels have no socket adaptor, so a waiting
 * call publishes its deadline in a field and {@link UwsgiSelector}'s periodic sweep closes the
 * channel once it has passed; the blocked call then fails and is reported as a timeout. That costs
 * two volatile writes per call, where a timer task per call cost a tenth of the CPU (bench/README.md).
 *
 * <p>In non-blocking mode (before the hand-off to a worker, and for refusals answered by the
 * selector thread) a write that cannot proceed means the peer is not reading: it fails at once.
 * A worker's channel stays non-blocking until a call cannot proceed, and only then blocks
 * ({@link #blockWhenNeeded}): most responses go out in one write and most bodies arrive with the
 * head, so most requests never switch modes, each switch costing two {@code fcntl} calls (and on
 * a virtual thread the JDK switches back at the first call, two more). Calls that proceed at once
 * publish no deadline, and only a wire that has switched is watched by the sweep (the
 * {@code beforeBlocking} callback, run once).
 */
final class Wire {

    private static final long NOT_WAITING = 0;

    private final SocketChannel channel;
    private final boolean tcp;
    private final Runnable beforeBlocking;
    /** When the current call must end, or {@link #NOT_WAITING}. */
    private volatile long deadline;
    private volatile boolean timedOut;
    private boolean blocking;
    /** Set on a worker: a call that cannot proceed switches to blocking mode and waits. */
    private boolean blockWhenNeeded;

    /** {@code beforeBlocking} runs once, before the first call that may wait. */
    Wire(SocketChannel channel, boolean tcp, Runnable beforeBlocking) {
        this.channel = channel;
        this.tcp = tcp;
        this.beforeBlocking = beforeBlocking;
    }

    SocketChannel channel() {
        return channel;
    }

    boolean tcp() {
        return tcp;
    }

    /**
     * Lets calls wait: the selector no longer watches this channel, a worker does the I/O. The
     * channel switches to blocking mode at the first call that would otherwise not proceed.
     */
    void blockWhenNeeded() {
        blockWhenNeeded = true;
    }

    /** Whether the channel has switched to blocking mode (whether a call may wait). */
    boolean blocking() {
        return blocking;
    }

    private void block() throws IOException {
        beforeBlocking.run();
        channel.configureBlocking(true);
        blocking = true;
    }

    /** Reads at least one byte, or returns -1 at end of input. */
    int read(ByteBuffer buffer, long timeoutNanos) throws IOException {
        if (!blocking) {
            int n = channel.read(buffer);
            if (n != 0 || !blockWhenNeeded || !buffer.hasRemaining()) {
                return n;
            }
            block();
        }
        return (int) timed(timeoutNanos, () -> channel.read(buffer));
    }

    void write(ByteBuffer buffer, long timeoutNanos) throws IOException {
        writeAll(buffer, () -> channel.write(buffer), timeoutNanos);
    }

    /** One gathering write (writev) for both buffers, then the rest. */
    void write(ByteBuffer first, ByteBuffer second, long timeoutNanos) throws IOException {
        ByteBuffer[] both = {first, second};
        writeAll(second, () -> channel.write(both), timeoutNanos);
    }

    /** Writes until {@code last} is empty: while non-blocking at once, then under the deadline. */
    private void writeAll(ByteBuffer last, Call write, long timeoutNanos) throws IOException {
        while (!blocking && last.hasRemaining()) {
            progressed(write.run());
        }
        if (last.hasRemaining()) {
            timed(timeoutNanos, () -> {
                while (last.hasRemaining()) {
                    write.run();
                }
                return 0;
            });
        }
    }

    /** FileChannel.transferTo to a socket uses sendfile(2) where the OS has it. */
    void transfer(FileChannel file, long position, long count, long timeoutNanos) throws IOException {
        if (!blocking && blockWhenNeeded) {
            block();
        }
        long end = position + count;
        for (long at = position; at < end; ) {
            long from = at;
            long n = timed(timeoutNanos, () -> file.transferTo(from, end - from, channel));
            if (n <= 0 && file.size() < end) {
                throw new IOException("file shrank while it was being sent");
            }
            at += n;
        }
    }

    private void progressed(long written) throws IOException {
        if (written == 0 && !blocking) {
            if (!blockWhenNeeded) {
                throw new IOException("the peer is not reading");
            }
            block();
        }
    }

    /** One blocking call under a published deadline. */
    private long timed(long timeoutNanos, Call call) throws IOException {
        long due = System.nanoTime() + timeoutNanos;
        deadline = due == NOT_WAITING ? 1 : due;
        try {
            return call.run();
        } catch (AsynchronousCloseException e) {
            throw timedOut ? timeout(timeoutNanos, e) : e;
        } finally {
            deadline = NOT_WAITING;
        }
    }

    private interface Call {
        long run() throws IOException;
    }

    /** Closes the channel if a call has waited past its deadline; true if it did. Called by the sweep. */
    boolean expire(long now) {
        long due = deadline;
        if (due == NOT_WAITING || now - due < 0) {
            return false;
        }
        timedOut = true;
        close();
        return true;
    }

    void shutdownOutput() throws IOException {
        channel.shutdownOutput();
    }

    /**
     * Closes so that the peer sees an error rather than a clean end: on TCP a reset (SO_LINGER 0),
     * which nginx reports as "recv() failed (104: Connection reset by peer)" and does not pass on as
     * a complete response. Unix sockets have no reset; there the peer sees a plain end of stream.
     */
    void reset() {
        if (tcp) {
            try {
                channel.setOption(StandardSocketOptions.SO_LINGER, 0);
            } catch (IOException | RuntimeException e) {
                // Already closed: nothing left to reset.
            }
        }
        close();
    }

    void close() {
        try {
            channel.close();
        } catch (IOException e) {
            // Closing a socket can only fail for reasons nobody can act on any more.
        }
    }

    private static SocketTimeoutException timeout(long timeoutNanos, IOException cause) {
        SocketTimeoutException e = new SocketTimeoutException("no progress for "
                + TimeUnit.NANOSECONDS.toMillis(timeoutNanos) + " ms");
        e.initCause(cause);
        return e;
    }
}
