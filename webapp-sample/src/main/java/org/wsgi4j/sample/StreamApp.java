package org.wsgi4j.sample;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import org.wsgi4j.Application;
import org.wsgi4j.Environ;
import org.wsgi4j.Header;
import org.wsgi4j.StartResponse;
import org.wsgi4j.servlet.Mount;

/**
 * A response that visibly arrives in blocks, meant to be mounted at {@code /stream}: the check that
 * nothing between the application and the browser buffers (SPEC S13).
 *
 * <ul>
 *   <li>{@code GET ""} (the mount point itself): server-sent events ({@code text/event-stream}),
 *       {@code n} {@code tick} events {@code interval_ms} apart, then one {@code done} event. Each
 *       event is made by the body's iterator when the server asks for the next block, never ahead
 *       of time, so a client sees them arrive one by one. {@code ?n=} is 1 to {@value #MAX_EVENTS}
 *       (default 10), {@code ?interval_ms=} 0 to {@value #MAX_INTERVAL_MS} (default 300); anything
 *       else is a 400 naming the parameter.</li>
 *   <li>{@code GET /} or {@code GET ?view=html}: a small HTML page whose script opens an
 *       {@code EventSource} on the stream (with the same {@code n} and {@code interval_ms}) and
 *       lists the events as they come.</li>
 * </ul>
 *
 * <p>Other paths are 404, other methods 405. A HEAD request gets the headers and no events: the
 * server would iterate the body anyway (S14), and that would only make it wait.
 */
@Mount("/stream")
public final class StreamApp implements Application {

    static final int MAX_EVENTS = 100;
    static final int MAX_INTERVAL_MS = 5000;

    /** Waits between two events; tests replace it to watch when the iterator runs. */
    @FunctionalInterface
    interface Pause {
        void pause(long millis) throws InterruptedException;
    }

    private final Pause pause;

    public StreamApp() {
        this(Thread::sleep);
    }

    StreamApp(Pause pause) {
        this.pause = pause;
    }

    @Override
    public Iterable<byte[]> call(Map<String, Object> environ, StartResponse startResponse) throws Exception {
        if (!Responses.atMountPoint(environ)) {
            return Responses.text(startResponse, Responses.NOT_FOUND, "no stream at '" + Environ.path(environ) + "'\n");
        }
        String method = Environ.requestMethod(environ);
        if (!Responses.isRead(method)) {
            return Responses.text(startResponse, Responses.METHOD_NOT_ALLOWED, method + " is not allowed here\n",
                    Responses.allow("GET, HEAD"));
        }
        Map<String, String> query;
        int events;
        int intervalMs;
        try {
            query = Urls.query(Environ.queryString(environ));
            events = parameter(query, "n", 10, 1, MAX_EVENTS);
            intervalMs = parameter(query, "interval_ms", 300, 0, MAX_INTERVAL_MS);
        } catch (IllegalArgumentException e) {
            return Responses.text(startResponse, Responses.BAD_REQUEST, e.getMessage() + "\n");
        }
        if (Environ.pathInfo(environ).equals("/") || query.getOrDefault("view", "").equals("html")) {
            return Responses.html(startResponse, Responses.OK, page(environ, events, intervalMs));
        }
        startResponse.start(Responses.OK, List.of(
                new Header("Content-Type", "text/event-stream"),
                new Header("Cache-Control", "no-cache"),
                // nginx buffers proxied responses (uwsgi_pass too) unless told not to, which would
                // deliver all events at once at the end.
                new Header("X-Accel-Buffering", "no")));
        if (method.equals("HEAD")) {
            return List.of();
        }
        return () -> new Events(events, intervalMs);
    }

    private static int parameter(Map<String, String> query, String name, int defaultValue, int min, int max) {
        String value = query.get(name);
        if (value == null) {
            return defaultValue;
        }
        try {
            int parsed = Integer.parseInt(value);
            if (parsed >= min && parsed <= max) {
                return parsed;
            }
        } catch (NumberFormatException e) {
            // reported below, with the range
        }
        throw new IllegalArgumentException("'" + name + "' must be an integer from " + min + " to " + max
                + ", was '" + value + "'");
    }

    /** The event blocks, each made when asked for: tick 1 at once, the others after a pause, then done. */
    private final class Events implements Iterator<byte[]> {
        private final int count;
        private final int intervalMs;
        private int sent;

        Events(int count, int intervalMs) {
            this.count = count;
            this.intervalMs = intervalMs;
        }

        @Override
        public boolean hasNext() {
            return sent <= count;
        }

        @Override
        public byte[] next() {
            if (!hasNext()) {
                throw new NoSuchElementException();
            }
            sent++;
            if (sent > count) {
                return event("", "done", "{\"events\":" + count + "}");
            }
            if (sent > 1) {
                try {
                    pause.pause(intervalMs);
                } catch (InterruptedException e) {
                    // The host gave up on the request (a timeout, a shutdown): end it as broken (S16).
                    Thread.currentThread().interrupt();
                    throw new IllegalStateException("stream interrupted before event " + sent + " of " + count, e);
                }
            }
            // retry: a client that reconnects without our page's script (which closes on "done")
            // should not hammer the server.
            String retry = sent == 1 ? "retry: 10000\n" : "";
            return event(retry + "id: " + sent + "\n", "tick",
                    "{\"n\":" + sent + ",\"of\":" + count + ",\"at\":\"" + Instant.now() + "\"}");
        }

        private byte[] event(String fields, String name, String data) {
            return (fields + "event: " + name + "\ndata: " + data + "\n\n")
                    .getBytes(StandardCharsets.UTF_8);
        }
    }

    private static String page(Map<String, Object> environ, int events, int intervalMs) {
        String source = Urls.encodePath(Environ.scriptName(environ)) + "?n=" + events + "&interval_ms=" + intervalMs;
        String body = "<p>" + events + " events, one every " + intervalMs + " ms, from <a href=\""
                + Html.escape(source) + "\"><code>" + Html.escape(source) + "</code></a>. "
                + "If they all appear at once, something between here and the application buffers.</p>\n"
                + "<p id=\"state\" class=\"muted\">connecting...</p>\n<ol id=\"events\" data-src=\""
                + Html.escape(source) + "\"></ol>\n"
                + "<script>\n"
                + "const list = document.getElementById('events'), state = document.getElementById('state');\n"
                + "const source = new EventSource(list.dataset.src), opened = performance.now();\n"
                + "source.onopen = () => { state.textContent = 'connected'; };\n"
                + "source.addEventListener('tick', e => {\n"
                + "  const li = document.createElement('li');\n"
                + "  li.textContent = '+' + Math.round(performance.now() - opened) + ' ms  ' + e.data;\n"
                + "  list.appendChild(li);\n"
                + "});\n"
                + "source.addEventListener('done', () => { source.close(); state.textContent = 'done'; });\n"
                + "source.onerror = () => { source.close(); state.textContent = 'error: the stream broke'; };\n"
                + "</script>\n";
        return Html.page("Stream", body);
    }
}
