package org.wsgi4j.uwsgi.internal;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Objects;

/**
 * Parses one uwsgi request packet: a 4-byte header ({@code modifier1}, little-endian u16 vars
 * size, {@code modifier2}), the vars block (u16le key length, key, u16le value length, value,
 * repeated), then exactly {@code CONTENT_LENGTH} body bytes.
 *
 * <p>The parser only parses. It is pure and resumable: it never touches a socket, and
 * {@link #parse} accepts the bytes in buffers of any split (whole, one byte at a time, anything
 * between), keeping its place in {@link State}. It reports the vars as bytes ({@link UwsgiVars}, a
 * view of the block); what a key means is the environ's business. The one var it reads is
 * {@code CONTENT_LENGTH}, because it frames the packet: the body ends there.
 *
 * <p>Memory is bounded by the configured vars size: the block is collected into an array that
 * grows with the bytes that actually arrived, never beyond the declared size, which is checked
 * against the limit first. The block is validated completely before {@link Listener#onVars}, so a
 * malformed packet never yields a half-built request.
 *
 * <p>One parser serves one request: nginx opens a connection per request and never reuses it.
 */
public final class UwsgiParser {

    /** Where the parser is in the packet. */
    public enum State {
        /** Collecting the 4 header bytes. */
        HEADER,
        /** Collecting the vars block. */
        VARS,
        /** Passing body bytes through until CONTENT_LENGTH is reached. */
        BODY,
        /** The packet is complete; further bytes are left in the buffer. */
        END,
        /** The packet was refused; see {@link Listener#onFailure}. */
        FAILED
    }

    /** Why a packet was refused. What the listener answers to each is decided by {@link Refusal#of}. */
    public enum Failure {
        /** The first bytes are an HTTP request line: someone pointed a browser or proxy_pass here. */
        HTTP_ON_UWSGI_PORT,
        /** {@code modifier1} is not 0 (a WSGI request). */
        UNSUPPORTED_MODIFIER,
        /** The declared vars block is larger than {@link Limits#maxVarsSize()}. */
        VARS_TOO_LARGE,
        /** More vars than {@link Limits#maxVars()}. */
        TOO_MANY_VARS,
        /** An empty key, or a length running past the end of the block. */
        MALFORMED_VARS,
        /** {@code CONTENT_LENGTH} is not a string of ASCII digits, or appears twice with different values. */
        BAD_CONTENT_LENGTH,
        /** {@code CONTENT_LENGTH} is above {@link Limits#maxBodySize()}. */
        BODY_TOO_LARGE,
        /** The connection ended before the packet (header, vars or body) was complete. */
        TRUNCATED
    }

    /** Receives what the parser finds, in packet order, on the thread that calls {@link #parse}. */
    public interface Listener {
        /** The header was read, {@code modifier1} is 0 and the size is within the limit. */
        default void onHeader(int modifier1, int varsSize, int modifier2) {
        }

        /**
         * The head is complete and valid; {@code contentLength} body bytes follow (0 when none was
         * declared). The view stays valid after the call.
         *
         * @return true to make {@link #parse} return at once, leaving the body bytes in the buffer
         *         (the head has arrived: time to hand the request to a worker)
         */
        boolean onVars(UwsgiVars vars, long contentLength);

        /** Body bytes; {@code content} is only valid during the call (it is a view of the caller's buffer). */
        void onContent(ByteBuffer content);

        /** The body is complete. */
        void onEnd();

        /** The packet was refused; nothing more is reported. {@code reason} names the offending thing. */
        void onFailure(Failure failure, String reason);
    }

    /**
     * Bounds applied while parsing.
     *
     * @param maxVarsSize largest vars block accepted, 1 to 65535 bytes
     * @param maxVars     most vars accepted
     * @param maxBodySize largest {@code CONTENT_LENGTH} accepted
     */
    public record Limits(int maxVarsSize, int maxVars, long maxBodySize) {
        public Limits {
            if (maxVarsSize < 1 || maxVarsSize > 0xFFFF) {
                throw new IllegalArgumentException("'maxVarsSize' must be 1 to 65535, was " + maxVarsSize);
            }
            if (maxVars < 1) {
                throw new IllegalArgumentException("'maxVars' must be positive, was " + maxVars);
            }
            if (maxBodySize < 0) {
                throw new IllegalArgumentException("'maxBodySize' must not be negative, was " + maxBodySize);
            }
        }
    }

    private static final int HEADER_SIZE = 4;
    /** The block grows from this size as its bytes arrive; a 4-byte promise of 64 KiB costs nothing. */
    private static final int INITIAL_VARS_CAPACITY = 2048;
    private static final byte[] CONTENT_LENGTH = "CONTENT_LENGTH".getBytes(StandardCharsets.US_ASCII);

    private final Listener listener;
    private final Limits limits;

