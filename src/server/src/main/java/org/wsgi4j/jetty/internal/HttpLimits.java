package org.wsgi4j.jetty.internal;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import org.eclipse.jetty.http.HttpStatus;
import org.eclipse.jetty.io.Connection;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;
import org.eclipse.jetty.util.thread.Scheduler;

/**
 * The HTTP limits Jetty does not have itself, in front of every handler:
 *
 * <ul>
 *   <li>{@code --limit-request-fields}: a request with more header fields (each field line counts,
 *       {@code Host} included) is answered 431;</li>
 *   <li>{@code --header-timeout}: a connection whose first request line and headers have not all
 *       arrived this long after it was accepted is closed. Jetty's idle timeout restarts with
 *       every byte, so a client sending one byte at a time would otherwise hold the connection for
 *       as long as it likes; later requests on a kept-alive connection are bounded by the idle
 *       timeout ({@code --http-timeout}).</li>
 * </ul>
 *
 * Add it as a connection listener to each HTTP connector and as the outermost handler.
 */
public final class HttpLimits extends Handler.Wrapper implements Connection.Listener {

    private final int maxFields;
    private final long headerTimeoutMillis;
    private final Scheduler scheduler;
    private final Map<Connection, Scheduler.Task> awaitingHead = new ConcurrentHashMap<>();

    /**
     * Limits for {@code handler}.
     *
     * @param maxFields the most request header fields ({@code --limit-request-fields})
     * @param headerTimeout how long a new connection may take to send its head ({@code --header-timeout})
     * @param scheduler schedules the header deadlines
     * @param handler the handler it wraps
     */
    public HttpLimits(int maxFields, Duration headerTimeout, Scheduler scheduler, Handler handler) {
        super(handler);
        this.maxFields = maxFields;
        this.headerTimeoutMillis = headerTimeout.toMillis();
        this.scheduler = scheduler;
    }

    @Override
    public void onOpened(Connection connection) {
        awaitingHead.put(connection, scheduler.schedule(() -> {
            if (awaitingHead.remove(connection) != null) {
                connection.getEndPoint().close();
            }
        }, headerTimeoutMillis, TimeUnit.MILLISECONDS));
    }

    @Override
    public void onClosed(Connection connection) {
        headArrived(connection);
    }

    private void headArrived(Connection connection) {
        Scheduler.Task deadline = awaitingHead.remove(connection);
        if (deadline != null) {
            deadline.cancel();
        }
    }

    @Override
    public boolean handle(Request request, Response response, Callback callback) throws Exception {
        headArrived(request.getConnectionMetaData().getConnection());
        int fields = request.getHeaders().size();
        if (fields > maxFields) {
            Response.writeError(request, response, callback, HttpStatus.REQUEST_HEADER_FIELDS_TOO_LARGE_431,
                    fields + " header fields, more than the limit of " + maxFields + " (--limit-request-fields)");
            return true;
        }
        return super.handle(request, response, callback);
    }
}
