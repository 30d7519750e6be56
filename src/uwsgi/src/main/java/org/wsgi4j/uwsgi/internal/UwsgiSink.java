package org.wsgi4j.uwsgi.internal;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import org.wsgi4j.FileBody;
import org.wsgi4j.Header;
import org.wsgi4j.server.ResponseHead;
import org.wsgi4j.server.ResponseSink;

/**
 * Writes a response the way nginx's uwsgi module reads it: a raw {@code HTTP/1.1} status line,
 * the headers, a blank line, then the body delimited by its Content-Length or by closing the
 * connection. Never chunked: nginx passes a uwsgi response body through without de-chunking.
 */
final class UwsgiSink implements ResponseSink {

    private static final int BUFFER_SIZE = 16 * 1024;
    private static final byte[] CRLF = {'\r', '\n'};

    /** What the sink does once the response is over, with the connection. */
    interface Ending {
        /** The response is complete: drain the unread request body, then close. */
        void complete() throws IOException;

        /** The response is broken: close so the peer can tell. */
        void abort();
    }

    private final TimedChannel channel;
    private final long timeoutNanos;
    private final Ending ending;
    /** Made by the first {@link #sendHead}, sized for the head and the first blocks. */
    private ByteBuffer buffer;
    private boolean committed;

    UwsgiSink(TimedChannel channel, long timeoutNanos, Ending ending) {
        this.channel = channel;
        this.timeoutNanos = timeoutNanos;
        this.ending = ending;
    }

    @Override
    public void sendHead(ResponseHead head) throws IOException {
        if (committed) {
            throw new IllegalStateException("the head was already sent");
        }
        StringBuilder text = new StringBuilder(256).append("HTTP/1.1 ").append(head.code()).append(' ')
                .append(head.reason()).append("\r\n");
        for (Header header : head.headers()) {
            text.append(header.name()).append(": ").append(header.value()).append("\r\n");
        }
        byte[] bytes = text.append("\r\n").toString().getBytes(StandardCharsets.ISO_8859_1);
        if (buffer == null || buffer.capacity() < bytes.length) {
            buffer = ByteBuffer.allocate(Math.max(BUFFER_SIZE, bytes.length));
        } else {
            // A replacement head (an error page) before commit: the earlier head and body go.
            buffer.clear();
        }
        buffer.put(bytes);
    }

    @Override
    public void sendBlock(byte[] data, int offset, int length) throws IOException {
        if (length <= buffer.remaining()) {
            buffer.put(data, offset, length);
            return;
        }
        flush();
        write(ByteBuffer.wrap(data, offset, length));
    }

    @Override
    public void flush() throws IOException {
        if (buffer == null) {
            return;
        }
        buffer.flip();
        try {
            if (buffer.hasRemaining()) {
                write(buffer);
            }
        } finally {
            buffer.clear();
        }
    }

    @Override
    public boolean sendFile(FileBody body) throws IOException {
        flush();
        committed = true;
        channel.transferFully(body.channel(), body.position(), body.count(), timeoutNanos);
        return true;
    }

    @Override
    public void complete() throws IOException {
        flush();
        ending.complete();
    }

    @Override
    public void abort(Throwable cause) {
        ending.abort();
    }

    @Override
    public boolean isCommitted() {
        return committed;
    }

    private void write(ByteBuffer bytes) throws IOException {
        committed = true;
        channel.writeFully(bytes, timeoutNanos);
    }
}
