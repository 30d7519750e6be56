package org.wsgi4j.server;

import org.wsgi4j.Environ;

/**
 * {@link Environ#headerKey} for the request headers browsers, proxies and API clients send, made
 * once: a typical request then builds no key string at all (issue 15: bytes per request). Any
 * other name is converted as {@link Environ#headerKey} does, so the key is the same either way
 * (SPEC E8).
 */
final class HeaderKeys {

    /** Request fields of RFC 9110/9111/6265/7239, Fetch metadata, client hints and the usual proxy fields. */
    private static final String[] NAMES = {
        "Host", "User-Agent", "Accept", "Accept-Language", "Accept-Encoding", "Accept-Charset", "Referer",
        "Cookie", "Connection", "Keep-Alive", "Upgrade", "Upgrade-Insecure-Requests", "Cache-Control", "Pragma",
        "Content-Type", "Content-Length", "Content-Encoding", "Transfer-Encoding", "TE", "Trailer", "Expect",
        "Authorization", "Proxy-Authorization", "Proxy-Connection", "Origin", "Range", "If-Range", "If-Match",
        "If-None-Match", "If-Modified-Since", "If-Unmodified-Since", "Date", "From", "Via", "Max-Forwards",
        "DNT", "Priority", "Sec-Fetch-Dest", "Sec-Fetch-Mode", "Sec-Fetch-Site", "Sec-Fetch-User", "Sec-GPC",
        "Sec-CH-UA", "Sec-CH-UA-Mobile", "Sec-CH-UA-Platform", "Sec-WebSocket-Key", "Sec-WebSocket-Version",
        "Sec-WebSocket-Extensions", "Sec-WebSocket-Protocol", "Sec-Purpose", "Purpose", "Forwarded",
        "X-Forwarded-For", "X-Forwarded-Proto", "X-Forwarded-Host", "X-Forwarded-Port", "X-Forwarded-Prefix",
        "X-Real-IP", "X-Request-ID", "X-Requested-With", "X-CSRF-Token", "X-Correlation-ID", "Traceparent",
        "Tracestate", "Baggage", "Early-Data",
    };

    private static final int MASK = 255;
    private static final String[] TABLE_NAMES = new String[MASK + 1];
    private static final String[] TABLE_KEYS = new String[MASK + 1];
    /**
     * The same names in the case written above, by {@link String#hashCode()}: the case clients and
     * containers send (Jetty hands over its own constant strings, whose hash is already computed), so
     * a name is usually found without folding its case character by character.
     */
    private static final String[] EXACT_NAMES = new String[MASK + 1];
    private static final String[] EXACT_KEYS = new String[MASK + 1];

    static {
        for (String name : NAMES) {
            String key = Environ.headerKey(name).intern();
            int at = hash(name) & MASK;
            while (TABLE_NAMES[at] != null) {
                at = (at + 1) & MASK;
            }
            TABLE_NAMES[at] = name;
            TABLE_KEYS[at] = key;
            at = exactHash(name) & MASK;
            while (EXACT_NAMES[at] != null) {
                at = (at + 1) & MASK;
            }
            EXACT_NAMES[at] = name;
            EXACT_KEYS[at] = key;
        }
    }

    private HeaderKeys() {
    }

    /**
     * The environ key of a request header.
     *
     * @param name the header name as received, ASCII
     * @return the same string as {@link Environ#headerKey}{@code (name)}; a shared one for a known name
     */
    static String of(String name) {
        for (int at = exactHash(name) & MASK; EXACT_NAMES[at] != null; at = (at + 1) & MASK) {
            if (EXACT_NAMES[at].equals(name)) {
                return EXACT_KEYS[at];
            }
        }
        int at = hash(name) & MASK;
        for (String known; (known = TABLE_NAMES[at]) != null; at = (at + 1) & MASK) {
            if (sameIgnoringAsciiCase(known, name)) {
                return TABLE_KEYS[at];
            }
        }
        return Environ.headerKey(name);
    }

    /**
     * {@link String#equalsIgnoreCase} folds non-ASCII letters too ({@code ſ} matches {@code s}),
     * which {@link Environ#headerKey} does not: only {@code a-z} may meet {@code A-Z} here.
     */
    private static boolean sameIgnoringAsciiCase(String known, String name) {
        if (known.length() != name.length()) {
            return false;
        }
        for (int i = 0; i < known.length(); i++) {
            char a = known.charAt(i);
            char b = name.charAt(i);
            if (a != b && !(b >= 'a' && b <= 'z' && a == b - 32) && !(b >= 'A' && b <= 'Z' && a == b + 32)) {
                return false;
            }
        }
        return true;
    }

    private static int exactHash(String name) {
        int h = name.hashCode();
        return h ^ (h >>> 16);
    }

    /** A hash that ignores ASCII case, so {@code HOST}, {@code host} and {@code Host} meet. */
    private static int hash(String name) {
        int h = name.length();
        for (int i = 0; i < name.length(); i++) {
            h = 31 * h + (name.charAt(i) | 0x20);
        }
        return h ^ (h >>> 16);
    }
}
