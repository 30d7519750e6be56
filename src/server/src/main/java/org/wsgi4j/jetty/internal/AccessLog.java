package org.wsgi4j.jetty.internal;

import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.Arrays;
import java.util.Locale;
import java.util.Map;
import java.util.TimeZone;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReferenceArray;
import java.util.concurrent.locks.LockSupport;
import org.eclipse.jetty.util.RolloverFileOutputStream;
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
 * A line is ASCII: every byte outside printable ASCII is escaped (as Apache does), so the
 * request thread formats it straight into bytes, one array per line, and hands it to a bounded
 * lock-free queue (no lock shared with the writer, no {@code String} per line, no charset encoding).
 * A background thread writes what has queued up as one batch (a write and flush per
 * {@link #BATCH_BYTES}), to a file through Jetty's {@link RolloverFileOutputStream} (what its
 * {@code RequestLogWriter} wraps: a {@code yyyy_mm_dd} in the file name makes it rotate daily at
 * midnight GMT, older files kept for 90 days), or to standard output for {@code -}; then it waits {@link #LINGER_MILLIS} before taking
 * the next, so a busy server costs a system call and a wake-up per batch rather than per request
 * (Jetty's {@code AsyncRequestLogWriter} made both per line, and under 40,000 requests/s on two
 * cores dropped lines). An idle writer parks until the next line. When the queue is full (the disk
 * cannot keep up), lines are dropped and counted rather than slowing requests down: the server's log
 * (a {@link System.Logger} warning, at most one per {@link #REPORT_NANOS}) says how many, the stats
 * count them ({@link #droppedLines()}), and the access log itself stays in the combined format.
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

    /** Dropped lines are reported to the server's log at most this often, in nanoseconds (a second). */
    static final long REPORT_NANOS = TimeUnit.SECONDS.toNanos(1);

    /** The writer's buffer: a batch larger than this goes out in several writes. */
    static final int BATCH_BYTES = 64 * 1024;

    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("dd/MMM/yyyy:HH:mm:ss Z", Locale.ROOT)
            .withZone(ZoneId.systemDefault());
    private static final byte[] NEWLINE = System.lineSeparator().getBytes(StandardCharsets.US_ASCII);
    /** The bytes of a line that are always there: {@code " - - "}, the spaces and quotes between the fields. */
    private static final int FIXED = 18;
    private static final byte[] HEX = "0123456789abcdef".getBytes(StandardCharsets.US_ASCII);

    /** The formatted time of one second ({@code [...] "} included): formatting once per second instead of once per line. */
    private record Stamp(long second, byte[] text) {
    }

    private final OutputStream out;
    private final boolean closeOut;
    private final Lines queue;
    /** Lines dropped since the start. */
    private final AtomicLong dropped = new AtomicLong();
    /** Of {@link #dropped}, those the server's log has been told of; the writer's only. */
    private long reported;
    /** When the server's log was last told of dropped lines ({@link System#nanoTime()}); the writer's only. */
    private long reportedAt;
    private final System.Logger logger;
    private final String what;
    private volatile Stamp stamp = new Stamp(Long.MIN_VALUE, new byte[0]);
    private volatile boolean running;
    /** Whether the writer parked on an empty queue and waits to be woken by the next line. */
    private volatile boolean parked;
    private Thread thread;
    /** The writer's batch, reused: only the writer thread (and {@link #stop} after it ended) touches it. */
    private byte[] batch = new byte[BATCH_BYTES];

    private AccessLog(OutputStream out, boolean closeOut, String what, int queueCapacity, System.Logger logger) {
        if (queueCapacity < 1) {
            throw new IllegalArgumentException("the access log's queue must hold at least 1 line, not " + queueCapacity);
        }
        this.queue = new Lines(queueCapacity);
        this.out = out;
        this.closeOut = closeOut;
        this.what = what;
        this.logger = logger;
        this.reportedAt = System.nanoTime() - REPORT_NANOS;
    }

    /**
     * A log to {@code target}: a file path, or {@code -} for standard output.
     *
     * @param target        a file path, appended to ({@code yyyy_mm_dd} in it: rotated daily), or {@code -}
     *                      for standard output
     * @param queueCapacity the most lines waiting to be written ({@code --access-log-queue}); more are
     *                      dropped and counted
     * @return the log, not started
     * @throws IllegalArgumentException if {@code queueCapacity} is less than 1
     */
    public static AccessLog to(String target, int queueCapacity) {
        return to(target, queueCapacity, System.getLogger(AccessLog.class.getName()));
    }

    /** As {@link #to(String, int)}, telling {@code logger} of dropped lines. */
    static AccessLog to(String target, int queueCapacity, System.Logger logger) {
        if (target.equals("-")) {
            return new AccessLog(System.out, false, "standard output", queueCapacity, logger);
        }
        return new AccessLog(new Rollover(target), true, "the file", queueCapacity, logger);
    }

    /**
     * The lines dropped since the start because the queue was full (the stats' {@code access_log_dropped}).
     *
     * @return lines
     */
    public long droppedLines() {
        return dropped.get();
    }

    /**
     * Opens the target and starts the thread that writes.
     *
     * @throws IOException if the file cannot be opened
     */
    public void start() throws IOException {
        if (out instanceof Rollover file) {
            file.open();
        }
        running = true;
        thread = new Thread(this::drain, "wsgi4j-access-log");
        thread.setDaemon(true);
        thread.start();
    }

    /**
     * Writes what is queued, then stops.
     *
     * @throws InterruptedException if interrupted while the writer finishes its batch
     * @throws IOException if the file cannot be closed
     */
    public void stop() throws InterruptedException, IOException {
        running = false;
        if (thread != null) {
            LockSupport.unpark(thread);
            thread.join(5000);
        }
        writeQueued();
        reportDropped(true);
        if (closeOut) {
            out.close();
        }
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
        String address = orDash(environ.get(Environ.REMOTE_ADDR));
        String method = String.valueOf(environ.get(Environ.REQUEST_METHOD));
        String uri = requestUri(environ);
        String protocol = String.valueOf(environ.get(Environ.SERVER_PROTOCOL));
        String referer = orDash(environ.get("HTTP_REFERER"));
        String agent = orDash(environ.get("HTTP_USER_AGENT"));
        String where = orDash(mount);
        long micros = TimeUnit.NANOSECONDS.toMicros(nanos);
        byte[] time = now();
        // Exact when nothing needs an escape (nearly every line), so the array is not copied.
        Line line = new Line(address.length() + time.length + method.length() + uri.length() + protocol.length()
                + referer.length() + agent.length() + where.length() + FIXED + Line.digits(result.status())
                + (result.bodyBytes() == 0 ? 1 : Line.digits(result.bodyBytes())) + Line.digits(micros)
                + NEWLINE.length);
        line.escape(address, true).ascii(" - - ").bytes(time);
        line.escape(method, false).put(' ');
        line.escape(uri, false).put(' ');
        line.escape(protocol, false).ascii("\" ").number(result.status()).put(' ');
        if (result.bodyBytes() == 0) {
            line.put('-');
        } else {
            line.number(result.bodyBytes());
        }
        line.ascii(" \"").escape(referer, false).ascii("\" \"").escape(agent, false).ascii("\" ");
        line.number(micros).put(' ');
        line.escape(where, true).bytes(NEWLINE);
        if (!queue.offer(line.done())) {
            dropped.incrementAndGet();
        } else if (parked) {
            parked = false;
            LockSupport.unpark(thread);
        }
    }

    /** The current time as the log shows it ({@code [29/Nov/2026:08:31:02 +0000] "}), formatted at most once per second. */
    private byte[] now() {
        long millis = System.currentTimeMillis();
        long second = Math.floorDiv(millis, 1000);
        Stamp current = stamp;
        if (current.second() != second) {
            current = new Stamp(second, ("[" + TIME.format(Instant.ofEpochSecond(second)) + "] \"")
                    .getBytes(StandardCharsets.US_ASCII));
            stamp = current;
        }
        return current.text();
    }

    private void drain() {
        while (running) {
            boolean wrote = writeQueued();
            boolean unreported = !reportDropped(false);
            if (wrote) {
                LockSupport.parkNanos(this, TimeUnit.MILLISECONDS.toNanos(LINGER_MILLIS));
                continue;
            }
            parked = true;
            // A line queued between the check above and the flag would otherwise wait for the next one.
            if (queue.isEmpty() && running) {
                if (unreported) {
                    // Dropped lines not yet told of: come back when the next report is due, line or not.
                    LockSupport.parkNanos(this, REPORT_NANOS);
                } else {
                    LockSupport.park(this);
                }
            }
            parked = false;
        }
    }

    /**
     * Tells the server's log how many lines were dropped since it last did, if any were and a
     * report is due ({@link #REPORT_NANOS} after the last one) or {@code now} says so.
     *
     * @return whether every dropped line has been reported
     */
    private boolean reportDropped(boolean now) {
        long total = dropped.get();
        if (total == reported) {
            return true;
        }
        long time = System.nanoTime();
        if (!now && time - reportedAt < REPORT_NANOS) {
            return false;
        }
        logger.log(System.Logger.Level.WARNING, (total - reported) + " access log lines dropped (" + total
                + " since the start): " + what + " could not keep up with the requests (--access-log-queue "
                + queue.capacity() + " lines)");
        reported = total;
        reportedAt = time;
        return true;
    }

    /**
     * Writes everything queued, {@link #BATCH_BYTES} per write.
     *
     * @return whether anything was written
     */
    private boolean writeQueued() {
        int length = 0;
        boolean wrote = false;
        for (byte[] line = queue.poll(); line != null; line = queue.poll()) {
            if (length > 0 && length + line.length > batch.length) {
                write(length);
                // All but the line just taken, which goes in the next write.
                queue.written(1);
                wrote = true;
                length = 0;
            }
            length = append(length, line);
        }
        if (length > 0) {
            write(length);
            queue.written(0);
            wrote = true;
        }
        return wrote;
    }

    /** Appends {@code line} to the batch of {@code length} bytes; only a line longer than the buffer grows it. */
    private int append(int length, byte[] line) {
        if (length + line.length > batch.length) {
            batch = Arrays.copyOf(batch, length + line.length);
        }
        System.arraycopy(line, 0, batch, length, line.length);
        return length + line.length;
    }

    private void write(int length) {
        try {
            out.write(batch, 0, length);
            out.flush();
        } catch (IOException e) {
            // Nowhere left to say it: the log is the place that failed. The next batch tries again.
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

    /** One line's bytes, grown only when escapes make it longer than its estimate. */
    private static final class Line {
        private byte[] bytes;
        private int length;

        Line(int estimate) {
            bytes = new byte[estimate];
        }

        /** Makes room for {@code more} bytes: only escapes make a line longer than its estimate. */
        private void room(int more) {
            if (length + more > bytes.length) {
                bytes = Arrays.copyOf(bytes, Math.max(bytes.length * 2, length + more));
            }
        }

        Line put(int octet) {
            room(1);
            bytes[length++] = (byte) octet;
            return this;
        }

        Line ascii(String text) {
            for (int i = 0; i < text.length(); i++) {
                put(text.charAt(i));
            }
            return this;
        }

        Line bytes(byte[] text) {
            room(text.length);
            System.arraycopy(text, 0, bytes, length, text.length);
            length += text.length;
            return this;
        }

        /** The characters of {@code value} in decimal. */
        static int digits(long value) {
            if (value < 0) {
                return value == Long.MIN_VALUE ? 20 : 1 + digits(-value);
            }
            int digits = 1;
            for (long rest = value / 10; rest > 0; rest /= 10) {
                digits++;
            }
            return digits;
        }

        Line number(long value) {
            if (value < 0) {
                return ascii(Long.toString(value));
            }
            int digits = digits(value);
            room(digits);
            for (int i = length + digits - 1; i >= length; i--) {
                bytes[i] = (byte) ('0' + value % 10);
                value /= 10;
            }
            length += digits;
            return this;
        }

        /**
         * As Apache does: quotes, backslashes and control or non-ASCII characters become escapes, so a
         * line stays a line; with {@code spaces} (a field of its own: address, mount) a space becomes
         * {@code _}, so fields stay apart. A character up to U+00FF is a byte (environ strings carry
         * bytes as latin-1 characters), escaped as itself; a wider one (a host may hand over U+FFFD, a
         * mount may be any text) as its UTF-8 bytes, so nothing is cut to a wrong byte. A lone surrogate
         * gets its three-byte form rather than the encoder's '?'.
         */
        Line escape(String text, boolean spaces) {
            for (int i = 0; i < text.length(); i++) {
                char c = text.charAt(i);
                if (c >= 0x20 && c < 0x7F && c != '"' && c != '\\' && !(c == ' ' && spaces)) {
                    put(c);
                } else if (c == '"' || c == '\\') {
                    put('\\').put(c);
                } else if (c < 0x20 || c <= 0xFF && c >= 0x7F) {
                    hex(c);
                } else if (c > 0xFF) {
                    int codePoint = text.codePointAt(i);
                    i += Character.charCount(codePoint) - 1;
                    if (codePoint < 0x800) {
                        hex(0xC0 | codePoint >> 6);
                    } else {
                        if (codePoint < 0x10000) {
                            hex(0xE0 | codePoint >> 12);
                        } else {
                            hex(0xF0 | codePoint >> 18);
                            hex(0x80 | (codePoint >> 12 & 0x3F));
                        }
                        hex(0x80 | (codePoint >> 6 & 0x3F));
                    }
                    hex(0x80 | (codePoint & 0x3F));
                } else {
                    put('_');
                }
            }
            return this;
        }

        private void hex(int octet) {
            put('\\').put('x').put(HEX[octet >> 4]).put(HEX[octet & 0xF]);
        }

        byte[] done() {
            return length == bytes.length ? bytes : Arrays.copyOf(bytes, length);
        }
    }

    /**
     * The lines waiting for the writer: a bounded ring that many request threads offer to and one
     * writer polls from, without a lock (a compare-and-set to claim a slot, a release store to fill it).
     * Holds exactly {@code capacity} lines: the {@code --access-log-queue} limit. A line the writer has
     * taken still counts until its batch is written ({@link #written}), so request threads read a
     * {@code head} that changes once per batch, not once per line.
     */
    static final class Lines {
        private final AtomicReferenceArray<byte[]> slots;
        private final int capacity;
        private final AtomicLong tail = new AtomicLong();
        /** The oldest line not yet written: published by the single consumer once per batch. */
        private volatile long head;
        /** The next line to take: the consumer's own. */
        private long next;

        Lines(int capacity) {
            this.capacity = capacity;
            this.slots = new AtomicReferenceArray<>(capacity);
        }

        /** Queues {@code line}, or returns {@code false} when {@code capacity} lines are waiting. */
        boolean offer(byte[] line) {
            long claimed;
            do {
                claimed = tail.get();
                if (claimed - head >= capacity) {
                    return false;
                }
            } while (!tail.compareAndSet(claimed, claimed + 1));
            // A release store suffices: the consumer's volatile read of the slot sees the whole array.
            slots.lazySet((int) (claimed % capacity), line);
            return true;
        }

        /** The oldest line not taken, or {@code null} when none is queued (or it is claimed and not yet filled). */
        byte[] poll() {
            int slot = (int) (next % capacity);
            byte[] line = slots.get(slot);
            if (line == null) {
                return null;
            }
            slots.lazySet(slot, null);
            next++;
            return line;
        }

        /** The lines taken so far, but the last {@code pending}, are written: their slots are free again. */
        void written(int pending) {
            head = next - pending;
        }

        int capacity() {
            return capacity;
        }

        boolean isEmpty() {
            return slots.get((int) (next % capacity)) == null;
        }
    }

    /**
     * A file through Jetty's {@link RolloverFileOutputStream}, as its {@code RequestLogWriter} opens
     * it: appended to, rotated at midnight GMT when the name has {@code yyyy_mm_dd}, 90 days kept.
     */
    private static final class Rollover extends FilterOutputStream {
        private final String path;

        Rollover(String path) {
            super(OutputStream.nullOutputStream());
            this.path = path;
        }

        void open() throws IOException {
            out = new RolloverFileOutputStream(path, true, 90, TimeZone.getTimeZone("GMT"), null, null);
        }

        @Override
        public void write(byte[] bytes, int offset, int length) throws IOException {
            out.write(bytes, offset, length);
        }
    }
}
