package org.wsgi4j.jetty;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.wsgi4j.Application;
import org.wsgi4j.Header;
import org.wsgi4j.StartResponse;

/**
 * The built-in demo, like wsgiref's {@code demo_app}: a greeting and the request's environ as a
 * table. The server mounts it at {@code /} when nothing else is mounted, so a first run shows
 * something real.
 */
public final class DemoApp implements Application {

    /** For {@code --mount /=org.wsgi4j.jetty.DemoApp} and the server's default mount. */
    public DemoApp() {
    }

    @Override
    public Iterable<byte[]> call(Map<String, Object> environ, StartResponse startResponse) {
        StringBuilder html = new StringBuilder(4096);
        html.append("<!doctype html>\n<html><head><meta charset=\"utf-8\"><title>wsgi4j demo</title>\n")
                .append("<style>body{font-family:sans-serif;margin:2em}table{border-collapse:collapse}")
                .append("td{border:1px solid #ccc;padding:.2em .5em;vertical-align:top;font-family:monospace}")
                .append("</style></head><body>\n<h1>Hello from wsgi4j</h1>\n")
                .append("<p>This is the built-in demo application. Mount your own with <code>--mount /=com.example.App</code>.</p>\n")
                .append("<table>\n");
        for (Map.Entry<String, Object> entry : new TreeMap<>(environ).entrySet()) {
            Object value = entry.getValue();
            String shown = value instanceof String || value instanceof Boolean || value instanceof List
                    ? String.valueOf(value) : "<" + value.getClass().getName() + ">";
            html.append("<tr><td>").append(escape(entry.getKey())).append("</td><td>").append(escape(shown))
                    .append("</td></tr>\n");
        }
        html.append("</table>\n</body></html>\n");
        startResponse.start("200 OK", List.of(new Header("Content-Type", "text/html; charset=utf-8")));
        return List.of(html.toString().getBytes(StandardCharsets.UTF_8));
    }

    /** HTML-escapes text for element content and quoted attributes. */
    static String escape(String text) {
        StringBuilder out = new StringBuilder(text.length() + 16);
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            switch (c) {
                case '<' -> out.append("&lt;");
                case '>' -> out.append("&gt;");
                case '&' -> out.append("&amp;");
                case '"' -> out.append("&quot;");
                case '\'' -> out.append("&#39;");
                default -> out.append(c);
            }
        }
        return out.toString();
    }
}
