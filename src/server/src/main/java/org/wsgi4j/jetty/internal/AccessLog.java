package org.wsgi4j.jetty.internal;

import java.io.IOException;
import java.io.PrintStream;
import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.eclipse.jetty.server.AsyncRequestLogWriter;
import org.eclipse.jetty.server.RequestLog;
import org.eclipse.jetty.util.component.LifeCycle;
import org.wsgi4j.Environ;
import org.wsgi4j.server.Result;

/**
 * The access log ({@code --access-log PATH|-}): one line per request in the combined log format,
 * followed by the duration in microseconds and the mount, for both front ends:
 *
 * <pre>
 * 203.0.113.9 - - [29/Nov/2026:08:31:02 +0000] "GET /api/x?q=1 HTTP/1.1" 200 512 "-" "curl/8.5.0" 1834 /api
 * </pre>
 *
 * Lines are queued and written by a background thread, never on the request path: to a file
 * through Jetty's {@link AsyncRequestLogWriter} (a {@code yyyy_mm_dd} in the file name makes it
 * rotate daily at midnight, older files kept for 90 days), or to standard output for {@code -}.
 * When the queue is full (the disk cannot keep up), lines are dropped and counted rather than
 * slowing requests down.
 */
public final class AccessLog {

    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("dd/MMM/yyyy:HH:mm:ss Z", Locale.ROOT)
            .withZone(ZoneId.systemDefault());

    private final RequestLog.Writer writer;
    private final LifeCycle lifeCycle;

    private AccessLog(RequestLog.Writer writer, LifeCycle lifeCycle) {
        this.writer = writer;
        this.lifeCycle = lifeCycle;
    }

    /**
     * A log to {@code target}: a file path, or {@code -} for standard output.
     *
     * @param target a file path, appended to, or {@code -} for standard output
     * @return the log, not started
     */
    public static AccessLog to(String target) {
        if (target.equals("-")) {
            StandardOutput out = new StandardOutput(System.out);
            return new AccessLog(out, out);
        }
        AsyncRequestLogWriter file = new AsyncRequestLogWriter(target);
        file.setAppend(true);
        file.setRetainDays(90);
        return new AccessLog(file, file);
    }

    /**
     * Starts the log's writer.
     *
     * @throws Exception if the log's writer cannot start
     */
    public void start() throws Exception {
        lifeCycle.start();
    }

    /**
     * Writes what is queued, then stops.
     *
     * @throws Exception if the log's writer cannot stop
     */
    public void stop() throws Exception {
        lifeCycle.stop();
    }

    /**
     * Logs one request.
     *
     * @param environ the request's environ
     * @param result how the response ended
     * @param nanos how long the request took, in nanoseconds
     * @param mount the prefix of the application that served it
     */
    public void log(Map<String, Object> environ, Result result, long nanos, String mount) {
        StringBuilder line = new StringBuilder(256);
        field(line, environ.get(Environ.REMOTE_ADDR)).append(" - - [").append(TIME.format(Instant.now())).append("] \"");
        escape(line, environ.get(Environ.REQUEST_METHOD) + " " + requestUri(environ) + " "
                + environ.get(Environ.SERVER_PROTOCOL)).append("\" ");
        line.append(result.status()).append(' ');
        if (result.bodyBytes() == 0) {
            line.append('-');
        } else {
            line.append(result.bodyBytes());
        }
        line.append(" \"");
        escape(line, orDash(environ.get("HTTP_REFERER"))).append("\" \"");
        escape(line, orDash(environ.get("HTTP_USER_AGENT"))).append("\" ");
        line.append(TimeUnit.NANOSECONDS.toMicros(nanos)).append(' ');
        field(line, mount);
        try {
            writer.write(line.toString());
        } catch (IOException e) {
            // The writer queues; a failure here means it stopped. Nothing to tell the client.
        }
    }

    private static String requestUri(Map<String, Object> environ) {
        Object uri = environ.get(Environ.REQUEST_URI);
        if (uri != null) {
            return uri.toString();
        }
        Object query = environ.get(Environ.QUERY_STRING);
        String path = Environ.path(environ);
        return query == null || query.toString().isEmpty() ? path : path + "?" + query;
    }

    private static String orDash(Object value) {
        return value == null || value.toString().isEmpty() ? "-" : value.toString();
    }

    private static StringBuilder field(StringBuilder line, Object value) {
        return escape(line, orDash(value).replace(' ', '_'));
    }

    /** As Apache does: quotes, backslashes and control or non-ASCII characters become escapes, so a line stays a line. */
    private static StringBuilder escape(StringBuilder line, String text) {
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c == '"' || c == '\\') {
                line.append('\\').append(c);
            } else if (c < 0x20 || c >= 0x7F) {
                line.append(String.format("\\x%02x", c & 0xFF));
            } else {
                line.append(c);
            }
        }
        return line;
    }

    /** Standard output, written by a daemon thread from a bounded queue. */
    private static final class StandardOutput extends org.eclipse.jetty.util.component.AbstractLifeCycle
            implements RequestLog.Writer {
        private final PrintStream out;
        private final BlockingQueue<String> queue = new ArrayBlockingQueue<>(10_000);
        private final AtomicLong dropped = new AtomicLong();
        private Thread thread;

        StandardOutput(PrintStream out) {
            this.out = out;
        }

        @Override
        public void write(String line) {
            if (!queue.offer(line)) {
                dropped.incrementAndGet();
            }
        }

        @Override
        protected void doStart() {
            thread = new Thread(this::drain, "wsgi4j-access-log");
            thread.setDaemon(true);
            thread.start();
        }

        @Override
        protected void doStop() throws InterruptedException {
            thread.interrupt();
            thread.join(5000);
            String line;
            while ((line = queue.poll()) != null) {
                out.println(line);
            }
            out.flush();
        }

        private void drain() {
            try {
                while (true) {
                    out.println(queue.take());
                    long lost = dropped.getAndSet(0);
                    if (lost > 0) {
                        out.println("wsgi4j: " + lost + " access log lines dropped: standard output could not keep up");
                    }
                    if (queue.isEmpty()) {
                        out.flush();
                    }
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }
}
