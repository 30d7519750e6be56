package org.wsgi4j.conformance;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Locale;
import org.wsgi4j.Header;

/**
 * A client connection that speaks HTTP/1.1 by hand over a plain {@link Socket}, so that nothing a
 * client library would hide (framing, a missing terminating chunk, bytes after the end, an early
 * close) escapes the tests. It parses the status line, the headers, Content-Length and chunked
 * bodies itself, and reports whether the body was complete.
 *
 * <p>Every request it sends carries {@code Connection: close} (unless the request sets its own
 * {@code Connection}), and reading a response continues to the end of the stream: bytes after the
 * framed end are reported as {@link RawResponse#trailing()}. A request sent with
 * {@code Connection: keep-alive} makes the server frame a body of unknown length (chunked) rather
 * than delimit it by closing; its response is read to its framed end only. Reads time out after
 * {@link #TIMEOUT_MILLIS}, generous for a loaded machine; a timeout is an {@link IOException}.
 *
 * <p>Requests may be pipelined: each {@link #send} queues one response, read in order by
 * {@link #readHead} / {@link #readBody} / {@link #readResponse}. Not thread-safe.
 */
public final class RawHttpConnection implements AutoCloseable {

    /** Socket read timeout: long, because it only ends tests that would otherwise hang. */
    public static final int TIMEOUT_MILLIS = 30_000;

    private static final byte[] NOTHING = new byte[0];

    private final Socket socket;
    private final InputStream in;
    private final String hostHeader;
    private final ByteArrayOutputStream body = new ByteArrayOutputStream();
    private final Deque<Sent> sent = new ArrayDeque<>();
    private Sent current;
    private Head head;
    private RawResponse.Framing framing;
    private long remaining;
    private boolean chunkNeedsCrlf;
    private boolean ended;
    private boolean complete;

    private RawHttpConnection(Socket socket, String hostHeader) throws IOException {
        this.socket = socket;
        this.in = new BufferedInputStream(socket.getInputStream());
        this.hostHeader = hostHeader;
    }

    /** A request whose response is still to be read. */
    private record Sent(String method, boolean keepAlive) {
    }

    /**
     * The status line and headers of a response.
     *
     * @param interim the statuses of the interim ({@code 1xx}) responses read before this one
     */
    public record Head(int status, String reason, List<Header> headers, List<Integer> interim) {
    }

    /**
     * Connects to {@code address}; the {@code Host} header will name it.
     *
     * @param address the server's address
     * @return the open connection
     * @throws IOException if the connection cannot be made
     */
    public static RawHttpConnection open(InetSocketAddress address) throws IOException {
        return open(address, false);
    }

    /**
     * Connects to {@code address}, over TLS when {@code tls} is true (any certificate is accepted:
     * the tests' servers use throwaway self-signed ones; ALPN offers only HTTP/1.1).
     *
     * @param address the server's address
     * @param tls whether to speak TLS
     * @return the open connection
     * @throws IOException if the connection or the TLS handshake fails
     */
    public static RawHttpConnection open(InetSocketAddress address, boolean tls) throws IOException {
        Socket socket = new Socket();
        try {
            socket.connect(address, TIMEOUT_MILLIS);
            socket.setSoTimeout(TIMEOUT_MILLIS);
            socket.setTcpNoDelay(true);
            if (tls) {
                socket = TrustingTls.wrap(socket, address);
            }
            String host = address.getHostString();
            // An IPv6 literal goes in brackets in Host (RFC 9110 7.2).
            return new RawHttpConnection(socket, (host.indexOf(':') >= 0 ? "[" + host + "]" : host) + ":" + address.getPort());
        } catch (IOException e) {
            socket.close();
            throw e;
        }
    }

    /**
     * Sends one request and reads its whole response, up to the close of the connection.
     *
     * @param address the server's address
     * @param request the request to send
     * @return the response
     * @throws IOException if the connection fails or the response is malformed
     */
    public static RawResponse exchange(InetSocketAddress address, RawRequest request) throws IOException {
        return exchange(address, false, request);
    }

