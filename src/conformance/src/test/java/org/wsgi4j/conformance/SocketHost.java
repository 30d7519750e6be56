package org.wsgi4j.conformance;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PrintWriter;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.wsgi4j.Application;
import org.wsgi4j.Header;
import org.wsgi4j.server.EnvironBuilder;
import org.wsgi4j.server.RequestTarget;
import org.wsgi4j.server.ResponseEngine;
import org.wsgi4j.server.ResponseHead;
import org.wsgi4j.server.ResponseSink;
import org.wsgi4j.server.Result;

/**
 * A throwaway HTTP/1.1 host on a bare {@link ServerSocket} plus the {@link ResponseEngine}
 * (keep-alive, pipelining, no timeouts), the application mounted under one prefix and at one
 * exact path. Only here so the suite can be run inside its own module; real hosts live with their front ends.
 */
final class SocketHost implements Host {

    private final ServerSocket server;
    private final ExecutorService threads = Executors.newCachedThreadPool();
    private final ResponseEngine engine;
    private final String prefix;
    private final String exact;

    SocketHost(Application application, String prefix, String exact) throws IOException {
        this.engine = new ResponseEngine(application);
        this.prefix = prefix;
        this.exact = exact;
        this.server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        threads.execute(this::acceptLoop);
    }

    @Override
    public InetSocketAddress address() {
        return new InetSocketAddress("127.0.0.1", server.getLocalPort());
    }

    @Override
    public List<HostMount> mounts() {
        return List.of(HostMount.prefix("prefix " + prefix, prefix, prefix),
                HostMount.exact("exact " + exact, exact, exact, ""));
    }

    @Override
    public java.util.Set<Quirk> quirks() {
        return java.util.Set.of(Quirk.REFUSES_EMPTY_HOST);
    }

    @Override
    public void close() throws IOException {
        server.close();
        threads.shutdownNow();
    }

    private void acceptLoop() {
        while (!server.isClosed()) {
            try {
                Socket socket = server.accept();
                threads.execute(() -> serve(socket));
            } catch (IOException e) {
                return;
            }
        }
    }

    private void serve(Socket socket) {
        try (socket) {
            InputStream in = new BufferedInputStream(socket.getInputStream());
            OutputStream out = new BufferedOutputStream(socket.getOutputStream());
            while (serveOne(socket, in, out)) {
                // keep-alive: the next request on this connection
            }
        } catch (IOException | RuntimeException e) {
            // The client went away or sent garbage; this host only serves the suite.
        }
    }

