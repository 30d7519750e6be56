package org.wsgi4j.server;

import java.lang.System.Logger.Level;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import org.wsgi4j.Environ;

/**
 * The request timeout of one request: when it expires, the request's thread is interrupted once,
 * so an application blocked in an interruptible call (sleep, lock, queue, NIO channel) returns
 * control; the engine then answers 504 or aborts. An application that ignores interrupts keeps its
 * thread until it returns: a JVM cannot kill a thread the way uWSGI kills a worker.
 */
final class RequestDeadline {

    private static final ScheduledThreadPoolExecutor TIMER = timer();

    private final Duration timeout;
    private final Thread thread;
    private final Map<String, Object> environ;
    private final System.Logger logger;
    private final long started = System.nanoTime();
    private final ScheduledFuture<?> task;
    /** Guarded by this: whether the request still runs, and whether the deadline passed. */
    private boolean running = true;
    private boolean expired;

    private RequestDeadline(Duration timeout, Map<String, Object> environ, System.Logger logger) {
        this.timeout = timeout;
        this.thread = Thread.currentThread();
        this.environ = environ;
        this.logger = logger;
        this.task = TIMER.schedule(this::expire, timeout.toNanos(), TimeUnit.NANOSECONDS);
    }

    /** Starts the clock for the request running on the calling thread. */
    static RequestDeadline start(Duration timeout, Map<String, Object> environ, System.Logger logger) {
        return new RequestDeadline(timeout, environ, logger);
    }

    private synchronized void expire() {
        if (!running) {
            return;
        }
        expired = true;
        thread.interrupt();
        logger.log(Level.WARNING, () -> "request timeout: " + environ.get(Environ.REQUEST_METHOD) + " "
                + Environ.path(environ) + " ran for " + TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started)
                + " ms, longer than " + timeout.toMillis() + " ms; interrupting its thread");
    }

    /** Whether the deadline passed. */
    synchronized boolean expired() {
        return expired;
    }

    /** Throws {@link RequestTimeoutException} once the deadline passed. */
    void check() {
        if (expired()) {
            throw new RequestTimeoutException(timeout, null);
        }
    }

    /** {@code failure} as a timeout when the deadline passed (the application's error as the cause). */
    Throwable explain(Throwable failure) {
        if (!expired() || failure instanceof RequestTimeoutException) {
            return failure;
        }
        return new RequestTimeoutException(timeout, failure);
    }

    /**
     * Stops the clock on the request's own thread, and clears the interrupt it may have sent, so
     * the answer, {@code close()} and the next request on this thread run undisturbed.
     */
    synchronized void stop() {
        running = false;
        task.cancel(false);
        if (expired) {
            Thread.interrupted();
        }
    }

    private static ScheduledThreadPoolExecutor timer() {
        ScheduledThreadPoolExecutor timer = new ScheduledThreadPoolExecutor(1, runnable -> {
            Thread thread = new Thread(runnable, "wsgi4j-request-timeout");
            thread.setDaemon(true);
            return thread;
        });
        timer.setRemoveOnCancelPolicy(true);
        return timer;
    }
}
