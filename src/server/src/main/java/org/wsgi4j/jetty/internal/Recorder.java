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
 * The engine's observer on both front ends: counts each request into {@link Metrics} (with
 * {@code --stats}) and writes its {@link AccessLog} line (with {@code --access-log}); a server with
 * neither has no observer (see {@link #of}). The mount is decided when the request starts, by the
 * front end's own rule (a servlet knows its mount; the uwsgi side asks {@link Metrics#mountOf} for
 * {@code PATH_INFO}), and travels to {@link #completed} in the request's state.
 * For a WAR's servlets it is reached through {@link org.wsgi4j.servlet.GatewayServlet#SERVER_SETTINGS_ATTRIBUTE}.
 */
public final class Recorder implements RequestObserver {

    private final Metrics metrics;
    private final AccessLog accessLog;
    private final Function<Map<String, Object>, String> mountOf;

    private Recorder(Metrics metrics, AccessLog accessLog, Function<Map<String, Object>, String> mountOf) {
        this.metrics = metrics;
        this.accessLog = accessLog;
        this.mountOf = mountOf;
    }

    /**
     * The observer that records into {@code metrics} and {@code accessLog}, or
     * {@link RequestObserver#NONE} when both are {@code null}: nothing would read what it records.
     *
     * @param metrics   where requests are counted, or {@code null} without a stats listener
     * @param accessLog where lines go, or {@code null} for no access log
     * @param mountOf   the mount serving a request, from its environ as the front end made it
     * @return the observer for the engine's options
     */
    public static RequestObserver of(Metrics metrics, AccessLog accessLog,
                                     Function<Map<String, Object>, String> mountOf) {
        return metrics == null && accessLog == null ? RequestObserver.NONE : new Recorder(metrics, accessLog, mountOf);
    }

    /**
     * Decides the request's mount and, with stats, wraps {@code wsgi.input} to count what the
     * application reads.
     *
     * @return the request's state: the {@link Counting} stream (which carries the mount) with stats;
     *         the mount alone without them, or when there is no stream to count
     */
    @Override
    public Object started(Map<String, Object> environ) {
        String mount = mountOf.apply(environ);
        if (metrics == null) {
            // Only the stats show bytes received: without them the application reads the front end's stream.
            return mount;
        }
        metrics.started(mount);
        if (!(environ.get(Environ.WSGI_INPUT) instanceof InputStream in)) {
            return mount;
        }
        Counting counting = new Counting(in, mount);
        environ.put(Environ.WSGI_INPUT, counting);
        return counting;
    }

    @Override
    public void completed(Map<String, Object> environ, Object state, Result result, long nanos) {
        String mount = state instanceof Counting counting ? counting.mount : (String) state;
        if (metrics != null) {
            long bytesIn = state instanceof Counting counting ? counting.count : 0;
            // By name: a WAR's servlet runs its own copy of wsgi4j, whose exception class is another.
            boolean timedOut = result.failure() != null
                    && result.failure().getClass().getName().equals(RequestTimeoutException.class.getName());
            boolean failed = result.failure() != null && result.outcome() != Result.Outcome.CLIENT_GONE;
            metrics.completed(mount, result.status(), failed, timedOut, bytesIn, result.bodyBytes(), nanos);
        }
        if (accessLog != null) {
            accessLog.log(environ, result, nanos, mount == null ? "-" : mount);
        }
    }

    /** Counts the request body bytes the application reads; the request's state, so it carries the mount too. */
    private static final class Counting extends FilterInputStream {
        final String mount;
        long count;

        Counting(InputStream in, String mount) {
            super(in);
            this.mount = mount;
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
