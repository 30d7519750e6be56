package org.wsgi4j.jetty.internal;

import java.io.PrintWriter;
import java.lang.System.Logger.Level;
import java.util.Map;
import org.eclipse.jetty.http.HttpField;
import org.eclipse.jetty.http.HttpURI;
import org.eclipse.jetty.io.QuietException;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;
import org.wsgi4j.internal.LineWriter;
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
 * through the same engine options and sink, so the observer sees it too. The handler blocks its
 * thread for the whole exchange, as a servlet does, so Jetty runs it on a pool (or virtual) thread.
 */
public final class CoreGateway extends Handler.Abstract {

    private final ResponseEngine engine;
    private final PrintWriter errors;

    /**
     * A handler running {@code engine} for every request it is given.
     *
     * @param engine the response engine (application, options, observer)
     */
    public CoreGateway(ResponseEngine engine) {
        this.engine = engine;
        this.errors = LineWriter.toLogger(engine.options().logger(), Level.WARNING).printWriter();
    }

    @Override
    public boolean handle(Request request, Response response, Callback callback) {
        HttpURI uri = request.getHttpURI();
        String path = uri.getPath();
        if (path == null || !path.startsWith("/")) {
            // OPTIONS * and the like: no application is mounted at '*'; Jetty answers 404 as without a context.
            return false;
        }
        Map<String, Object> environ = null;
        Refusal refusal = null;
        try {
            environ = environ(request, uri, path);
        } catch (IllegalArgumentException refused) {
            refusal = Refusal.badRequest(refused.getMessage());
        }
        CoreSink sink = new CoreSink(response,
                request.getConnectionMetaData().getHttpConfiguration().getOutputAggregationSize());
        Result result = refusal == null ? engine.run(environ, sink)
                : refusal.run(engine.options(), refused(request, uri, path), sink);
        if (result.outcome() == Result.Outcome.COMPLETE) {
            callback.succeeded();
        } else {
            // Jetty aborts a committed response on a failed callback: the connection closes without
            // finishing it (SPEC S12, S16). Quiet: the engine has logged the failure already.
            callback.failed(new QuietException.Exception(result.failure()));
        }
        return true;
    }

    /**
     * The environ of {@code request} (SPEC section 2).
     *
     * @throws IllegalArgumentException naming the rule when the target breaks SPEC E14-E16
     */
    private Map<String, Object> environ(Request request, HttpURI uri, String path) {
        String query = uri.getQuery();
        String target = query == null ? path : path + '?' + query;
        RequestTarget.check(target);
        EnvironBuilder env = new EnvironBuilder()
                .method(request.getMethod())
                .scriptName("")
                .pathInfo(uri.getDecodedPath())
                .queryString(query)
                .requestUri(target)
                .server(Request.getServerName(request), Request.getServerPort(request),
                        request.getConnectionMetaData().getProtocol())
                .remote(Request.getRemoteAddr(request), Request.getRemotePort(request))
                .localAddress(Request.getLocalAddr(request))
                .scheme(uri.getScheme())
                .input(new RequestInput(() -> Request.asInputStream(request)))
                .errors(errors)
                .flags(true, false, false);
        for (HttpField field : request.getHeaders()) {
            env.header(field.getName(), field.getValue());
        }
        return env.build();
    }

    /** The environ of a request {@link #environ} refused: what it carried that is not in question ({@link Refusal}). */
    private static Map<String, Object> refused(Request request, HttpURI uri, String path) {
        String query = uri.getQuery();
        return new EnvironBuilder()
                .method(request.getMethod())
                .requestUri(query == null ? path : path + '?' + query)
                .server(Request.getServerName(request), Request.getServerPort(request),
                        request.getConnectionMetaData().getProtocol())
                .remote(Request.getRemoteAddr(request), Request.getRemotePort(request))
                .scheme(uri.getScheme())
                .build();
    }
}
