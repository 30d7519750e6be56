package org.wsgi4j.uwsgi.internal;

import java.io.IOException;
import java.lang.System.Logger;
import java.lang.System.Logger.Level;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.wsgi4j.server.ResponseEngine;

/**
 * The one thread of a listener that no peer can hold: it accepts connections, reads each packet's
 * header and vars without blocking, and hands a connection to a worker only once its head is
 * complete (as Jetty takes a thread only for a complete HTTP request head). It also enforces every
 * deadline (the head's, counted from accept; each worker's read and write, by a periodic sweep),
 * answers refusals, and drains request bytes a finished response left unread ("lingering close"),
 * so none of that holds a worker either.
 *
 * <p>Connections accepted and not yet taken by a worker (reading their head, or waiting for a
 * worker) are counted; past {@code maxQueued}, new connections are answered 503.
 */
public final class UwsgiSelector implements Runnable {

    /**
     * What every connection of one listener shares.
     *
     * @param headerTimeoutNanos how long a connection may take, from accept, to send its header and vars
     * @param bodyTimeoutNanos   how long one read of the body or one write of the response may wait
     */
    public record Shared(ResponseEngine engine, UwsgiParser.Limits limits, long headerTimeoutNanos,
                         long bodyTimeoutNanos, Logger logger, BufferPool buffers, RefusalLog refusals) {
        public Shared {
            Objects.requireNonNull(engine, "engine");
            Objects.requireNonNull(limits, "limits");
            Objects.requireNonNull(logger, "logger");
        }

        /** Settings with the listener's pools: 16 KiB direct buffers, refusals summarised every 10 s. */
        public Shared(ResponseEngine engine, UwsgiParser.Limits limits, long headerTimeoutNanos,
                      long bodyTimeoutNanos, Logger logger) {
            this(engine, limits, headerTimeoutNanos, bodyTimeoutNanos, logger,
                    new BufferPool(BUFFER_SIZE, RETAINED_BUFFERS), new RefusalLog(logger, REFUSAL_LOG_INTERVAL));
        }
    }

    private static final int BUFFER_SIZE = 16 * 1024;
    private static final int RETAINED_BUFFERS = 512;
    private static final long REFUSAL_LOG_INTERVAL = TimeUnit.SECONDS.toNanos(10);
    /**
     * How long, and how much, a closing connection's unread request is drained (Apache's lingering
     * close waits 2 s per read, 30 s in all); past either it is closed, at worst with a reset.
     */
    private static final long LINGER_NANOS = TimeUnit.SECONDS.toNanos(5);
    private static final long LINGER_BYTES = 1024 * 1024;
    private static final long ACCEPT_PAUSE_NANOS = TimeUnit.MILLISECONDS.toNanos(100);

    private final ServerSocketChannel server;
    private final Shared shared;
    private final Executor workers;
    /** Null for unix sockets, whose file permissions decide who may connect. */
    private final AllowList allow;
    private final int maxQueued;
    private final String name;
    private final Selector selector;
    private final SelectionKey acceptKey;
    /**
     * Read buffer for heads and lingering drains: only this thread uses it. No larger than a pooled
     * buffer, so the body bytes read with a head always fit the connection's own.
     */
    private final ByteBuffer buffer;
    private final long sweepNanos;

    /** Connections reading their head, in accept order, which is also deadline order. */
    private final ArrayDeque<UwsgiConnection> heads = new ArrayDeque<>();
    /** Heads completed while registered: dispatched after the next select deregisters their keys. */
    private final List<UwsgiConnection> complete = new ArrayList<>();
    private final ArrayDeque<Linger> lingering = new ArrayDeque<>();
    private final ConcurrentLinkedQueue<UwsgiConnection> toLinger = new ConcurrentLinkedQueue<>();
    /**
     * Connections on a worker whose socket calls may wait (their {@link Wire} has switched to
     * blocking mode): the sweep times those calls out. A connection whose calls all proceed at once
     * (most responses go out in one write) never joins, which saves two hash-set updates per request.
     */
    private final Set<UwsgiConnection> serving = ConcurrentHashMap.newKeySet();
    /**
     * Set while this thread waits in select with no sweep due: a worker that starts waiting then
     * wakes it ({@link #watch}), so that its call is timed out on time.
     */
    private volatile boolean sleepingUnswept;
    private final AtomicInteger queued = new AtomicInteger();
    private final Thread thread;
    private volatile boolean stopping;
    private volatile boolean refuseNew;
    private long nextSweep;
    private long acceptPausedUntil;

