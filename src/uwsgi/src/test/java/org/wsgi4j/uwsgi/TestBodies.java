package org.wsgi4j.uwsgi;

import java.util.Iterator;

/** Response bodies the listener tests share. */
final class TestBodies {

    private TestBodies() {
    }

    /** Yields {@code block} forever, running {@code onBlock} before each. */
    static Iterable<byte[]> endless(byte[] block, Runnable onBlock) {
        return () -> new Iterator<>() {
            @Override
            public boolean hasNext() {
                return true;
            }

            @Override
            public byte[] next() {
                onBlock.run();
                return block;
            }
        };
    }

    /** Yields {@code first}, then fails: a failure after commit (S16). */
    static Iterable<byte[]> failingAfter(byte[] first) {
        return () -> new Iterator<>() {
            private boolean sent;

            @Override
            public boolean hasNext() {
                return true;
            }

            @Override
            public byte[] next() {
                if (sent) {
                    throw new IllegalStateException("failure after commit (expected by the test)");
                }
                sent = true;
                return first;
            }
        };
    }
}
