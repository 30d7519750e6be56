package org.wsgi4j.uwsgi.internal;

import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * A validated uwsgi vars block, read in place: var {@code i}'s key and value are byte ranges of
 * the block, in packet order, keys possibly repeated. Made by {@link UwsgiParser}; how the bytes
 * become text is the reader's choice (SPEC S22: nginx's paths are UTF-8, the rest latin-1).
 */
public final class UwsgiVars {

    private final byte[] block;
    /** Key offset of var i at 2i, value offset at 2i+1; each is preceded by its u16le length. */
    private final int[] offsets;
    private final int size;

    UwsgiVars(byte[] block, int[] offsets, int size) {
        this.block = block;
        this.offsets = offsets;
        this.size = size;
    }

    /** How many vars the block holds. */
    public int size() {
        return size;
    }

    public int keyLength(int i) {
        return length(offsets[2 * i]);
    }

    public int valueLength(int i) {
        return length(offsets[2 * i + 1]);
    }

    /** Whether var {@code i}'s key is {@code key}, an ASCII string; compares bytes, makes no string. */
    public boolean keyIs(int i, byte[] key) {
        int at = offsets[2 * i];
        return length(at) == key.length && Arrays.equals(block, at, at + key.length, key, 0, key.length);
    }

    /** Whether var {@code i}'s key starts with {@code prefix}, an ASCII string. */
    public boolean keyStartsWith(int i, byte[] prefix) {
        int at = offsets[2 * i];
        return length(at) >= prefix.length && Arrays.equals(block, at, at + prefix.length, prefix, 0, prefix.length);
    }

    /** Var {@code i}'s key, byte for character (keys are CGI names: ASCII). */
    public String key(int i) {
        int at = offsets[2 * i];
        return new String(block, at, length(at), StandardCharsets.ISO_8859_1);
    }

    /** Var {@code i}'s value decoded with {@code charset}. */
    public String value(int i, Charset charset) {
        int at = offsets[2 * i + 1];
        return new String(block, at, length(at), charset);
    }

    /** Whether every byte of var {@code i}'s value is printable ASCII (0x20 to 0x7E). */
    public boolean valueIsPrintableAscii(int i) {
        int at = offsets[2 * i + 1];
        for (int j = at, end = at + length(at); j < end; j++) {
            byte b = block[j];
            if (b < 0x20 || b == 0x7F) {
                return false;
            }
        }
        return true;
    }

    /** Var {@code i}'s value bytes (a copy). */
    public byte[] valueBytes(int i) {
        int at = offsets[2 * i + 1];
        return Arrays.copyOfRange(block, at, at + length(at));
    }

    private int length(int at) {
        return (block[at - 2] & 0xFF) | (block[at - 1] & 0xFF) << 8;
    }
}