    /**
     * As {@link #exchange(InetSocketAddress, RawRequest)}, over TLS when {@code tls} is true.
     *
     * @param address the server's address
     * @param tls whether to speak TLS
     * @param request the request to send
     * @return the response
     * @throws IOException if the connection fails or the response is malformed
     */
    public static RawResponse exchange(InetSocketAddress address, boolean tls, RawRequest request) throws IOException {
        try (RawHttpConnection connection = open(address, tls)) {
            connection.send(request);
            return connection.readResponse();
        }
    }

    /**
     * Sends one request given as raw bytes and reads its whole response, up to the close of the
     * connection: for input a {@link RawRequest} cannot express (a head of an exact size, a field
     * written twice, a malformed line).
     *
     * @param address the server's address
     * @param request the whole request, sent as it is (see {@link #sendRequest(byte[])})
     * @return the response
     * @throws IOException if the connection fails, or the server closes it without a well-formed
     *     response
     */
    public static RawResponse exchange(InetSocketAddress address, byte[] request) throws IOException {
        try (RawHttpConnection connection = open(address, false)) {
            connection.sendRequest(request);
            return connection.readResponse();
        }
    }

    /**
     * Sends a whole request as raw bytes, exactly as given: nothing is added. The response is read
     * as for {@link #send(RawRequest)}: its framing takes the method from the bytes before the first
     * space, and the connection counts as kept alive unless the head has a {@code Connection: close}
     * line.
     *
     * @param request the request line, header lines, blank line and body, as they go on the wire
     * @throws IOException if the write fails
     */
    public void sendRequest(byte[] request) throws IOException {
        String text = new String(request, StandardCharsets.ISO_8859_1);
        int headEnd = text.indexOf("\r\n\r\n");
        String head = (headEnd < 0 ? text : text.substring(0, headEnd)).toLowerCase(Locale.ROOT);
        int space = text.indexOf(' ');
        sent.add(new Sent(space < 0 ? text : text.substring(0, space),
                !head.matches("(?s).*\r\nconnection:[ \t]*close[ \t]*(\r\n.*)?")));
        sendBytes(request);
    }

    /**
     * The local port of this connection: what the server should see as {@code REMOTE_PORT}.
     *
     * @return the local port of this connection: what the server should see as {@code REMOTE_PORT}
     */
    public int localPort() {
        return socket.getLocalPort();
    }

    /**
     * Sends {@code request}, adding {@code Host} and {@code Connection: close} unless it has them.
     *
     * @param request the request to send
     * @throws IOException if the write fails
     */
    public void send(RawRequest request) throws IOException {
        List<Header> headers = new ArrayList<>();
        if (!request.hasHeader("Host")) {
            headers.add(new Header("Host", hostHeader));
        }
        headers.addAll(request.headers());
        if (!request.hasHeader("Connection")) {
            headers.add(new Header("Connection", "close"));
        }
        sent.add(new Sent(request.method(),
                headers.stream().noneMatch(h -> h.is("Connection") && h.value().equalsIgnoreCase("close"))));
        OutputStream out = socket.getOutputStream();
        out.write(new RawRequest(request.method(), request.target(), headers, request.chunks(), request.chunked())
                .toBytes());
        out.flush();
    }

    /**
     * Reads the status line and headers, skipping interim {@code 1xx} responses.
     *
     * @return the final status line and headers, with the interim statuses seen
     * @throws IOException if the read fails or the head is malformed
     */
    public Head readHead() throws IOException {
        current = sent.poll();
        if (current == null) {
            throw new IllegalStateException("every response sent on this connection has been read");
        }
        body.reset();
        ended = false;
        complete = false;
        chunkNeedsCrlf = false;
        List<Integer> interim = new ArrayList<>();
        for (head = parseHead(); isInterim(head); head = parseHead()) {
            interim.add(head.status());
        }
        head = new Head(head.status(), head.reason(), head.headers(), List.copyOf(interim));
        framing = framingOf(head);
        remaining = framing == RawResponse.Framing.CONTENT_LENGTH ? contentLength(head) : 0;
        return head;
    }

    /**
     * Reads one interim ({@code 1xx}) response, such as the {@code 100 Continue} a client that sent
     * {@code Expect: 100-continue} waits for before it sends the body.
     *
     * @return the interim response's head
     * @throws IOException if the next response is not interim
     */
    public Head readInterim() throws IOException {
        Head interim = parseHead();
        if (!isInterim(interim)) {
            throw new IOException("expected an interim response, got " + interim);
        }
        return interim;
    }

