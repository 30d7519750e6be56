package org.wsgi4j.python.internal;

import java.io.IOException;
import java.io.InputStream;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.AbstractList;
import java.util.Arrays;
import java.util.Iterator;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.Set;
import org.graalvm.polyglot.PolyglotException;
import org.graalvm.polyglot.Value;
import org.wsgi4j.Environ;
import org.wsgi4j.FileBody;
import org.wsgi4j.StartResponse;

/**
 * One request through a Python application: the environ across the border, the body back, the
 * worker returned to the pool when the body is closed.
 */
public final class Gateway {

    /** Keys the Python side makes itself (Python objects, not Java ones). */
    private static final Set<String> MADE_IN_PYTHON = Set.of(
            Environ.WSGI_VERSION, Environ.WSGI_INPUT, Environ.WSGI_ERRORS, Environ.WSGI_FILE_WRAPPER);

    private Gateway() {
    }

    /**
     * Calls the application in {@code worker}'s context. The worker is given back to {@code pool}
     * when the returned body is closed, or before this method throws.
     *
     * @param worker a worker taken from {@code pool}
     * @param pool where the worker goes back
     * @param environ the request's environ; {@code wsgi.input}, {@code wsgi.errors} and the other
     *     Python-made keys are rebuilt on the Python side
     * @param input the body, read as {@code wsgi.input}
     * @param errors {@code wsgi.errors}
     * @param startResponse the host's {@code start_response}
     * @return the response body, its chunks as the application yields them
     * @throws Exception a {@link org.wsgi4j.python.PythonException} for a Python exception, or what the
     *     host's {@code start_response} or input threw
     */
    public static Iterable<byte[]> call(Worker worker, ContextPool pool, Map<String, Object> environ,
                                        InputStream input, PrintWriter errors, StartResponse startResponse) throws Exception {
        Value request;
        try {
            request = worker.newRequest(new Exchange(input, errors, startResponse), flatten(environ));
            request.invokeMember("call", worker.app());
        } catch (PolyglotException e) {
            throw end(worker, pool, e);
        } catch (RuntimeException | Error e) {
            pool.release(worker);
            throw e;
        }
        Body body = new Body(worker, pool, request);
        Value blocks = request.getMember("blocks");
        if (!blocks.isNull()) {
            try {
                return new ListBody(blocks, body);
            } catch (RuntimeException e) {
                body.close();
                throw e;
            }
        }
        try {
            Value region = worker.fileRegion(request.getMember("result"));
            if (!region.isNull()) {
                // S20: the host sends it without copying; iterating the Python wrapper is the fallback.
                return FileBody.of(Path.of(region.getArrayElement(0).asString()), region.getArrayElement(1).asLong(),
                        region.getArrayElement(2).asLong(), region.getArrayElement(3).asInt()).onClose(body);
            }
        } catch (IOException | IllegalArgumentException | PolyglotException e) {
            // The file changed between Python's stat and Java's open: the Python iterator still works.
        }
        return body;
    }

    /**
     * The environ as {@code [key, value, ...]}: every Java string stays a str (wsgi4j's strings are
     * already bytes as latin-1, S22), except {@code SCRIPT_NAME} and {@code PATH_INFO}, decoded by
     * wsgi4j and turned back into their UTF-8 bytes as latin-1 for PEP 3333.
     */
    static Object[] flatten(Map<String, Object> environ) {
        Object[] flat = new Object[environ.size() * 2];
        int i = 0;
        for (Map.Entry<String, Object> entry : environ.entrySet()) {
            String key = entry.getKey();
            if (MADE_IN_PYTHON.contains(key)) {
                continue;
            }
            Object value = entry.getValue();
            if ((Environ.SCRIPT_NAME.equals(key) || Environ.PATH_INFO.equals(key)) && value instanceof String path) {
                value = new String(path.getBytes(StandardCharsets.UTF_8), StandardCharsets.ISO_8859_1);
            }
            flat[i++] = key;
            flat[i++] = value;
        }
        return i == flat.length ? flat : Arrays.copyOf(flat, i);
    }

