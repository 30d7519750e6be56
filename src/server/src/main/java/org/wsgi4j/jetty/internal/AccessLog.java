package org.wsgi4j.jetty.internal;

import java.io.IOException;
import java.io.PrintStream;
import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.eclipse.jetty.server.RequestLog;
import org.eclipse.jetty.server.RequestLogWriter;
import org.eclipse.jetty.util.component.AbstractLifeCycle;
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
 * through Jetty's {@link RequestLogWriter} (a {@code yyyy_mm_dd} in the file name makes it rotate
 * daily at midnight, older files kept for 90 days), or to standard output for {@code -}. The
 * thread writes what has queued up as one batch, one write and flush each, then waits
 * {@link #LINGER_MILLIS} before taking the next, so a busy server costs a system call and a
 * wake-up per batch rather than per request (Jetty's {@code AsyncRequestLogWriter} made both per
 * line, and under 40,000 requests/s on two cores dropped lines). When the queue is full (the disk
 * cannot keep up), lines are dropped and counted rather than slowing requests down; the log then
 * says how many.
 */
public final class AccessLog {

    /** The most lines waiting to be written unless {@code --access-log-queue} says otherwise; more are dropped and counted. */
    public static final int DEFAULT_QUEUE_CAPACITY = 10_000;

    /**
     * How long the writer waits after a batch, in milliseconds, so that lines arriving meanwhile go
     * out together: the most a line is delayed on a busy server. At 100,000 lines/s this
     * fills a tenth of {@link #DEFAULT_QUEUE_CAPACITY}.
     */
    static final long LINGER_MILLIS = 10;

    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("dd/MMM/yyyy:HH:mm:ss Z", Locale.ROOT)
            .withZone(ZoneId.systemDefault());

    /** The formatted time of one second: formatting once per second instead of once per line. */
    private record Stamp(long second, String text) {
    }

    private final RequestLog.Writer writer;
    private final LifeCycle lifeCycle;
    private final BlockingQueue<String> queue;
    private final AtomicLong dropped = new AtomicLong();
    private final String what;
    private volatile Stamp stamp = new Stamp(Long.MIN_VALUE, "");
    private Thread thread;

    private AccessLog(RequestLog.Writer writer, LifeCycle lifeCycle, String what, int queueCapacity) {
        this.queue = new ArrayBlockingQueue<>(queueCapacity);
        this.writer = writer;
        this.lifeCycle = lifeCycle;
        this.what = what;
    }

    /**
     * A log to {@code target}: a file path, or {@code -} for standard output.
     *
     * @param target        a file path, appended to, or {@code -} for standard output
     * @param queueCapacity the most lines waiting to be written ({@code --access-log-queue}); more are
     *                      dropped and counted
     * @return the log, not started
     * @throws IllegalArgumentException if {@code queueCapacity} is less than 1
     */
    public static AccessLog to(String target, int queueCapacity) {
        if (target.equals("-")) {
            StandardOutput out = new StandardOutput(System.out);
            return new AccessLog(out, out, "standard output", queueCapacity);
        }
        RequestLogWriter file = new RequestLogWriter(target);
        file.setAppend(true);
        file.setRetainDays(90);
        return new AccessLog(file, file, "the file", queueCapacity);
    }

    /**
     * Opens the target and starts the thread that writes.
     *
     * @throws Exception if the log's writer cannot start (the file cannot be opened)
     */
    public void start() throws Exception {
        lifeCycle.start();
        thread = new Thread(this::drain, "wsgi4j-access-log");
        thread.setDaemon(true);
        thread.start();
    }

    /**
     * Writes what is queued, then stops.
     *
     * @throws Exception if the log's writer cannot stop
     */
    public void stop() throws Exception {
        if (thread != null) {
            thread.interrupt();
            thread.join(5000);
        }
        writeQueued(new ArrayList<>());
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
        field(line, environ.get(Environ.REMOTE_ADDR)).append(" - - [").append(now()).append("] \"");
        escape(line, String.valueOf(environ.get(Environ.REQUEST_METHOD))).append(' ');
        escape(line, requestUri(environ)).append(' ');
        escape(line, String.valueOf(environ.get(Environ.SERVER_PROTOCOL))).append("\" ");
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
        if (!queue.offer(line.toString())) {
            dropped.incrementAndGet();
        }
    }

    /** The current time as the log shows it, formatted at most once per second. */
    private String now() {
        long millis = System.currentTimeMillis();
        long second = Math.floorDiv(millis, 1000);
        Stamp current = stamp;
        if (current.second() != second) {
            current = new Stamp(second, TIME.format(Instant.ofEpochSecond(second)));
            stamp = current;
        }
        return current.text();
    }

    private void drain() {
        List<String> batch = new ArrayList<>();
        try {
            while (true) {
                batch.add(queue.take());
                writeQueued(batch);
                Thread.sleep(LINGER_MILLIS);
            }
        } catch (InterruptedException e) {
            // stop(): it writes what is left.
        }
    }

    /** Writes {@code batch} and everything queued behind it as one write, and the count of lines dropped. */
    private void writeQueued(List<String> batch) {
        queue.drainTo(batch);
        long lost = dropped.getAndSet(0);
        if (lost > 0) {
            batch.add("wsgi4j: " + lost + " access log lines dropped: " + what + " could not keep up");
        }
        if (batch.isEmpty()) {
            return;
        }
        try {
            // The writer ends each write with a line separator and flushes it.
            writer.write(String.join(System.lineSeparator(), batch));
        } catch (IOException e) {
            // Nowhere left to say it: the log is the place that failed. The next batch tries again.
        }
        batch.clear();
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

    /** A value that is one field of the line (address, mount): spaces become {@code _}, so fields stay apart. */
    private static StringBuilder field(StringBuilder line, Object value) {
        return escape(line, orDash(value), true);
    }

    private static StringBuilder escape(StringBuilder line, String text) {
        return escape(line, text, false);
    }

    /**
     * As Apache does: quotes, backslashes and control or non-ASCII characters become escapes, so a
     * line stays a line. A text that needs none (nearly every one) is appended in one piece.
     */
    private static StringBuilder escape(StringBuilder line, String text, boolean spaces) {
        int plain = 0;
        while (plain < text.length() && isPlain(text.charAt(plain), spaces)) {
            plain++;
        }
        if (plain == text.length()) {
            return line.append(text);
        }
        line.append(text, 0, plain);
        for (int i = plain; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c == '"' || c == '\\') {
                line.append('\\').append(c);
            } else if (c < 0x20 || (c >= 0x7F && c <= 0xFF)) {
                hex(line, c);
            } else if (c > 0xFF) {
                // Not a byte (environ strings carry bytes as latin-1 characters; a host may hand over
                // U+FFFD, a mount may be any text): its UTF-8 bytes, so nothing is cut to a wrong byte.
                // A lone surrogate gets its three-byte form rather than the encoder's '?'.
                int codePoint = text.codePointAt(i);
                i += Character.charCount(codePoint) - 1;
                if (codePoint < 0x800) {
                    hex(line, 0xC0 | codePoint >> 6);
                } else {
                    if (codePoint < 0x10000) {
                        hex(line, 0xE0 | codePoint >> 12);
                    } else {
                        hex(line, 0xF0 | codePoint >> 18);
                        hex(line, 0x80 | (codePoint >> 12 & 0x3F));
                    }
                    hex(line, 0x80 | (codePoint >> 6 & 0x3F));
                }
                hex(line, 0x80 | (codePoint & 0x3F));
            } else if (c == ' ' && spaces) {
                line.append('_');
            } else {
                line.append(c);
            }
        }
        return line;
    }

    private static void hex(StringBuilder line, int octet) {
        line.append("\\x").append(Character.forDigit(octet >> 4, 16)).append(Character.forDigit(octet & 0xF, 16));
    }

    private static boolean isPlain(char c, boolean spaces) {
        return c >= 0x20 && c < 0x7F && c != '"' && c != '\\' && !(c == ' ' && spaces);
    }

    /** Standard output: each write is one batch of lines, flushed. */
    private static final class StandardOutput extends AbstractLifeCycle implements RequestLog.Writer {
        private final PrintStream out;

        StandardOutput(PrintStream out) {
            this.out = out;
        }

        @Override
        public void write(String lines) {
            out.println(lines);
            out.flush();
        }
    }
}
