package org.wsgi4j.middleware;

import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintWriter;
import java.lang.ref.Cleaner;
import java.nio.channels.FileChannel;
import java.util.AbstractCollection;
import java.util.AbstractList;
import java.util.Collection;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.OptionalLong;
import java.util.RandomAccess;
import java.util.concurrent.atomic.AtomicBoolean;
import org.wsgi4j.Application;
import org.wsgi4j.Environ;
import org.wsgi4j.FileBody;
import org.wsgi4j.Header;
import org.wsgi4j.StartResponse;
import org.wsgi4j.Write;
import org.wsgi4j.internal.HttpSyntax;

/**
 * A middleware that checks both sides of every call against SPEC.md, in the spirit of Python's
 * {@code wsgiref.validate} and {@code Rack::Lint}. Put it between a server and an application in
 * tests and during development:
 *
 * <pre>{@code
 * Application checked = Lint.wrap(new MyApp());
 * }</pre>
 *
 * <p><b>What it checks.</b> The environ the server passes in (E1-E13); the application's calls to
 * {@code start} (A2-A5, A9, A10), to the write callable (A11), its body (A1, A6, A10) and its use
 * of {@code wsgi.input} (A8) and {@code wsgi.errors} (E12); and the server's handling of the body it
 * gets back from Lint: iterated once (A6), closed exactly once (S17), {@code wsgi.input} never
 * longer than {@code CONTENT_LENGTH} (E11).
 *
 * <p><b>What happens on a violation.</b> A hard rule (MUST) throws {@link LintError} at the
 * moment it is broken, its message starting with the rule id. A soft rule (SHOULD: a reason phrase,
 * whitespace around a header value, a body for HEAD or 204) is logged at {@code WARNING} through the
 * {@link System.Logger} given to {@link #wrap(Application, System.Logger)}, again starting with the
 * rule id.
 *
 * <p><b>What it changes.</b> Nothing a compliant application can observe but the wrappers around
 * {@code wsgi.input} and {@code wsgi.errors}. Status, headers (the same list object), blocks and
 * {@code close()} pass through unchanged. The body Lint returns is closable; it is a
 * {@link Collection} when the application's body is one (so the server still computes
 * {@code Content-Length}, S10). A {@link FileBody} is returned as it is, so the server's zero-copy
 * path and its length (S20) survive; for it Lint checks only that {@code start} came first and that
 * a declared {@code Content-Length} equals the region.
 *
 * <p><b>"Never closed."</b> Nothing marks the moment a server has finished without closing, so
 * Lint registers each body it returns with a {@link Cleaner}: when a body becomes unreachable and
 * was never closed, an {@code S17} warning is logged (for a {@code FileBody}: when its channel is
 * still open). This depends on garbage collection, so it is a log line, not an exception.
 */
public final class Lint {

    private static final Cleaner CLEANER = Cleaner.create();

    private Lint() {
    }

    /**
     * {@code application}, checked; soft violations go to the logger named after this class.
     *
     * @param application the application under test
     * @return a middleware that checks both sides of every call
     */
    public static Application wrap(Application application) {
        return wrap(application, System.getLogger(Lint.class.getName()));
    }

    /**
     * {@code application}, checked; soft violations (and bodies never closed) go to {@code logger}.
     *
     * @param application the application under test
     * @param logger      where SHOULD violations are logged, at {@code WARNING}
     * @return a middleware that checks both sides of every call
     */
    public static Application wrap(Application application, System.Logger logger) {
        Objects.requireNonNull(application, "application");
        Objects.requireNonNull(logger, "logger");
        return new Application() {
            @Override
            public Iterable<byte[]> call(Map<String, Object> environ, StartResponse startResponse) throws Exception {
                return new Request(logger, startResponse).run(application, environ);
            }

            @Override
            public String toString() {
                return "Lint[" + application + "]";
            }
        };
    }

    static void soft(System.Logger logger, String rule, String message) {
        logger.log(System.Logger.Level.WARNING, rule + ": " + message);
    }

    /** One call: the application-side state Lint needs to judge what comes next. */
    private static final class Request implements StartResponse {

        private final System.Logger logger;
        private final StartResponse server;
        private String description = "request";
        private boolean head;

        private int starts;
        private String status;
        private int code;
        private long declaredLength = -1;
        private boolean returned;
        private volatile boolean ended;
        private long produced;
        private boolean warnedNoBody;

        Request(System.Logger logger, StartResponse server) {
            this.logger = logger;
            this.server = server;
        }

