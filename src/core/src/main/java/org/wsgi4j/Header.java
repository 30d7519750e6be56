package org.wsgi4j;

import java.util.Objects;

/**
 * One response header, as an application passes it to {@link StartResponse#start}.
 *
 * <p>Only {@code null} is refused here; the syntax rules (token name, no CR/LF/NUL, latin-1 value,
 * no hop-by-hop header) are checked by the server when {@code start} is called, so that a broken
 * header becomes a 500 for that request rather than an error somewhere else.
 *
 * @param name  the field name, e.g. {@code "Content-Type"}; compared case-insensitively by servers
 * @param value the field value
 */
public record Header(String name, String value) {

    /**
     * Checks that both parts are given; their syntax is checked when the response starts (SPEC S2, S3).
     *
     * @param name  the field name
     * @param value the field value
     * @throws NullPointerException naming the header when a part is null
     */
    public Header {
        Objects.requireNonNull(name, "header name");
        Objects.requireNonNull(value, () -> "value of header '" + name + "'");
    }

    /**
     * Whether this header's name equals {@code other}, ignoring ASCII case.
     *
     * @param other a field name, e.g. {@code "content-length"}
     * @return {@code true} if the names are the same field
     */
    public boolean is(String other) {
        return name.equalsIgnoreCase(other);
    }
}
