package org.wsgi4j.python.internal;

import org.graalvm.polyglot.Value;

/** Python {@code bytes} to Java, in one bulk copy. */
final class Bytes {

    private Bytes() {
    }

    static byte[] of(Value bytes) {
        int size = (int) bytes.getBufferSize();
        byte[] copy = new byte[size];
        bytes.readBuffer(0, copy, 0, size);
        return copy;
    }
}
