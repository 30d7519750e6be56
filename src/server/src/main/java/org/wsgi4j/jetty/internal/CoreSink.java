package org.wsgi4j.jetty.internal;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import org.eclipse.jetty.http.HttpFields;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Blocker;
import org.eclipse.jetty.util.BufferUtil;
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
 */
final class CoreSink implements ResponseSink {

    private final Response response;
    private final int aggregation;
    private ByteBuffer gathered;
    private boolean headSent;
    private long declared = -1;
    private long written;
    private boolean lastWritten;

    CoreSink(Response response, int aggregation) {
        this.response = response;
        this.aggregation = aggregation;
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
        for (Header header : head.headers()) {
            if (header.is("Content-Length")) {
                fields.put(HttpHeader.CONTENT_LENGTH, header.value());
            } else {
                fields.add(header.name(), header.value());
            }
        }
        declared = head.contentLength().orElse(-1);
    }

    @Override
    public void sendBlock(byte[] data, int offset, int length) throws IOException {
        written += length;
        boolean last = written == declared;
        boolean empty = gathered == null || gathered.position() == 0;
        if (empty && (last || length > aggregation)) {
            write(last, ByteBuffer.wrap(data, offset, length));
            return;
        }
        if (gathered == null) {
            gathered = ByteBuffer.allocate(aggregation);
        }
        if (length > gathered.remaining()) {
            writeGathered(false);
            if (length > aggregation) {
                write(last, ByteBuffer.wrap(data, offset, length));
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
        if (gathered != null && gathered.position() > 0) {
            writeGathered(false);
        } else if (!response.isCommitted()) {
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
        // The gateway fails Jetty's callback with Result.failure(); Jetty then aborts the connection.
    }

    @Override
    public boolean isCommitted() {
        return response.isCommitted();
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
        write(last, gathered.flip());
        gathered.clear();
    }

    private void write(boolean last, ByteBuffer buffer) throws IOException {
        try (Blocker.Callback callback = Blocker.callback()) {
            response.write(last, buffer, callback);
            callback.block();
        }
        lastWritten |= last;
    }
}