    /**
     * Sends raw bytes, e.g. a body held back for {@code Expect: 100-continue}.
     *
     * @param bytes the bytes, sent as they are
     * @throws IOException if the write fails
     */
    public void sendBytes(byte[] bytes) throws IOException {
        socket.getOutputStream().write(bytes);
        socket.getOutputStream().flush();
    }

    /**
     * Reads body bytes until {@code count} have arrived or the body ended; returns them (fewer
     * only at the end of the body). For watching a stream arrive block by block.
     *
     * @param count the most bytes to return
     * @return the bytes read
     * @throws IOException if the read fails
     */
    public byte[] readBody(int count) throws IOException {
        requireHead();
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        while (out.size() < count) {
            byte[] bytes = nextBodyBytes(count - out.size());
            if (bytes.length == 0) {
                break;
            }
            out.writeBytes(bytes);
        }
        return out.toByteArray();
    }

    /**
     * Reads (the rest of) the response, then the stream to its end, except after a complete
     * response to a keep-alive request, where the connection stays open.
     *
     * @return the response
     * @throws IOException if the read fails or the response is malformed
     */
    public RawResponse readResponse() throws IOException {
        if (head == null) {
            readHead();
        }
        while (nextBodyBytes(8192).length > 0) {
            // nextBodyBytes keeps what it reads
        }
        ByteArrayOutputStream trailing = new ByteArrayOutputStream();
        if (current.keepAlive() && complete) {
            return response(trailing);
        }
        try {
            in.transferTo(trailing);
        } catch (SocketTimeoutException e) {
            throw new IOException("the server kept the connection open " + TIMEOUT_MILLIS
                    + " ms after the end of a response to 'Connection: close'", e);
        } catch (IOException e) {
            // A reset after the framed end: nothing more came, which is all this is for.
        }
        return response(trailing);
    }

    private RawResponse response(ByteArrayOutputStream trailing) {
        RawResponse response = new RawResponse(head.status(), head.reason(), head.headers(), body.toByteArray(),
                framing, complete, trailing.toByteArray());
        head = null;
        return response;
    }

    /**
     * Closes the connection with a TCP reset rather than a FIN, so the server's next write fails
     * at once: the way a client that went away looks to a server.
     *
     * @throws IOException if the socket cannot be closed
     */
    public void abort() throws IOException {
        socket.setSoLinger(true, 0);
        socket.close();
    }

    @Override
    public void close() throws IOException {
        socket.close();
    }

    private void requireHead() throws IOException {
        if (head == null) {
            readHead();
        }
    }

    private static boolean isInterim(Head head) {
        return head.status() >= 100 && head.status() < 200 && head.status() != 101;
    }

    private Head parseHead() throws IOException {
        try {
            return parseHeadLines();
        } catch (SocketTimeoutException e) {
            throw new IOException("no complete response head within " + TIMEOUT_MILLIS + " ms", e);
        }
    }

    private Head parseHeadLines() throws IOException {
        String statusLine = readLine();
        if (statusLine == null) {
            throw new IOException("connection closed before a status line arrived");
        }
        String[] parts = statusLine.split(" ", 3);
        if (parts.length < 2 || !parts[0].startsWith("HTTP/1.") || !parts[1].matches("\\d{3}")) {
            throw new IOException("malformed status line '" + statusLine + "'");
        }
        List<Header> headers = new ArrayList<>();
        for (String line = readLine(); ; line = readLine()) {
            if (line == null) {
                throw new IOException("connection closed inside the response headers after " + headers);
            }
            if (line.isEmpty()) {
                break;
            }
            int colon = line.indexOf(':');
            if (colon <= 0) {
                throw new IOException("malformed header line '" + line + "'");
            }
            headers.add(new Header(line.substring(0, colon), line.substring(colon + 1).strip()));
        }
        return new Head(Integer.parseInt(parts[1]), parts.length > 2 ? parts[2] : "", List.copyOf(headers), List.of());
    }

