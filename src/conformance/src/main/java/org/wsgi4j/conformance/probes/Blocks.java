package org.wsgi4j.conformance.probes;

import java.util.Iterator;
import java.util.NoSuchElementException;
import java.util.function.IntFunction;

/**
 * A body whose blocks are computed when the server asks for them, so a probe can act between
 * blocks (wait at a gate, call {@code start} again, throw) exactly when the server iterates.
 * Deliberately not a {@code Collection}: servers must not compute a Content-Length for it.
 */
final class Blocks implements Iterable<byte[]> {

    private final int count;
    private final IntFunction<byte[]> block;

    /** {@code count} blocks, block {@code i} (from 0) being {@code block.apply(i)}. */
    Blocks(int count, IntFunction<byte[]> block) {
        this.count = count;
        this.block = block;
    }

    @Override
    public Iterator<byte[]> iterator() {
        return new Iterator<>() {
            private int next;

            @Override
            public boolean hasNext() {
                return next < count;
            }

            @Override
            public byte[] next() {
                if (!hasNext()) {
                    throw new NoSuchElementException();
                }
                return block.apply(next++);
            }
        };
    }
}
