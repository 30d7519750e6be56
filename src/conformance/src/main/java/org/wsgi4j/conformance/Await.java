package org.wsgi4j.conformance;

import java.time.Duration;
import java.util.function.Supplier;

/**
 * Waits in a test for a condition another thread or process brings about (a request in flight, a
 * port listening, a count reached), by polling it until a deadline: a test that sleeps a guessed
 * time instead is slow when the guess is long and flaky when the machine is slower than the guess.
 *
 * <pre>{@code
 * Await.until("both stuck requests in flight", () -> inFlight() == 2);
 * }</pre>
 */
public final class Await {

    /** How long {@link #until(String, Condition)} waits: generous, since a loaded CI machine is slow. */
    public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(30);

    /** Pause between two checks of the condition. */
    private static final long POLL_MILLIS = 10;

    private Await() {
    }

    /**
     * A condition to wait for.
     */
    @FunctionalInterface
    public interface Condition {
        /**
         * Checks the condition once.
         *
         * @return whether it holds now
         * @throws Exception if checking fails; {@link #until} passes it on at once
         */
        boolean holds() throws Exception;
    }

    /**
     * Waits up to {@link #DEFAULT_TIMEOUT} for {@code condition} to hold.
     *
     * @param what the condition in words, for the failure message
     * @param condition checked at once, then every 10 ms
     * @throws AssertionError naming {@code what} if the condition does not hold in time
     * @throws Exception what the condition threw
     */
    public static void until(String what, Condition condition) throws Exception {
        until(what, DEFAULT_TIMEOUT, condition);
    }

    /**
     * Waits up to {@code timeout} for {@code condition} to hold.
     *
     * @param what the condition in words, for the failure message
     * @param timeout the longest wait
     * @param condition checked at once, then every 10 ms
     * @throws AssertionError naming {@code what} if the condition does not hold in time
     * @throws Exception what the condition threw
     */
    public static void until(String what, Duration timeout, Condition condition) throws Exception {
        until(what, timeout, condition, () -> "");
    }

    /**
     * Waits up to {@code timeout} for {@code condition} to hold, and on failure adds what
     * {@code detail} says then (an outside process's log, say).
     *
     * @param what the condition in words, for the failure message
     * @param timeout the longest wait
     * @param condition checked at once, then every 10 ms
     * @param detail text appended to the failure message, asked for only on failure
     * @throws AssertionError naming {@code what}, followed by the detail, if the condition does not
     *         hold in time
     * @throws Exception what the condition threw
     */
    public static void until(String what, Duration timeout, Condition condition, Supplier<String> detail)
            throws Exception {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!condition.holds()) {
            if (System.nanoTime() - deadline > 0) {
                String more = detail.get();
                throw new AssertionError("waited " + timeout.toMillis() + " ms for: " + what
                        + (more.isEmpty() ? "" : ":\n" + more));
            }
            Thread.sleep(POLL_MILLIS);
        }
    }
}
