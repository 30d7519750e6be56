package org.wsgi4j.jetty.internal;

import java.lang.System.Logger.Level;
import java.net.InetSocketAddress;
import java.util.List;
import java.util.Map;
import java.util.RandomAccess;
import java.util.concurrent.Executor;
import java.util.function.Consumer;
import org.eclipse.jetty.http.HttpField;
import org.eclipse.jetty.http.HttpFields;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.http.HttpURI;
import org.eclipse.jetty.io.QuietException;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;
import org.eclipse.jetty.util.VirtualThreads;
import org.wsgi4j.internal.LineWriter;
import org.wsgi4j.server.BodyDispatch;
import org.wsgi4j.server.EnvironBuilder;
import org.wsgi4j.server.Refusal;
import org.wsgi4j.server.RequestInput;
import org.wsgi4j.server.RequestTarget;
import org.wsgi4j.server.ResponseEngine;
import org.wsgi4j.server.Result;

/**
 * The Jetty core front end ({@code --front-end core}): one {@link Handler} that builds the environ
 * from Jetty's core {@link Request} with the core {@link EnvironBuilder}, runs the
 * {@link ResponseEngine} and writes through a {@link CoreSink}; no servlet layer. The application
 * it runs is normally a {@code UrlMap} of the mounts, which sets {@code SCRIPT_NAME} and
 * {@code PATH_INFO} from the mount prefixes (SPEC M2-M4) as the servlet mappings do.
 *
 * <p>The translation is the servlet bridge's, field by field, from the same Jetty values the
 * servlet API reads (server name and port, peer, scheme, protocol, headers as received), so both
 * front ends give the same environ: SPEC E14-E16 are checked on the raw target by
 * {@link RequestTarget}, and {@code PATH_INFO} is Jetty's decoded, normalized path without path
 * parameters, as the servlet path is. A target those rules refuse is answered by a {@link Refusal}
 * through the same engine options and sink, so the observer sees it too.
 *
 * <p>By default the handler blocks its thread for the whole exchange, as a servlet does, so Jetty
 * runs it on a pool (or virtual) thread. {@linkplain #CoreGateway(ResponseEngine, boolean, int)
 * Non-blocking} ({@code --non-blocking}), it reports {@link InvocationType#NON_BLOCKING}, and Jetty
 * calls it on the selector thread that read the request, saving the hand-off to a pool thread; the
 * application has promised never to block. The one response engine still runs every request; what
 * changes is only where, and how its sink writes:
 * <ul>
 * <li>a request without a body calls the application on the calling thread. An answer already in
 *     memory and small (a random-access list of byte arrays totalling at most
 *     {@code --non-blocking-buffer-size} with what the {@code write} callable was given) is written from
 *     there with a {@linkplain CoreSink#nonBlocking non-blocking sink}: its writes are queued and chained
 *     by Jetty's callbacks, so the engine returns without waiting for the client (hello is one
 *     head-and-body write). Any other body (streamed, a {@code FileBody}, a larger list, another
 *     collection) is handed, before it is iterated, to the server's executor ({@link BodyDispatch}),
 *     where the same sink writes it waiting for the client, as the blocking front end does: a slow client
 *     then holds a thread, never the answer;</li>
 * <li>a request with a body ({@code Content-Length} above 0, {@code Transfer-Encoding}, or an HTTP/2
 *     request that declares no length) is handed to the server's executor (a virtual thread with
 *     {@code --virtual-threads}), where it runs as without the opt-in: {@code wsgi.input} reads wait for
 *     the client.</li>
 * </ul>
 * What the selector holds for a slow client is therefore at most the buffer size per response, plus
 * what the application gave the {@code write} callable while it ran there (it cannot be paused).
 */
public final class CoreGateway extends Handler.Abstract {

    private final ResponseEngine engine;
    /** Where each request's wsgi.errors lines go. */
    private final Consumer<String> errorLog;
    private final boolean nonBlocking;
    private final int bufferSize;

    /**
     * A handler running {@code engine} for every request it is given.
     *
     * @param engine      the response engine (application, options, observer)
     * @param nonBlocking whether the application never blocks, so that a request without a body may
     *                    run on Jetty's selector thread ({@code --non-blocking}); the engine must then
     *                    have no request timeout, which would interrupt that thread ({@code ServerConfig}
     *                    refuses {@code --harakiri} with {@code --non-blocking} at start)
     * @param bufferSize  non-blocking, the largest answer in bytes written from the selector thread; a larger
     *                    or streamed one is written from the executor ({@code --non-blocking-buffer-size})
     */
    public CoreGateway(ResponseEngine engine, boolean nonBlocking, int bufferSize) {
        super(nonBlocking ? InvocationType.NON_BLOCKING : InvocationType.BLOCKING);
        this.engine = engine;
        this.errorLog = LineWriter.toLogger(engine.options().logger(), Level.WARNING);
        this.nonBlocking = nonBlocking;
        this.bufferSize = bufferSize;
    }

