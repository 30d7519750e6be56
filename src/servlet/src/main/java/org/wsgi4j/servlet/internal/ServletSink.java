package org.wsgi4j.servlet.internal;

import jakarta.servlet.ServletOutputStream;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import org.wsgi4j.FileBody;
import org.wsgi4j.Header;
import org.wsgi4j.server.ResponseHead;
import org.wsgi4j.server.ResponseSink;
import org.wsgi4j.servlet.ResponseAbortedException;

/**
 * The response engine's sink over an {@code HttpServletResponse}: it only translates calls.
 * {@code Content-Type} and {@code Content-Length} go through their typed setters so the container
 * knows them (it then frames the body with Content-Length instead of chunking); everything else
 * through {@code addHeader}.
 */
public final class ServletSink implements ResponseSink {

    private static final String TOMCAT_SENDFILE_SUPPORT = "org.apache.tomcat.sendfile.support";
    private static final String TOMCAT_SENDFILE_FILENAME = "org.apache.tomcat.sendfile.filename";
    private static final String TOMCAT_SENDFILE_START = "org.apache.tomcat.sendfile.start";
    private static final String TOMCAT_SENDFILE_END = "org.apache.tomcat.sendfile.end";

    private final HttpServletRequest request;
    private final HttpServletResponse response;
    private ServletOutputStream out;
    private boolean headSent;
    private Throwable abortCause;

    public ServletSink(HttpServletRequest request, HttpServletResponse response) {
        this.request = request;
        this.response = response;
    }

    @Override
    public void sendHead(ResponseHead head) {
        if (headSent) {
            // A replacement (an error page) before commit: drop the earlier status, headers and buffer.
            response.reset();
        }
        headSent = true;
        response.setStatus(head.code());
        for (Header header : head.headers()) {
            if (header.is("Content-Type")) {
                response.setContentType(header.value());
            } else if (header.is("Content-Length")) {
                response.setContentLengthLong(Long.parseLong(header.value()));
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
    public void flush() throws IOException {
        output().flush();
    }

    @Override
    public void complete() {
        // The container completes the response when service() returns.
    }

    @Override
    public void abort(Throwable cause) {
        abortCause = cause;
    }

    @Override
    public boolean isCommitted() {
        return response.isCommitted();
    }

    @Override
    public boolean sendFile(FileBody body) throws IOException {
        if (Boolean.TRUE.equals(request.getAttribute(TOMCAT_SENDFILE_SUPPORT))) {
            // Tomcat sends the file itself after service() returns, reading it by name (sendfile(2)).
            request.setAttribute(TOMCAT_SENDFILE_FILENAME, body.path().toAbsolutePath().toString());
            request.setAttribute(TOMCAT_SENDFILE_START, body.position());
            request.setAttribute(TOMCAT_SENDFILE_END, body.position() + body.count());
            return true;
        }
        return JettyFiles.AVAILABLE && JettyFiles.send(output(), body);
    }

    /**
     * The exception for the servlet to throw out of {@code service} after an abort (SPEC S12, S16):
     * a {@link ResponseAbortedException}, which containers answer by closing the connection without
     * finishing the response. The engine has logged the failure, so the exception is marked for the
     * container not to log it again: on Jetty its cause is a {@code QuietException}, on Tomcat it
     * is wrapped in a {@code CloseNowException}.
     */
    public IOException abortException() {
        ResponseAbortedException aborted = new ResponseAbortedException(
                JettyFiles.AVAILABLE ? JettyQuiet.mark(abortCause) : abortCause);
        return TomcatQuiet.AVAILABLE ? TomcatQuiet.mark(aborted) : aborted;
    }

    private ServletOutputStream output() throws IOException {
        if (out == null) {
            out = response.getOutputStream();
        }
        return out;
    }
}
