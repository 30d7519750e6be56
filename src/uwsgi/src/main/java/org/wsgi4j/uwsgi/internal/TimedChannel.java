package org.wsgi4j.uwsgi.internal;

import java.io.IOException;
import java.net.SocketTimeoutException;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.AsynchronousCloseException;
import java.nio.channels.FileChannel;
import java.nio.channels.SocketChannel;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * A blocking socket channel (TCP or unix) whose reads and writes give up after a timeout. Blocking
 * channels ignore {@code SO_TIMEOUT}, and unix-domain channels have no socket adaptor at all, so a
 * timer closes the channel instead; the blocked call then fails and is reported as a timeout.
 */
final class TimedChannel implements AutoCloseable {

    private final SocketChannel channel;
    private final ScheduledExecutorService timer;
    private final boolean tcp;
    private volatile boolean timedOut;

    TimedChannel(SocketChannel channel, ScheduledExecutorService timer, boolean tcp) {
        this.channel = channel;
        this.timer = timer;
        this.tcp = tcp;
    }

    /** Reads at least one byte, or returns -1 at end of input. */
    int read(ByteBuffer buffer, long timeoutNanos) throws IOException {
        ScheduledFuture<?> alarm = arm(timeoutNanos);
        try {
            return channel.read(buffer);
        } catch (AsynchronousCloseException e) {
            throw timedOut ? timeout(timeoutNanos, e) : e;
        } finally {
            alarm.cancel(false);
        }
    }

    void writeFully(ByteBuffer buffer, long timeoutNanos) throws IOException {
        ScheduledFuture<?> alarm = arm(timeoutNanos);
        try {
            while (buffer.hasRemaining()) {
                channel.write(buffer);
            }
        } catch (AsynchronousCloseException e) {
            throw timedOut ? timeout(timeoutNanos, e) : e;
        } finally {
            alarm.cancel(false);
        }
    }

    /** FileChannel.transferTo to a socket uses sendfile(2) where the OS has it. */
    void transferFully(FileChannel file, long position, long count, long timeoutNanos) throws IOException {
        long end = position + count;
        for (long at = position; at < end; ) {
            ScheduledFuture<?> alarm = arm(timeoutNanos);
            try {
                long n = file.transferTo(at, end - at, channel);
                if (n <= 0 && file.size() < end) {
                    throw new IOException("file shrank while it was being sent");
                }
                at += n;
            } catch (AsynchronousCloseException e) {
                throw timedOut ? timeout(timeoutNanos, e) : e;
            } finally {
                alarm.cancel(false);
            }
        }
    }

    boolean timedOut() {
        return timedOut;
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

    @Override
    public void close() {
        try {
            channel.close();
        } catch (IOException e) {
            // Closing a socket can only fail for reasons nobody can act on any more.
        }
    }

    private ScheduledFuture<?> arm(long timeoutNanos) {
        return timer.schedule(() -> {
            timedOut = true;
            close();
        }, timeoutNanos, TimeUnit.NANOSECONDS);
    }

    private static SocketTimeoutException timeout(long timeoutNanos, IOException cause) {
        SocketTimeoutException e = new SocketTimeoutException("no progress for "
                + TimeUnit.NANOSECONDS.toMillis(timeoutNanos) + " ms");
        e.initCause(cause);
        return e;
    }
}
