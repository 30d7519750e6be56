package org.wsgi4j.server;

import java.io.IOException;
import java.io.InputStream;
import java.util.Objects;
import java.util.function.Supplier;

/**
 * {@code wsgi.input} over a front end's own body stream (SPEC E11): the stream is opened only when
 * the application first reads, so a request whose body is never read never asks the client for it
 * ({@code 100 Continue}, S21), and closing it does nothing (A8: the host owns the stream; an
 * application closing it must not end the exchange early). The host's stream must already end at
 * the end of the body (Content-Length or the last chunk), as the servlet and Jetty core streams do.
 *
 * <p>It also counts the bytes the application reads ({@link #bytesRead()}, the stats' {@code bytes_in})
 * and enforces a body limit ({@link #limit}, {@code BodyLimit}'s), so that neither needs a stream
 * wrapped around it per request: a request without a body costs neither an object nor an
 * {@code environ} write for them.
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
    private long read;
    private long limit = Long.MAX_VALUE;
    private Supplier<? extends IOException> tooLarge;

    /**
     * An input that opens {@code opener}'s stream on first use.
     *
     * @param opener gives the host's body stream
     */
    public RequestInput(Opener opener) {
        this.opener = Objects.requireNonNull(opener, "opener");
    }

    /**
     * The request body bytes read (and skipped) through this input so far.
     *
     * @return bytes, 0 before the first read
     */
    public long bytesRead() {
        return read;
    }

    /**
     * Fails every read that would take the bytes read past {@code bytes}, with {@code tooLarge}'s exception
     * (the bytes of that read are neither returned nor counted). Of several limits the smallest holds.
     *
     * @param bytes    the most body bytes the application may read
     * @param tooLarge makes the exception a read past the limit throws
     * @throws IllegalArgumentException if {@code bytes} is negative
     */
    public void limit(long bytes, Supplier<? extends IOException> tooLarge) {
        if (bytes < 0) {
            throw new IllegalArgumentException("'bytes' must not be negative, was " + bytes);
        }
        if (bytes < limit) {
            limit = bytes;
            this.tooLarge = Objects.requireNonNull(tooLarge, "tooLarge");
        }
    }

    private long count(long n) throws IOException {
        if (n > 0) {
            if (read + n > limit) {
                // Not counted: the application never gets these bytes (bytes_in is what it read).
                throw tooLarge.get();
            }
            read += n;
        }
        return n;
    }

    private InputStream in() throws IOException {
        if (in == null) {
            in = opener.open();
        }
        return in;
    }

    @Override
    public int read() throws IOException {
        int b = in().read();
        if (b >= 0) {
            count(1);
        }
        return b;
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
        return (int) count(in().read(b, off, len));
    }

    @Override
    public long skip(long n) throws IOException {
        return count(in().skip(n));
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
