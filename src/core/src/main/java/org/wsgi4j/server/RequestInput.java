package org.wsgi4j.server;

import java.io.IOException;
import java.io.InputStream;
import java.util.Objects;

/**
 * {@code wsgi.input} over a front end's own body stream (SPEC E11): the stream is opened only when
 * the application first reads, so a request whose body is never read never asks the client for it
 * ({@code 100 Continue}, S21), and closing it does nothing (A8: the host owns the stream; an
 * application closing it must not end the exchange early). The host's stream must already end at
 * the end of the body (Content-Length or the last chunk), as the servlet and Jetty core streams do.
 */
public final class RequestInput extends InputStream {

    /** Opens the host's body stream; called at most once, on the first read. */
    @FunctionalInterface
    public interface Opener {
        /**
         * Opens the body stream.
         *
         * @return the host's stream of the request body
         * @throws IOException if the host cannot give it
         */
        InputStream open() throws IOException;
    }

    private final Opener opener;
    private InputStream in;

    /**
     * An input that opens {@code opener}'s stream on first use.
     *
     * @param opener gives the host's body stream
     */
    public RequestInput(Opener opener) {
        this.opener = Objects.requireNonNull(opener, "opener");
    }

    private InputStream in() throws IOException {
        if (in == null) {
            in = opener.open();
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

    /** Does nothing (A8): the host's stream stays open until the exchange ends. */
    @Override
    public void close() {
    }
}
