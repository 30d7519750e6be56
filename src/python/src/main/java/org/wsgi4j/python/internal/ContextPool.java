package org.wsgi4j.python.internal;

import java.lang.System.Logger;
import java.lang.System.Logger.Level;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * The contexts of one application, each imported once, handed to one request at a time.
 */
public final class ContextPool implements AutoCloseable {

    private static final Logger LOG = System.getLogger(ContextPool.class.getName());

    private final LinkedBlockingQueue<Worker> idle = new LinkedBlockingQueue<>();
    private final Supplier<Worker> factory;
    private final int size;
    private final List<Thread> replacing = new ArrayList<>();
    private volatile boolean closed;

    private ContextPool(Supplier<Worker> factory, int size) {
        this.factory = factory;
        this.size = size;
    }

    /**
     * Makes {@code size} workers: the first alone (a broken application fails once, not
     * {@code size} times, and the shared engine is warm for the rest), then the others in parallel
     * on up to one thread per processor. A failure closes what was made and throws
     * {@code failure.apply(cause)}.
     *
     * @param size how many workers, 1 or more
     * @param factory makes one worker (a context with the application imported)
     * @param failure turns what a start threw into the exception to throw
     * @return the pool, every worker idle
     */
    public static ContextPool start(int size, Supplier<Worker> factory, Function<RuntimeException, RuntimeException> failure) {
        ContextPool pool = new ContextPool(factory, size);
        try {
            pool.idle.add(factory.get());
        } catch (RuntimeException e) {
            throw failure.apply(e);
        }
        if (size == 1) {
            return pool;
        }
        int threads = Math.min(size - 1, Runtime.getRuntime().availableProcessors());
        ExecutorService starter = Executors.newFixedThreadPool(threads, r -> {
            Thread thread = new Thread(r, "wsgi4j-python-start");
            thread.setDaemon(true);
            return thread;
        });
        try {
            List<Future<Worker>> started = new ArrayList<>();
            for (int i = 1; i < size; i++) {
                started.add(starter.submit(factory::get));
            }
            RuntimeException firstFailure = null;
            for (Future<Worker> future : started) {
                try {
                    pool.idle.add(future.get());
                } catch (ExecutionException e) {
                    if (firstFailure == null) {
                        firstFailure = e.getCause() instanceof RuntimeException r ? r : new IllegalStateException(e.getCause());
                    }
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    firstFailure = new IllegalStateException("interrupted while starting Python contexts", e);
                    break;
                }
            }
            if (firstFailure != null) {
                pool.close();
                throw failure.apply(firstFailure);
            }
            return pool;
        } finally {
            starter.shutdownNow();
        }
    }

    /**
     * The number of workers the pool was started with.
     *
     * @return the size given to {@link #start}
     */
    public int size() {
        return size;
    }

    /**
     * Takes a free worker, waiting for one if all are busy.
     *
     * @param wait the longest wait; zero takes only a worker that is free now
     * @return the worker, to give back with {@link #release} or {@link #replace}; {@code null} if none
     *     became free in time
     * @throws InterruptedException if the thread is interrupted while waiting
     * @throws IllegalStateException if the pool is closed
     */
    public Worker acquire(Duration wait) throws InterruptedException {
        if (closed) {
            throw new IllegalStateException("the Python application is closed");
        }
        Worker worker = idle.poll();
        return worker != null ? worker : idle.poll(wait.toNanos(), TimeUnit.NANOSECONDS);
    }

    /**
     * Gives a worker back after its request ended; closes it if the pool is closed.
     *
     * @param worker a worker {@link #acquire} returned
     */
    public void release(Worker worker) {
        if (closed) {
            worker.close();
            return;
        }
        idle.add(worker);
        if (closed && idle.remove(worker)) {
            worker.close();
        }
    }

    /**
     * Drops a worker whose context cannot run Python any more (the application called
     * {@code sys.exit()} in a request) and imports the application into a new one in the background.
     *
     * @param worker a worker {@link #acquire} returned, not to be used again
     */
    public void replace(Worker worker) {
        worker.close();
        if (closed) {
            return;
        }
        Thread thread = new Thread(() -> {
            try {
                release(factory.get());
            } catch (RuntimeException e) {
                LOG.log(Level.ERROR, "a Python context could not be replaced; the pool has one context fewer", e);
            }
        }, "wsgi4j-python-replace");
        thread.setDaemon(true);
        synchronized (replacing) {
            replacing.removeIf(t -> !t.isAlive());
            replacing.add(thread);
        }
        thread.start();
    }

    /**
     * Closes the idle workers; workers still serving a request are closed when they come back. Waits
     * for replacements under way: closing the engine under a context that is still being created
     * would deadlock inside Truffle.
     */
    @Override
    public void close() {
        closed = true;
        List<Thread> running;
        synchronized (replacing) {
            running = new ArrayList<>(replacing);
        }
        for (Thread thread : running) {
            try {
                thread.join();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
        }
        Worker worker;
        while ((worker = idle.poll()) != null) {
            worker.close();
        }
    }
}