    public UwsgiSelector(ServerSocketChannel server, Shared shared, Executor workers, AllowList allow,
                         int maxQueued, String name) throws IOException {
        this.server = server;
        this.shared = shared;
        this.workers = workers;
        this.allow = allow;
        this.maxQueued = maxQueued;
        this.name = name;
        this.buffer = ByteBuffer.allocateDirect(shared.buffers().bufferSize());
        this.selector = Selector.open();
        server.configureBlocking(false);
        this.acceptKey = server.register(selector, SelectionKey.OP_ACCEPT);
        long shortest = Math.min(shared.headerTimeoutNanos(), shared.bodyTimeoutNanos());
        this.sweepNanos = Math.max(TimeUnit.MILLISECONDS.toNanos(10), Math.min(TimeUnit.SECONDS.toNanos(1), shortest / 8));
        this.thread = new Thread(this, "wsgi4j-uwsgi-selector " + name);
        thread.setDaemon(true);
    }

    Shared shared() {
        return shared;
    }

    public void start() {
        thread.start();
    }

    /**
     * Stops accepting and closes the connections still sending their head; the thread goes on
     * timing out and draining the connections on workers until {@link #stop}.
     */
    public void stopAccepting() {
        refuseNew = true;
        selector.wakeup();
    }

    /** Stops accepting and closes every connection not on a worker; returns when the thread has ended. */
    public void stop() throws InterruptedException {
        stopping = true;
        selector.wakeup();
        thread.join();
    }

    /** Connections accepted and not yet on a worker. */
    public int queued() {
        return queued.get();
    }

    @Override
    public void run() {
        try {
            while (!stopping) {
                long now = System.nanoTime();
                if (complete.isEmpty() && toLinger.isEmpty()) {
                    // Written before nextWakeup reads serving, as watch writes serving before reading this.
                    sleepingUnswept = true;
                    long next = nextWakeup(now);
                    sleepingUnswept = next != nextSweep;
                    selector.select(Math.max(1, TimeUnit.NANOSECONDS.toMillis(next - now)));
                    sleepingUnswept = false;
                } else {
                    // Deregisters the keys cancelled last round, so those channels may change mode.
                    selector.selectNow();
                }
                if (refuseNew && server.isOpen()) {
                    closeServerAndHeads();
                }
                dispatchComplete();
                registerLingering();
                Set<SelectionKey> keys = selector.selectedKeys();
                for (SelectionKey key : keys) {
                    handle(key);
                }
                keys.clear();
                sweep(System.nanoTime());
            }
        } catch (IOException | RuntimeException e) {
            shared.logger().log(Level.ERROR, "the uwsgi listener on " + name + " stopped accepting", e);
        } finally {
            closeAll();
        }
    }

    // --- called by workers ---

    void started(UwsgiConnection connection) {
        queued.decrementAndGet();
    }

    /** The worker's calls on this connection may wait from now on: the sweep times them out. */
    void watch(UwsgiConnection connection) {
        serving.add(connection);
        if (sleepingUnswept) {
            selector.wakeup();
        }
    }

    /** The worker is done; {@code watched} if it had called {@link #watch}. */
    void finished(UwsgiConnection connection, boolean watched) {
        if (watched) {
            serving.remove(connection);
        }
    }

    /** Drains the request bytes a finished response left unread, then closes. */
    void linger(UwsgiConnection connection) {
        if (stopping) {
            connection.wire().close();
            return;
        }
        toLinger.add(connection);
        selector.wakeup();
    }

    // --- the loop ---

    private void handle(SelectionKey key) {
        if (!key.isValid()) {
            return;
        }
        if (key == acceptKey) {
            acceptAll();
        } else if (key.attachment() instanceof UwsgiConnection connection) {
            readHead(key, connection);
        } else if (key.attachment() instanceof Linger linger) {
            drain(key, linger);
        }
    }

