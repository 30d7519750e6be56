package org.wsgi4j.server;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.lang.System.Logger.Level;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.OptionalLong;
import java.util.concurrent.Executor;
import org.wsgi4j.Application;
import org.wsgi4j.ClientDisconnectedException;
import org.wsgi4j.Environ;
import org.wsgi4j.FileBody;
import org.wsgi4j.Header;
import org.wsgi4j.StartResponse;
import org.wsgi4j.Write;
import org.wsgi4j.internal.HttpSyntax;

/**
 * Runs an {@link Application} for one request against a {@link ResponseSink}, applying every
 * server-side rule of SPEC.md section 4 (S1-S20). This is the one place those rules live: the
 * servlet bridge and the uwsgi listener only provide sinks (the wsgiref {@code BaseHandler} split).
 *
 * <p>An engine is immutable and shared by all requests; {@link #run} keeps the per-request state in
 * a fresh object and never throws: application errors become a 500 or an aborted response, a client
 * that went away is logged at debug level, and the body's {@code close()} is called exactly once.
 */
public final class ResponseEngine {

    private static final byte[] TIMEOUT_BODY = "504 Gateway Timeout\n".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] ERROR_BODY = "500 Internal Server Error\n".getBytes(StandardCharsets.US_ASCII);

    private final Application application;
    private final EngineOptions options;

    /**
     * An engine for {@code application} with {@link EngineOptions#defaults()}.
     *
     * @param application the application every request runs
     */
    public ResponseEngine(Application application) {
        this(application, EngineOptions.defaults());
    }

    /**
     * An engine for {@code application}.
     *
     * @param application the application every request runs
     * @param options     debug answers and the logger
     */
    public ResponseEngine(Application application, EngineOptions options) {
        this.application = Objects.requireNonNull(application, "application");
        this.options = Objects.requireNonNull(options, "options");
    }

    /**
     * The application this engine runs.
     *
     * @return the application given to the constructor
     */
    public Application application() {
        return application;
    }

    /**
     * The options this engine applies.
     *
     * @return the options given to the constructor
     */
    public EngineOptions options() {
        return options;
    }

    /**
     * Calls the application with {@code environ} and sends its response to {@code sink}.
     *
     * @param environ the request, built by the front end (SPEC section 2)
     * @param sink    the response's I/O, used by this call only
     * @return what was sent and how the response ended
     */
    public Result run(Map<String, Object> environ, ResponseSink sink) {
        return run(environ, sink, null);
    }

    /**
     * Calls the application with {@code environ} and sends its response to {@code sink}, on the
     * thread {@code dispatch} chooses once the body is returned: on this one (as {@link #run(Map,
     * ResponseSink)} does) or on an executor, where the rest of the exchange runs as it would have here
     * (the body iterated and closed once, the observer's {@code completed} called at the end with the
     * {@link Result}). A request timeout interrupts the thread it started on, so with one the engine
     * does not ask {@code dispatch}. An executor that refuses the task, or a body that throws while
     * {@code dispatch} looks at it, is the application's failure (a
     * 500 before commit, SPEC S15).
     *
     * @param environ  the request, built by the front end (SPEC section 2)
     * @param sink     the response's I/O, used by this call only, then by the executor's thread
     * @param dispatch where the body is sent; {@code null} on this thread
     * @return what was sent and how the response ended, or {@code null} when it continues on an
     *         executor: the sink's {@link ResponseSink#complete} or {@link ResponseSink#abort} then
     *         tells the front end the end
     */
    public Result run(Map<String, Object> environ, ResponseSink sink, BodyDispatch dispatch) {
        long started = System.nanoTime();
        Object state = null;
        try {
            state = options.observer().started(environ);
        } catch (RuntimeException e) {
            options.logger().log(Level.WARNING, "the request observer failed", e);
        }
        return new Exchange(environ, sink, started, state).run(dispatch);
    }

    /**
     * How far the response got: {@code HEAD_SENT} means the head was handed to the sink, which may
     * still hold it in a buffer; whether bytes reached the client is {@link ResponseSink#isCommitted()}.
     */
    private enum State { NEW, STARTED, HEAD_SENT }

    /** The state of one request: what {@code start} gave, what went out. */
    private final class Exchange implements StartResponse, Write {
        private final Map<String, Object> environ;
        private final ResponseSink sink;
        private final boolean head;
        private final long started;
        /** What the observer's {@code started} returned, for its {@code completed}. */
        private final Object observed;
        /** The front end's wsgi.errors, flushed at the end: an unfinished last line is logged then (E12). */
        private final Object errors;

        private State state = State.NEW;
        private int code;
        private String reason;
        private List<Header> headers;
        private OptionalLong declaredLength = OptionalLong.empty();

        private boolean usedWrite;
        private boolean sendsBody;
        private long sent;
        private boolean excessLogged;
        private boolean clientGone;
        /** One-element collection bodies get a computed Content-Length (S10). */
        private boolean lengthComputable;
        /**
         * A collection's blocks all exist already, so flushing between them streams nothing (S13):
         * they are flushed once, when the response completes, in as few writes as the sink can.
         */
        private boolean preProduced;
        /** The request timeout's clock; null without one. */
        private RequestDeadline deadline;

        Exchange(Map<String, Object> environ, ResponseSink sink, long started, Object observed) {
            this.environ = environ;
            this.sink = sink;
            this.head = "HEAD".equals(environ.get(Environ.REQUEST_METHOD));
            this.started = started;
            this.observed = observed;
            this.errors = environ.get(Environ.WSGI_ERRORS);
        }

        /** The whole exchange; null when {@code dispatch} moved the body's part to an executor. */
        Result run(BodyDispatch dispatch) {
            // Not Optional.map: its lambda captures the environ, an allocation per request without a timeout.
            if (options.requestTimeout().isPresent()) {
                deadline = RequestDeadline.start(options.requestTimeout().get(), environ, options.logger());
            }
            Iterable<byte[]> body;
            try {
                body = application.call(environ, this);
                if (body == null) {
                    throw new NullPointerException("A6: the application returned a null body");
                }
            } catch (Throwable t) {
                return end(null, t);
            }
            if (dispatch != null && deadline == null) {
                try {
                    Executor executor = dispatch.executor(body);
                    if (executor != null) {
                        executor.execute(() -> send(body));
                        return null;
                    }
                } catch (Throwable t) {
                    // An executor that refuses the task, or a body that fails when the dispatch looks
                    // at it (a list's size or block): the application's failure, never an escape.
                    return end(body, t);
                }
            }
            return send(body);
        }

        private Result send(Iterable<byte[]> body) {
            Throwable failure = null;
            try {
                sendBody(body);
                if (deadline != null && state != State.HEAD_SENT) {
                    deadline.check();
                }
            } catch (Throwable t) {
                failure = t;
            }
            return end(body, failure);
        }

        /** Closes the body and ends the response (S12, S15-S18), then tells the observer. */
        private Result end(Iterable<byte[]> body, Throwable failure) {
            if (deadline != null) {
                deadline.stop();
                if (failure != null) {
                    failure = deadline.explain(failure);
                }
            }
            failure = closeBody(body, failure);
            if (errors instanceof PrintWriter writer) {
                writer.flush();
            }
            Result result = failure != null ? fail(failure) : finish();
            try {
                options.observer().completed(environ, observed, result, System.nanoTime() - started);
            } catch (RuntimeException e) {
                options.logger().log(Level.WARNING, "the request observer failed", e);
            }
            return result;
        }

        // --- start_response (S1-S7) ---

        @Override
        public Write start(String status, List<Header> newHeaders, Throwable excInfo) {
            if (excInfo != null) {
                if (state == State.HEAD_SENT) {
                    // S7: too late to change the response; the original error propagates.
                    if (excInfo instanceof RuntimeException r) {
                        throw r;
                    }
                    if (excInfo instanceof Error e) {
                        throw e;
                    }
                    throw new IllegalStateException("S7: start_response called with excInfo after the headers were sent",
                            excInfo);
                }
            } else if (state != State.NEW) {
                throw new IllegalStateException("S5: start_response called a second time without excInfo");
            }
            int newCode = HttpSyntax.parseFinalStatus(status);
            OptionalLong length = validate(newHeaders);
            HttpSyntax.checkNoContentLength(newCode, length);
            code = newCode;
            reason = reasonPhrase(status);
            headers = newHeaders;
            declaredLength = length;
            sendsBody = !head && HttpSyntax.statusAllowsBody(code);
            state = State.STARTED;
            return this;
        }

        private OptionalLong validate(List<Header> list) {
            Objects.requireNonNull(list, "A3: headers must be a list, not null");
            for (Header h : list) {
                Objects.requireNonNull(h, "A3: the header list contains null");
            }
            return HttpSyntax.checkHeaders(list);
        }

        // --- write callable (S19) ---

        @Override
        public void write(byte[] data) throws IOException {
            Objects.requireNonNull(data, "A6: write(null)");
            usedWrite = true;
            sendHead(data.length);
            sendBytes(data, true);
        }

        // --- the body (S8-S14, S20) ---

        private void sendBody(Iterable<byte[]> body) throws IOException {
            lengthComputable = !usedWrite && body instanceof Collection<?> c && c.size() == 1;
            preProduced = body instanceof Collection<?>;
            if (body instanceof FileBody file && sendFile(file)) {
                return;
            }
            Iterator<byte[]> blocks = body.iterator();
            while (blocks.hasNext()) {
                byte[] block = blocks.next();
                if (block == null) {
                    throw new NullPointerException("A6: the body produced a null block");
                }
                if (block.length == 0) {
                    continue;
                }
                if (deadline != null) {
                    deadline.check();
                }
                sendHead(block.length);
                if (!sendBytes(block, !preProduced)) {
                    return;
                }
            }
        }

        /** The zero-copy path; false when the body must be iterated instead. */
        private boolean sendFile(FileBody file) throws IOException {
            if (state == State.NEW) {
                return false;
            }
            if (declaredLength.isPresent() && declaredLength.getAsLong() != file.count()) {
                // The application's own length wins; iterating applies S11/S12 to the difference.
                return false;
            }
            if (declaredLength.isEmpty() && HttpSyntax.statusAllowsBody(code) && !usedWrite) {
                declaredLength = OptionalLong.of(file.count());
                headers = withLength(headers, file.count());
            }
            sendHead(0);
            if (!sendsBody || file.count() == 0) {
                return true;
            }
            try {
                if (!sink.sendFile(file)) {
                    return false;
                }
                sink.flush();
            } catch (IOException e) {
                throw disconnected(e);
            }
            sent += file.count();
            return true;
        }

        /** Hands the head to the sink if it has not been yet (S8, S9, S10). */
        private void sendHead(int firstBlockLength) throws IOException {
            if (state == State.HEAD_SENT) {
                return;
            }
            if (state == State.NEW) {
                throw new IllegalStateException("S9: the body produced bytes before start_response was called");
            }
            if (lengthComputable && declaredLength.isEmpty() && HttpSyntax.statusAllowsBody(code)) {
                declaredLength = OptionalLong.of(firstBlockLength);
                headers = withLength(headers, firstBlockLength);
            }
            state = State.HEAD_SENT;
            try {
                sink.sendHead(new ResponseHead(code, reason, headers, declaredLength));
            } catch (IOException e) {
                throw disconnected(e);
            }
        }

        /** Sends (and flushes) one block; false once Content-Length is reached and the rest is dropped (S11). */
        private boolean sendBytes(byte[] data, boolean flush) throws IOException {
            if (clientGone) {
                throw new ClientDisconnectedException("the client went away earlier", null);
            }
            try {
                if (sendsBody) {
                    int length = data.length;
                    if (declaredLength.isPresent() && sent + length > declaredLength.getAsLong()) {
                        length = (int) (declaredLength.getAsLong() - sent);
                        if (!excessLogged) {
                            excessLogged = true;
                            log(Level.WARNING, "S11: the application produced more than its Content-Length of "
                                    + declaredLength.getAsLong() + " bytes; the excess is dropped", null);
                        }
                    }
                    if (flush && length > 0 && length == data.length) {
                        sink.sendBlockAndFlush(data, 0, length);
                        sent += length;
                        return true;
                    }
                    if (length > 0) {
                        sink.sendBlock(data, 0, length);
                        sent += length;
                    }
                    if (length < data.length) {
                        return false;
                    }
                }
                if (flush || !sendsBody) {
                    sink.flush();
                }
                return true;
            } catch (IOException e) {
                throw disconnected(e);
            }
        }

        private ClientDisconnectedException disconnected(IOException e) {
            clientGone = true;
            return e instanceof ClientDisconnectedException c ? c
                    : new ClientDisconnectedException("the client went away: " + e, e);
        }

        // --- the end (S12, S15-S18) ---

        private Throwable closeBody(Iterable<byte[]> body, Throwable failure) {
            if (body instanceof AutoCloseable closeable) {
                try {
                    closeable.close();
                } catch (Throwable t) {
                    if (failure == null) {
                        return t;
                    }
                    failure.addSuppressed(t);
                }
            }
            return failure;
        }

        private Result finish() {
            try {
                if (state != State.HEAD_SENT) {
                    sendHead(0);
                    if (!sendsBody) {
                        // Commit the head as given: a container completing an uncommitted HEAD or
                        // 304 answer adds "Content-Length: 0", which would misstate the length (S14).
                        flushOrDisconnect();
                    }
                }
                if (sendsBody && declaredLength.isPresent() && sent < declaredLength.getAsLong()) {
                    String message = "S12: the body ended after " + sent + " of the " + declaredLength.getAsLong()
                            + " bytes its Content-Length declared; aborting the connection";
                    log(Level.WARNING, message, null);
                    // What was sent must reach the client before the cut, or a sink that had only
                    // buffered it could still turn the abort into an error page.
                    flushOrDisconnect();
                    IOException cut = new IOException(message);
                    sink.abort(cut);
                    return new Result(code, sent, Result.Outcome.ABORTED, cut);
                }
                try {
                    sink.complete();
                } catch (IOException e) {
                    throw disconnected(e);
                }
                return new Result(code, sent, Result.Outcome.COMPLETE, null);
            } catch (Throwable t) {
                return fail(t);
            }
        }

        private void flushOrDisconnect() throws ClientDisconnectedException {
            try {
                sink.flush();
            } catch (IOException e) {
                throw disconnected(e);
            }
        }

        private Result fail(Throwable failure) {
            if (clientGone || failure instanceof ClientDisconnectedException) {
                log(Level.DEBUG, "the client went away before the response was complete", failure);
                sink.abort(failure);
                return new Result(code, sent, Result.Outcome.CLIENT_GONE, failure);
            }
            if (sink.isCommitted()) {
                log(Level.ERROR, "S16: the application failed after the response was committed; "
                        + "aborting the connection", failure);
                sink.abort(failure);
                return new Result(code, sent, Result.Outcome.ABORTED, failure);
            }
            ContentTooLargeException tooLarge = tooLarge(failure);
            if (tooLarge != null) {
                // The client's error, not the application's: 413 with the limit, and no failure to count.
                log(Level.INFO, "S15: " + tooLarge.getMessage() + "; answering 413", null);
                byte[] page = ("413 Content Too Large: " + tooLarge.getMessage() + "\n").getBytes(StandardCharsets.UTF_8);
                return sendError(413, "Content Too Large", page, null);
            }
            boolean timedOut = failure instanceof RequestTimeoutException;
            int status = timedOut ? 504 : 500;
            String reason = timedOut ? "Gateway Timeout" : "Internal Server Error";
            if (!timedOut) {
                log(Level.ERROR, "S15: the application failed; answering 500", failure);
            }
            byte[] page = timedOut ? TIMEOUT_BODY : ERROR_BODY;
            if (options.debug()) {
                StringWriter trace = new StringWriter();
                failure.printStackTrace(new PrintWriter(trace));
                page = (status + " " + reason + "\n\n" + trace).getBytes(StandardCharsets.UTF_8);
            }
            return sendError(status, reason, page, failure);
        }

        /** A read past a body limit, wherever in the failure's causes the application left it; else null. */
        private static ContentTooLargeException tooLarge(Throwable failure) {
            int depth = 0;
            for (Throwable t = failure; t != null && depth < 16; t = t.getCause(), depth++) {
                if (t instanceof ContentTooLargeException e) {
                    return e;
                }
            }
            return null;
        }

        /**
         * Sends the server's own plain-text answer: {@code COMPLETE} with {@code failure} (what the
         * observer counts as the application's), or {@code CLIENT_GONE} if the client left first.
         */
        private Result sendError(int status, String reason, byte[] page, Throwable failure) {
            try {
                sink.sendHead(new ResponseHead(status, reason, List.of(
                        new Header("Content-Type", "text/plain; charset=utf-8"),
                        new Header("Content-Length", Integer.toString(page.length))),
                        OptionalLong.of(page.length)));
                if (!head) {
                    sink.sendBlock(page, 0, page.length);
                }
                sink.flush();
                sink.complete();
                return new Result(status, head ? 0 : page.length, Result.Outcome.COMPLETE, failure);
            } catch (IOException e) {
                log(Level.DEBUG, "the client went away before the " + status + " was sent", e);
                sink.abort(e);
                return new Result(status, 0, Result.Outcome.CLIENT_GONE, e);
            }
        }

        private void log(Level level, String message, Throwable t) {
            System.Logger logger = options.logger();
            if (!logger.isLoggable(level)) {
                return;
            }
            String where = environ.get(Environ.REQUEST_METHOD) + " " + Environ.path(environ) + ": ";
            if (t == null) {
                logger.log(level, where + message);
            } else {
                logger.log(level, where + message, t);
            }
        }
    }

    /** The reason phrase of a checked status; "OK" shared, since nearly every answer has it. */
    private static String reasonPhrase(String status) {
        return status.length() == 6 && status.endsWith(" OK") ? "OK" : status.substring(4);
    }

    private static List<Header> withLength(List<Header> headers, long length) {
        List<Header> copy = new ArrayList<>(headers.size() + 1);
        copy.addAll(headers);
        copy.add(new Header("Content-Length", Long.toString(length)));
        return copy;
    }
}