    private State state = State.HEADER;
    private int header;
    private int headerFill;
    private byte[] vars;
    private int varsSize;
    private int varsFill;
    private int varCount;
    private long contentLength;
    private long contentLeft;

    public UwsgiParser(Listener listener, Limits limits) {
        this.listener = Objects.requireNonNull(listener, "listener");
        this.limits = Objects.requireNonNull(limits, "limits");
    }

    public State state() {
        return state;
    }

    /** Body bytes declared by CONTENT_LENGTH and not yet parsed (0 before the head is complete). */
    public long contentLeft() {
        return contentLeft;
    }

    /**
     * Consumes bytes from {@code buffer} up to the end of the packet, reporting to the listener.
     * Bytes past the end of the packet (and everything after a failure) are left in the buffer, as
     * are the body bytes when {@link Listener#onVars} asks to stop.
     */
    public void parse(ByteBuffer buffer) {
        while (buffer.hasRemaining()) {
            switch (state) {
                case HEADER -> {
                    if (parseHeader(buffer)) {
                        return;
                    }
                }
                case VARS -> {
                    if (parseVars(buffer)) {
                        return;
                    }
                }
                case BODY -> parseBody(buffer);
                case END, FAILED -> {
                    return;
                }
            }
        }
    }

    /**
     * Tells the parser the input ended. A packet that is not complete by then fails with
     * {@link Failure#TRUNCATED}.
     */
    public void eof() {
        switch (state) {
            case HEADER -> fail(Failure.TRUNCATED, headerFill == 0
                    ? "connection closed before any byte was sent"
                    : "connection closed after " + headerFill + " of 4 header bytes");
            case VARS -> fail(Failure.TRUNCATED, "connection closed after " + varsFill + " of "
                    + varsSize + " vars bytes");
            case BODY -> fail(Failure.TRUNCATED, "body ended after " + (contentLength - contentLeft)
                    + " of " + contentLength + " bytes (CONTENT_LENGTH)");
            case END, FAILED -> {
            }
        }
    }

    /** Returns true when the listener asked to stop after an empty vars block. */
    private boolean parseHeader(ByteBuffer buffer) {
        if (headerFill == 0 && buffer.remaining() >= HEADER_SIZE) {
            // The whole header at once, as nginx sends it; little-endian whatever the buffer's order.
            int word = buffer.getInt();
            header = buffer.order() == ByteOrder.LITTLE_ENDIAN ? word : Integer.reverseBytes(word);
            headerFill = HEADER_SIZE;
        }
        while (headerFill < HEADER_SIZE && buffer.hasRemaining()) {
            header |= (buffer.get() & 0xFF) << (8 * headerFill++);
        }
        if (headerFill < HEADER_SIZE) {
            return false;
        }
        int modifier1 = header & 0xFF;
        int size = (header >>> 8) & 0xFFFF;
        int modifier2 = header >>> 24;
        if (modifier1 != 0) {
            if (looksLikeHttp(header)) {
                byte[] start = {(byte) header, (byte) (header >>> 8), (byte) (header >>> 16), (byte) (header >>> 24)};
                fail(Failure.HTTP_ON_UWSGI_PORT, "request starts with '"
                        + new String(start, StandardCharsets.ISO_8859_1) + "': this is the uwsgi protocol"
                        + " port; point nginx's uwsgi_pass here, or use --http for browsers");
            } else {
                fail(Failure.UNSUPPORTED_MODIFIER, "modifier1 " + modifier1
                        + " is not supported (only 0, a WSGI request)");
            }
            return false;
        }
        if (size > limits.maxVarsSize()) {
            fail(Failure.VARS_TOO_LARGE, "vars block of " + size + " bytes is over the limit of "
                    + limits.maxVarsSize() + " bytes");
            return false;
        }
        listener.onHeader(modifier1, size, modifier2);
        varsSize = size;
        vars = new byte[Math.min(size, INITIAL_VARS_CAPACITY)];
        state = State.VARS;
        return size == 0 && varsComplete();
    }

    /** Returns true when the listener asked to stop after the head. */
    private boolean parseVars(ByteBuffer buffer) {
        int n = Math.min(buffer.remaining(), varsSize - varsFill);
        if (varsFill + n > vars.length) {
            vars = Arrays.copyOf(vars, Math.min(varsSize, Math.max(vars.length * 2, varsFill + n)));
        }
        buffer.get(vars, varsFill, n);
        varsFill += n;
        return varsFill == varsSize && varsComplete();
    }

    /** Returns true when the listener asked to stop after the head. */
    private boolean varsComplete() {
        int[] offsets = validate();
        if (offsets == null) {
            return false;
        }
        UwsgiVars view = new UwsgiVars(vars, offsets, varCount);
        vars = null;
        contentLeft = contentLength;
        state = State.BODY;
        boolean stop = listener.onVars(view, contentLength);
        if (contentLeft == 0) {
            end();
        }
        return stop;
    }