    private void acceptAll() {
        while (true) {
            SocketChannel channel;
            try {
                channel = server.accept();
            } catch (ClosedChannelException e) {
                stopping = true;
                return;
            } catch (IOException e) {
                // Out of file descriptors and the like: keep serving, but do not spin on the ready key.
                shared.logger().log(Level.ERROR, "accepting a uwsgi connection on " + name + " failed", e);
                acceptKey.interestOps(0);
                acceptPausedUntil = System.nanoTime() + ACCEPT_PAUSE_NANOS;
                return;
            }
            if (channel == null) {
                return;
            }
            accepted(channel, System.nanoTime());
        }
    }

    private void accepted(SocketChannel channel, long now) {
        UwsgiConnection connection;
        try {
            channel.configureBlocking(false);
            connection = new UwsgiConnection(channel, allow != null, this, now);
        } catch (IOException e) {
            close(channel);
            return;
        }
        if (allow != null && !allowed(channel)) {
            refuse(connection, new Refusal.Close("NOT_ALLOWED", "not in the allow list (a uwsgi peer can claim"
                    + " any REMOTE_ADDR or HTTPS; allow only your proxies)"));
            return;
        }
        if (queued.get() >= maxQueued) {
            refuse(connection, new Refusal.Answer(503, "more than " + maxQueued
                    + " connections are waiting to be served (maxQueued)", "maxQueued"));
            return;
        }
        queued.incrementAndGet();
        // nginx usually sends the packet with the connection: try before paying for a registration.
        UwsgiConnection.Head head = readHead(connection);
        if (head == UwsgiConnection.Head.COMPLETE) {
            dispatch(connection);
        } else if (head == UwsgiConnection.Head.INCOMPLETE) {
            try {
                channel.register(selector, SelectionKey.OP_READ, connection);
                heads.add(connection);
            } catch (ClosedChannelException e) {
                headOver(connection);
                connection.wire().close();
            }
        }
    }

    private boolean allowed(SocketChannel channel) {
        try {
            return channel.getRemoteAddress() instanceof InetSocketAddress remote && allow.allows(remote.getAddress());
        } catch (IOException e) {
            return false;
        }
    }

    private void readHead(SelectionKey key, UwsgiConnection connection) {
        UwsgiConnection.Head head = readHead(connection);
        if (head != UwsgiConnection.Head.INCOMPLETE) {
            key.cancel();
            if (head == UwsgiConnection.Head.COMPLETE) {
                complete.add(connection);
            }
        }
    }

    /** Reads; a refused or broken head is dealt with here, a complete one is the caller's. */
    private UwsgiConnection.Head readHead(UwsgiConnection connection) {
        UwsgiConnection.Head head;
        try {
            head = connection.readHead(buffer);
        } catch (IOException e) {
            shared.logger().log(Level.DEBUG, () -> "uwsgi connection from " + connection.peerName() + " ended: " + e);
            headOver(connection);
            connection.wire().close();
            return UwsgiConnection.Head.REFUSED;
        }
        if (head != UwsgiConnection.Head.INCOMPLETE) {
            headOver(connection);
        }
        if (head == UwsgiConnection.Head.REFUSED) {
            refuse(connection, connection.refusal());
        }
        return head;
    }

    private void headOver(UwsgiConnection connection) {
        connection.headOver = true;
        queued.decrementAndGet();
    }

    private void dispatchComplete() {
        for (UwsgiConnection connection : complete) {
            dispatch(connection);
        }
        complete.clear();
    }

    /** The worker counts itself out of {@link #queued} when it starts. */
    private void dispatch(UwsgiConnection connection) {
        queued.incrementAndGet();
        try {
            workers.execute(connection);
        } catch (RejectedExecutionException e) {
            queued.decrementAndGet();
            connection.wire().close();
        }
    }

    /** Logs (summarised), then answers or closes. */
    private void refuse(UwsgiConnection connection, Refusal refusal) {
        shared.refusals().refused(connection.peerName(), refusal);
        if (refusal instanceof Refusal.Answer answer) {
            if (connection.answer(answer)) {
                toLinger.add(connection);
            }
        } else {
            connection.wire().close();
        }
    }

    private void registerLingering() {
        long now = System.nanoTime();
        for (UwsgiConnection connection; (connection = toLinger.poll()) != null; ) {
            Linger linger = new Linger(connection, now + LINGER_NANOS);
            try {
                connection.channel().register(selector, SelectionKey.OP_READ, linger);
                lingering.add(linger);
            } catch (IOException | RuntimeException e) {
                connection.wire().close();
            }
        }
    }

