package org.wsgi4j.uwsgi.internal;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PrintWriter;
import java.lang.System.Logger;
import java.lang.System.Logger.Level;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.net.SocketTimeoutException;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.wsgi4j.ClientDisconnectedException;
import org.wsgi4j.internal.LineWriter;
import org.wsgi4j.server.ResponseEngine;
import org.wsgi4j.uwsgi.internal.UwsgiParser.Failure;

/**
 * One uwsgi connection, which carries exactly one request (nginx never reuses it). It only moves
 * bytes: socket to {@link UwsgiParser}, parsed vars to {@link UwsgiEnviron}, the request body to
 * {@code wsgi.input}, and the {@link ResponseEngine}'s output through a {@link UwsgiSink}; every
 * protocol rule lives in those.
 */
public final class UwsgiConnection implements Runnable {

    /**
     * What all connections of one listener share.
     *
     * @param allow null for unix sockets, whose file permissions decide who may connect
     */
    public record Settings(ResponseEngine engine, UwsgiParser.Limits limits, long headerTimeoutNanos,
                           long bodyTimeoutNanos, AllowList allow, ScheduledExecutorService timer,
                           Logger logger) {
        public Settings {
            Objects.requireNonNull(engine, "engine");
            Objects.requireNonNull(limits, "limits");
            Objects.requireNonNull(timer, "timer");
            Objects.requireNonNull(logger, "logger");
        }
    }

    private static final int READ_BUFFER_SIZE = 16 * 1024;
    /** A refused request's body is read and dropped up to this much, so the answer is not lost to a reset. */
    private static final long REFUSAL_DRAIN_LIMIT = 1024 * 1024;

    private final SocketChannel socket;
    private final Settings settings;
    private final TimedChannel channel;
    private final String peerName;
    private final ByteBuffer buffer = ByteBuffer.allocate(READ_BUFFER_SIZE);
    private final Events events = new Events();
    private final UwsgiParser parser;

    public UwsgiConnection(SocketChannel socket, Settings settings) throws IOException {
        this.socket = socket;
        this.settings = settings;
        SocketAddress remote = socket.getRemoteAddress();
        boolean tcp = remote instanceof InetSocketAddress;
        this.channel = new TimedChannel(socket, settings.timer(), tcp);
        this.peerName = tcp ? remote.toString() : "unix socket " + socket.getLocalAddress();
        this.parser = new UwsgiParser(events, settings.limits());
    }

    @Override
    public void run() {
        try {
            if (!allowed()) {
                return;
            }
            if (!readVars()) {
                return;
            }
            serve();
        } catch (IOException e) {
            settings.logger().log(Level.DEBUG, () -> "uwsgi connection from " + peerName + " ended: " + e);
        } catch (RuntimeException | Error e) {
            settings.logger().log(Level.ERROR, "uwsgi connection from " + peerName + " failed", e);
        } finally {
            channel.close();
        }
    }

    private boolean allowed() throws IOException {
        if (settings.allow() == null) {
            return true;
        }
        InetSocketAddress remote = (InetSocketAddress) socket.getRemoteAddress();
        if (settings.allow().allows(remote.getAddress())) {
            return true;
        }
        settings.logger().log(Level.WARNING, () -> "uwsgi connection from " + peerName
                + " refused: not in the allow list (a uwsgi peer can claim any REMOTE_ADDR or HTTPS;"
                + " allow only your proxies)");
        return false;
    }

    /** Reads until the vars are complete; false when the packet was refused (already answered and logged). */
    private boolean readVars() throws IOException {
        long deadline = System.nanoTime() + settings.headerTimeoutNanos();
        while (!events.varsDone && events.failure == null) {
            long left = deadline - System.nanoTime();
            int n;
            try {
                if (left <= 0) {
                    throw new SocketTimeoutException("deadline passed");
                }
                buffer.clear();
                n = channel.read(buffer, left);
            } catch (SocketTimeoutException e) {
                settings.logger().log(Level.WARNING, () -> "uwsgi request from " + peerName
                        + " refused: vars not complete within "
                        + TimeUnit.NANOSECONDS.toMillis(settings.headerTimeoutNanos()) + " ms");
                return false;
            }
            if (n < 0) {
                parser.eof();
            } else {
                buffer.flip();
                parser.parse(buffer);
            }
        }
        if (events.failure != null) {
            refuse(events.failure.status(), events.reason);
            return false;
        }
        return true;
    }

    private void serve() throws IOException {
        InputStream input = new BodyInput();
        PrintWriter errors = LineWriter.toLogger(settings.logger(), Level.WARNING).printWriter();
        Map<String, Object> environ;
        try {
            environ = UwsgiEnviron.build(events.vars, peer(), localAddress(), input, errors);
        } catch (IllegalArgumentException e) {
            refuse(400, e.getMessage());
            return;
        }
        UwsgiSink sink = new UwsgiSink(channel, settings.bodyTimeoutNanos(), new UwsgiSink.Ending() {
            @Override
            public void complete() throws IOException {
                // FIN first so nginx has the whole response, then read what the application left
                // unread: closing with unread input would send a reset that can destroy the response.
                channel.shutdownOutput();
                input.transferTo(OutputStream.nullOutputStream());
                channel.close();
            }

            @Override
            public void abort() {
                channel.reset();
            }
        });
        settings.engine().run(environ, sink);
    }

