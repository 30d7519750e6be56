package org.wsgi4j.server;

import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.Objects;

/**
 * The request-target policy of SPEC.md ("Odd request targets", rules E14-E16), in one place so that
 * every front end refuses the same requests: a target that breaks it is answered
 * {@code 400 Bad Request} with the reason this class gives, and the application never runs.
 * Nothing is substituted: a byte that cannot be delivered exactly is a refusal, never U+FFFD.
 */
public final class RequestTarget {

    private RequestTarget() {
    }

    /**
     * Checks a request target as the client sent it ({@code /a%20b?q=1}, or {@code *}).
     *
     * @param target the raw request target; characters stand for bytes (ISO-8859-1)
     * @throws IllegalArgumentException naming the rule and the offending part: a byte outside
     *                                  printable ASCII (E14), a malformed escape, invalid UTF-8 or a
     *                                  control character in the path (E15), an encoded {@code /} or
     *                                  {@code %}, an encoded dot segment or an empty segment (E16)
     */
    public static void check(String target) {
        for (int i = 0; i < target.length(); i++) {
            char c = target.charAt(i);
            if (c <= 0x20 || c >= 0x7F) {
                throw new IllegalArgumentException(String.format(Locale.ROOT,
                        "E14: the request target has %s at offset %d; only printable ASCII is allowed",
                        c > 0xFF ? "the character U+%04X".formatted((int) c) : "the byte 0x%02X".formatted((int) c), i));
            }
        }
        int query = target.indexOf('?');
        String path = query < 0 ? target : target.substring(0, query);
        if (path.equals("*")) {
            return;
        }
        checkPath(originPath(path));
    }

    /**
     * Decodes a path that a front end received already percent-decoded, as bytes ({@code PATH_INFO}
     * and {@code SCRIPT_NAME} from nginx), as UTF-8, refusing what cannot be decoded exactly (E15).
     *
     * @param bytes the path, one character per byte (ISO-8859-1)
     * @param what  the name of the value, for the message ({@code "PATH_INFO"})
     * @return the decoded path; {@code bytes} itself when it is all printable ASCII
     * @throws IllegalArgumentException if the bytes are not valid UTF-8 or hold a control character
     */
    public static String decodeUtf8(String bytes, String what) {
        int i = 0;
        while (i < bytes.length() && isPrintableAscii(bytes.charAt(i))) {
            i++;
        }
        if (i == bytes.length()) {
            return bytes;
        }
        return checkedUtf8(StandardCharsets.ISO_8859_1.encode(bytes), what);
    }

    /**
     * Decodes a path that a front end received already percent-decoded ({@code PATH_INFO} and
     * {@code SCRIPT_NAME} from nginx) straight from the bytes it arrived in, as UTF-8, refusing what
     * cannot be decoded exactly (E15). The same rule as {@link #decodeUtf8(String, String)}, without
     * first making a latin-1 string of the bytes.
     *
     * @param bytes  the buffer holding the path
     * @param offset index of the path's first byte in {@code bytes}
     * @param length number of bytes in the path
     * @param what   the name of the value, for the message ({@code "PATH_INFO"})
     * @return the decoded path
     * @throws IllegalArgumentException if the bytes are not valid UTF-8 or hold a control character
     * @throws IndexOutOfBoundsException if the range is not within {@code bytes}
     */
    public static String decodeUtf8(byte[] bytes, int offset, int length, String what) {
        Objects.checkFromIndexSize(offset, length, bytes.length);
        int end = offset + length;
        int i = offset;
        while (i < end && isPrintableAscii((char) bytes[i])) {
            i++;
        }
        if (i == end) {
            return new String(bytes, offset, length, StandardCharsets.ISO_8859_1);
        }
        return checkedUtf8(ByteBuffer.wrap(bytes, offset, length), what);
    }

    /** No decoding to do, nothing to refuse: ASCII above the controls (a negative byte is not). */
    private static boolean isPrintableAscii(char c) {
        return c >= 0x20 && c < 0x7F;
    }