    private RawResponse.Framing framingOf(Head head) throws IOException {
        int status = head.status();
        if (current.method().equals("HEAD") || status < 200 || status == 204 || status == 304) {
            return RawResponse.Framing.NONE;
        }
        for (Header header : head.headers()) {
            if (header.is("Transfer-Encoding") && header.value().toLowerCase(Locale.ROOT).contains("chunked")) {
                return RawResponse.Framing.CHUNKED;
            }
        }
        return head.headers().stream().anyMatch(h -> h.is("Content-Length"))
                ? RawResponse.Framing.CONTENT_LENGTH : RawResponse.Framing.CLOSE;
    }

    private static long contentLength(Head head) throws IOException {
        List<String> values = head.headers().stream().filter(h -> h.is("Content-Length")).map(Header::value)
                .distinct().toList();
        if (values.size() != 1 || !values.get(0).matches("\\d{1,18}")) {
            throw new IOException("invalid Content-Length " + values);
        }
        return Long.parseLong(values.get(0));
    }

    /** The next body bytes (at most {@code max}), kept in {@link #body}; empty once the body ended. */
    private byte[] nextBodyBytes(int max) throws IOException {
        if (ended) {
            return NOTHING;
        }
        try {
            byte[] bytes = switch (framing) {
                case NONE -> end(true);
                case CONTENT_LENGTH -> remaining == 0 ? end(true) : readAtMost((int) Math.min(max, remaining));
                case CHUNKED -> nextChunkBytes(max);
                case CLOSE -> {
                    byte[] read = readAtMost(max);
                    yield read == null ? end(true) : read;
                }
            };
            if (bytes == null) {
                return end(false);
            }
            remaining -= framing == RawResponse.Framing.CLOSE ? 0 : bytes.length;
            body.writeBytes(bytes);
            return bytes;
        } catch (SocketTimeoutException e) {
            throw new IOException("no response bytes for " + TIMEOUT_MILLIS + " ms after " + body.size()
                    + " body bytes", e);
        } catch (IOException e) {
            // A reset in the middle of the body: the client sees a broken response, which is the point.
            return end(false);
        }
    }

    /** Chunk data, or null at an early end of the stream, or empty after the last chunk. */
    private byte[] nextChunkBytes(int max) throws IOException {
        if (remaining == 0) {
            if (chunkNeedsCrlf && !"".equals(readLine())) {
                return null;
            }
            String sizeLine = readLine();
            if (sizeLine == null) {
                return null;
            }
            int semicolon = sizeLine.indexOf(';');
            String size = (semicolon < 0 ? sizeLine : sizeLine.substring(0, semicolon)).strip();
            if (!size.matches("[0-9a-fA-F]{1,15}")) {
                throw new IOException("malformed chunk size line '" + sizeLine + "'");
            }
            remaining = Long.parseLong(size, 16);
            chunkNeedsCrlf = true;
            if (remaining == 0) {
                for (String trailer = readLine(); ; trailer = readLine()) {
                    if (trailer == null) {
                        return null;
                    }
                    if (trailer.isEmpty()) {
                        return end(true);
                    }
                }
            }
        }
        return readAtMost((int) Math.min(max, remaining));
    }

    private byte[] end(boolean completed) {
        ended = true;
        complete = completed;
        return NOTHING;
    }

    /** One read of at most {@code max} bytes; null at the end of the stream. */
    private byte[] readAtMost(int max) throws IOException {
        byte[] buffer = new byte[max];
        int n = in.read(buffer);
        if (n < 0) {
            return null;
        }
        byte[] read = new byte[n];
        System.arraycopy(buffer, 0, read, 0, n);
        return read;
    }

    /** A line without its CRLF (or bare LF), as ISO-8859-1; null at the end of the stream. */
    private String readLine() throws IOException {
        ByteArrayOutputStream line = new ByteArrayOutputStream();
        for (int b = in.read(); b != '\n'; b = in.read()) {
            if (b < 0) {
                return line.size() == 0 ? null : line.toString(StandardCharsets.ISO_8859_1);
            }
            line.write(b);
        }
        String text = line.toString(StandardCharsets.ISO_8859_1);
        return text.endsWith("\r") ? text.substring(0, text.length() - 1) : text;
    }
}