    @Override
    public boolean handle(Request request, Response response, Callback callback) {
        HttpURI uri = request.getHttpURI();
        String path = uri.getPath();
        if (path == null || !path.startsWith("/")) {
            // OPTIONS * and the like: no application is mounted at '*'; Jetty answers 404 as without a context.
            return false;
        }
        String query = uri.getQuery();
        String target = query == null ? path : path + '?' + query;
        ResponseEngine answering = engine;
        Map<String, Object> environ;
        try {
            environ = environ(request, uri, target, query);
        } catch (IllegalArgumentException refused) {
            answering = new ResponseEngine(Refusal.badRequest(refused.getMessage()), engine.options());
            environ = refused(request, uri, target);
        }
        int aggregation = request.getConnectionMetaData().getHttpConfiguration().getOutputAggregationSize();
        if (nonBlocking) {
            if (hasBody(request)) {
                Map<String, Object> dispatched = environ;
                ResponseEngine dispatchedEngine = answering;
                executor(request).execute(() -> run(dispatchedEngine, dispatched, response, callback, aggregation));
                return true;
            }
            CoreSink sink = CoreSink.nonBlocking(response, aggregation, callback);
            Result result = answering.run(environ, sink, body -> dispatch(body, sink, request));
            if (result != null && !sink.ended()) {
                // Not reached while the engine keeps its contract (complete or abort, once); never leave Jetty waiting.
                callback.failed(new IllegalStateException("the response engine returned without ending the response: "
                        + result));
            }
            return true;
        }
        run(answering, environ, response, callback, aggregation);
        return true;
    }

    /** Runs the engine on this thread, each write waiting until it has left, then completes Jetty's callback. */
    private static void run(ResponseEngine engine, Map<String, Object> environ, Response response, Callback callback,
                            int aggregation) {
        Result result = engine.run(environ, new CoreSink(response, aggregation));
        if (result.outcome() == Result.Outcome.COMPLETE) {
            callback.succeeded();
        } else {
            // Jetty aborts a committed response on a failed callback: the connection closes without
            // finishing it (SPEC S12, S16). Quiet: the engine has logged the failure already.
            callback.failed(new QuietException.Exception(result.failure()));
        }
    }

    /**
     * Where a non-blocking request's body is sent: {@code null} (the selector) for a random-access list
     * of byte arrays that fits in the buffer size with what the sink was given already, else the
     * executor, with the sink told it may wait from then on. The list is read by index, never iterated:
     * the engine's iteration is the one the application sees (PEP 3333; {@code Lint} checks it).
     */
    private Executor dispatch(Iterable<byte[]> body, CoreSink sink, Request request) {
        if (body instanceof List<?> blocks && body instanceof RandomAccess && fits(blocks, bufferSize - sink.given())) {
            return null;
        }
        sink.waitForClient();
        return executor(request);
    }

    /** Whether the blocks total at most {@code room} bytes; an element that is no array, the engine refuses. */
    private static boolean fits(List<?> blocks, long room) {
        long left = room;
        for (int i = 0, n = blocks.size(); i < n && left >= 0; i++) {
            if (blocks.get(i) instanceof byte[] bytes) {
                left -= bytes.length;
            }
        }
        return left >= 0;
    }

    /**
     * Whether reading the request's body could wait for the client. HTTP/1 has a body only with a
     * {@code Content-Length} above 0 or a {@code Transfer-Encoding} (RFC 9112, 6.3); an HTTP/2 or
     * HTTP/3 request without a length may still have DATA frames, so only a declared 0 counts as none.
     */
    private static boolean hasBody(Request request) {
        long length = request.getLength();
        if (length >= 0) {
            return length > 0;
        }
        return request.getConnectionMetaData().getHttpVersion().getVersion() >= 20
                || request.getHeaders().contains(HttpHeader.TRANSFER_ENCODING);
    }

    /** Jetty's virtual threads executor when the pool has one (--virtual-threads), else the request's context. */
    private static Executor executor(Request request) {
        Executor virtual = VirtualThreads.getVirtualThreadsExecutor(request.getComponents().getThreadPool());
        return virtual != null ? virtual : request.getContext();
    }

    /**
     * The environ of {@code request} (SPEC section 2).
     *
     * @throws IllegalArgumentException naming the rule when the target breaks SPEC E14-E16
     */
    private Map<String, Object> environ(Request request, HttpURI uri, String target, String query) {
        RequestTarget.check(target);
        String serverName = Request.getServerName(request);
        EnvironBuilder env = new EnvironBuilder()
                .method(request.getMethod())
                .scriptName("")
                .pathInfo(uri.getDecodedPath())
                .queryString(query)
                .requestUri(target)
                .server(serverName, Request.getServerPort(request), request.getConnectionMetaData().getProtocol())
                .scheme(uri.getScheme())
                .input(new RequestInput(() -> Request.asInputStream(request)))
                .errors(LineWriter.forRequest(errorLog))
                .flags(true, false, false);
        if (serverName == null || serverName.isEmpty()) {
            // Only an empty name falls back to the local address (E7): not formatted for every request.
            env.localAddress(Request.getLocalAddr(request));
        }
        // The peer's text once per connection: Jetty hands every request of a connection the same address object.
        if (request.getConnectionMetaData().getRemoteSocketAddress() instanceof InetSocketAddress peer) {
            env.remote(peer);
        } else {
            env.remote(Request.getRemoteAddr(request), Request.getRemotePort(request));
        }
        // By index: Jetty's request fields are an array, and an iterator would be one more object per request.
        HttpFields headers = request.getHeaders();
        for (int i = 0, count = headers.size(); i < count; i++) {
            HttpField field = headers.getField(i);
            env.header(field.getName(), field.getValue());
        }
        return env.build();
    }

    /** The environ of a request {@link #environ} refused: what it carried that is not in question ({@link Refusal}). */
    private static Map<String, Object> refused(Request request, HttpURI uri, String target) {
        return new EnvironBuilder()
                .method(request.getMethod())
                .requestUri(target)
                .server(Request.getServerName(request), Request.getServerPort(request),
                        request.getConnectionMetaData().getProtocol())
                .remote(Request.getRemoteAddr(request), Request.getRemotePort(request))
                .scheme(uri.getScheme())
                .build();
    }
}
