package org.wsgi4j.python.internal;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import org.graalvm.polyglot.Context;
import org.graalvm.polyglot.Source;
import org.graalvm.polyglot.Value;

/**
 * One GraalPy context with the application imported into it. A worker serves one request at a
 * time (the pool hands it out), so no request ever sees another request's {@code Value}s.
 */
public final class Worker implements AutoCloseable {

    private static final String GATEWAY = "wsgi4j_gateway.py";
    private static final Source GATEWAY_SOURCE = gatewaySource();

    private final Context context;
    private final Value app;
    private final Value newRequest;
    private final Value fileRegion;

    private Worker(Context context, Value app, Value newRequest, Value fileRegion) {
        this.context = context;
        this.app = app;
        this.newRequest = newRequest;
        this.fileRegion = fileRegion;
    }

    /**
     * Loads the gateway into {@code context} and imports {@code module}, taking {@code callable}
     * from it. On failure the context is closed and the {@link org.graalvm.polyglot.PolyglotException}
     * propagates.
     *
     * @param context a new context, owned by the worker from now on
     * @param module the dotted module name
     * @param callable the dotted name of the application in the module
     * @return the worker, ready for requests
     */
    public static Worker start(Context context, String module, String callable) {
        try {
            Value gateway = context.eval(GATEWAY_SOURCE);
            Value app = gateway.getMember("load").execute(module, callable);
            return new Worker(context, app, gateway.getMember("Request"), gateway.getMember("file_region"));
        } catch (RuntimeException e) {
            context.close(true);
            throw e;
        }
    }

    Context context() {
        return context;
    }

    Value app() {
        return app;
    }

    Value newRequest(Exchange exchange, Object[] flatEnviron) {
        return newRequest.execute(exchange, flatEnviron);
    }

    /** {@code (path, position, count, blockSize)} when the body is a file on disk, else a Python None. */
    Value fileRegion(Value body) {
        return fileRegion.execute(body);
    }

    @Override
    public void close() {
        context.close(true);
    }

    private static Source gatewaySource() {
        try (InputStream in = Worker.class.getResourceAsStream(GATEWAY)) {
            if (in == null) {
                throw new IllegalStateException(GATEWAY + " is missing beside " + Worker.class.getName());
            }
            String text = new String(in.readAllBytes(), StandardCharsets.UTF_8)
                    // eval returns the last expression: the module's namespace as an object with members.
                    + "\nimport types as _types\n_types.SimpleNamespace(load=load, Request=Request, file_region=file_region)\n";
            return Source.newBuilder("python", text, GATEWAY).buildLiteral();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
