package org.wsgi4j.uwsgi;

import java.io.IOException;
import java.lang.System.Logger;
import java.lang.System.Logger.Level;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFileAttributeView;
import java.nio.file.attribute.UserPrincipalLookupService;
import java.nio.file.attribute.UserPrincipalNotFoundException;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.wsgi4j.server.ResponseEngine;
import org.wsgi4j.uwsgi.internal.AllowList;
import org.wsgi4j.uwsgi.internal.UwsgiSelector;
import org.wsgi4j.uwsgi.internal.UwsgiParser;

/**
 * Serves a wsgi4j application over the uwsgi protocol, for nginx's {@code uwsgi_pass} (or any other
 * uwsgi client), on a TCP port or a unix socket.
 *
 * <pre>{@code
 * UwsgiListener listener = UwsgiListener.start(UwsgiConfig.builder()
 *         .tcp("127.0.0.1", 3031)
 *         .application(app)
 *         .build());
 * ...
 * listener.stop();
 * }</pre>
 *
 * <p>{@link #start} binds and returns at once. One selector thread accepts connections and reads
 * each packet's header and vars without blocking; only a request whose head has fully arrived is
 * given a thread: a virtual thread (Java 21+) or one of a pool of platform threads, see
 * {@link UwsgiConfig#threads()}. So peers that connect and stall hold a file descriptor, never a
 * thread, until {@link UwsgiConfig#headerTimeout()} (counted from accept) closes them; past
 * {@link UwsgiConfig#maxQueued()} connections waiting, new ones are answered 503. Every connection
 * carries one request and is closed after the response.
 *
 * <p>Refused requests (400, 413, 431, 503) are answered through the same response engine and sink
 * as any other response; packets that cannot be answered are closed. Refusals are logged to the
 * {@code org.wsgi4j.uwsgi} logger, the first of each kind in full and the rest as a summary every
 * 10 seconds, and never reach the application.
 *
 * <p>The response is a raw {@code HTTP/1.1} status line and headers; the body ends at its
 * {@code Content-Length}, or where the connection closes when the application gave none. A
 * response cut short after commit is closed with a TCP reset, which nginx reports and does not
 * finish as complete; on a unix socket that is indistinguishable from the end of a response
 * without {@code Content-Length} (see the README).
 */
public final class UwsgiListener implements AutoCloseable {

    private static final Logger LOG = System.getLogger("org.wsgi4j.uwsgi");
    private static final int PLATFORM_THREADS = 200;
    private static final long STOP_GRACE_SECONDS = 10;

    private final UwsgiConfig config;
    private final SocketAddress boundAddress;
    private final ExecutorService workers;
    private final UwsgiSelector selector;
    private volatile boolean stopping;

    private UwsgiListener(UwsgiConfig config, ServerSocketChannel server) throws IOException {
        this.config = config;
        this.boundAddress = server.getLocalAddress();
        this.workers = workers(config.threads());
        UwsgiSelector.Shared shared = new UwsgiSelector.Shared(
                new ResponseEngine(config.application(), config.engineOptions()),
                new UwsgiParser.Limits(config.maxVarsSize(), config.maxVars(), config.maxBodySize()),
                config.headerTimeout().toNanos(),
                config.bodyTimeout().toNanos(),
                LOG);
        this.selector = new UwsgiSelector(server, shared, workers,
                boundAddress instanceof InetSocketAddress ? AllowList.parse(config.allow()) : null,
                config.maxQueued(), boundAddress.toString());
    }

    /**
     * Binds the configured address and starts accepting connections. For a unix socket, a stale
     * socket file (nobody accepting on it) is replaced, and the file gets
     * {@link UwsgiConfig#socketPermissions()}.
     *
     * @param config the listener's configuration
     * @return the running listener
     * @throws IOException if the address cannot be bound (in use, no permission, no such directory)
     */
    public static UwsgiListener start(UwsgiConfig config) throws IOException {
        Objects.requireNonNull(config, "config");
        ServerSocketChannel server;
        if (config.address() instanceof UnixDomainSocketAddress unix) {
            removeStaleSocket(unix.getPath());
            server = ServerSocketChannel.open(StandardProtocolFamily.UNIX);
            try {
                server.bind(unix, config.backlog());
                Files.setPosixFilePermissions(unix.getPath(), config.socketPermissions());
                setOwner(unix.getPath(), config.socketOwner(), config.socketGroup());
            } catch (IOException | RuntimeException e) {
                server.close();
                Files.deleteIfExists(unix.getPath());
                throw e;
            }
        } else {
            server = ServerSocketChannel.open();
            try {
                server.bind(config.address(), config.backlog());
            } catch (IOException | RuntimeException e) {
                server.close();
                throw new IOException("cannot listen for uwsgi on " + config.address() + ": " + e.getMessage(), e);
            }
        }
        UwsgiListener listener;
        try {
            listener = new UwsgiListener(config, server);
        } catch (IOException | RuntimeException e) {
            server.close();
            throw e;
        }
        listener.selector.start();
        LOG.log(Level.INFO, () -> "uwsgi listener on " + listener.boundAddress);
        return listener;
    }

