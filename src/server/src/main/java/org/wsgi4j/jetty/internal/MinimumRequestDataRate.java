package org.wsgi4j.jetty.internal;

import java.util.concurrent.TimeoutException;
import org.eclipse.jetty.io.Content;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;

/**
 * {@code --min-request-data-rate}: when a request's reader has to wait for more of the body, and
 * the body has so far arrived at fewer than the given bytes per second (bytes of this request read
 * since its first wait, over the time since), the read fails with a {@link TimeoutException}
 * instead of waiting; the application sees its {@code wsgi.input} read fail.
 *
 * <p>Jetty's own {@code MinimumDataRateHandler} (12.1) divides the bytes read by <em>all</em>
 * requests since the server started, so once the server has read a few megabytes a slow body is
 * never cut off; this one counts per request. Like Jetty's, it checks only when the reader waits,
 * so a client that stops sending altogether is left to the idle timeout ({@code --http-timeout}).
 */
public final class MinimumRequestDataRate extends Handler.Wrapper {

    private final long bytesPerSecond;

    /**
     * @param bytesPerSecond the slowest accepted body, bytes per second, positive
     * @param handler        the handler whose requests are checked
     * @throws IllegalArgumentException when {@code bytesPerSecond} is not positive
     */
    public MinimumRequestDataRate(long bytesPerSecond, Handler handler) {
        super(handler);
        if (bytesPerSecond <= 0) {
            throw new IllegalArgumentException("'bytesPerSecond' must be positive, was " + bytesPerSecond);
        }
        this.bytesPerSecond = bytesPerSecond;
    }

    @Override
    public boolean handle(Request request, Response response, Callback callback) throws Exception {
        return super.handle(new RateRequest(request), response, callback);
    }

    /** Read and demand come from the request's one reader in turn (Content.Source), so plain fields do. */
    private final class RateRequest extends Request.Wrapper {

        private long firstWait;
        private long bytesRead;
        private Content.Chunk failure;

        RateRequest(Request request) {
            super(request);
        }

        @Override
        public Content.Chunk read() {
            if (failure != null) {
                return failure;
            }
            Content.Chunk chunk = super.read();
            if (chunk != null) {
                bytesRead += chunk.remaining();
            }
            return chunk;
        }

        @Override
        public void demand(Runnable demandCallback) {
            long now = System.nanoTime();
            if (firstWait == 0) {
                firstWait = now == 0 ? 1 : now;
            } else if (bytesRead > 0) {
                long elapsed = Math.max(1, now - firstWait);
                double rate = bytesRead * 1e9 / elapsed;
                if (rate < bytesPerSecond) {
                    failure = Content.Chunk.from(new TimeoutException(String.format(
                            "request body arriving at %.0f bytes/s, below --min-request-data-rate %d",
                            rate, bytesPerSecond)));
                    demandCallback.run();
                    return;
                }
            }
            super.demand(demandCallback);
        }
    }
}