    private UwsgiEnviron.Peer peer() throws IOException {
        if (socket.getRemoteAddress() instanceof InetSocketAddress remote) {
            return new UwsgiEnviron.Peer(remote.getAddress().getHostAddress(), remote.getPort());
        }
        return new UwsgiEnviron.Peer("127.0.0.1", 0);
    }

    /** The TCP address the connection arrived on; null on a unix socket (SPEC E7's last fallback). */
    private String localAddress() throws IOException {
        return socket.getLocalAddress() instanceof InetSocketAddress local ? local.getAddress().getHostAddress() : null;
    }

    /** Logs once; answers {@code status} when there is one (0: close without answer), then closes. */
    private void refuse(int status, String reason) {
        settings.logger().log(Level.WARNING, () -> "uwsgi request from " + peerName + " refused: " + reason);
        if (status == 0) {
            return;
        }
        byte[] body = (reason + "\n").getBytes(StandardCharsets.ISO_8859_1);
        String head = "HTTP/1.1 " + status + " " + reasonPhrase(status) + "\r\n"
                + "Content-Type: text/plain; charset=iso-8859-1\r\n"
                + "Content-Length: " + body.length + "\r\n\r\n";
        try {
            ByteBuffer answer = ByteBuffer.allocate(head.length() + body.length)
                    .put(head.getBytes(StandardCharsets.ISO_8859_1)).put(body).flip();
            channel.writeFully(answer, settings.bodyTimeoutNanos());
            channel.shutdownOutput();
            drain(REFUSAL_DRAIN_LIMIT);
        } catch (IOException e) {
            settings.logger().log(Level.DEBUG, () -> "answering " + status + " to " + peerName + " failed: " + e);
        }
    }

    private void drain(long limit) throws IOException {
        for (long drained = 0; drained < limit; ) {
            buffer.clear();
            int n = channel.read(buffer, settings.bodyTimeoutNanos());
            if (n < 0) {
                return;
            }
            drained += n;
        }
    }

    private static String reasonPhrase(int status) {
        return switch (status) {
            case 400 -> "Bad Request";
            case 413 -> "Content Too Large";
            default -> "Error";
        };
    }

    /** Parser events for this connection's one request. */
    private static final class Events implements UwsgiParser.Listener {
        final List<UwsgiEnviron.Var> vars = new ArrayList<>();
        boolean varsDone;
        boolean ended;
        Failure failure;
        String reason;
        /** Body bytes not yet handed to the application: a view of the read buffer. */
        ByteBuffer pending = ByteBuffer.allocate(0);

        @Override
        public void onHeader(int modifier1, int varsSize, int modifier2) {
        }

        @Override
        public void onVar(String key, String value) {
            vars.add(new UwsgiEnviron.Var(key, value));
        }

        @Override
        public void onVarsDone(long contentLength) {
            varsDone = true;
        }

        @Override
        public void onContent(ByteBuffer content) {
            pending = content;
        }

        @Override
        public void onEnd() {
            ended = true;
        }

        @Override
        public void onFailure(Failure failure, String reason) {
            this.failure = failure;
            this.reason = reason;
        }
    }

    /**
     * {@code wsgi.input} (SPEC E11): the body bytes, pulled from the socket through the parser as
     * the application reads; end of stream exactly at CONTENT_LENGTH.
     */
    private final class BodyInput extends InputStream {

        @Override
        public int read() throws IOException {
            byte[] one = new byte[1];
            return read(one, 0, 1) < 0 ? -1 : one[0] & 0xFF;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            Objects.checkFromIndexSize(off, len, b.length);
            if (len == 0) {
                return 0;
            }
            while (!events.pending.hasRemaining()) {
                if (events.ended) {
                    return -1;
                }
                fill();
            }
            int n = Math.min(len, events.pending.remaining());
            events.pending.get(b, off, n);
            return n;
        }

        @Override
        public int available() {
            return events.pending.remaining();
        }

        /** Applications must not close wsgi.input (A8); closing it changes nothing. */
        @Override
        public void close() {
        }

        private void fill() throws IOException {
            if (events.failure != null) {
                throw new ClientDisconnectedException("the request body is incomplete: " + events.reason, null);
            }
            buffer.clear();
            int n = channel.read(buffer, settings.bodyTimeoutNanos());
            if (n < 0) {
                parser.eof();
                settings.logger().log(Level.DEBUG, () -> "uwsgi request from " + peerName + ": " + events.reason);
                throw new ClientDisconnectedException("the request body is incomplete: " + events.reason, null);
            }
            buffer.flip();
            parser.parse(buffer);
        }
    }
}
