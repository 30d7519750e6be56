package org.wsgi4j.internal;

import java.util.List;
import java.util.Locale;
import java.util.OptionalLong;
import java.util.Set;
import org.wsgi4j.Header;

/**
 * The HTTP syntax rules that both the response engine and {@code Lint} apply (RFC 9110), kept in one
 * place so that a status or header that one accepts the other accepts too: {@link #parseStatus} and
 * {@link #checkHeaders} give the verdict, and each caller only names the rule it enforces
 * ({@link Refusal#serverRule()} for the engine, {@link Refusal#applicationRule()} for Lint).
 */
public final class HttpSyntax {

    /** What is wrong with a status or header, with the SPEC rules it breaks on each side. */
    public enum Violation {
        /** A malformed status string (SPEC A2, S1). */
        STATUS("A2", "S1"),
        /** A header name that is not an RFC 9110 token (SPEC A3, S2). */
        HEADER_NAME("A3", "S2"),
        /** A header value with CR, LF, NUL or a character outside ISO-8859-1 (SPEC A3, S3). */
        HEADER_VALUE("A3", "S3"),
        /** A hop-by-hop header (SPEC A4, S4). */
        HOP_BY_HOP("A4", "S4"),
        /** A {@code Content-Length} that is not digits, too long, or sent twice with different values (SPEC A10). */
        CONTENT_LENGTH("A10", "A10"),
        /** A 1xx status as the application's final answer (PEP 3333 has no interim responses). */
        INFORMATIONAL_STATUS("A2", "S23"),
        /** A 204 response with Content-Length (SPEC A9, S23; RFC 9110 8.6). */
        NO_CONTENT_LENGTH("A9", "S23");

        private final String applicationRule;
        private final String serverRule;

        Violation(String applicationRule, String serverRule) {
            this.applicationRule = applicationRule;
            this.serverRule = serverRule;
        }
    }

    /**
     * A status or header that cannot be sent. Its message starts with the server rule (S1-S4, A10)
     * and names the offending value; {@link #detail()} is the message without the rule.
     */
    public static final class Refusal extends IllegalArgumentException {

        private static final long serialVersionUID = 1L;

        private final transient Violation violation;
        /** The message without the rule. */
        private final String detail;

        Refusal(Violation violation, String detail) {
            super(violation.serverRule + ": " + detail);
            this.violation = violation;
            this.detail = detail;
        }

        /**
         * What is wrong.
         *
         * @return the kind of violation
         */
        public Violation violation() {
            return violation;
        }

        /**
         * The rule the application broke.
         *
         * @return the SPEC rule id: A2, A3, A4, A9 or A10
         */
        public String applicationRule() {
            return violation.applicationRule;
        }

        /**
         * The rule under which a server refuses it.
         *
         * @return the SPEC rule id: S1-S4, S23 or A10
         */
        public String serverRule() {
            return violation.serverRule;
        }

        /**
         * The message without the rule.
         *
         * @return what is wrong, naming the offending value
         */
        public String detail() {
            return detail;
        }
    }

    /** Headers that belong to the connection, not the application (SPEC A4, S4). */
    public static final Set<String> HOP_BY_HOP = Set.of("connection", "keep-alive", "proxy-authenticate",
            "proxy-authorization", "te", "trailer", "trailers", "transfer-encoding", "upgrade");

    private static final String[] HOP_BY_HOP_NAMES = HOP_BY_HOP.toArray(new String[0]);

    /**
     * Bit n set when a hop-by-hop name has n characters: most names an application sends
     * ({@code Content-Type}, {@code Content-Length}) have a length no hop-by-hop name has, and are
     * answered from this constant without reading the names (issue 15, the core front end's hello).
     */
    private static final long HOP_BY_HOP_LENGTHS = HOP_BY_HOP.stream()
            .mapToLong(name -> 1L << name.length()).reduce(0, (a, b) -> a | b);

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

    /**
     * Whether {@code s} is a non-empty RFC 9110 token (a header name, a method).
     *
     * @param s the candidate
     * @return true for a token
     */
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

    /**
     * Whether {@code name} is one of {@link #HOP_BY_HOP}, ignoring case, without allocating.
     *
     * @param name a header name
     * @return true for a hop-by-hop header (SPEC A4, S4)
     */
    public static boolean isHopByHop(String name) {
        // Every hop-by-hop name is shorter than 64 characters, so a longer name is none.
        if (name.length() >= Long.SIZE || (HOP_BY_HOP_LENGTHS & (1L << name.length())) == 0) {
            return false;
        }
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
     *
     * @param value a header value
     * @return the problem in words, or {@code null}
     */
    public static String valueProblem(String value) {
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if (c == '\r' || c == '\n' || c == 0) {
                return "contains " + (c == '\r' ? "CR" : c == '\n' ? "LF" : "NUL");
            }
            if (c > 0xFF) {
                return "contains " + codePoint(c) + ", which is not ISO-8859-1";
            }
        }
        return null;
    }