    private static String checkedUtf8(ByteBuffer bytes, String what) {
        String decoded = utf8(bytes, what);
        checkNoControl(decoded, what);
        return decoded;
    }

    /** Of an absolute-form target ({@code http://host/p}), the path; an origin-form path as is. */
    private static String originPath(String path) {
        int scheme = path.indexOf("://");
        if (scheme <= 0 || path.startsWith("/")) {
            return path;
        }
        int slash = path.indexOf('/', scheme + 3);
        return slash < 0 ? "/" : path.substring(slash);
    }

    private static void checkPath(String path) {
        if (path.indexOf('%') < 0) {
            // Nothing encoded (most targets): only an empty segment can break the rules; nothing to decode.
            if (path.contains("//")) {
                throw emptySegment(path);
            }
            return;
        }
        ByteBuffer bytes = ByteBuffer.allocate(path.length());
        int segmentStart = 0;
        boolean segmentEncoded = false;
        // check() let only printable ASCII through; while escapes decode to it too, the bytes are
        // valid UTF-8 without control characters, and the decoder need not run.
        boolean printableAscii = true;
        for (int i = 0; i < path.length(); i++) {
            char c = path.charAt(i);
            if (c == '/') {
                checkSegment(path, segmentStart, i, segmentEncoded);
                if (i > 0 && path.charAt(i - 1) == '/') {
                    throw emptySegment(path);
                }
                segmentStart = i + 1;
                segmentEncoded = false;
                bytes.put((byte) c);
            } else if (c == '%') {
                int value = i + 2 < path.length() ? hex(path.charAt(i + 1)) << 4 | hex(path.charAt(i + 2)) : -1;
                if (value < 0) {
                    throw new IllegalArgumentException("E15: the path '" + path + "' has a malformed escape at offset " + i);
                }
                if (value == '/' || value == '%') {
                    throw new IllegalArgumentException("E16: the path '" + path + "' has an encoded '"
                            + (char) value + "' (" + path.substring(i, i + 3) + "), which hosts would read differently");
                }
                segmentEncoded = true;
                printableAscii &= value >= 0x20 && value < 0x7F;
                bytes.put((byte) value);
                i += 2;
            } else {
                bytes.put((byte) c);
            }
        }
        checkSegment(path, segmentStart, path.length(), segmentEncoded);
        if (printableAscii) {
            return;
        }
        String decoded = utf8(bytes.flip(), "the path '" + path + "'");
        checkNoControl(decoded, "the path '" + path + "'");
    }

    private static IllegalArgumentException emptySegment(String path) {
        return new IllegalArgumentException("E16: the path '" + path
                + "' has an empty segment ('//'), which hosts would read differently");
    }

    /** E16: a segment that is {@code .} or {@code ..} only once decoded. */
    private static void checkSegment(String path, int from, int to, boolean encoded) {
        if (!encoded) {
            return;
        }
        String segment = path.substring(from, to).replace("%2e", ".").replace("%2E", ".");
        if (segment.equals(".") || segment.equals("..")) {
            throw new IllegalArgumentException("E16: the path '" + path + "' has an encoded dot segment '"
                    + path.substring(from, to) + "', which hosts would read differently");
        }
    }

    private static String utf8(ByteBuffer bytes, String what) {
        try {
            CharBuffer chars = StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(bytes);
            return chars.toString();
        } catch (CharacterCodingException e) {
            throw new IllegalArgumentException("E15: " + what + " is not valid UTF-8 once percent-decoded");
        }
    }

    private static void checkNoControl(String decoded, String what) {
        for (int i = 0; i < decoded.length(); i++) {
            char c = decoded.charAt(i);
            if (c < 0x20 || c == 0x7F) {
                throw new IllegalArgumentException(String.format(Locale.ROOT,
                        "E15: %s holds the control character U+%04X once decoded", what, (int) c));
            }
        }
    }

    private static int hex(char c) {
        return c >= '0' && c <= '9' ? c - '0'
                : c >= 'a' && c <= 'f' ? c - 'a' + 10
                : c >= 'A' && c <= 'F' ? c - 'A' + 10
                : -0x100;
    }
}
