package org.wsgi4j.jetty.internal;

import java.nio.charset.StandardCharsets;
import java.util.function.BooleanSupplier;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.http.HttpStatus;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.util.Callback;
import org.eclipse.jetty.util.thread.QueuedThreadPool;

/**
 * The stats port ({@code --stats}): its own small Jetty server, so it keeps answering while the
 * main one drains and is never starved by the applications' threads.
 *
 * <ul>
 *   <li>{@code GET /}: the JSON of {@link Metrics#json()};</li>
 *   <li>{@code GET /metrics}: Prometheus text;</li>
 *   <li>{@code GET /health}: 200 {@code serving}, or 503 {@code draining} once a stop began.</li>
 * </ul>
 */
public final class StatsServer {

    private final Server server;
    private final ServerConnector connector;

    /**
     * A stats server answering {@code /} (JSON), {@code /metrics} (Prometheus) and {@code /health}; not yet bound.
     *
     * @param host the address to bind
     * @param port the TCP port, 0 for a free one
     * @param metrics what {@code /} and {@code /metrics} report
     * @param draining true once the server stops, when {@code /health} answers 503
     */
    public StatsServer(String host, int port, Metrics metrics, BooleanSupplier draining) {
        QueuedThreadPool pool = new QueuedThreadPool(8, 2);
        pool.setName("wsgi4j-stats");
        server = new Server(pool);
        connector = new ServerConnector(server, 1, 1);
        connector.setHost(host);
        connector.setPort(port);
        server.addConnector(connector);
        server.setHandler(new Handler.Abstract.NonBlocking() {
            @Override
            public boolean handle(Request request, Response response, Callback callback) {
                String path = Request.getPathInContext(request);
                switch (path) {
                    case "/" -> answer(response, callback, HttpStatus.OK_200, "application/json", metrics.json());
                    case "/metrics" -> answer(response, callback, HttpStatus.OK_200,
                            "text/plain; version=0.0.4; charset=utf-8", metrics.prometheus());
                    case "/health" -> {
                        boolean stopping = draining.getAsBoolean();
                        answer(response, callback, stopping ? HttpStatus.SERVICE_UNAVAILABLE_503 : HttpStatus.OK_200,
                                "text/plain; charset=utf-8", stopping ? "draining\n" : "serving\n");
                    }
                    default -> answer(response, callback, HttpStatus.NOT_FOUND_404, "text/plain; charset=utf-8",
                            "not found: the stats port serves /, /metrics and /health\n");
                }
                return true;
            }
        });
    }

    private static void answer(Response response, Callback callback, int status, String type, String text) {
        response.setStatus(status);
        response.getHeaders().put(HttpHeader.CONTENT_TYPE, type);
        response.getHeaders().put(HttpHeader.CACHE_CONTROL, "no-store");
        response.write(true, StandardCharsets.UTF_8.encode(text), callback);
    }

    /**
     * Binds the port; an {@link java.io.IOException} when it is taken.
     *
     * @throws java.io.IOException when the port cannot be bound
     */
    public void open() throws java.io.IOException {
        connector.open();
    }

    /**
     * Starts serving.
     *
     * @throws Exception if Jetty cannot start
     */
    public void start() throws Exception {
        server.start();
    }

    /**
     * Stops serving.
     *
     * @throws Exception if Jetty cannot stop
     */
    public void stop() throws Exception {
        server.stop();
    }

    /**
     * The bound port.
     *
     * @return the bound port
     */
    public int port() {
        return connector.getLocalPort();
    }

    /**
     * The host it listens on.
     *
     * @return the host it listens on
     */
    public String host() {
        return connector.getHost();
    }
}