        Iterable<byte[]> run(Application application, Map<String, Object> environ) throws Exception {
            EnvironRules.check(environ, logger);
            String method = (String) environ.get(Environ.REQUEST_METHOD);
            head = method.equals("HEAD");
            description = method + " " + environ.get(Environ.REQUEST_URI);
            long contentLength = Environ.contentLength(environ).orElse(-1);
            environ.put(Environ.WSGI_INPUT, new Input((InputStream) environ.get(Environ.WSGI_INPUT), contentLength));
            environ.put(Environ.WSGI_ERRORS, new Errors((PrintWriter) environ.get(Environ.WSGI_ERRORS)));
            Iterable<byte[]> body;
            try {
                body = application.call(environ, this);
            } catch (Throwable e) {
                ended = true;
                throw e;
            } finally {
                returned = true;
            }
            if (body == null) {
                ended = true;
                throw new LintError("A6", "the application returned null; return an empty list for no body");
            }
            if (body instanceof FileBody file) {
                return checkFileBody(file);
            }
            Body checked = new Body(this, body);
            if (body instanceof List<?> list && body instanceof RandomAccess) {
                return new ListBody(checked, list);
            }
            return body instanceof Collection<?> collection ? new CollectionBody(checked, collection) : checked;
        }

        private FileBody checkFileBody(FileBody file) throws IOException {
            try {
                if (starts == 0) {
                    throw new LintError("A1", "a FileBody was returned before start was called");
                }
                if (declaredLength >= 0 && bodyAllowed() && !head && declaredLength != file.count()) {
                    throw new LintError("A10", "Content-Length " + declaredLength + " but the FileBody of '"
                            + file.path() + "' is " + file.count() + " bytes");
                }
            } catch (LintError e) {
                // The server never sees this body, so nobody else can close its file.
                file.close();
                throw e;
            }
            if (file.count() > 0) {
                warnIfNoBodyAllowed();
            }
            FileChannel channel = file.channel();
            System.Logger log = logger;
            String request = description;
            CLEANER.register(file, () -> {
                if (channel.isOpen()) {
                    soft(log, "S17", "the FileBody of " + request + " was never closed");
                }
            });
            return file;
        }

        @Override
        public Write start(String status, List<Header> headers, Throwable excInfo) {
            if (ended) {
                throw new LintError("A1", "start('" + status + "') called after the response ended");
            }
            if (starts > 0 && excInfo == null) {
                throw new LintError("A5", "start('" + status + "') called a second time without excInfo"
                        + " (the first status was '" + this.status + "')");
            }
            int newCode = checkStatus(status);
            long newLength = checkHeaders(newCode, headers);
            Write write = server.start(status, headers, excInfo);
            if (write == null) {
                throw new LintError("S19", "the server's start returned no write callable");
            }
            starts++;
            this.status = status;
            this.code = newCode;
            this.declaredLength = newLength;
            return data -> write(write, data);
        }

        private void write(Write write, byte[] data) throws IOException {
            if (returned) {
                throw new LintError("A11", "write called after the application returned its body");
            }
            if (data == null) {
                throw new LintError("A11", "write(null); pass a byte[], empty for nothing");
            }
            produce(data.length);
            write.write(data);
        }

        /** A2: the engine's verdict (S1), under the application's rule id; a missing reason phrase is soft. */
        private int checkStatus(String status) {
            int newCode;
            try {
                newCode = HttpSyntax.parseFinalStatus(status);
            } catch (HttpSyntax.Refusal e) {
                throw new LintError(e.applicationRule(), e.detail());
            }
            if (status.length() == 4) {
                soft(logger, "A2", "status '" + status + "' has no reason phrase");
            }
            return newCode;
        }

        /**
         * A3, A4, A9 and the syntax half of A10: the engine's verdicts (S2-S4) under the application's
         * rule ids, then what only Lint checks; returns the declared Content-Length or -1.
         */
        private long checkHeaders(int code, List<Header> headers) {
            if (headers == null) {
                throw new LintError("A3", "headers is null; pass List.of() for none");
            }
            for (Object element : headers) {
                if (!(element instanceof Header)) {
                    throw new LintError("A3", "headers holds " + EnvironRules.describe(element)
                            + ", not a Header");
                }
            }
            long length;
            try {
                length = HttpSyntax.checkHeaders(headers).orElse(-1);
            } catch (HttpSyntax.Refusal e) {
                throw new LintError(e.applicationRule(), e.detail());
            }
            boolean contentType = false;
            int lengths = 0;
            for (Header header : headers) {
                checkHeaderStyle(header);
                if (header.is("Content-Type")) {
                    contentType = true;
                } else if (header.is("Content-Length")) {
                    lengths++;
                }
            }
            if (lengths > 1) {
                soft(logger, "A10", "Content-Length is sent " + lengths + " times");
            }
            try {
                HttpSyntax.checkNoContentLength(code, length < 0 ? OptionalLong.empty() : OptionalLong.of(length));
            } catch (HttpSyntax.Refusal e) {
                throw new LintError(e.applicationRule(), e.detail());
            }
            boolean informationalOrNoContent = code < 200 || code == 204;
            if (informationalOrNoContent && (contentType || length >= 0)) {
                throw new LintError("A9", "a " + code + " response must not carry Content-Type or Content-Length");
            }
            if (code == 304 && contentType) {
                throw new LintError("A9", "a 304 response must not carry Content-Type");
            }
            return length;
        }

