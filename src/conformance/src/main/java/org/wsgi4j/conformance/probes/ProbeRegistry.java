package org.wsgi4j.conformance.probes;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Process-wide state shared between probe requests: the gates that hold a stream back until the
 * client says it has received a block, and the count of {@code close()} calls per id.
 *
 * <p>Static on purpose: a servlet container may create several probe instances (one per mapping),
 * and the request that releases a gate or asks for a count arrives on another connection than the
 * one it concerns. Ids come from the suite (random per test), so tests never share an entry.
 */
final class ProbeRegistry {

    private static final Map<String, Semaphore> GATES = new ConcurrentHashMap<>();
    private static final Map<String, Closes> CLOSES = new ConcurrentHashMap<>();

    private ProbeRegistry() {
    }

    static void release(String gate) {
        gate(gate).release();
    }

    /** Waits for one {@link #release}; false when none came within {@code seconds}. */
    static boolean pass(String gate, long seconds) throws InterruptedException {
        return gate(gate).tryAcquire(seconds, TimeUnit.SECONDS);
    }

    static void recordClose(String id) {
        closes(id).record();
    }

    /** The number of {@code close()} calls for {@code id}, after waiting up to {@code seconds} for the first. */
    static int awaitCloses(String id, long seconds) throws InterruptedException {
        Closes closes = closes(id);
        closes.first.await(seconds, TimeUnit.SECONDS);
        return closes.count.get();
    }

    private static Semaphore gate(String id) {
        return GATES.computeIfAbsent(id, key -> new Semaphore(0));
    }

    private static Closes closes(String id) {
        return CLOSES.computeIfAbsent(id, key -> new Closes());
    }

    private static final class Closes {
        final AtomicInteger count = new AtomicInteger();
        final CountDownLatch first = new CountDownLatch(1);

        void record() {
            count.incrementAndGet();
            first.countDown();
        }
    }
}
