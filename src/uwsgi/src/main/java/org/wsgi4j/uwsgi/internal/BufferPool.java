package org.wsgi4j.uwsgi.internal;

import java.nio.ByteBuffer;
import java.util.concurrent.ArrayBlockingQueue;

/**
 * Direct buffers reused across connections. Direct, because NIO copies a heap buffer into a
 * temporary direct one on every read and write; reused, because allocating (and zeroing) 16 KiB
 * per request was a fifth of the listener's CPU in the profile (bench/README.md).
 */
final class BufferPool {

    private final int bufferSize;
    private final ArrayBlockingQueue<ByteBuffer> free;

    /** At most {@code retained} buffers are kept between uses; more are allocated when busy and dropped after. */
    BufferPool(int bufferSize, int retained) {
        this.bufferSize = bufferSize;
        this.free = new ArrayBlockingQueue<>(retained);
    }

    int bufferSize() {
        return bufferSize;
    }

    /** A cleared buffer of {@link #bufferSize()} bytes. */
    ByteBuffer acquire() {
        ByteBuffer buffer = free.poll();
        return buffer != null ? buffer.clear() : ByteBuffer.allocateDirect(bufferSize);
    }

    /** Gives the buffer back; the caller must not touch it afterwards. */
    void release(ByteBuffer buffer) {
        if (buffer != null && buffer.isDirect() && buffer.capacity() == bufferSize) {
            free.offer(buffer);
        }
    }
}