    /** Serves one request; true when the connection may carry another. */
    private boolean serveOne(Socket socket, InputStream in, OutputStream out) throws IOException {
        String[] requestLine = readLine(in).split(" ");
        EnvironBuilder environ = new EnvironBuilder().method(requestLine[0]);
        long contentLength = -1;
        boolean chunked = false;
        boolean close = false;
        boolean expectContinue = false;
        String hostHeader = "";
        int hosts = 0;
        for (String line = readLine(in); !line.isEmpty(); line = readLine(in)) {
            int colon = line.indexOf(':');
            String name = line.substring(0, colon);
            String value = line.substring(colon + 1).strip();
            environ.header(name, value);
            if (name.equalsIgnoreCase("Content-Length")) {
                contentLength = Long.parseLong(value);
            } else if (name.equalsIgnoreCase("Transfer-Encoding")) {
                chunked = value.toLowerCase(Locale.ROOT).contains("chunked");
            } else if (name.equalsIgnoreCase("Host")) {
                hostHeader = value;
                hosts++;
            } else if (name.equalsIgnoreCase("Expect")) {
                expectContinue = value.equalsIgnoreCase("100-continue");
            } else if (name.equalsIgnoreCase("Connection")) {
                close = value.equalsIgnoreCase("close");
            }
        }
        String target = originForm(requestLine[1]);
        try {
            RequestTarget.check(target);
            if (hosts != 1 || hostHeader.isEmpty()) {
                throw new IllegalArgumentException(hosts + " Host fields, or an empty one");
            }
        } catch (IllegalArgumentException refused) {
            byte[] reason = (refused.getMessage() + "\n").getBytes(StandardCharsets.UTF_8);
            out.write(("HTTP/1.1 400 Bad Request\r\nContent-Type: text/plain; charset=utf-8\r\nContent-Length: "
                    + reason.length + "\r\nConnection: close\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
            out.write(reason);
            out.flush();
            return false;
        }
        int question = target.indexOf('?');
        String path = withoutDotSegments(decode(question < 0 ? target : target.substring(0, question)));
        if (path.equals(exact)) {
            environ.scriptName(exact).pathInfo("");
        } else if (path.equals(prefix) || path.startsWith(prefix + "/")) {
            environ.scriptName(prefix).pathInfo(path.substring(prefix.length()));
        } else {
            out.write("HTTP/1.1 404 Not Found\r\nContent-Length: 0\r\nConnection: close\r\n\r\n"
                    .getBytes(StandardCharsets.US_ASCII));
            out.flush();
            return false;
        }
        BodyInput input = chunked ? new ChunkedInput(in) : new BoundedInput(in, Math.max(0, contentLength));
        input.continueTo = expectContinue ? out : null;
        int colon = hostHeader.lastIndexOf(':');
        environ.queryString(question < 0 ? "" : target.substring(question + 1)).requestUri(target)
                .server(hostHeader.substring(0, colon), Integer.parseInt(hostHeader.substring(colon + 1)),
                        requestLine[2])
                .remote(socket.getInetAddress().getHostAddress(), socket.getPort()).scheme("http")
                .input(input)
                .errors(new PrintWriter(System.err, true))
                .flags(true, false, false);
        Result result = engine.run(environ.build(), new SocketSink(socket, out, "HEAD".equals(requestLine[0]), close));
        if (close || result.outcome() != Result.Outcome.COMPLETE) {
            return false;
        }
        input.transferTo(OutputStream.nullOutputStream());
        return true;
    }

    /** RFC 9112 3.2.2: of an absolute-form target, the path and query. */
    private static String originForm(String target) {
        int scheme = target.indexOf("://");
        if (target.startsWith("/") || scheme < 0) {
            return target;
        }
        int slash = target.indexOf('/', scheme + 3);
        return slash < 0 ? "/" : target.substring(slash);
    }

    /** RFC 3986 5.2.4, for the plain dot segments that every host resolves. */
    private static String withoutDotSegments(String path) {
        java.util.Deque<String> out = new java.util.ArrayDeque<>();
        String[] segments = path.split("/", -1);
        for (int i = 1; i < segments.length; i++) {
            String segment = segments[i];
            boolean last = i == segments.length - 1;
            if (segment.equals(".") || segment.equals("..")) {
                if (segment.equals("..") && !out.isEmpty()) {
                    out.removeLast();
                }
                if (last) {
                    out.addLast("");
                }
            } else {
                out.addLast(segment);
            }
        }
        return "/" + String.join("/", out);
    }

    /** Percent-decodes a path as UTF-8 ('+' stays '+'). */
    private static String decode(String path) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        for (int i = 0; i < path.length(); i++) {
            char c = path.charAt(i);
            if (c == '%' && i + 2 < path.length()) {
                bytes.write(Integer.parseInt(path, i + 1, i + 3, 16));
                i += 2;
            } else {
                bytes.write(c);
            }
        }
        return bytes.toString(StandardCharsets.UTF_8);
    }

    private static String readLine(InputStream in) throws IOException {
        ByteArrayOutputStream line = new ByteArrayOutputStream();
        for (int b = in.read(); b != '\n'; b = in.read()) {
            if (b < 0) {
                throw new IOException("connection closed in a line");
            }
            if (b != '\r') {
                line.write(b);
            }
        }
        return line.toString(StandardCharsets.ISO_8859_1);
    }

    /** Writes the head lazily, frames the body with Content-Length or chunks, closes to abort. */
    private static final class SocketSink implements ResponseSink {
        private final Socket socket;
        private final OutputStream out;
        private final boolean headRequest;
        private final boolean close;
        private ResponseHead pending;
        private boolean committed;
        private boolean chunked;

        SocketSink(Socket socket, OutputStream out, boolean headRequest, boolean close) {
            this.socket = socket;
            this.out = out;
            this.headRequest = headRequest;
            this.close = close;
        }

        @Override
        public void sendHead(ResponseHead head) {
            pending = head;
        }

        @Override
        public void sendBlock(byte[] data, int offset, int length) throws IOException {
            commit();
            if (chunked) {
                out.write((Integer.toHexString(length) + "\r\n").getBytes(StandardCharsets.US_ASCII));
                out.write(data, offset, length);
                out.write("\r\n".getBytes(StandardCharsets.US_ASCII));
            } else {
                out.write(data, offset, length);
            }
        }

        @Override
        public void flush() throws IOException {
            commit();
            out.flush();
        }

        @Override
        public void complete() throws IOException {
            commit();
            if (chunked) {
                out.write("0\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
            }
            out.flush();
        }

        @Override
        public void abort(Throwable cause) {
            try {
                out.flush();
            } catch (IOException ignored) {
                // The connection is being dropped anyway.
            }
            try {
                socket.close();
            } catch (IOException ignored) {
                // Nothing more to do for a connection that is gone.
            }
        }

        @Override
        public boolean isCommitted() {
            return committed;
        }

        private void commit() throws IOException {
            if (committed) {
                return;
            }
            committed = true;
            int code = pending.code();
            boolean bodiless = headRequest || code < 200 || code == 204 || code == 304;
            chunked = !bodiless && pending.contentLength().isEmpty();
            StringBuilder head = new StringBuilder("HTTP/1.1 ").append(pending.status()).append("\r\n");
            for (Header header : pending.headers()) {
                head.append(header.name()).append(": ").append(header.value()).append("\r\n");
            }
            if (pending.headers().stream().noneMatch(header -> header.is("Date"))) {
                // S24: the host adds Date only when the application did not.
                head.append("Date: ").append(DateTimeFormatter.RFC_1123_DATE_TIME.format(ZonedDateTime.now(ZoneOffset.UTC)))
                        .append("\r\n");
            }
            head.append(chunked ? "Transfer-Encoding: chunked\r\n" : "").append(close ? "Connection: close\r\n" : "").append("\r\n");
            out.write(head.toString().getBytes(StandardCharsets.ISO_8859_1));
        }
    }

    /** A request body read from the connection's stream. */
    private abstract static class BodyInput extends InputStream {
        final InputStream in;
        /** Where to send {@code 100 Continue} on the first read (S21), or null. */
        OutputStream continueTo;

        BodyInput(InputStream in) {
            this.in = in;
        }

        @Override
        public int read() throws IOException {
            byte[] one = new byte[1];
            return read(one, 0, 1) < 0 ? -1 : one[0] & 0xFF;
        }

        @Override
        public int read(byte[] buffer, int offset, int length) throws IOException {
            if (continueTo != null) {
                continueTo.write("HTTP/1.1 100 Continue\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
                continueTo.flush();
                continueTo = null;
            }
            return readBody(buffer, offset, length);
        }

        abstract int readBody(byte[] buffer, int offset, int length) throws IOException;
    }

    /** The next {@code remaining} bytes of the connection, then end of stream. */
    private static final class BoundedInput extends BodyInput {
        private long remaining;

        BoundedInput(InputStream in, long remaining) {
            super(in);
            this.remaining = remaining;
        }

        @Override
        int readBody(byte[] buffer, int offset, int length) throws IOException {
            if (remaining == 0) {
                return -1;
            }
            int n = in.read(buffer, offset, (int) Math.min(length, remaining));
            if (n > 0) {
                remaining -= n;
            }
            return n;
        }
    }

    /** A chunked request body, de-chunked; end of stream after the last chunk. */
    private static final class ChunkedInput extends BodyInput {
        private long chunkLeft;
        private boolean done;

        ChunkedInput(InputStream in) {
            super(in);
        }

        @Override
        int readBody(byte[] buffer, int offset, int length) throws IOException {
            if (done) {
                return -1;
            }
            if (chunkLeft == 0) {
                String size = readLine(in);
                int semicolon = size.indexOf(';');
                chunkLeft = Long.parseLong((semicolon < 0 ? size : size.substring(0, semicolon)).strip(), 16);
                if (chunkLeft == 0) {
                    while (!readLine(in).isEmpty()) {
                        // trailers are not passed on
                    }
                    done = true;
                    return -1;
                }
            }
            int n = in.read(buffer, offset, (int) Math.min(length, chunkLeft));
            if (n < 0) {
                throw new IOException("connection closed inside a chunk");
            }
            chunkLeft -= n;
            if (chunkLeft == 0) {
                readLine(in);
            }
            return n;
        }
    }
}
