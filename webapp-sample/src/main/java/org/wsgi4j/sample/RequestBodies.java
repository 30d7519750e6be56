package org.wsgi4j.sample;

import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import org.wsgi4j.Environ;

/** How far an application may read {@code wsgi.input}. */
final class RequestBodies {

    private RequestBodies() {
    }

    /**
     * The request body as a stream that ends where the body ends, or empty when that end cannot be
     * known. wsgi4j's servers set {@code wsgi.input_terminated} (SPEC E11), so the input is read to
     * end-of-stream and a chunked body works. A PEP 3333 host without it only promises
     * {@code CONTENT_LENGTH} bytes; reading further could block for ever, so the stream stops
     * there, and with neither the caller answers 411.
     */
    static Optional<InputStream> open(Map<String, Object> environ) {
        InputStream input = Environ.input(environ);
        if (Boolean.TRUE.equals(environ.get(Environ.WSGI_INPUT_TERMINATED))) {
            return Optional.of(input);
        }
        OptionalLong length = Environ.contentLength(environ);
        return length.isPresent() ? Optional.of(new Limited(input, length.getAsLong())) : Optional.empty();
    }

    /** A view of the first {@code remaining} bytes; {@code close()} leaves the server's input open (A8). */
    private static final class Limited extends FilterInputStream {
        private long remaining;

        Limited(InputStream in, long remaining) {
            super(in);
            this.remaining = remaining;
        }

        @Override
        public int read() throws IOException {
            if (remaining <= 0) {
                return -1;
            }
            int b = super.read();
            if (b >= 0) {
                remaining--;
            }
            return b;
        }

        @Override
        public int read(byte[] buffer, int offset, int length) throws IOException {
            if (remaining <= 0) {
                return -1;
            }
            int n = super.read(buffer, offset, (int) Math.min(length, remaining));
            if (n > 0) {
                remaining -= n;
            }
            return n;
        }

        @Override
        public long skip(long n) throws IOException {
            long skipped = super.skip(Math.min(n, remaining));
            remaining -= skipped;
            return skipped;
        }

        @Override
        public int available() throws IOException {
            return (int) Math.min(super.available(), remaining);
        }

        @Override
        public void close() {
        }

        @Override
        public boolean markSupported() {
            return false;
        }
    }
}
