package org.wsgi4j.uwsgi.internal;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Objects;

/**
 * Parses one uwsgi request packet: a 4-byte header ({@code modifier1}, little-endian u16 vars
 * size, {@code modifier2}), the vars block (u16le key length, key, u16le value length, value,
 * repeated), then exactly {@code CONTENT_LENGTH} body bytes.
 *
 * <p>The parser is pure and resumable: it never touches a socket, and {@link #parse} accepts the
 * bytes in buffers of any split (whole, one byte at a time, anything between). It reports what it
 * finds to a {@link Listener}. Memory is bounded by the configured vars size: the block is
 * collected into one array of the declared size, which is checked against the limit before the
 * array is made. The vars block is validated completely before the first
 * {@link Listener#onVar} is reported, so a malformed packet never yields a half-built request.
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

    /** Why a packet was refused, and what (if anything) to answer. */
    public enum Failure {
        /**
         * The first bytes are an HTTP request line: someone pointed a browser or proxy_pass here.
         * It is answered in HTTP, so the person at the browser reads the hint too.
         */
        HTTP_ON_UWSGI_PORT(400),
        /** {@code modifier1} is not 0 (a WSGI request). */
        UNSUPPORTED_MODIFIER(0),
        /** The declared vars block is larger than the configured limit. */
        VARS_TOO_LARGE(0),
        /** More vars than the configured limit. */
        TOO_MANY_VARS(0),
        /** An empty key, or a length running past the end of the block. */
        MALFORMED_VARS(0),
        /** {@code CONTENT_LENGTH} is not a string of ASCII digits, or appears twice with different values. */
        BAD_CONTENT_LENGTH(400),
        /** {@code CONTENT_LENGTH} is above the configured body limit. */
        BODY_TOO_LARGE(413),
        /** The connection ended before the packet (header, vars or body) was complete. */
        TRUNCATED(0);

        private final int status;

        Failure(int status) {
            this.status = status;
        }

        /**
         * The HTTP status to answer with, or 0 to close without answering: an answer needs a
         * well-formed request to answer, and nginx turns a closed upstream into a 502 anyway.
         */
        public int status() {
            return status;
        }
    }

    /** Receives what the parser finds, in packet order, on the thread that calls {@link #parse}. */
    public interface Listener {
        /** The header was read and {@code modifier1} is 0. */
        void onHeader(int modifier1, int varsSize, int modifier2);

        /** One var, in packet order; keys may repeat. */
        void onVar(String key, String value);

        /** All vars were reported; {@code contentLength} body bytes follow (0 when none was declared). */
        void onVarsDone(long contentLength);

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
    private static final String CONTENT_LENGTH = "CONTENT_LENGTH";

    private final Listener listener;
    private final Limits limits;

    private State state = State.HEADER;
    private final byte[] header = new byte[HEADER_SIZE];
    private int headerFill;
    private byte[] vars;
    private int varsFill;
    private long contentLength;
    private long contentLeft;

    public UwsgiParser(Listener listener, Limits limits) {
        this.listener = Objects.requireNonNull(listener, "listener");
        this.limits = Objects.requireNonNull(limits, "limits");
    }

    public State state() {
        return state;
    }

    /**
     * Consumes bytes from {@code buffer} up to the end of the packet, reporting to the listener.
     * Bytes past the end of the packet (and everything after a failure) are left in the buffer.
     */
    public void parse(ByteBuffer buffer) {
        while (buffer.hasRemaining()) {
            switch (state) {
                case HEADER -> parseHeader(buffer);
                case VARS -> parseVars(buffer);
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
                    + vars.length + " vars bytes");
            case BODY -> fail(Failure.TRUNCATED, "body ended after " + (contentLength - contentLeft)
                    + " of " + contentLength + " bytes (CONTENT_LENGTH)");
            case END, FAILED -> {
            }
        }
    }

    private void parseHeader(ByteBuffer buffer) {
        while (headerFill < HEADER_SIZE && buffer.hasRemaining()) {
            header[headerFill++] = buffer.get();
        }
        if (headerFill < HEADER_SIZE) {
            return;
        }
        int modifier1 = header[0] & 0xFF;
        int size = (header[1] & 0xFF) | (header[2] & 0xFF) << 8;
        int modifier2 = header[3] & 0xFF;
        if (modifier1 != 0) {
            if (looksLikeHttp(header)) {
                fail(Failure.HTTP_ON_UWSGI_PORT, "request starts with '"
                        + new String(header, StandardCharsets.ISO_8859_1) + "': this is the uwsgi protocol"
                        + " port; point nginx's uwsgi_pass here, or use --http for browsers");
            } else {
                fail(Failure.UNSUPPORTED_MODIFIER, "modifier1 " + modifier1
                        + " is not supported (only 0, a WSGI request)");
            }
            return;
        }
        if (size > limits.maxVarsSize()) {
            fail(Failure.VARS_TOO_LARGE, "vars block of " + size + " bytes is over the limit of "
                    + limits.maxVarsSize() + " bytes");
            return;
        }
        listener.onHeader(modifier1, size, modifier2);
        vars = new byte[size];
        state = State.VARS;
        if (size == 0) {
            varsComplete();
        }
    }

    private void parseVars(ByteBuffer buffer) {
        int n = Math.min(buffer.remaining(), vars.length - varsFill);
        buffer.get(vars, varsFill, n);
        varsFill += n;
        if (varsFill == vars.length) {
            varsComplete();
        }
    }

    /** Validates the whole block first, so that a refused packet reports no vars at all. */
    private void varsComplete() {
        String problem = validateVars();
        if (problem != null) {
            return;
        }
        for (int at = 0; at < vars.length; ) {
            int keyLength = u16(at);
            int keyAt = at + 2;
            int valueLength = u16(keyAt + keyLength);
            int valueAt = keyAt + keyLength + 2;
            String key = new String(vars, keyAt, keyLength, StandardCharsets.ISO_8859_1);
            listener.onVar(key, decodeValue(valueAt, valueLength));
            at = valueAt + valueLength;
        }
        vars = null;
        contentLeft = contentLength;
        listener.onVarsDone(contentLength);
        state = State.BODY;
        if (contentLeft == 0) {
            end();
        }
    }

    /** Returns null when the block is well formed, else fails the packet and returns the reason. */
    private String validateVars() {
        int count = 0;
        String declaredLength = null;
        for (int at = 0; at < vars.length; ) {
            if (at + 2 > vars.length) {
                return failVars(Failure.MALFORMED_VARS, "key length at offset " + at + " runs past the "
                        + vars.length + "-byte vars block");
            }
            int keyLength = u16(at);
            if (keyLength == 0) {
                return failVars(Failure.MALFORMED_VARS, "empty key at offset " + at);
            }
            int keyAt = at + 2;
            if (keyAt + keyLength + 2 > vars.length) {
                return failVars(Failure.MALFORMED_VARS, "key of " + keyLength + " bytes at offset " + at
                        + " runs past the " + vars.length + "-byte vars block");
            }
            int valueLength = u16(keyAt + keyLength);
            int valueAt = keyAt + keyLength + 2;
            if (valueAt + valueLength > vars.length) {
                return failVars(Failure.MALFORMED_VARS, "value of " + valueLength + " bytes at offset "
                        + (valueAt - 2) + " runs past the " + vars.length + "-byte vars block");
            }
            if (++count > limits.maxVars()) {
                return failVars(Failure.TOO_MANY_VARS, "more than " + limits.maxVars() + " vars");
            }
            if (keyLength == CONTENT_LENGTH.length() && isKey(keyAt, CONTENT_LENGTH)) {
                String value = new String(vars, valueAt, valueLength, StandardCharsets.ISO_8859_1);
                if (declaredLength != null && !declaredLength.equals(value)) {
                    return failVars(Failure.BAD_CONTENT_LENGTH, "CONTENT_LENGTH given twice ('"
                            + declaredLength + "' and '" + value + "')");
                }
                declaredLength = value;
            }
            at = valueAt + valueLength;
        }
        return declaredLength == null ? null : checkContentLength(declaredLength);
    }

    /** nginx sends {@code CONTENT_LENGTH ""} for requests without a body: that means 0 (SPEC E6). */
    private String checkContentLength(String value) {
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if (c < '0' || c > '9') {
                return failVars(Failure.BAD_CONTENT_LENGTH, "CONTENT_LENGTH '" + value
                        + "' is not a string of digits");
            }
        }
        String digits = stripLeadingZeros(value);
        // 18 digits always fit a long; anything longer is over every sensible limit.
        if (digits.length() > 18 || Long.parseLong(digits) > limits.maxBodySize()) {
            return failVars(Failure.BODY_TOO_LARGE, "CONTENT_LENGTH " + value + " is over the limit of "
                    + limits.maxBodySize() + " bytes");
        }
        contentLength = Long.parseLong(digits);
        return null;
    }

    private static String stripLeadingZeros(String digits) {
        int i = 0;
        while (i < digits.length() - 1 && digits.charAt(i) == '0') {
            i++;
        }
        return digits.isEmpty() ? "0" : digits.substring(i);
    }

    private String failVars(Failure failure, String reason) {
        vars = null;
        fail(failure, reason);
        return reason;
    }

    /**
     * Every value as latin-1, byte for character, so nothing is lost here: the paths nginx sends
     * percent-decoded are decoded as UTF-8 (strictly, SPEC E15) when the environ is built.
     */
    private String decodeValue(int at, int length) {
        return new String(vars, at, length, StandardCharsets.ISO_8859_1);
    }

    private void parseBody(ByteBuffer buffer) {
        int n = (int) Math.min(buffer.remaining(), contentLeft);
        ByteBuffer content = buffer.slice();
        content.limit(n);
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

    private boolean isKey(int at, String key) {
        for (int i = 0; i < key.length(); i++) {
            if (vars[at + i] != key.charAt(i)) {
                return false;
            }
        }
        return true;
    }

    /** An HTTP request line starts with a method token: upper-case letters, then a space. */
    private static boolean looksLikeHttp(byte[] start) {
        for (int i = 0; i < start.length; i++) {
            boolean upper = start[i] >= 'A' && start[i] <= 'Z';
            if (!upper && !(i == 3 && start[i] == ' ')) {
                return false;
            }
        }
        return true;
    }
}
