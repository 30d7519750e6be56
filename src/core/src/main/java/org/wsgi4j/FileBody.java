package org.wsgi4j;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Iterator;
import java.util.NoSuchElementException;

/**
 * A response body backed by a region of a file, made by {@link FileWrapper}. Servers that can send
 * a file without copying it (Jetty's content sending, Tomcat's sendfile) recognise this class and
 * do so; everywhere else it is iterated as blocks of {@link #blockSize()} bytes read from the file.
 *
 * <p>The file is opened when the body is made and closed by {@link #close()}, which servers call
 * exactly once like any closable body. The region is fixed at creation: a file that grows later is
 * not sent past the length it had then.
 */
public final class FileBody implements Iterable<byte[]>, AutoCloseable {

    /** Block size when the body is iterated: 64 KiB, a common socket-buffer multiple. */
    public static final int DEFAULT_BLOCK_SIZE = 64 * 1024;

    private final Path path;
    private final FileChannel channel;
    private final long position;
    private final long count;
    private final int blockSize;
    private final AutoCloseable onClose;
    private boolean iterated;

    private FileBody(Path path, FileChannel channel, long position, long count, int blockSize,
                     AutoCloseable onClose) {
        this.path = path;
        this.channel = channel;
        this.position = position;
        this.count = count;
        this.blockSize = blockSize;
        this.onClose = onClose;
    }

    /**
     * The whole of {@code file}.
     *
     * @param file the file to send
     * @return an open body of the file's current length
     * @throws IOException if the file cannot be opened
     */
    public static FileBody of(Path file) throws IOException {
        FileChannel channel = FileChannel.open(file, StandardOpenOption.READ);
        return new FileBody(file, channel, 0, channel.size(), DEFAULT_BLOCK_SIZE, null);
    }

    /**
     * {@code count} bytes of {@code file} starting at {@code position} (for range requests).
     *
     * @param file      the file to send from
     * @param position  offset of the first byte, in bytes
     * @param count     length of the region, in bytes
     * @param blockSize size of the blocks the body yields when iterated, in bytes
     * @return an open body of the region
     * @throws IOException if the file cannot be opened
     * @throws IllegalArgumentException if the region does not lie inside the file, or the block
     *                                  size is not positive
     */
    public static FileBody of(Path file, long position, long count, int blockSize) throws IOException {
        if (blockSize <= 0) {
            throw new IllegalArgumentException("'blockSize' must be positive, was " + blockSize);
        }
        FileChannel channel = FileChannel.open(file, StandardOpenOption.READ);
        long size = channel.size();
        if (position < 0 || count < 0 || position + count > size) {
            channel.close();
            throw new IllegalArgumentException("region " + position + "+" + count + " is outside '"
                    + file + "' (" + size + " bytes)");
        }
        return new FileBody(file, channel, position, count, blockSize, null);
    }

    /**
     * The file, for hosts that send it by name (Tomcat's sendfile).
     *
     * @return the path given when the body was made
     */
    public Path path() {
        return path;
    }

    /**
     * The open channel; servers read from it (or transfer from it) between position and position+count.
     *
     * @return the channel, closed by {@link #close()}
     */
    public FileChannel channel() {
        return channel;
    }

    /**
     * Where the region starts.
     *
     * @return the offset in the file, in bytes
     */
    public long position() {
        return position;
    }

    /**
     * How many bytes this body is.
     *
     * @return the region's length, in bytes
     */
    public long count() {
        return count;
    }

    /**
     * The size of the blocks iteration yields.
     *
     * @return the block size, in bytes
     */
    public int blockSize() {
        return blockSize;
    }

    /** Iterates the region as blocks; may be called once (a body is iterated once). */
    @Override
    public Iterator<byte[]> iterator() {
        if (iterated) {
            throw new IllegalStateException("a FileBody is iterated once");
        }
        iterated = true;
        return new Iterator<>() {
            private long next = position;
            private final long end = position + count;

            @Override
            public boolean hasNext() {
                return next < end;
            }

            @Override
            public byte[] next() {
                if (!hasNext()) {
                    throw new NoSuchElementException();
                }
                ByteBuffer buffer = ByteBuffer.allocate((int) Math.min(blockSize, end - next));
                try {
                    while (buffer.hasRemaining()) {
                        int n = channel.read(buffer, next + buffer.position());
                        if (n < 0) {
                            throw new IOException("'" + path + "' shrank while it was being sent");
                        }
                    }
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
                next += buffer.capacity();
                return buffer.array();
            }
        };
    }

    /**
     * The same file region, with {@code action} run after the file is closed. Use this instead of
     * wrapping the body (which would hide it from the server's zero-copy path, SPEC S20).
     *
     * @param action run once, after the channel is closed, even if closing it failed
     * @return a body of the same region that takes over this one's channel
     */
    public FileBody onClose(AutoCloseable action) {
        FileBody previous = this;
        return new FileBody(path, channel, position, count, blockSize, () -> {
            try {
                previous.close();
            } finally {
                action.close();
            }
        });
    }

    @Override
    public void close() throws IOException {
        if (onClose == null) {
            channel.close();
            return;
        }
        try {
            onClose.close();
        } catch (IOException | RuntimeException e) {
            throw e;
        } catch (Exception e) {
            throw new IOException(e);
        }
    }
}