    /** Ends a failed request: the worker goes back (or is replaced) and the error is carried out. */
    static RuntimeException end(Worker worker, ContextPool pool, PolyglotException e) {
        RuntimeException carried = carry(e);
        if (e.isExit() || e.isCancelled() || e.isInterrupted()) {
            pool.replace(worker);
        } else {
            pool.release(worker);
        }
        return carried;
    }

    /**
     * A Java exception thrown through Python (a vanished client, a refused header) comes out as
     * itself; a Python exception as a {@link org.wsgi4j.python.PythonException} made while the
     * context is still ours.
     */
    static RuntimeException carry(PolyglotException e) {
        if (e.isHostException()) {
            Throwable host = e.asHostException();
            if (host instanceof RuntimeException r) {
                return r;
            }
            if (host instanceof Error error) {
                throw error;
            }
            if (host instanceof IOException io) {
                return new UncheckedIOException(io);
            }
            return new IllegalStateException(host);
        }
        String message = e.isExit() ? "the Python application called sys.exit(" + e.getExitStatus() + ") in a request"
                : e.getMessage();
        return new org.wsgi4j.python.PythonException(message, e.getStackTrace());
    }

    /**
     * A list or tuple body: its blocks exist already, so the host gets a collection (a computed
     * Content-Length for one block, S10; one flush, S13); close() still reaches the Python side.
     */
    static final class ListBody extends AbstractList<byte[]> implements AutoCloseable {

        private final byte[][] blocks;
        private final Body body;

        ListBody(Value list, Body body) {
            this.body = body;
            this.blocks = new byte[(int) list.getArraySize()][];
            for (int i = 0; i < blocks.length; i++) {
                blocks[i] = Bytes.of(list.getArrayElement(i));
            }
        }

        @Override
        public byte[] get(int index) {
            return blocks[index];
        }

        @Override
        public int size() {
            return blocks.length;
        }

        @Override
        public void close() {
            body.close();
        }
    }

    /** The body: blocks from the Python iterator as the host asks; close() once, then the worker goes back. */
    static final class Body implements Iterable<byte[]>, AutoCloseable {

        private final Worker worker;
        private final ContextPool pool;
        private final Value request;
        private boolean iterated;
        private boolean closed;

        Body(Worker worker, ContextPool pool, Value request) {
            this.worker = worker;
            this.pool = pool;
            this.request = request;
        }

        @Override
        public Iterator<byte[]> iterator() {
            if (iterated || closed) {
                throw new IllegalStateException("A6: a body is iterated once");
            }
            iterated = true;
            return new Iterator<>() {
                private byte[] next;
                private boolean ended;

                @Override
                public boolean hasNext() {
                    if (next == null && !ended) {
                        if (closed) {
                            throw new IllegalStateException("the body was closed");
                        }
                        Value block;
                        try {
                            block = request.invokeMember("next_block");
                        } catch (PolyglotException e) {
                            throw carry(e);
                        }
                        if (block.isNull()) {
                            ended = true;
                        } else {
                            next = Bytes.of(block);
                        }
                    }
                    return next != null;
                }

                @Override
                public byte[] next() {
                    if (!hasNext()) {
                        throw new NoSuchElementException();
                    }
                    byte[] block = next;
                    next = null;
                    return block;
                }
            };
        }

        @Override
        public void close() {
            if (closed) {
                return;
            }
            closed = true;
            PolyglotException failure = null;
            RuntimeException carried = null;
            try {
                request.invokeMember("close");
            } catch (PolyglotException e) {
                failure = e;
                carried = carry(e);
            } catch (RuntimeException e) {
                carried = e;
            } finally {
                if (failure != null && (failure.isExit() || failure.isCancelled())) {
                    pool.replace(worker);
                } else {
                    pool.release(worker);
                }
            }
            if (carried != null) {
                throw carried;
            }
        }
    }
}
