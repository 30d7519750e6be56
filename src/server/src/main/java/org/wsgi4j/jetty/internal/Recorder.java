package org.wsgi4j.jetty.internal;

import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.Map;
import java.util.function.Function;
import org.wsgi4j.Environ;
import org.wsgi4j.server.RequestObserver;
import org.wsgi4j.server.RequestTimeoutException;
import org.wsgi4j.server.Result;

/**
 * The engine's observer on both front ends: counts each request into {@link Metrics} and writes
 * its {@link AccessLog} line. The mount is decided when the request starts, by the front end's own
 * rule (a servlet knows its mount; the uwsgi side asks {@link Metrics#mountOf} for {@code PATH_INFO}).
 */
public final class Recorder implements RequestObserver {

    /** What one request carries between {@link #started} and {@link #completed}, on its own thread. */
    private static final class Current {
        String mount;
        Counting input;
    }

    private static final ThreadLocal<Current> CURRENT = ThreadLocal.withInitial(Current::new);

    private final Metrics metrics;
    private final AccessLog accessLog;
    private final Function<Map<String, Object>, String> mountOf;

    /**
     * @param metrics   where requests are counted
     * @param accessLog where lines go, or {@code null} for no access log
     * @param mountOf   the mount serving a request, from its environ as the front end made it
     */
    public Recorder(Metrics metrics, AccessLog accessLog, Function<Map<String, Object>, String> mountOf) {
        this.metrics = metrics;
        this.accessLog = accessLog;
        this.mountOf = mountOf;
    }

    @Override
    public void started(Map<String, Object> environ) {
        Current current = CURRENT.get();
        current.mount = mountOf.apply(environ);
        current.input = null;
        if (environ.get(Environ.WSGI_INPUT) instanceof InputStream in) {
            current.input = new Counting(in);
            environ.put(Environ.WSGI_INPUT, current.input);
        }
        metrics.started(current.mount);
    }

    @Override
    public void completed(Map<String, Object> environ, Result result, long nanos) {
        Current current = CURRENT.get();
        String mount = current.mount;
        long bytesIn = current.input == null ? 0 : current.input.count;
        current.input = null;
        boolean timedOut = result.failure() instanceof RequestTimeoutException;
        boolean failed = result.failure() != null && result.outcome() != Result.Outcome.CLIENT_GONE;
        metrics.completed(mount, result.status(), failed, timedOut, bytesIn, result.bodyBytes(), nanos);
        if (accessLog != null) {
            accessLog.log(environ, result, nanos, mount == null ? "-" : mount);
        }
    }

    /** Counts the request body bytes the application reads. */
    private static final class Counting extends FilterInputStream {
        long count;

        Counting(InputStream in) {
            super(in);
        }

        @Override
        public int read() throws IOException {
            int b = super.read();
            if (b >= 0) {
                count++;
            }
            return b;
        }

        @Override
        public int read(byte[] buffer, int offset, int length) throws IOException {
            int n = super.read(buffer, offset, length);
            if (n > 0) {
                count += n;
            }
            return n;
        }
    }
}
