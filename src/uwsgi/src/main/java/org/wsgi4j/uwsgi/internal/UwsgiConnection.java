package org.wsgi4j.uwsgi.internal;

import java.io.IOException;
import java.io.InputStream;
import java.io.PrintWriter;
import java.lang.System.Logger.Level;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.net.SocketTimeoutException;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.util.Map;
import java.util.Objects;
import org.wsgi4j.ClientDisconnectedException;
import org.wsgi4j.internal.LineWriter;
import org.wsgi4j.server.EnvironBuilder;
import org.wsgi4j.server.ResponseEngine;
import org.wsgi4j.server.Result;
import org.wsgi4j.uwsgi.internal.UwsgiParser.Failure;

/**
 * One uwsgi connection, which carries exactly one request (nginx never reuses it). It only moves
 * bytes: socket to {@link UwsgiParser}, parsed vars to {@link UwsgiEnviron}, the request body to
 * {@code wsgi.input}, and the {@link ResponseEngine}'s output through a {@link UwsgiSink}; every
 * protocol rule lives in those.
 *
 * <p>Its life: the {@link UwsgiSelector} thread reads the head without blocking
 * ({@link #readHead}); once it is complete, {@link #run} serves the request on a worker thread and
 * then acts on the engine's {@link Result}: a complete response is closed (after the selector
 * drains any request body the application left unread), a broken one reset.
 */
final class UwsgiConnection implements UwsgiParser.Listener, Runnable {

    /** No body bytes pending: read-only and empty, so it can be shared. */
    private static final ByteBuffer NOTHING = ByteBuffer.allocate(0).asReadOnlyBuffer();

    /** What {@link #readHead} found. */
    enum Head { INCOMPLETE, COMPLETE, REFUSED }

    private final SocketChannel channel;
    private final Wire wire;
    private final UwsgiSelector selector;
    private final UwsgiSelector.Shared shared;
    private final UwsgiParser parser;
    /** When the packet header and vars must have arrived, counted from accept. */
    final long headDeadline;
    /** Set by the selector thread (only it reads it) once the head phase is over, whichever way. */
    boolean headOver;

    private UwsgiVars vars;
    private Failure failure;
    private String failureReason;
    private boolean ended;
    /** Received bytes not parsed yet: the body's start read with the head, or the read buffer. */
    private ByteBuffer unparsed;
    /** Parsed body bytes not yet handed to the application: a view of {@link #unparsed}. */
    private ByteBuffer pending = NOTHING;
    private ByteBuffer readBuffer;
    private ByteBuffer writeBuffer;
    private volatile boolean finished;

    UwsgiConnection(SocketChannel channel, boolean tcp, UwsgiSelector selector, long acceptedAt) {
        this.channel = channel;
        this.wire = new Wire(channel, tcp, () -> selector.watch(this));
        this.selector = selector;
        this.shared = selector.shared();
        this.parser = new UwsgiParser(this, shared.limits());
        this.headDeadline = acceptedAt + shared.headerTimeoutNanos();
    }

    Wire wire() {
        return wire;
    }

    SocketChannel channel() {
        return channel;
    }

    /**
     * Reads what has arrived (the channel is non-blocking) into the selector's buffer and parses it.
     * When the head is complete, the body bytes read with it are kept for the worker: they fit one
     * pooled buffer, since the selector's buffer is no larger.
     */
    Head readHead(ByteBuffer buffer) throws IOException {
        while (true) {
            buffer.clear();
            int n = channel.read(buffer);
            if (n == 0) {
                return Head.INCOMPLETE;
            }
            if (n < 0) {
                parser.eof();
                return Head.REFUSED;
            }
            buffer.flip();
            parser.parse(buffer);
            if (failure != null) {
                return Head.REFUSED;
            }
            if (vars != null) {
                if (buffer.hasRemaining() && parser.state() == UwsgiParser.State.BODY) {
                    readBuffer = shared.buffers().acquire();
                    unparsed = readBuffer.put(buffer).flip();
                }
                return Head.COMPLETE;
            }
        }
    }

    /** Why the head was refused, once {@link #readHead} said so. */
    Refusal refusal() {
        return Refusal.of(failure, failureReason);
    }

    /** Serves the request on a worker; the head is complete. */
    @Override
    public void run() {
        selector.started(this);
        Result.Outcome outcome = Result.Outcome.CLIENT_GONE;
        try {
            wire.blockWhenNeeded();
            outcome = serve();
        } catch (IOException e) {
            shared.logger().log(Level.DEBUG, () -> "uwsgi connection from " + peerName() + " ended: " + e);
        } catch (RuntimeException | Error e) {
            shared.logger().log(Level.ERROR, "uwsgi connection from " + peerName() + " failed", e);
        } finally {
            finish(outcome);
        }
    }

