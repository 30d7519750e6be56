package org.wsgi4j.uwsgi.internal;

import java.io.IOException;
import java.nio.ByteBuffer;
import org.wsgi4j.FileBody;
import org.wsgi4j.Header;
import org.wsgi4j.server.ResponseHead;
import org.wsgi4j.server.ResponseSink;

/**
 * Writes a response the way nginx's uwsgi module reads it: a raw {@code HTTP/1.1} status line,
 * the headers, a blank line, then the body delimited by its Content-Length or by closing the
 * connection. Never chunked: nginx passes a uwsgi response body through without de-chunking.
 *
 * <p>The head is encoded straight into the output buffer and goes out with the first block: in
 * the buffer when the block fits, else in one gathering write with it. The sink only writes;
 * closing, draining or resetting the connection is the {@link UwsgiConnection}'s business once
 * the engine's {@link org.wsgi4j.server.Result} says how the response ended.
 */
final class UwsgiSink implements ResponseSink {

    private static final byte[] HTTP_1_1 = {'H', 'T', 'T', 'P', '/', '1', '.', '1', ' '};

    private final Wire wire;
    private final long timeoutNanos;
    private ByteBuffer buffer;
    private boolean committed;

    /** {@code buffer} is a cleared buffer the sink may fill; it is never replaced by a smaller one. */
    UwsgiSink(Wire wire, ByteBuffer buffer, long timeoutNanos) {
        this.wire = wire;
        this.buffer = buffer;
        this.timeoutNanos = timeoutNanos;
    }

    /** The buffer in use: the one given, or a larger heap buffer for a head that did not fit it. */
    ByteBuffer buffer() {
        return buffer;
    }

    @Override
    public void sendHead(ResponseHead head) {
        if (committed) {
            throw new IllegalStateException("the head was already sent");
        }
        // A replacement head (an error page) before commit: the earlier head and body go.
        buffer.clear();
        int size = HTTP_1_1.length + 5 + head.reason().length() + 4;
        for (Header header : head.headers()) {
            size += header.name().length() + header.value().length() + 4;
        }
        if (size > buffer.capacity()) {
            buffer = ByteBuffer.allocate(size);
        }
        buffer.put(HTTP_1_1);
        int code = head.code();
        buffer.put((byte) ('0' + code / 100)).put((byte) ('0' + code / 10 % 10)).put((byte) ('0' + code % 10))
                .put((byte) ' ');
        latin1(head.reason());
        crlf();
        for (Header header : head.headers()) {
            latin1(header.name());
            buffer.put((byte) ':').put((byte) ' ');
            latin1(header.value());
            crlf();
        }
        crlf();
    }

    @Override
    public void sendBlock(byte[] data, int offset, int length) throws IOException {
        if (length <= buffer.remaining()) {
            buffer.put(data, offset, length);
            return;
        }
        committed = true;
        ByteBuffer block = ByteBuffer.wrap(data, offset, length);
        if (buffer.position() == 0) {
            wire.write(block, timeoutNanos);
            return;
        }
        buffer.flip();
        try {
            wire.write(buffer, block, timeoutNanos);
        } finally {
            buffer.clear();
        }
    }

    @Override
    public void flush() throws IOException {
        if (buffer.position() == 0) {
            return;
        }
        committed = true;
        buffer.flip();
        try {
            wire.write(buffer, timeoutNanos);
        } finally {
            buffer.clear();
        }
    }

    @Override
    public boolean sendFile(FileBody body) throws IOException {
        flush();
        committed = true;
        wire.transfer(body.channel(), body.position(), body.count(), timeoutNanos);
        return true;
    }

    @Override
    public void complete() throws IOException {
        flush();
    }

    /** Nothing to do here: the connection resets after the engine returns ABORTED or CLIENT_GONE. */
    @Override
    public void abort(Throwable cause) {
        buffer.clear();
    }

    @Override
    public boolean isCommitted() {
        return committed;
    }

    /** The engine has checked every character is latin-1 (S3). */
    private void latin1(String text) {
        for (int i = 0, n = text.length(); i < n; i++) {
            buffer.put((byte) text.charAt(i));
        }
    }

    private void crlf() {
        buffer.put((byte) '\r').put((byte) '\n');
    }
}
