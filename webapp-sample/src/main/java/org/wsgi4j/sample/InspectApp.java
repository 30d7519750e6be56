package org.wsgi4j.sample;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.wsgi4j.Application;
import org.wsgi4j.Environ;
import org.wsgi4j.Header;
import org.wsgi4j.StartResponse;
import org.wsgi4j.servlet.Mount;

/**
 * Shows how a request arrived, meant to be mounted at {@code /inspect}: the page to open when a
 * proxy or a context path misbehaves. Every path below the mount and every method is answered, so
 * {@code /inspect/a/b?c} shows exactly what the host made of {@code PATH_INFO} and
 * {@code QUERY_STRING}. The body is never read.
 *
 * <p>The report has four parts: {@code request} (method, {@code SCRIPT_NAME}, {@code PATH_INFO},
 * {@code REQUEST_URI}, {@code QUERY_STRING}, scheme, server name/port/protocol, remote
 * address/port, {@code HTTPS}; {@code null} when absent), {@code url} (the URL reconstructed from
 * them, as PEP 3333 describes), {@code headers} (every {@code HTTP_*} key) and {@code environ}
 * (every other key with its Java type, and its value when it is a string, number, boolean or
 * list). It is HTML by default and JSON (Jackson) with {@code ?format=json} or when the
 * {@code Accept} header lists {@code application/json} before {@code text/html}.
 */
@Mount("/inspect")
public final class InspectApp implements Application {

    private static final List<String> REQUEST_KEYS = List.of(
            Environ.REQUEST_METHOD, Environ.SCRIPT_NAME, Environ.PATH_INFO, Environ.REQUEST_URI,
            Environ.QUERY_STRING, Environ.WSGI_URL_SCHEME, Environ.SERVER_NAME, Environ.SERVER_PORT,
            Environ.SERVER_PROTOCOL, Environ.REMOTE_ADDR, Environ.REMOTE_PORT, Environ.HTTPS);

    /** A report describes one request; no cache or proxy may hand it to another. */
    private static final Header NO_STORE = new Header("Cache-Control", "no-store");
    private static final Header VARY = new Header("Vary", "Accept");

    @Override
    public Iterable<byte[]> call(Map<String, Object> environ, StartResponse startResponse) throws Exception {
        Report report = report(environ);
        if (wantsJson(environ)) {
            return Responses.json(startResponse, Responses.OK, report, NO_STORE, VARY);
        }
        return Responses.html(startResponse, Responses.OK, html(environ, report), NO_STORE, VARY);
    }

    /** What the report holds; serialised as is for JSON. */
    record Report(Map<String, Object> request, String url, Map<String, Object> headers,
                  Map<String, Entry> environ) {
    }

    /** One environ key that is neither a request key nor a header: its type, and its value when it is plain data. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    record Entry(String type, Object value) {
    }

    static Report report(Map<String, Object> environ) {
        Map<String, Object> request = new LinkedHashMap<>();
        for (String key : REQUEST_KEYS) {
            request.put(key, environ.get(key));
        }
        Map<String, Object> headers = new TreeMap<>();
        Map<String, Entry> others = new TreeMap<>();
        environ.forEach((key, value) -> {
            if (key.startsWith(Environ.HTTP_PREFIX)) {
                headers.put(key, value);
            } else if (!REQUEST_KEYS.contains(key)) {
                others.put(key, describe(value));
            }
        });
        return new Report(request, url(environ), headers, others);
    }

    /** PEP 3333's URL reconstruction, with the raw {@code REQUEST_URI} (E5) as the target. */
    private static String url(Map<String, Object> environ) {
        String scheme = Environ.urlScheme(environ);
        String host = Environ.header(environ, "Host").orElseGet(() -> {
            String name = String.valueOf(environ.get(Environ.SERVER_NAME));
            String port = String.valueOf(environ.get(Environ.SERVER_PORT));
            boolean defaultPort = (scheme.equals("https") && port.equals("443"))
                    || (scheme.equals("http") && port.equals("80"));
            return defaultPort ? name : name + ":" + port;
        });
        Object target = environ.get(Environ.REQUEST_URI);
        return scheme + "://" + host + (target instanceof String s ? s : Urls.encodePath(Environ.path(environ)));
    }

    private static Entry describe(Object value) {
        String type = value == null ? "null" : value.getClass().getName();
        // Streams, writers and server objects have no useful toString; only plain data is shown.
        boolean plain = value instanceof String || value instanceof Number || value instanceof Boolean
                || value instanceof List;
        return new Entry(type, plain ? value : null);
    }

    /**
     * {@code ?format=json|html} wins; otherwise JSON when {@code Accept} lists
     * {@code application/json} ahead of {@code text/html} (q-values are not weighed: browsers
     * never list JSON, API clients that want it list it first).
     */
    private static boolean wantsJson(Map<String, Object> environ) {
        String format;
        try {
            format = Urls.query(Environ.queryString(environ)).getOrDefault("format", "");
        } catch (IllegalArgumentException e) {
            format = ""; // a malformed query is something to inspect, not to refuse
        }
        if (format.equals("json") || format.equals("html")) {
            return format.equals("json");
        }
        List<String> types = Stream.of(Environ.header(environ, "Accept").orElse("").split(","))
                .map(range -> range.split(";", 2)[0].strip().toLowerCase(Locale.ROOT))
                .collect(Collectors.toList());
        int json = types.indexOf("application/json");
        int html = types.indexOf("text/html");
        return json >= 0 && (html < 0 || json < html);
    }

    private static String html(Map<String, Object> environ, Report report) {
        String kept = Stream.of(Environ.queryString(environ).split("&"))
                .filter(param -> !param.isEmpty() && !param.startsWith("format="))
                .collect(Collectors.joining("&"));
        String jsonHref = Urls.encodePath(Environ.path(environ)) + "?" + (kept.isEmpty() ? "" : kept + "&") + "format=json";
        StringBuilder body = new StringBuilder()
                .append("<p><a href=\"").append(Html.escape(jsonHref)).append("\">This report as JSON</a></p>\n")
                .append("<p>URL as reconstructed: <code>").append(Html.escape(report.url())).append("</code></p>\n");
        table(body, "Request", report.request());
        table(body, "Headers (HTTP_*)", report.headers());
        body.append("<h2>Other environ keys</h2>\n<table>\n<tr><th>key</th><th>type</th><th>value</th></tr>\n");
        report.environ().forEach((key, entry) -> body.append("<tr><th>").append(Html.escape(key)).append("</th><td>")
                .append(Html.escape(entry.type())).append("</td>").append(cell(entry.value(), "")).append("</tr>\n"));
        body.append("</table>\n");
        return Html.page("Inspect: " + Environ.requestMethod(environ) + " " + Environ.path(environ), body.toString());
    }

    private static void table(StringBuilder body, String title, Map<String, Object> rows) {
        body.append("<h2>").append(Html.escape(title)).append("</h2>\n<table>\n");
        rows.forEach((key, value) -> body.append("<tr><th>").append(Html.escape(key)).append("</th>")
                .append(cell(value, "(absent)")).append("</tr>\n"));
        body.append("</table>\n");
    }

    private static String cell(Object value, String ifNull) {
        return value == null ? "<td class=\"muted\">" + ifNull + "</td>" : "<td>" + Html.escape(String.valueOf(value)) + "</td>";
    }
}
