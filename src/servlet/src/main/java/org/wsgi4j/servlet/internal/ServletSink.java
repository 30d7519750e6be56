package org.wsgi4j.servlet.internal;

import jakarta.servlet.ServletOutputStream;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import org.wsgi4j.FileBody;
import org.wsgi4j.Header;
import org.wsgi4j.server.ResponseHead;
import org.wsgi4j.server.ResponseSink;

/**
 * The response engine's sink over an {@code HttpServletResponse}: it only translates calls.
 * {@code Content-Type} and {@code Content-Length} go through their typed setters so the container
 * knows them (it then frames the body with Content-Length instead of chunking); the application's
 * {@code Date} and {@code Server} through {@code setHeader}, so they replace what the container
 * filled in (SPEC S24); everything else through {@code addHeader}.
 */
public final class ServletSink implements ResponseSink {

    private final HttpServletRequest request;
    private final HttpServletResponse response;
    private final Container container;
    private ServletOutputStream out;
    private boolean headSent;

    public ServletSink(HttpServletRequest request, HttpServletResponse response, Container container) {
        this.request = request;
        this.response = response;
        this.container = container;
    }

    @Override
    public void sendHead(ResponseHead head) {
        if (headSent) {
            // A replacement (an error page) before commit: drop the earlier status, headers and buffer.
            response.reset();
        }
        headSent = true;
        response.setStatus(head.code());
        for (int i = 0; i < head.headers().size(); i++) {
            Header header = head.headers().get(i);
            if (header.is("Content-Type")) {
                response.setContentType(header.value());
            } else if (header.is("Content-Length")) {
                response.setContentLengthLong(Long.parseLong(header.value()));
            } else if (head.replacesHostField(i)) {
                response.setHeader(header.name(), header.value());
            } else {
                response.addHeader(header.name(), header.value());
            }
        }
    }

    @Override
    public void sendBlock(byte[] data, int offset, int length) throws IOException {
        output().write(data, offset, length);
    }

    @Override
    public void sendBlockAndFlush(byte[] data, int offset, int length) throws IOException {
        container.writeAndFlush(output(), data, offset, length);
    }

    @Override
    public void flush() throws IOException {
        output().flush();
    }

    @Override
    public void complete() {
        // The container completes the response when service() returns.
    }

    @Override
    public void abort(Throwable cause) {
        // The servlet throws Container.aborted(Result.failure()) out of service(); the container cuts the connection.
    }

    @Override
    public boolean isCommitted() {
        return response.isCommitted();
    }

    @Override
    public boolean sendFile(FileBody body) throws IOException {
        return container.sendFile(request, output(), body);
    }

    private ServletOutputStream output() throws IOException {
        if (out == null) {
            out = response.getOutputStream();
        }
        return out;
    }
}