    private Result.Outcome serve() throws IOException {
        InputStream input = new BodyInput();
        PrintWriter errors = LineWriter.forRequest(LineWriter.toLogger(shared.logger(), Level.WARNING));
        Map<String, Object> environ = null;
        Refusal.Answer refusal = null;
        try {
            environ = UwsgiEnviron.build(vars, peer(), localAddress(), input, errors);
        } catch (IllegalArgumentException e) {
            refusal = new Refusal.Answer(400, e.getMessage(), null);
            shared.refusals().refused(peerName(), refusal);
        }
        writeBuffer = shared.buffers().acquire();
        UwsgiSink sink = new UwsgiSink(wire, writeBuffer, shared.bodyTimeoutNanos());
        ResponseEngine engine = shared.engine();
        return (refusal == null ? engine.run(environ, sink)
                : refusal.answer().run(engine.options(), UwsgiEnviron.refused(vars, peer()), sink)).outcome();
    }

    /**
     * Answers a refusal on the selector thread: a few hundred bytes into a fresh connection's empty
     * send buffer, so the non-blocking write completes or the peer is not worth waiting for.
     *
     * @return true when the answer went out and the connection should linger to drain the request
     */
    boolean answer(Refusal.Answer refusal) {
        writeBuffer = shared.buffers().acquire();
        // No vars to go by: the observer is given an empty environ.
        Result result = refusal.answer().run(shared.engine().options(), new EnvironBuilder().build(),
                new UwsgiSink(wire, writeBuffer, shared.bodyTimeoutNanos()));
        if (result.outcome() != Result.Outcome.COMPLETE) {
            wire.reset();
            releaseBuffers();
            return false;
        }
        try {
            wire.shutdownOutput();
        } catch (IOException e) {
            wire.close();
            releaseBuffers();
            return false;
        }
        releaseBuffers();
        return true;
    }

    /** Acts on how the response ended (SPEC S12, S16, S18). */
    private void finish(Result.Outcome outcome) {
        releaseBuffers();
        finished = true;
        selector.finished(this, wire.blocking());
        if (outcome != Result.Outcome.COMPLETE) {
            // nginx must not pass a broken response on as complete.
            wire.reset();
            return;
        }
        if (parser.state() == UwsgiParser.State.END) {
            wire.close();
            return;
        }
        // Unread request bytes at close make the kernel send a reset, which can destroy the
        // response before nginx has read it: send FIN, and let the selector read the rest.
        try {
            wire.shutdownOutput();
            channel.configureBlocking(false);
            selector.linger(this);
        } catch (IOException e) {
            wire.close();
        }
    }

    boolean finished() {
        return finished;
    }

    private void releaseBuffers() {
        shared.buffers().release(readBuffer);
        shared.buffers().release(writeBuffer);
        readBuffer = null;
        writeBuffer = null;
        unparsed = null;
        pending = NOTHING;
    }

    /** The peer as the socket knows it, used only when nginx sent no REMOTE_ADDR. */
    private UwsgiEnviron.Peer peer() {
        try {
            if (channel.getRemoteAddress() instanceof InetSocketAddress remote) {
                return new UwsgiEnviron.Peer(remote.getAddress().getHostAddress(), remote.getPort());
            }
        } catch (IOException e) {
            // Closed already: the request is about to fail on its first write anyway.
        }
        return new UwsgiEnviron.Peer("127.0.0.1", 0);
    }

    /** The TCP address the connection arrived on; null on a unix socket (SPEC E7's last fallback). */
    private String localAddress() throws IOException {
        return channel.getLocalAddress() instanceof InetSocketAddress local ? local.getAddress().getHostAddress() : null;
    }

    String peerName() {
        try {
            SocketAddress remote = channel.getRemoteAddress();
            return remote instanceof InetSocketAddress ? remote.toString() : "unix socket " + channel.getLocalAddress();
        } catch (IOException e) {
            return "a closed connection";
        }
    }

    // --- parser events ---

    @Override
    public boolean onVars(UwsgiVars vars, long contentLength) {
        this.vars = vars;
        return true;
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
        this.failureReason = reason;
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
            while (!pending.hasRemaining()) {
                if (ended) {
                    return -1;
                }
                fill();
            }
            int n = Math.min(len, pending.remaining());
            pending.get(b, off, n);
            return n;
        }

        @Override
        public int available() {
            return finished ? 0 : pending.remaining();
        }

        /** Applications must not close wsgi.input (A8); closing it changes nothing. */
        @Override
        public void close() {
        }

        private void fill() throws IOException {
            if (finished) {
                throw new IOException("wsgi.input was read after the response ended");
            }
            if (failure != null) {
                throw new ClientDisconnectedException("the request body is incomplete: " + failureReason, null);
            }
            if (unparsed == null || !unparsed.hasRemaining()) {
                if (readBuffer == null) {
                    readBuffer = shared.buffers().acquire();
                }
                readBuffer.clear();
                int n;
                try {
                    n = wire.read(readBuffer, shared.bodyTimeoutNanos());
                } catch (SocketTimeoutException e) {
                    // A peer that stops sending its body is a client gone (S18), not an application error.
                    throw new ClientDisconnectedException("the request body stalled: " + e.getMessage(), e);
                }
                if (n < 0) {
                    parser.eof();
                    shared.logger().log(Level.DEBUG, () -> "uwsgi request from " + peerName() + ": " + failureReason);
                    throw new ClientDisconnectedException("the request body is incomplete: " + failureReason, null);
                }
                unparsed = readBuffer.flip();
            }
            parser.parse(unparsed);
        }
    }
}
