package org.wsgi4j.servlet.internal;

import jakarta.servlet.http.HttpServletRequest;
import java.io.IOException;
import java.io.InputStream;

/**
 * {@code wsgi.input} for the servlet bridge (SPEC E11): the container's input stream, which already
 * ends at the end of the body (Content-Length or the last chunk), opened only when the application
 * first reads, and not closable by the application (A8).
 */
final class ServletInput extends InputStream {

    private final HttpServletRequest request;
    private InputStream in;

    ServletInput(HttpServletRequest request) {
        this.request = request;
    }

    private InputStream in() throws IOException {
        if (in == null) {
            in = request.getInputStream();
        }
        return in;
    }

    @Override
    public int read() throws IOException {
        return in().read();
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
        return in().read(b, off, len);
    }

    @Override
    public long skip(long n) throws IOException {
        return in().skip(n);
    }

    @Override
    public int available() throws IOException {
        return in().available();
    }

    @Override
    public void close() {
        // The container owns the stream; an application closing it must not end the exchange early.
    }
}