    /**
     * The bound TCP port (the real one when the config asked for port 0).
     *
     * @return the port
     * @throws IllegalStateException if the listener is on a unix socket
     */
    public int port() {
        if (boundAddress instanceof InetSocketAddress inet) {
            return inet.getPort();
        }
        throw new IllegalStateException("the uwsgi listener is on a unix socket (" + boundAddress + "), not a port");
    }

    /**
     * The bound address.
     *
     * @return an {@link InetSocketAddress} or a {@link UnixDomainSocketAddress}
     */
    public SocketAddress address() {
        return boundAddress;
    }

    /**
     * Connections accepted and not yet being served: sending their head, or waiting for a thread.
     *
     * @return the count, at most {@link UwsgiConfig#maxQueued()}
     */
    public int queued() {
        return selector.queued();
    }

    /**
     * The configuration this listener was started with.
     *
     * @return the configuration
     */
    public UwsgiConfig config() {
        return config;
    }

    /**
     * Stops accepting, removes the unix socket file, lets requests in flight finish for up to 10
     * seconds, then interrupts them (which closes their connections). Idempotent.
     */
    public void stop() {
        stop(Duration.ofSeconds(STOP_GRACE_SECONDS));
    }

    /**
     * Stops accepting at once (connections still sending their head are closed), removes the unix
     * socket file, lets requests in flight finish for up to {@code grace}, then interrupts them
     * (which closes their connections). Idempotent.
     *
     * @param grace how long requests in flight may still run
     */
    public void stop(Duration grace) {
        long graceNanos = grace.toNanos();
        if (stopping) {
            return;
        }
        stopping = true;
        selector.stopAccepting();
        if (boundAddress instanceof UnixDomainSocketAddress unix) {
            try {
                Files.deleteIfExists(unix.getPath());
            } catch (IOException e) {
                LOG.log(Level.WARNING, () -> "cannot remove the uwsgi socket file " + unix.getPath() + ": " + e);
            }
        }
        workers.shutdown();
        try {
            if (!workers.awaitTermination(graceNanos, TimeUnit.NANOSECONDS)) {
                workers.shutdownNow();
            }
            // The selector keeps timing out blocked calls and draining finished responses until now.
            selector.stop();
        } catch (InterruptedException e) {
            workers.shutdownNow();
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public void close() {
        stop();
    }

    /** uWSGI's --chown-socket USER[:GROUP]; empty names leave that part as it is. */
    private static void setOwner(Path path, String user, String group) throws IOException {
        UserPrincipalLookupService lookup = path.getFileSystem().getUserPrincipalLookupService();
        PosixFileAttributeView view = Files.getFileAttributeView(path, PosixFileAttributeView.class);
        String what = "user";
        String name = user;
        try {
            if (!user.isEmpty()) {
                view.setOwner(lookup.lookupPrincipalByName(user));
            }
            what = "group";
            name = group;
            if (!group.isEmpty()) {
                view.setGroup(lookup.lookupPrincipalByGroupName(group));
            }
        } catch (UserPrincipalNotFoundException e) {
            throw new IOException("cannot give the uwsgi socket " + path + " to " + what + " '" + name
                    + "': no such " + what, e);
        } catch (IOException e) {
            throw new IOException("cannot give the uwsgi socket " + path + " to " + what + " '" + name + "': "
                    + e.getMessage(), e);
        }
    }

    /** A socket file nobody accepts on is left over from a crash; a live one means another server. */
    private static void removeStaleSocket(Path path) throws IOException {
        if (!Files.exists(path)) {
            return;
        }
        boolean live;
        try (SocketChannel probe = SocketChannel.open(UnixDomainSocketAddress.of(path))) {
            live = true;
        } catch (IOException e) {
            live = false;
        }
        if (live) {
            throw new IOException("cannot listen for uwsgi on " + path + ": another server is accepting on it");
        }
        Files.delete(path);
    }

    /** Virtual threads where the JDK has them (looked up once, no reflection on the request path). */
    private static ExecutorService workers(int threads) {
        if (threads == 0) {
            ExecutorService virtual = virtualThreadExecutor();
            if (virtual != null) {
                return virtual;
            }
            threads = PLATFORM_THREADS;
        }
        return Executors.newFixedThreadPool(threads, daemon("wsgi4j-uwsgi-worker"));
    }

    private static ExecutorService virtualThreadExecutor() {
        try {
            MethodHandle factory = MethodHandles.publicLookup().findStatic(Executors.class,
                    "newVirtualThreadPerTaskExecutor", MethodType.methodType(ExecutorService.class));
            return (ExecutorService) factory.invoke();
        } catch (NoSuchMethodException | IllegalAccessException e) {
            return null;
        } catch (Throwable e) {
            throw new IllegalStateException("cannot create the virtual-thread executor", e);
        }
    }

    private static java.util.concurrent.ThreadFactory daemon(String name) {
        AtomicInteger count = new AtomicInteger();
        return runnable -> {
            Thread thread = new Thread(runnable, name + "-" + count.incrementAndGet());
            thread.setDaemon(true);
            return thread;
        };
    }
}
