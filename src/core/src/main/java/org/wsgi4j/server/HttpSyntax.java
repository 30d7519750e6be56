package org.wsgi4j.server;

import java.util.Locale;
import java.util.Set;

/**
 * The HTTP syntax rules that both the response engine and {@code Lint} apply (RFC 9110), kept in one
 * place so that a status or header that one accepts the other accepts too.
 */
public final class HttpSyntax {

    /** Headers that belong to the connection, not the application (SPEC A4, S4). */
    public static final Set<String> HOP_BY_HOP = Set.of("connection", "keep-alive", "proxy-authenticate",
            "proxy-authorization", "te", "trailer", "trailers", "transfer-encoding", "upgrade");

    private static final String[] HOP_BY_HOP_NAMES = HOP_BY_HOP.toArray(new String[0]);

    private static final boolean[] TCHAR = new boolean[128];

    static {
        for (char c = '0'; c <= '9'; c++) {
            TCHAR[c] = true;
        }
        for (char c = 'a'; c <= 'z'; c++) {
            TCHAR[c] = true;
            TCHAR[Character.toUpperCase(c)] = true;
        }
        for (char c : "!#$%&'*+-.^_`|~".toCharArray()) {
            TCHAR[c] = true;
        }
    }

    private HttpSyntax() {
    }

    /** Whether {@code s} is a non-empty RFC 9110 token (a header name, a method). */
    public static boolean isToken(String s) {
        if (s.isEmpty()) {
            return false;
        }
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c >= 128 || !TCHAR[c]) {
                return false;
            }
        }
        return true;
    }

    /** Whether {@code name} is one of {@link #HOP_BY_HOP}, ignoring case, without allocating. */
    public static boolean isHopByHop(String name) {
        for (String hop : HOP_BY_HOP_NAMES) {
            if (hop.length() == name.length() && hop.equalsIgnoreCase(name)) {
                return true;
            }
        }
        return false;
    }

    /**
     * Why {@code value} cannot be a header value, or {@code null} if it can: it must hold no CR, LF
     * or NUL and only ISO-8859-1 characters (SPEC A3, S3).
     */
    public static String valueProblem(String value) {
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if (c == '\r' || c == '\n' || c == 0) {
                return "contains " + (c == '\r' ? "CR" : c == '\n' ? "LF" : "NUL");
            }
            if (c > 0xFF) {
                return String.format(Locale.ROOT, "contains U+%04X, which is not ISO-8859-1", (int) c);
            }
        }
        return null;
    }

    /**
     * The status code of a status string such as {@code "200 OK"} (SPEC A2, S1).
     *
     * @throws IllegalArgumentException naming the status if it is not three digits from 100 to 599,
     *                                  a space and a reason phrase without control characters
     */
    public static int parseStatus(String status) {
        if (status == null || status.length() < 4 || status.charAt(3) != ' '
                || !isDigit(status.charAt(0)) || !isDigit(status.charAt(1)) || !isDigit(status.charAt(2))) {
            throw new IllegalArgumentException("status '" + status
                    + "' must be three digits, a space and a reason phrase, e.g. '200 OK'");
        }
        int code = (status.charAt(0) - '0') * 100 + (status.charAt(1) - '0') * 10 + (status.charAt(2) - '0');
        if (code < 100 || code > 599) {
            throw new IllegalArgumentException("status '" + status + "' has a code outside 100-599");
        }
        for (int i = 4; i < status.length(); i++) {
            char c = status.charAt(i);
            if ((c < 0x20 && c != '\t') || c == 0x7F || c > 0xFF) {
                throw new IllegalArgumentException("status '" + status.replace("\r", "\\r").replace("\n", "\\n")
                        + "' has a control or non-latin-1 character in its reason phrase");
            }
        }
        return code;
    }

    /** Whether a response with this status may carry a body (no for 1xx, 204, 304). */
    public static boolean statusAllowsBody(int code) {
        return code >= 200 && code != 204 && code != 304;
    }

    /** Whether {@code s} is a non-empty string of ASCII digits. */
    public static boolean isDigits(String s) {
        if (s.isEmpty()) {
            return false;
        }
        for (int i = 0; i < s.length(); i++) {
            if (!isDigit(s.charAt(i))) {
                return false;
            }
        }
        return true;
    }

    private static boolean isDigit(char c) {
        return c >= '0' && c <= '9';
    }
}
