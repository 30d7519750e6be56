package org.wsgi4j.servlet.internal;

import jakarta.servlet.ServletOutputStream;
import jakarta.servlet.http.HttpServletRequest;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.MappedByteBuffer;
import java.nio.channels.FileChannel;
import java.util.function.BiConsumer;
import org.eclipse.jetty.ee10.servlet.HttpOutput;
import org.eclipse.jetty.ee10.servlet.ServletApiRequest;
import org.eclipse.jetty.http.HttpField;
import org.eclipse.jetty.http.HttpFields;
import org.eclipse.jetty.io.QuietException;
import org.wsgi4j.FileBody;
import org.wsgi4j.servlet.ResponseAbortedException;

/**
 * Jetty 12 (ee10) with its server classes visible. Loaded only after {@link Container#detect} found
 * them, so the bridge still loads in other containers.
 */
final class JettyContainer implements Container {

    static final String HTTP_OUTPUT = "org.eclipse.jetty.ee10.servlet.HttpOutput";

    /**
     * The region is memory-mapped and handed to {@link HttpOutput#sendContent(java.nio.ByteBuffer)},
     * so its bytes never pass through the Java heap (SPEC S20). sendContent completes the output, so
     * the region goes in one mapping; a MappedByteBuffer is indexed by int, so larger regions take
     * the engine's block path instead.
     */
    @Override
    public boolean sendFile(HttpServletRequest request, ServletOutputStream out, FileBody body) throws IOException {
        if (!(out instanceof HttpOutput jetty) || body.count() > Integer.MAX_VALUE) {
            return false;
        }
        MappedByteBuffer region = body.channel().map(FileChannel.MapMode.READ_ONLY, body.position(), body.count());
        jetty.sendContent(region);
        return true;
    }

    /**
     * One pass through Jetty's write path instead of two. {@link HttpOutput#write(ByteBuffer)} never
     * aggregates: blocking, it writes what the output buffer holds, then the block, and returns once
     * both have gone to the connection, which is all a {@code flush()} after it would do (that
     * flush is an empty write through the same path: about 0.25 µs of CPU per block). A block
     * larger than the output buffer goes through {@code write(byte[])}, which cuts it into
     * buffer-sized writes so the JDK's per-thread temporary direct buffers stay that size.
     */
    @Override
    public void writeAndFlush(ServletOutputStream out, byte[] data, int offset, int length) throws IOException {
        if (out instanceof HttpOutput jetty && length <= jetty.getBufferSize()) {
            jetty.write(ByteBuffer.wrap(data, offset, length));
        } else {
            Container.super.writeAndFlush(out, data, offset, length);
        }
    }

    /**
     * Jetty's own request (not a filter's wrapper): its fields in arrival order, read directly.
     * {@code getHeaderNames} makes a set of the names, and {@code getHeaders} scans every field
     * again for each name; the environ is the same either way (values of one name stay in their
     * order, and a name's spellings map to one key).
     */
    @Override
    public void headers(HttpServletRequest request, BiConsumer<String, String> field) {
        if (!(request instanceof ServletApiRequest jetty)) {
            Container.super.headers(request, field);
            return;
        }
        HttpFields fields = jetty.getFields();
        for (int i = 0; i < fields.size(); i++) {
            HttpField each = fields.getField(i);
            field.accept(each.getName(), each.getValue());
        }
    }

    /**
     * Jetty's {@code ServletChannel} logs an exception thrown out of a servlet at WARN unless a
     * {@link QuietException} is in the cause chain; it aborts the connection either way.
     */
    @Override
    public IOException aborted(Throwable cause) {
        return new ResponseAbortedException(new QuietException.Exception(cause));
    }
}
