package org.wsgi4j.jetty.internal;

import java.io.PrintWriter;
import java.lang.System.Logger.Level;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.eclipse.jetty.http.HttpField;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.http.HttpURI;
import org.eclipse.jetty.io.QuietException;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;
import org.wsgi4j.internal.LineWriter;
import org.wsgi4j.server.EnvironBuilder;
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
 * parameters, as the servlet path is. The handler blocks its thread for the whole exchange, as a
 * servlet does, so Jetty runs it on a pool (or virtual) thread.
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
        Map<String, Object> environ;
        try {
            environ = environ(request, uri, path);
        } catch (IllegalArgumentException refused) {
            refuse(response, callback, refused.getMessage());
            return true;
        }
        Result result = engine.run(environ, new CoreSink(response,
                request.getConnectionMetaData().getHttpConfiguration().getOutputAggregationSize()));
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

    /** SPEC E14-E16: {@code 400 Bad Request} with the reason as a {@code text/plain} body, as the servlet bridge answers. */
    private static void refuse(Response response, Callback callback, String reason) {
        byte[] body = (reason + "\n").getBytes(StandardCharsets.UTF_8);
        response.setStatus(400);
        response.getHeaders().put(HttpHeader.CONTENT_TYPE, "text/plain; charset=utf-8");
        response.getHeaders().put(HttpHeader.CONTENT_LENGTH, body.length);
        response.write(true, ByteBuffer.wrap(body), callback);
    }
}