    private void drain(SelectionKey key, Linger linger) {
        try {
            while (true) {
                int n = linger.connection.channel().read(buffer.clear());
                if (n == 0) {
                    return;
                }
                linger.drained += Math.max(n, 0);
                if (n < 0 || linger.drained > LINGER_BYTES) {
                    break;
                }
            }
        } catch (IOException e) {
            // A reset while draining: the peer is gone, and so is the reason to wait.
        }
        key.cancel();
        linger.close();
    }

    /** Times out heads, lingering connections and workers' blocked calls. */
    private void sweep(long now) {
        for (UwsgiConnection head; (head = heads.peek()) != null; ) {
            if (head.headOver) {
                heads.poll();
            } else if (now - head.headDeadline >= 0) {
                heads.poll();
                SelectionKey key = head.channel().keyFor(selector);
                if (key != null) {
                    key.cancel();
                }
                headOver(head);
                refuse(head, new Refusal.Close("HEAD_TIMEOUT", "the packet header and vars did not arrive within "
                        + TimeUnit.NANOSECONDS.toMillis(shared.headerTimeoutNanos()) + " ms of connecting (headerTimeout)"));
            } else {
                break;
            }
        }
        for (Linger linger; (linger = lingering.peek()) != null; ) {
            if (linger.closed) {
                lingering.poll();
            } else if (now - linger.deadline >= 0) {
                lingering.poll();
                SelectionKey key = linger.connection.channel().keyFor(selector);
                if (key != null) {
                    key.cancel();
                }
                linger.close();
            } else {
                break;
            }
        }
        if (now - nextSweep >= 0) {
            for (UwsgiConnection connection : serving) {
                connection.wire().expire(now);
            }
            nextSweep = now + sweepNanos;
        }
        if (acceptPausedUntil != 0 && now - acceptPausedUntil >= 0) {
            acceptPausedUntil = 0;
            acceptKey.interestOps(SelectionKey.OP_ACCEPT);
        }
        shared.refusals().tick(now);
    }

    private long nextWakeup(long now) {
        long next = now + shared.refusals().nanosLeft(now) + 1;
        // Also while handed-over connections are still queued for a worker: once there, their calls
        // must be timed out without waiting for some other event to wake this thread.
        if (!serving.isEmpty() || queued.get() > 0) {
            next = earlier(next, nextSweep);
        }
        UwsgiConnection head = heads.peek();
        if (head != null) {
            next = earlier(next, head.headDeadline);
        }
        Linger linger = lingering.peek();
        if (linger != null) {
            next = earlier(next, linger.deadline);
        }
        if (acceptPausedUntil != 0) {
            next = earlier(next, acceptPausedUntil);
        }
        return next;
    }

    private static long earlier(long a, long b) {
        return a - b <= 0 ? a : b;
    }

    private void closeServerAndHeads() {
        acceptKey.cancel();
        close(server);
        for (UwsgiConnection head : heads) {
            if (!head.headOver) {
                headOver(head);
                head.wire().close();
            }
        }
        heads.clear();
    }

    private void closeAll() {
        close(server);
        for (SelectionKey key : selector.keys()) {
            if (key.attachment() instanceof UwsgiConnection connection) {
                connection.wire().close();
            } else if (key.attachment() instanceof Linger linger) {
                linger.close();
            }
        }
        for (UwsgiConnection connection : complete) {
            connection.wire().close();
        }
        for (UwsgiConnection connection; (connection = toLinger.poll()) != null; ) {
            connection.wire().close();
        }
        try {
            selector.close();
        } catch (IOException e) {
            shared.logger().log(Level.DEBUG, () -> "closing the uwsgi selector: " + e);
        }
    }

    private static void close(java.nio.channels.Channel channel) {
        try {
            channel.close();
        } catch (IOException e) {
            // Nothing was sent on it; there is nothing to report.
        }
    }

    /** A finished connection whose unread request bytes are being drained before it is closed. */
    private static final class Linger {
        final UwsgiConnection connection;
        final long deadline;
        long drained;
        boolean closed;

        Linger(UwsgiConnection connection, long deadline) {
            this.connection = connection;
            this.deadline = deadline;
        }

        void close() {
            closed = true;
            connection.wire().close();
        }
    }
}