        /** The soft half of A3, for a header the engine accepts. */
        private void checkHeaderStyle(Header header) {
            String name = header.name();
            if (name.equalsIgnoreCase("Status")) {
                // wsgiref.validate and Rack::Lint refuse it: a CGI habit that HTTP servers pass on verbatim.
                soft(logger, "A3", "header 'Status' is sent as a header; the status goes in start's first argument");
            }
            String value = header.value();
            for (int i = 0; i < value.length(); i++) {
                char c = value.charAt(i);
                if ((c < 0x20 && c != '\t') || c == 0x7F) {
                    soft(logger, "A3", "value of header '" + name + "' has a control character");
                    break;
                }
            }
            if (!value.isEmpty() && (isBlank(value.charAt(0)) || isBlank(value.charAt(value.length() - 1)))) {
                soft(logger, "A3", "value of header '" + name + "' has leading or trailing whitespace");
            }
        }

        /** Counts bytes toward A10 and watches A1 and A9 for every block and write. */
        private void produce(int length) {
            if (length == 0) {
                return;
            }
            if (starts == 0) {
                throw new LintError("A1", "a non-empty block was produced before start was called");
            }
            produced += length;
            if (declaredLength >= 0 && produced > declaredLength && !head && bodyAllowed()) {
                throw new LintError("A10", "the body produced " + produced + " bytes, more than Content-Length "
                        + declaredLength);
            }
            warnIfNoBodyAllowed();
        }

        private void warnIfNoBodyAllowed() {
            if (!warnedNoBody && (head || !bodyAllowed())) {
                warnedNoBody = true;
                soft(logger, "A9", "the response to " + description + " (status '" + status
                        + "') has body bytes; the server sends none");
            }
        }

        /** The iteration reached its end (not called when the server stops early). */
        private void finish() {
            ended = true;
            if (starts == 0) {
                throw new LintError("A1", "the body ended and start was never called");
            }
            if (declaredLength >= 0 && produced < declaredLength && !head && bodyAllowed()) {
                throw new LintError("A10", "the body produced " + produced + " bytes, fewer than Content-Length "
                        + declaredLength);
            }
        }

        private boolean bodyAllowed() {
            return HttpSyntax.statusAllowsBody(code);
        }

        private static boolean isBlank(char c) {
            return c == ' ' || c == '\t';
        }

        /** {@code wsgi.input} as the application sees it (A8, and E11's bound on the server's stream). */
        private final class Input extends FilterInputStream {

            private final long contentLength;
            private long read;

            Input(InputStream in, long contentLength) {
                super(in);
                this.contentLength = contentLength;
            }

            @Override
            public int read() throws IOException {
                checkOpen();
                int b = super.read();
                count(b < 0 ? -1 : 1);
                return b;
            }

            @Override
            public int read(byte[] b, int off, int len) throws IOException {
                checkOpen();
                int n = super.read(b, off, len);
                count(n);
                return n;
            }

            @Override
            public long skip(long n) throws IOException {
                checkOpen();
                return super.skip(n);
            }

            @Override
            public int available() throws IOException {
                checkOpen();
                return super.available();
            }

            @Override
            public void close() {
                throw new LintError("A8", "the application closed wsgi.input; it belongs to the server");
            }

            private void checkOpen() {
                if (ended) {
                    throw new LintError("A8", "wsgi.input used after the response ended");
                }
            }

            private void count(int n) {
                if (n <= 0) {
                    return;
                }
                read += n;
                if (contentLength >= 0 && read > contentLength) {
                    throw new LintError("E11", "wsgi.input returned " + read + " bytes, more than CONTENT_LENGTH "
                            + contentLength);
                }
            }
        }
    }