    /**
     * The status code of a status string such as {@code "200 OK"} (SPEC A2, S1): three digits from
     * 100 to 599, a space and a reason phrase of RFC 9110 {@code reason-phrase} characters (HTAB, SP,
     * visible ASCII and latin-1; no other control character).
     *
     * @param status the status string, may be {@code null}
     * @return the status code, 100-599
     * @throws Refusal ({@link Violation#STATUS}) naming the status otherwise
     */
    public static int parseStatus(String status) {
        if (status == null || status.length() < 4 || status.charAt(3) != ' '
                || !isDigit(status.charAt(0)) || !isDigit(status.charAt(1)) || !isDigit(status.charAt(2))) {
            throw new Refusal(Violation.STATUS, "status " + quote(status)
                    + " must be three digits from 100 to 599, a space and a reason phrase");
        }
        int code = (status.charAt(0) - '0') * 100 + (status.charAt(1) - '0') * 10 + (status.charAt(2) - '0');
        if (code < 100 || code > 599) {
            throw new Refusal(Violation.STATUS, "status " + quote(status) + " has a code outside 100-599");
        }
        for (int i = 4; i < status.length(); i++) {
            char c = status.charAt(i);
            if ((c < 0x20 && c != '\t') || c == 0x7F || c > 0xFF) {
                throw new Refusal(Violation.STATUS, "status " + quote(status) + " has the character "
                        + codePoint(c) + " in its reason phrase");
            }
        }
        return code;
    }

    /**
     * {@link #parseStatus}, and the status must be a final one, 200-599 (SPEC A2, S23): an
     * application cannot send an interim 1xx answer through {@code start_response}.
     *
     * @param status the status string, may be {@code null}
     * @return the status code, 200-599
     * @throws Refusal for a malformed status (S1) or a 1xx status (S23)
     */
    public static int parseFinalStatus(String status) {
        int code = parseStatus(status);
        if (code < 200) {
            throw new Refusal(Violation.INFORMATIONAL_STATUS, "status " + quote(status)
                    + " is informational (1xx); an application's status is the final one, 200-599");
        }
        return code;
    }

    /**
     * Checks each header's syntax (SPEC A3/S2, S3), refuses hop-by-hop headers (A4/S4) and reads
     * {@code Content-Length} (A10): digits, at most 18 of them, and the same value if sent twice.
     * The list and its elements must not be null; callers check that first, each with its own rule.
     *
     * @param headers the response headers, non-null with non-null elements
     * @return the declared {@code Content-Length}, if any
     * @throws Refusal naming the first header that cannot be sent
     */
    public static OptionalLong checkHeaders(List<Header> headers) {
        OptionalLong length = OptionalLong.empty();
        for (Header h : headers) {
            String name = h.name();
            if (!isToken(name)) {
                throw new Refusal(Violation.HEADER_NAME, "header name '" + name + "' is not a token");
            }
            String problem = valueProblem(h.value());
            if (problem != null) {
                throw new Refusal(Violation.HEADER_VALUE, "value of header '" + name + "' " + problem);
            }
            if (isHopByHop(name)) {
                throw new Refusal(Violation.HOP_BY_HOP, "header '" + name
                        + "' is hop-by-hop; the connection belongs to the server");
            }
            if (h.is("Content-Length")) {
                if (!isDigits(h.value()) || h.value().length() > 18) {
                    throw new Refusal(Violation.CONTENT_LENGTH, "Content-Length '" + h.value() + "' is not a number");
                }
                long value = Long.parseLong(h.value());
                if (length.isPresent() && length.getAsLong() != value) {
                    throw new Refusal(Violation.CONTENT_LENGTH, "two different Content-Length headers");
                }
                length = OptionalLong.of(value);
            }
        }
        return length;
    }

    /**
     * SPEC S23's second half: a 204 carries no {@code Content-Length} (RFC 9110 8.6). Hosts would
     * otherwise differ: one sends the 204 with its length, one strips it, one fails.
     *
     * @param code   the status code, from {@link #parseFinalStatus}
     * @param length the declared length, from {@link #checkHeaders}
     * @throws Refusal ({@link Violation#NO_CONTENT_LENGTH})
     */
    public static void checkNoContentLength(int code, OptionalLong length) {
        if (code == 204 && length.isPresent()) {
            throw new Refusal(Violation.NO_CONTENT_LENGTH, "a 204 response must not carry Content-Length");
        }
    }

    private static String quote(String status) {
        return status == null ? "null" : "'" + status.replace("\r", "\\r").replace("\n", "\\n") + "'";
    }

    private static String codePoint(char c) {
        return String.format(Locale.ROOT, "U+%04X", (int) c);
    }

    /**
     * Whether a response with this status may carry a body (SPEC A9, S14).
     *
     * @param code the status code
     * @return false for 1xx, 204 and 304
     */
    public static boolean statusAllowsBody(int code) {
        return code >= 200 && code != 204 && code != 304;
    }

    /**
     * Whether {@code s} is a non-empty string of ASCII digits.
     *
     * @param s the candidate, not {@code null}
     * @return true for digits only
     */
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
