package org.wsgi4j.sample;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;

/** Turning decoded paths back into URLs, and reading query strings. */
final class Urls {

    private static final char[] HEX = "0123456789ABCDEF".toCharArray();

    private Urls() {
    }

    /**
     * {@code path} (decoded, as in {@code SCRIPT_NAME}/{@code PATH_INFO}, SPEC E2/E3/S22) encoded
     * for use in a link or a {@code Location} header: UTF-8, every byte outside RFC 3986's
     * {@code pchar} and {@code /} percent-encoded. Without this a context path like
     * {@code /my app} or {@code /café} would give broken links and non-latin-1 header values (S3).
     */
    static String encodePath(String path) {
        StringBuilder out = new StringBuilder(path.length() + 8);
        for (byte b : path.getBytes(StandardCharsets.UTF_8)) {
            int c = b & 0xFF;
            if (isPathChar(c)) {
                out.append((char) c);
            } else {
                out.append('%').append(HEX[c >> 4]).append(HEX[c & 0xF]);
            }
        }
        return out.toString();
    }

    /**
     * The parameters of a raw {@code QUERY_STRING} (E4), decoded as UTF-8 form data; when a name
     * repeats, the first value wins.
     *
     * @throws IllegalArgumentException for a malformed percent-escape
     */
    static Map<String, String> query(String queryString) {
        Map<String, String> params = new LinkedHashMap<>();
        for (String pair : queryString.split("&")) {
            if (pair.isEmpty()) {
                continue;
            }
            int eq = pair.indexOf('=');
            String name = URLDecoder.decode(eq < 0 ? pair : pair.substring(0, eq), StandardCharsets.UTF_8);
            String value = eq < 0 ? "" : URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8);
            params.putIfAbsent(name, value);
        }
        return params;
    }

    private static boolean isPathChar(int c) {
        return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')
                || "-._~!$&'()*+,;=:@/".indexOf(c) >= 0;
    }
}