    /** {@code wsgi.errors} as the application sees it: anything but {@code close()} (E12). */
    private static final class Errors extends PrintWriter {

        Errors(PrintWriter out) {
            super(out, true);
        }

        @Override
        public void close() {
            throw new LintError("E12", "the application closed wsgi.errors; it belongs to the server");
        }
    }

    /** The body Lint hands to the server: watches the application's blocks and the server's close. */
    private static final class Body implements Iterable<byte[]>, AutoCloseable {

        private final Request request;
        private final Iterable<byte[]> body;
        private final AtomicBoolean closed = new AtomicBoolean();
        private final Cleaner.Cleanable cleanable;
        private boolean iterated;

        Body(Request request, Iterable<byte[]> body) {
            this.request = request;
            this.body = body;
            AtomicBoolean closedFlag = closed;
            System.Logger logger = request.logger;
            String description = request.description;
            // The action must not reach this Body, or it would never become unreachable.
            this.cleanable = CLEANER.register(this, () -> {
                if (!closedFlag.get()) {
                    soft(logger, "S17", "the body of " + description + " was never closed by the server");
                }
            });
        }

        @Override
        public Iterator<byte[]> iterator() {
            if (closed.get()) {
                throw new LintError("S17", "the server iterated the body after closing it");
            }
            if (iterated) {
                throw new LintError("A6", "the server iterated the body a second time");
            }
            iterated = true;
            Iterator<byte[]> blocks = body.iterator();
            if (blocks == null) {
                throw new LintError("A6", "the body's iterator() returned null");
            }
            return new Iterator<>() {
                private boolean finished;

                @Override
                public boolean hasNext() {
                    checkOpen();
                    boolean more = blocks.hasNext();
                    if (!more && !finished) {
                        finished = true;
                        request.finish();
                    }
                    return more;
                }

                @Override
                public byte[] next() {
                    checkOpen();
                    // Through Object: a body smuggled past generics (raw types) would otherwise fail as a
                    // ClassCastException somewhere in the server.
                    Object block = ((Iterator<?>) blocks).next();
                    if (!(block instanceof byte[] bytes)) {
                        throw new LintError("A6", "the body produced " + EnvironRules.describe(block)
                                + " as a block; blocks are non-null byte[], empty for nothing");
                    }
                    request.produce(bytes.length);
                    return bytes;
                }
            };
        }

        private void checkOpen() {
            if (closed.get()) {
                throw new LintError("S17", "the server iterated the body after closing it");
            }
        }

        @Override
        public void close() throws Exception {
            if (!closed.compareAndSet(false, true)) {
                throw new LintError("S17", "the server closed the body a second time");
            }
            request.ended = true;
            cleanable.clean();
            if (body instanceof AutoCloseable closeable) {
                closeable.close();
            }
        }
    }

    /**
     * A {@link Body} that stays a random-access {@link List} of the same blocks, so a server may look
     * at a returned list's sizes by index before it iterates (the core front end's
     * {@code --non-blocking} does, to choose the thread that sends it) and S10 still applies. Looking
     * is not iterating: the one iteration PEP 3333 allows is still {@link #iterator()}'s, checked.
     */
    private static final class ListBody extends AbstractList<byte[]> implements RandomAccess, AutoCloseable {

        private final Body body;
        private final List<?> original;

        ListBody(Body body, List<?> original) {
            this.body = body;
            this.original = original;
        }

        /** The block at {@code index} as the application gave it; one that is no array is A6's failure, as when iterated. */
        @Override
        public byte[] get(int index) {
            Object block = original.get(index);
            if (!(block instanceof byte[] bytes)) {
                throw new LintError("A6", "the body produced " + EnvironRules.describe(block)
                        + " as a block; blocks are non-null byte[], empty for nothing");
            }
            return bytes;
        }

        @Override
        public Iterator<byte[]> iterator() {
            return body.iterator();
        }

        @Override
        public int size() {
            return original.size();
        }

        @Override
        public void close() throws Exception {
            body.close();
        }
    }

    /** A {@link Body} that stays a {@link Collection} of the same size, so S10 still applies. */
    private static final class CollectionBody extends AbstractCollection<byte[]> implements AutoCloseable {

        private final Body body;
        private final Collection<?> original;

        CollectionBody(Body body, Collection<?> original) {
            this.body = body;
            this.original = original;
        }

        @Override
        public Iterator<byte[]> iterator() {
            return body.iterator();
        }

        @Override
        public int size() {
            return original.size();
        }

        @Override
        public void close() throws Exception {
            body.close();
        }
    }
}
