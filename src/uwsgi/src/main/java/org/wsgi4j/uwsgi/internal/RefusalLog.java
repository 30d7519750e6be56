package org.wsgi4j.uwsgi.internal;

import java.lang.System.Logger;
import java.lang.System.Logger.Level;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;

/**
 * Logs refused connections without letting a flood of junk write a flood of lines: the first
 * refusal of each kind in an interval is logged in full, the rest are counted and reported in one
 * summary line when the interval is over. Thread-safe.
 */
final class RefusalLog {

    private final Logger logger;
    private final long intervalNanos;
    /** Refusals of each kind in the current interval; the first of each was logged in full. */
    private final Map<String, Integer> counts = new TreeMap<>();
    private long intervalStart;
    private int suppressed;

    RefusalLog(Logger logger, long intervalNanos) {
        this.logger = logger;
        this.intervalNanos = intervalNanos;
        this.intervalStart = System.nanoTime();
    }

    void refused(String peer, Refusal refusal) {
        refused(peer, refusal, System.nanoTime());
    }

    void refused(String peer, Refusal refusal, long now) {
        boolean first;
        synchronized (this) {
            rollOver(now);
            int count = counts.merge(refusal.kind(), 1, Integer::sum);
            first = count == 1;
            if (!first) {
                suppressed++;
            }
        }
        if (first) {
            logger.log(Level.WARNING, () -> "uwsgi request from " + peer + " refused"
                    + (refusal instanceof Refusal.Answer answer ? " with " + answer.status() : " (closed)")
                    + ": " + refusal.reason());
        }
    }

    /** Writes the summary of a finished interval, if any; called now and then by the selector thread. */
    void tick(long now) {
        synchronized (this) {
            rollOver(now);
        }
    }

    /** Nanoseconds until the current interval ends. */
    long nanosLeft(long now) {
        synchronized (this) {
            return Math.max(0, intervalStart + intervalNanos - now);
        }
    }

    private void rollOver(long now) {
        if (now - intervalStart < intervalNanos) {
            return;
        }
        if (suppressed > 0) {
            StringBuilder line = new StringBuilder().append(suppressed).append(" more uwsgi requests refused in the last ")
                    .append(TimeUnit.NANOSECONDS.toSeconds(now - intervalStart)).append(" s (the first of each kind is"
                    + " logged above):");
            counts.forEach((kind, count) -> {
                if (count > 1) {
                    line.append(' ').append(kind).append(" x").append(count - 1).append(';');
                }
            });
            line.setLength(line.length() - 1);
            logger.log(Level.WARNING, line.toString());
        }
        counts.clear();
        suppressed = 0;
        intervalStart = now;
    }
}
