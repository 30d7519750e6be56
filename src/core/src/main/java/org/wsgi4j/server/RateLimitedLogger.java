package org.wsgi4j.server;

import java.time.Duration;
import java.util.Objects;
import java.util.ResourceBundle;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/**
 * A {@link System.Logger} that lets at most a budget of WARNING and ERROR lines through per
 * interval and summarises the rest ("1,873 more warnings in the last 10 s not shown"), so a
 * flood of junk from the network (refused packets, broken peers) cannot fill the disk or bury
 * everything else. Lower levels pass through untouched (they are off in production). The summary
 * is written when the interval ends, by a daemon timer, so the last burst is never lost.
 */
public final class RateLimitedLogger implements System.Logger {

    private static final ScheduledThreadPoolExecutor TIMER = timer();

    private final System.Logger delegate;
    private final int budget;
    private final Duration interval;
    /** Guarded by this. */
    private int used;
    private long suppressedWarnings;
    private long suppressedErrors;
    private boolean flushScheduled;

    private RateLimitedLogger(System.Logger delegate, int budget, Duration interval) {
        this.delegate = Objects.requireNonNull(delegate, "delegate");
        this.budget = budget;
        this.interval = interval;
    }

    /**
     * @param budget   WARNING and ERROR lines let through per interval
     * @param interval the length of an interval
     */
    public static System.Logger wrap(System.Logger delegate, int budget, Duration interval) {
        if (budget < 1 || interval.isNegative() || interval.isZero()) {
            throw new IllegalArgumentException("the budget and the interval must be positive");
        }
        return new RateLimitedLogger(delegate, budget, interval);
    }

    @Override
    public String getName() {
        return delegate.getName();
    }

    @Override
    public boolean isLoggable(Level level) {
        return delegate.isLoggable(level);
    }

    @Override
    public void log(Level level, ResourceBundle bundle, String message, Throwable thrown) {
        if (admit(level)) {
            delegate.log(level, bundle, message, thrown);
        }
    }

    @Override
    public void log(Level level, ResourceBundle bundle, String format, Object... params) {
        if (admit(level)) {
            delegate.log(level, bundle, format, params);
        }
    }

    @Override
    public void log(Level level, Supplier<String> message) {
        if (admit(level)) {
            delegate.log(level, message);
        }
    }

    @Override
    public void log(Level level, Supplier<String> message, Throwable thrown) {
        if (admit(level)) {
            delegate.log(level, message, thrown);
        }
    }

    private synchronized boolean admit(Level level) {
        if (level.getSeverity() < Level.WARNING.getSeverity() || !delegate.isLoggable(level)) {
            return true;
        }
        if (!flushScheduled) {
            flushScheduled = true;
            TIMER.schedule(this::endInterval, interval.toNanos(), TimeUnit.NANOSECONDS);
        }
        if (used < budget) {
            used++;
            return true;
        }
        if (level == Level.ERROR) {
            suppressedErrors++;
        } else {
            suppressedWarnings++;
        }
        return false;
    }

    private void endInterval() {
        long warnings;
        long errors;
        synchronized (this) {
            warnings = suppressedWarnings;
            errors = suppressedErrors;
            suppressedWarnings = 0;
            suppressedErrors = 0;
            used = 0;
            flushScheduled = false;
        }
        String seconds = interval.toMillis() % 1000 == 0 ? interval.toSeconds() + " s" : interval.toMillis() + " ms";
        if (errors > 0) {
            delegate.log(Level.ERROR, String.format("%,d more errors in the last %s not shown (at most %d lines "
                    + "per interval)", errors, seconds, budget));
        }
        if (warnings > 0) {
            delegate.log(Level.WARNING, String.format("%,d more warnings in the last %s not shown (at most %d lines "
                    + "per interval)", warnings, seconds, budget));
        }
    }

    private static ScheduledThreadPoolExecutor timer() {
        ScheduledThreadPoolExecutor timer = new ScheduledThreadPoolExecutor(1, runnable -> {
            Thread thread = new Thread(runnable, "wsgi4j-log-summary");
            thread.setDaemon(true);
            return thread;
        });
        timer.setRemoveOnCancelPolicy(true);
        return timer;
    }
}
