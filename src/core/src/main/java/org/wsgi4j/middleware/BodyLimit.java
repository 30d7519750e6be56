package org.wsgi4j.middleware;

import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.Supplier;
import org.wsgi4j.Application;
import org.wsgi4j.Environ;
import org.wsgi4j.Header;
import org.wsgi4j.StartResponse;
import org.wsgi4j.server.ContentTooLargeException;
import org.wsgi4j.server.RequestInput;

/**
 * Refuses request bodies larger than a limit (uWSGI's {@code limit-post}), the same way on every
 * front end. A request declaring a larger {@code CONTENT_LENGTH} is answered
 * {@code 413 Content Too Large} before the application runs and without reading the body. A body
 * of unknown length (chunked) is read until it passes the limit; then {@code wsgi.input} throws
 * {@link TooLargeException}, an {@link IOException} the application sees as a failed read (and
 * that becomes a 500, or an aborted answer, if it does not catch it).
 *
 * <pre>{@code
 * Application limited = BodyLimit.wrap(app, 64L << 20);
 * }</pre>
 */
public final class BodyLimit implements Application {

    /** What {@code wsgi.input} throws when a body of unknown length grows past the limit. */
    public static final class TooLargeException extends ContentTooLargeException {
        private static final long serialVersionUID = 1L;

        TooLargeException(long limit) {
            super("the request body is larger than the limit of " + limit + " bytes");
        }
    }

    private final Application application;
    private final long limit;
    /** Made once: a lambda made per request would be an object per request. */
    private final Supplier<TooLargeException> tooLarge = () -> new TooLargeException(limit());

    private BodyLimit(Application application, long limit) {
        this.application = Objects.requireNonNull(application, "application");
        if (limit < 0) {
            throw new IllegalArgumentException("'limit' must not be negative, was " + limit);
        }
        this.limit = limit;
    }

    /**
     * Wraps {@code application}.
     *
     * @param application the application to protect
     * @param limit the largest body accepted, in bytes (0 refuses every body)
     * @return the wrapping application
     * @throws IllegalArgumentException if {@code limit} is negative
     */
    public static Application wrap(Application application, long limit) {
        return new BodyLimit(application, limit);
    }

    /**
     * The largest body accepted.
     *
     * @return the limit, in bytes
     */
    public long limit() {
        return limit;
    }

    @Override
    public Iterable<byte[]> call(Map<String, Object> environ, StartResponse startResponse) throws Exception {
        Object declared = environ.get(Environ.CONTENT_LENGTH);
        if (declared != null && isDigits(declared.toString())) {
            if (tooLarge(declared.toString())) {
                byte[] body = ("413 Content Too Large: the request body is " + declared + " bytes, the limit is "
                        + limit + "\n").getBytes(StandardCharsets.US_ASCII);
                startResponse.start("413 Content Too Large", List.of(
                        new Header("Content-Type", "text/plain; charset=utf-8"),
                        new Header("Content-Length", Integer.toString(body.length))));
                return List.of(body);
            }
        } else if (environ.get(Environ.WSGI_INPUT) instanceof RequestInput input) {
            // The front end's own input counts what is read: no stream around it (nor an environ write) per request.
            input.limit(limit, tooLarge);
        } else if (environ.get(Environ.WSGI_INPUT) instanceof InputStream input) {
            environ.put(Environ.WSGI_INPUT, new Limited(input, limit));
        }
        return application.call(environ, startResponse);
    }

    private boolean tooLarge(String declared) {
        // More digits than a long holds is too large for any limit.
        return declared.length() > 18 || Long.parseLong(declared) > limit;
    }

    private static boolean isDigits(String s) {
        return !s.isEmpty() && s.chars().allMatch(c -> c >= '0' && c <= '9');
    }

    /** Counts what is read and fails the read that would pass the limit. */
    private static final class Limited extends FilterInputStream {
        private final long limit;
        private long read;

        Limited(InputStream in, long limit) {
            super(in);
            this.limit = limit;
        }

        @Override
        public int read() throws IOException {
            int b = super.read();
            if (b >= 0) {
                count(1);
            }
            return b;
        }

        @Override
        public int read(byte[] buffer, int offset, int length) throws IOException {
            int n = super.read(buffer, offset, length);
            if (n > 0) {
                count(n);
            }
            return n;
        }

        @Override
        public long skip(long n) throws IOException {
            long skipped = super.skip(n);
            count(skipped);
            return skipped;
        }

        private void count(long n) throws TooLargeException {
            read += n;
            if (read > limit) {
                throw new TooLargeException(limit);
            }
        }
    }
}
