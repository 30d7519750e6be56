package org.wsgi4j.sample;

import java.io.InputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * A request body of {@code size} deterministic bytes that exists nowhere in memory, and a record
 * of how it was read: how many bytes in all, and the largest single read asked for.
 */
final class GeneratedInput extends InputStream {

    private final long size;
    private long position;
    private int largestRead;

    GeneratedInput(long size) {
        this.size = size;
    }

    /** The byte at {@code index}: a pattern that is not periodic in powers of two, so a lost or repeated block changes the hash. */
    static byte at(long index) {
        return (byte) ((index * 31 + index / 251) & 0xFF);
    }

    /** The SHA-256 (hex) of the first {@code size} bytes, computed independently of the stream. */
    static String sha256(long size) throws NoSuchAlgorithmException {
        MessageDigest digest = MessageDigest.getInstance("SHA-256");
        byte[] block = new byte[8192];
        for (long done = 0; done < size; ) {
            int n = (int) Math.min(block.length, size - done);
            for (int i = 0; i < n; i++) {
                block[i] = at(done + i);
            }
            digest.update(block, 0, n);
            done += n;
        }
        return HexFormat.of().formatHex(digest.digest());
    }

    @Override
    public int read() {
        if (position >= size) {
            return -1;
        }
        largestRead = Math.max(largestRead, 1);
        return at(position++) & 0xFF;
    }

    @Override
    public int read(byte[] buffer, int offset, int length) {
        largestRead = Math.max(largestRead, length);
        if (length == 0) {
            return 0;
        }
        if (position >= size) {
            return -1;
        }
        int n = (int) Math.min(length, size - position);
        for (int i = 0; i < n; i++) {
            buffer[offset + i] = at(position + i);
        }
        position += n;
        return n;
    }

    /** How many bytes were read. */
    long consumed() {
        return position;
    }

    /** The largest {@code length} any single read asked for. */
    int largestRead() {
        return largestRead;
    }
}
