package org.wsgi4j.jetty.internal;

import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.List;
import java.util.Map;
import org.wsgi4j.Environ;
import org.wsgi4j.server.RequestInput;
import org.wsgi4j.server.RequestObserver;
import org.wsgi4j.server.RequestTimeoutException;
import org.wsgi4j.server.Result;

/**
 * The engine's observer on every front end: counts each request into {@link Metrics} (with
 * {@code --stats}) and writes its {@link AccessLog} line (with {@code --access-log}); a server with
 * neither has no observer (see {@link #fixed} and {@link #routed}). The mount is decided when the
 * request starts, by the front end's own rule (a servlet knows its mount; the uwsgi listener and the
 * core front end route by the longest prefix of {@code PATH_INFO}), and travels to
 * {@link #completed} in the request's state, with its meters resolved when the observer was made.
 * The body bytes the application read come from the front end's {@link RequestInput}, which counts
 * them itself; only another stream (the uwsgi listener's, a WAR's own copy of wsgi4j) is wrapped to
 * count them. For a WAR's servlets it is reached through
 * {@link org.wsgi4j.servlet.GatewayServlet#SERVER_SETTINGS_ATTRIBUTE}.
 */
public final class Recorder implements RequestObserver {

    /** A mount as the observer records it: its name in the access log and its meters (or {@code null}). */
    private record Target(String name, Metrics.Mount meters) {
    }

    /** The state of a request whose front end's input counts what is read. */
    private record Reading(Target target, RequestInput input) {
    }

    private final Metrics metrics;
    private final AccessLog accessLog;
    /** The mounts' prefixes, longest match wins; {@code null} for an observer of one mount. */
    private final String[] prefixes;
    /** The target of each prefix, by index; for an observer of one mount, that mount alone. */
    private final Target[] targets;
    /** Requests under no mount (a routed path outside every prefix). */
    private final Target none;

    private Recorder(Metrics metrics, AccessLog accessLog, String[] prefixes, List<String> mounts) {
        this.metrics = metrics;
        this.accessLog = accessLog;
        this.prefixes = prefixes;
        this.targets = mounts.stream().map(this::target).toArray(Target[]::new);
        this.none = target(null);
    }

    private Target target(String mount) {
        return new Target(mount == null ? "-" : mount, metrics == null ? null : metrics.mount(mount));
    }

    /**
     * The observer of one mount (a servlet knows its own), or {@link RequestObserver#NONE} when
     * {@code metrics} and {@code accessLog} are both {@code null}: nothing would read what it records.
     *
     * @param metrics   where requests are counted, or {@code null} without a stats listener; {@code mount}
     *                  must be counted there already (a WAR's: {@link Metrics#register})
     * @param accessLog where lines go, or {@code null} for no access log
     * @param mount     the mount's prefix
     * @return the observer
     */
    public static RequestObserver fixed(Metrics metrics, AccessLog accessLog, String mount) {
        return metrics == null && accessLog == null ? RequestObserver.NONE
                : new Recorder(metrics, accessLog, null, List.of(mount));
    }

    /**
     * The observer of a front end that routes by path (the uwsgi listener, the core front end): a
     * request counts under the mount whose prefix is the longest one {@code PATH_INFO} falls under
     * (at a {@code /} boundary), else under none; or {@link RequestObserver#NONE} as for {@link #fixed}.
     *
     * @param metrics   where requests are counted, or {@code null} without a stats listener
     * @param accessLog where lines go, or {@code null} for no access log
     * @param prefixes  the prefixes of the mounted applications
     * @return the observer
     */
    public static RequestObserver routed(Metrics metrics, AccessLog accessLog, List<String> prefixes) {
        return metrics == null && accessLog == null ? RequestObserver.NONE
                : new Recorder(metrics, accessLog, prefixes.toArray(String[]::new), prefixes);
    }

    /** The mount {@code path} falls under: the longest prefix matching at a {@code /} boundary. */
    private Target targetOf(Map<String, Object> environ) {
        if (prefixes == null) {
            return targets[0];
        }
        String path = Environ.pathInfo(environ);
        int best = -1;
        for (int i = 0; i < prefixes.length; i++) {
            String prefix = prefixes[i];
            boolean matches = prefix.equals("/") || path.startsWith(prefix)
                    && (path.length() == prefix.length() || path.charAt(prefix.length()) == '/');
            if (matches && (best < 0 || prefix.length() > prefixes[best].length())) {
                best = i;
            }
        }
        return best < 0 ? none : targets[best];
    }

    /**
     * Decides the request's mount and, with stats, counts it in flight and notes how its body's
     * bytes will be counted.
     *
     * @return the request's state: its mount's {@code Target}; with stats and a front end's
     *         {@link RequestInput}, that input too; with stats and another stream, a {@link Counting}
     *         wrap of it (which carries the target)
     */
    @Override
    public Object started(Map<String, Object> environ) {
        Target target = targetOf(environ);
        if (target.meters == null) {
            // Only the stats show bytes received: without them nothing counts the body.
            return target;
        }
        target.meters.started();
        Object input = environ.get(Environ.WSGI_INPUT);
        if (input instanceof RequestInput counted) {
            return new Reading(target, counted);
        }
        if (!(input instanceof InputStream in)) {
            return target;
        }
        Counting counting = new Counting(in, target);
        environ.put(Environ.WSGI_INPUT, counting);
        return counting;
    }

    @Override
    public void completed(Map<String, Object> environ, Object state, Result result, long nanos) {
        Target target;
        long bytesIn;
        if (state instanceof Reading reading) {
            target = reading.target;
            bytesIn = reading.input.bytesRead();
        } else if (state instanceof Counting counting) {
            target = counting.target;
            bytesIn = counting.count;
        } else {
            target = (Target) state;
            bytesIn = 0;
        }
        if (target.meters != null) {
            // By name: a WAR's servlet runs its own copy of wsgi4j, whose exception class is another.
            boolean timedOut = result.failure() != null
                    && result.failure().getClass().getName().equals(RequestTimeoutException.class.getName());
            boolean failed = result.failure() != null && result.outcome() != Result.Outcome.CLIENT_GONE;
            target.meters.completed(result.status(), failed, timedOut, bytesIn, result.bodyBytes(), nanos);
        }
        if (accessLog != null) {
            accessLog.log(environ, result, nanos, target.name);
        }
    }

    /** Counts the request body bytes the application reads from a stream other than a {@link RequestInput}. */
    private static final class Counting extends FilterInputStream {
        final Target target;
        long count;

        Counting(InputStream in, Target target) {
            super(in);
            this.target = target;
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
