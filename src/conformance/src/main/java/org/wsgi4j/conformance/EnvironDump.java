package org.wsgi4j.conformance;

import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.wsgi4j.FileWrapper;

/**
 * The text format in which the environ probe answers, and its parser: one line per key,
 * {@code KEY TYPE VALUE}, sorted by key. {@code TYPE} is the contract type the value satisfies
 * ({@code String}, {@code Boolean}, {@code List}, {@code InputStream}, {@code PrintWriter},
 * {@code FileWrapper}, ...) or else its class name; {@code VALUE} is the string itself, the
 * {@code toString()} of a Boolean, Number or List, and {@code -} for anything else.
 *
 * <p>Keys and values are UTF-8 with every byte outside {@code !..~} and {@code %} itself
 * percent-encoded, so any character (a decoded {@code é} in {@code PATH_INFO}, a latin-1 header
 * value, a space, CR or LF) survives the trip through any host unchanged. No JSON library: the
 * probes must run in any container without bringing one.
 */
public final class EnvironDump {

    private EnvironDump() {
    }

    /** One environ entry as the probe saw it. */
    public record Entry(String type, String value) {
    }

    /**
     * Formats {@code environ}; called by the environ probe.
     *
     * @param environ the environ the probe was given
     * @return one {@code KEY TYPE VALUE} line per entry, sorted by key
     */
    public static String format(Map<String, Object> environ) {
        StringBuilder out = new StringBuilder();
        new TreeMap<>(environ).forEach((key, value) -> out.append(escape(key)).append(' ')
                .append(escape(typeOf(value))).append(' ').append(escape(valueOf(value))).append('\n'));
        return out.toString();
    }

    /**
     * Parses what {@link #format} wrote.
     *
     * @param text what {@link #format} wrote
     * @return the entries by key
     * @throws IllegalArgumentException naming the line when one is not {@code KEY TYPE VALUE}
     */
    public static Map<String, Entry> parse(String text) {
        Map<String, Entry> entries = new TreeMap<>();
        for (String line : text.split("\n")) {
            if (line.isEmpty()) {
                continue;
            }
            String[] parts = line.split(" ", -1);
            if (parts.length != 3) {
                throw new IllegalArgumentException("environ line '" + line + "' is not 'KEY TYPE VALUE'");
            }
            entries.put(unescape(parts[0]), new Entry(unescape(parts[1]), unescape(parts[2])));
        }
        return entries;
    }

    private static String typeOf(Object value) {
        if (value == null) {
            return "null";
        }
        for (Class<?> type : List.of(String.class, Boolean.class, Number.class, List.class,
                InputStream.class, PrintWriter.class, FileWrapper.class)) {
            if (type.isInstance(value)) {
                return type.getSimpleName();
            }
        }
        return value.getClass().getName();
    }

    private static String valueOf(Object value) {
        return value instanceof String || value instanceof Boolean || value instanceof Number
                || value instanceof List ? String.valueOf(value) : "-";
    }

    static String escape(String text) {
        StringBuilder out = new StringBuilder();
        for (byte b : text.getBytes(StandardCharsets.UTF_8)) {
            int c = b & 0xFF;
            if (c > ' ' && c < 0x7F && c != '%') {
                out.append((char) c);
            } else {
                out.append('%').append(Character.toUpperCase(Character.forDigit(c >> 4, 16)))
                        .append(Character.toUpperCase(Character.forDigit(c & 0xF, 16)));
            }
        }
        return out.toString();
    }

    static String unescape(String text) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c == '%') {
                if (i + 2 >= text.length()) {
                    throw new IllegalArgumentException("truncated escape at the end of '" + text + "'");
                }
                bytes.write(Integer.parseInt(text, i + 1, i + 3, 16));
                i += 2;
            } else {
                bytes.write(c);
            }
        }
        return bytes.toString(StandardCharsets.UTF_8);
    }
}