    /**
     * Walks the whole block once: returns the offsets of every key (even slots) and value (odd
     * slots) and sets {@link #varCount}, or returns null after failing the packet.
     */
    private int[] validate() {
        int[] offsets = new int[64];
        int count = 0;
        int lengthAt = -1;
        int lengthSize = 0;
        for (int at = 0; at < varsSize; ) {
            if (at + 2 > varsSize) {
                return failVars(Failure.MALFORMED_VARS, "key length at offset " + at + " runs past the "
                        + varsSize + "-byte vars block");
            }
            int keyLength = u16(at);
            if (keyLength == 0) {
                return failVars(Failure.MALFORMED_VARS, "empty key at offset " + at);
            }
            int keyAt = at + 2;
            if (keyAt + keyLength + 2 > varsSize) {
                return failVars(Failure.MALFORMED_VARS, "key of " + keyLength + " bytes at offset " + at
                        + " runs past the " + varsSize + "-byte vars block");
            }
            int valueLength = u16(keyAt + keyLength);
            int valueAt = keyAt + keyLength + 2;
            if (valueAt + valueLength > varsSize) {
                return failVars(Failure.MALFORMED_VARS, "value of " + valueLength + " bytes at offset "
                        + (valueAt - 2) + " runs past the " + varsSize + "-byte vars block");
            }
            if (count == limits.maxVars()) {
                return failVars(Failure.TOO_MANY_VARS, "more than " + limits.maxVars() + " vars");
            }
            if (keyLength == CONTENT_LENGTH.length
                    && Arrays.equals(vars, keyAt, valueAt - 2, CONTENT_LENGTH, 0, CONTENT_LENGTH.length)) {
                if (lengthAt >= 0 && !Arrays.equals(vars, lengthAt, lengthAt + lengthSize,
                        vars, valueAt, valueAt + valueLength)) {
                    return failVars(Failure.BAD_CONTENT_LENGTH, "CONTENT_LENGTH given twice ('"
                            + latin1(lengthAt, lengthSize) + "' and '" + latin1(valueAt, valueLength) + "')");
                }
                lengthAt = valueAt;
                lengthSize = valueLength;
            }
            if (2 * count + 1 >= offsets.length) {
                offsets = Arrays.copyOf(offsets, offsets.length * 2);
            }
            offsets[2 * count] = keyAt;
            offsets[2 * count + 1] = valueAt;
            count++;
            at = valueAt + valueLength;
        }
        if (lengthAt >= 0 && !contentLength(lengthAt, lengthSize)) {
            return null;
        }
        varCount = count;
        return offsets;
    }

    /** nginx sends {@code CONTENT_LENGTH ""} for requests without a body: that means 0 (SPEC E6). */
    private boolean contentLength(int at, int size) {
        long value = 0;
        for (int i = at; i < at + size; i++) {
            int digit = vars[i] - '0';
            if (digit < 0 || digit > 9) {
                failVars(Failure.BAD_CONTENT_LENGTH, "CONTENT_LENGTH '" + latin1(at, size)
                        + "' is not a string of digits");
                return false;
            }
            value = value * 10 + digit;
            if (value > limits.maxBodySize()) {
                // Checked per digit, so an overlong value never overflows.
                failVars(Failure.BODY_TOO_LARGE, "CONTENT_LENGTH " + latin1(at, size) + " is over the limit of "
                        + limits.maxBodySize() + " bytes");
                return false;
            }
        }
        contentLength = value;
        return true;
    }

    private String latin1(int at, int length) {
        return new String(vars, at, length, StandardCharsets.ISO_8859_1);
    }

    private int[] failVars(Failure failure, String reason) {
        vars = null;
        fail(failure, reason);
        return null;
    }

    private void parseBody(ByteBuffer buffer) {
        int n = (int) Math.min(buffer.remaining(), contentLeft);
        ByteBuffer content = buffer.slice(buffer.position(), n);
        buffer.position(buffer.position() + n);
        contentLeft -= n;
        listener.onContent(content);
        if (contentLeft == 0) {
            end();
        }
    }

    private void end() {
        state = State.END;
        listener.onEnd();
    }

    private void fail(Failure failure, String reason) {
        state = State.FAILED;
        listener.onFailure(failure, reason);
    }

    private int u16(int at) {
        return (vars[at] & 0xFF) | (vars[at + 1] & 0xFF) << 8;
    }

    /** An HTTP request line starts with a method token: upper-case letters, then (at 4) a space. */
    private static boolean looksLikeHttp(int header) {
        for (int i = 0; i < HEADER_SIZE; i++) {
            int b = (header >>> (8 * i)) & 0xFF;
            boolean upper = b >= 'A' && b <= 'Z';
            if (!upper && !(i == 3 && b == ' ')) {
                return false;
            }
        }
        return true;
    }
}
