package org.wsgi4j.uwsgi;

import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.net.UnixDomainSocketAddress;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import org.wsgi4j.Application;
import org.wsgi4j.server.EngineOptions;
import org.wsgi4j.server.RequestObserver;
import org.wsgi4j.uwsgi.internal.AllowList;

/**
 * Everything a {@link UwsgiListener} needs, fixed at start-up: the one immutable configuration the
 * listener takes. Made with {@link #builder()}; every setting has a safe default except the address
 * and the application. Limits and timeouts carry the names of their uWSGI counterparts in the docs.
 *
 * @param address           where to listen: an {@link InetSocketAddress} (port 0 picks a free port) or a
 *                          {@link UnixDomainSocketAddress} (the file is created on start, removed on stop)
 * @param application       the application every request goes to (mount several with
 *                          {@code org.wsgi4j.middleware.UrlMap})
 * @param maxVarsSize       int, bytes: largest vars block (the request line, headers and CGI vars
 *                          together), 1 to 65535; default 65535, the most nginx sends (its uwsgi module
 *                          refuses larger requests itself), so no request nginx accepts is refused here.
 *                          uWSGI's {@code --buffer-size} (default 4096 there). Larger packets are answered
 *                          431 and the log names this setting
 * @param maxVars           int, count: most vars in one packet; default 512 (nginx sends about 15 plus one
 *                          per request header); uWSGI's {@code --max-vars}. More are answered 431
 * @param maxBodySize       long, bytes: largest {@code CONTENT_LENGTH} accepted; larger requests get 413;
 *                          default 64 MiB; uWSGI's {@code --limit-post}
 * @param headerTimeout     how long a connection may take, counted from accept, to send the packet header and
 *                          vars; then it is closed; default 30 s. No worker thread waits meanwhile
 * @param bodyTimeout       how long one read of the request body, or one write of the response, may wait;
 *                          default 60 s; uWSGI's {@code --socket-timeout}
 * @param allow             CIDR blocks ({@code 127.0.0.0/8}, {@code ::1}, {@code 10.1.0.0/16}) whose TCP peers
 *                          may connect; default loopback only. Anyone who can reach the port can claim any
 *                          {@code REMOTE_ADDR} or {@code HTTPS}, so widen this only to your proxies. Not
 *                          applied to unix sockets, whose file permissions decide instead
 * @param socketPermissions permissions of the unix socket file; default {@code rw-rw----} (0660), so only the
 *                          owner and {@link #socketGroup} may connect; uWSGI's {@code --chmod-socket}
 * @param threads           int, count: threads serving requests; 0 (the default) means a virtual thread per
 *                          request on Java 21+, else 200 platform threads. Threads are taken only by
 *                          requests whose head has fully arrived
 * @param debug             whether a 500 answer carries the stack trace (never in production)
 * @param socketGroup       the group the unix socket file is given, e.g. {@code www-data} so nginx's workers
 *                          may connect; default empty: the process's group; uWSGI's
 *                          {@code --chown-socket :GROUP}
 * @param maxQueued         int, count: connections accepted and not yet being served (still sending their
 *                          head, or waiting for a thread); past it new connections are answered 503; default
 *                          1024. (uWSGI has no such queue: its workers accept only when free)
 * @param socketOwner       the user the unix socket file is given; default empty: the process's user;
 *                          uWSGI's {@code --chown-socket USER}
 * @param backlog           int, count: connections the kernel queues before they are accepted (capped by
 *                          {@code net.core.somaxconn}); default 1024; uWSGI's {@code --listen}
 * @param requestTimeout    how long a request may run (uWSGI's harakiri), see
 *                          {@link EngineOptions#requestTimeout()}; default none
 * @param observer          told about every request, for access logs and statistics; default none
 */
public record UwsgiConfig(
        SocketAddress address,
        Application application,
        int maxVarsSize,
        int maxVars,
        long maxBodySize,
        Duration headerTimeout,
        Duration bodyTimeout,
        List<String> allow,
        Set<PosixFilePermission> socketPermissions,
        int threads,
        boolean debug,
        String socketGroup,
        int maxQueued,
        String socketOwner,
        int backlog,

        Optional<Duration> requestTimeout,
        RequestObserver observer) {

    /** Default {@link #maxVarsSize()}: 65535 bytes, the most nginx sends. */
    public static final int DEFAULT_MAX_VARS_SIZE = 0xFFFF;
    /** Default {@link #maxVars()}: 512 vars. */
    public static final int DEFAULT_MAX_VARS = 512;
    /** Default {@link #maxQueued()}: 1024 connections. */
    public static final int DEFAULT_MAX_QUEUED = 1024;
    /** Default {@link #backlog()}: 1024 connections. */
    public static final int DEFAULT_BACKLOG = 1024;
    /** Default {@link #maxBodySize()}: 64 MiB, in bytes. */
    public static final long DEFAULT_MAX_BODY_SIZE = 64L * 1024 * 1024;
    /** Default {@link #headerTimeout()}: 30 seconds. */
    public static final Duration DEFAULT_HEADER_TIMEOUT = Duration.ofSeconds(30);
    /** Default {@link #bodyTimeout()}: 60 seconds. */
    public static final Duration DEFAULT_BODY_TIMEOUT = Duration.ofSeconds(60);
    /** Default {@link #allow()}: loopback only, {@code 127.0.0.0/8} and {@code ::1/128}. */
    public static final List<String> DEFAULT_ALLOW = List.of("127.0.0.0/8", "::1/128");
    /** Owner and group: put nginx's user in the group that runs wsgi4j, no one else may connect. */
    public static final Set<PosixFilePermission> DEFAULT_SOCKET_PERMISSIONS =
            PosixFilePermissions.fromString("rw-rw----");

    /**
     * Checks every setting; see the record's parameters for ranges.
     *
     * @param address           see {@link #address()}
     * @param application       see {@link #application()}
     * @param maxVarsSize       see {@link #maxVarsSize()}
     * @param maxVars           see {@link #maxVars()}
     * @param maxBodySize       see {@link #maxBodySize()}
     * @param headerTimeout     see {@link #headerTimeout()}
     * @param bodyTimeout       see {@link #bodyTimeout()}
     * @param allow             see {@link #allow()}
     * @param socketPermissions see {@link #socketPermissions()}
     * @param threads           see {@link #threads()}
     * @param debug             see {@link #debug()}
     * @param socketGroup       see {@link #socketGroup()}
     * @param maxQueued         see {@link #maxQueued()}
     * @param socketOwner       see {@link #socketOwner()}
     * @param backlog           see {@link #backlog()}
     * @param requestTimeout    see {@link #requestTimeout()}
     * @param observer          see {@link #observer()}
     * @throws NullPointerException naming a {@code null} setting
     * @throws IllegalArgumentException naming the first setting out of range, or an {@code allow} entry that is
     *                                  not an address or CIDR block
     */
    public UwsgiConfig {
        Objects.requireNonNull(address, "address");
        Objects.requireNonNull(application, "application");
        if (!(address instanceof InetSocketAddress) && !(address instanceof UnixDomainSocketAddress)) {
            throw new IllegalArgumentException("'address' must be a TCP or unix socket address, was " + address);
        }
        if (maxVarsSize < 1 || maxVarsSize > 0xFFFF) {
            throw new IllegalArgumentException("'maxVarsSize' must be 1 to 65535 (the packet's u16), was "
                    + maxVarsSize);
        }
        if (maxVars < 1) {
            throw new IllegalArgumentException("'maxVars' must be positive, was " + maxVars);
        }
        if (maxBodySize < 0) {
            throw new IllegalArgumentException("'maxBodySize' must not be negative, was " + maxBodySize);
        }
        requirePositive("headerTimeout", headerTimeout);
        requirePositive("bodyTimeout", bodyTimeout);
        allow = List.copyOf(allow);
        AllowList.parse(allow);
        socketPermissions = Set.copyOf(socketPermissions);
        if (threads < 0) {
            throw new IllegalArgumentException("'threads' must not be negative, was " + threads);
        }
        Objects.requireNonNull(socketGroup, "socketGroup");
        if (maxQueued < 1) {
            throw new IllegalArgumentException("'maxQueued' must be positive, was " + maxQueued);
        }
        Objects.requireNonNull(socketOwner, "socketOwner");
        if (backlog < 1) {
            throw new IllegalArgumentException("'backlog' must be positive, was " + backlog);
        }
        Objects.requireNonNull(requestTimeout, "requestTimeout");
        Objects.requireNonNull(observer, "observer");
    }

    /**
     * The engine's options.
     *
     * @return {@link EngineOptions} with {@link #debug()}, {@link #requestTimeout()} and {@link #observer()}
     */
    public EngineOptions engineOptions() {
        return EngineOptions.defaults().withDebug(debug).withRequestTimeout(requestTimeout).withObserver(observer);
    }

    private static void requirePositive(String name, Duration value) {
        Objects.requireNonNull(value, name);
        if (value.isNegative() || value.isZero()) {
            throw new IllegalArgumentException("'" + name + "' must be positive, was " + value);
        }
    }

    private static Set<PosixFilePermission> permissions(String text) {
        if (text.matches("0?[0-7]{3}")) {
            int mode = Integer.parseInt(text, 8);
            StringBuilder symbolic = new StringBuilder(9);
            for (int shift = 6; shift >= 0; shift -= 3) {
                int bits = mode >> shift;
                symbolic.append((bits & 4) != 0 ? 'r' : '-').append((bits & 2) != 0 ? 'w' : '-')
                        .append((bits & 1) != 0 ? 'x' : '-');
            }
            return PosixFilePermissions.fromString(symbolic.toString());
        }
        try {
            return PosixFilePermissions.fromString(text);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("'socketPermissions' must be like rw-rw---- or 660, was '" + text + "'");
        }
    }

    /**
     * A builder with every default set; call {@link Builder#tcp} or {@link Builder#unixSocket} and {@link Builder#application}.
     *
     * @return a new builder
     */
    public static Builder builder() {
        return new Builder();
    }

    /** Builds a {@link UwsgiConfig}; setters check nothing, {@link #build()} checks everything. */
    public static final class Builder {
        private SocketAddress address;
        private Application application;
        private int maxVarsSize = DEFAULT_MAX_VARS_SIZE;
        private int maxVars = DEFAULT_MAX_VARS;
        private long maxBodySize = DEFAULT_MAX_BODY_SIZE;
        private Duration headerTimeout = DEFAULT_HEADER_TIMEOUT;
        private Duration bodyTimeout = DEFAULT_BODY_TIMEOUT;
        private List<String> allow = DEFAULT_ALLOW;
        private Set<PosixFilePermission> socketPermissions = DEFAULT_SOCKET_PERMISSIONS;
        private int threads;
        private boolean debug;
        private String socketGroup = "";
        private int maxQueued = DEFAULT_MAX_QUEUED;
        private String socketOwner = "";
        private int backlog = DEFAULT_BACKLOG;
        private Optional<Duration> requestTimeout = Optional.empty();
        private RequestObserver observer = RequestObserver.NONE;

        private Builder() {
        }

        /**
         * Listens on TCP {@code host:port}; port 0 picks a free port ({@link UwsgiListener#port()}).
         *
         * @param host the address or name to bind
         * @param port the TCP port, 0 for a free one
         * @return this builder
         */
        public Builder tcp(String host, int port) {
            this.address = new InetSocketAddress(host, port);
            return this;
        }

        /**
         * Listens on a unix socket at {@code path}.
         *
         * @param path the socket file, created on start and removed on stop
         * @return this builder
         */
        public Builder unixSocket(Path path) {
            this.address = UnixDomainSocketAddress.of(path);
            return this;
        }

        /**
         * Where to listen: a TCP or unix socket address; {@link #tcp} and {@link #unixSocket} set it too.
         *
         * @param address see {@link UwsgiConfig#address()}
         * @return this builder
         */
        public Builder address(SocketAddress address) {
            this.address = address;
            return this;
        }

        /**
         * The application every request goes to.
         *
         * @param application see {@link UwsgiConfig#application()}
         * @return this builder
         */
        public Builder application(Application application) {
            this.application = application;
            return this;
        }

        /**
         * Largest vars block, in bytes, 1 to 65535; uWSGI's {@code --buffer-size}.
         *
         * @param maxVarsSize see {@link UwsgiConfig#maxVarsSize()}
         * @return this builder
         */
        public Builder maxVarsSize(int maxVarsSize) {
            this.maxVarsSize = maxVarsSize;
            return this;
        }

        /**
         * Most vars in one packet; uWSGI's {@code --max-vars}.
         *
         * @param maxVars see {@link UwsgiConfig#maxVars()}
         * @return this builder
         */
        public Builder maxVars(int maxVars) {
            this.maxVars = maxVars;
            return this;
        }

        /**
         * Largest {@code CONTENT_LENGTH} accepted, in bytes; uWSGI's {@code --limit-post}.
         *
         * @param maxBodySize see {@link UwsgiConfig#maxBodySize()}
         * @return this builder
         */
        public Builder maxBodySize(long maxBodySize) {
            this.maxBodySize = maxBodySize;
            return this;
        }

        /**
         * How long a connection may take, from accept, to send the packet header and vars.
         *
         * @param headerTimeout see {@link UwsgiConfig#headerTimeout()}
         * @return this builder
         */
        public Builder headerTimeout(Duration headerTimeout) {
            this.headerTimeout = headerTimeout;
            return this;
        }

        /**
         * How long one body read or response write may wait; uWSGI's {@code --socket-timeout}.
         *
         * @param bodyTimeout see {@link UwsgiConfig#bodyTimeout()}
         * @return this builder
         */
        public Builder bodyTimeout(Duration bodyTimeout) {
            this.bodyTimeout = bodyTimeout;
            return this;
        }

        /**
         * CIDR blocks whose TCP peers may connect.
         *
         * @param allow see {@link UwsgiConfig#allow()}
         * @return this builder
         */
        public Builder allow(List<String> allow) {
            this.allow = allow;
            return this;
        }

        /**
         * The unix socket file's mode: {@code "rw-rw----"} or octal {@code "660"} / {@code "0660"}
         * (uWSGI's {@code --chmod-socket=660}).
         *
         * @param permissions the mode, symbolic or octal
         * @return this builder
         * @throws IllegalArgumentException if it is neither
         */
        public Builder socketPermissions(String permissions) {
            this.socketPermissions = permissions(permissions);
            return this;
        }

        /**
         * The unix socket file's group; uWSGI's {@code --chown-socket :GROUP}.
         *
         * @param socketGroup a group name, e.g. {@code "www-data"}; empty keeps the process's group
         * @return this builder
         */
        public Builder socketGroup(String socketGroup) {
            this.socketGroup = socketGroup;
            return this;
        }

        /**
         * Connections accepted and not yet being served; past it new ones are answered 503.
         *
         * @param maxQueued see {@link UwsgiConfig#maxQueued()}
         * @return this builder
         */
        public Builder maxQueued(int maxQueued) {
            this.maxQueued = maxQueued;
            return this;
        }

        /**
         * The unix socket file's owner; uWSGI's {@code --chown-socket USER}.
         *
         * @param socketOwner a user name, e.g. {@code "wsgi4j"}; empty keeps the process's user
         * @return this builder
         */
        public Builder socketOwner(String socketOwner) {
            this.socketOwner = socketOwner;
            return this;
        }

        /**
         * Connections the kernel queues before they are accepted; uWSGI's {@code --listen}.
         *
         * @param backlog see {@link UwsgiConfig#backlog()}
         * @return this builder
         */
        public Builder backlog(int backlog) {
            this.backlog = backlog;
            return this;
        }

        /**
         * Threads serving requests; 0: a virtual thread per request on Java 21+, else 200 platform threads.
         *
         * @param threads see {@link UwsgiConfig#threads()}
         * @return this builder
         */
        public Builder threads(int threads) {
            this.threads = threads;
            return this;
        }

        /**
         * Whether a 500 answer carries the stack trace (never in production).
         *
         * @param debug see {@link UwsgiConfig#debug()}
         * @return this builder
         */
        public Builder debug(boolean debug) {
            this.debug = debug;
            return this;
        }

        /**
         * How long a request may run (uWSGI's harakiri); empty: no limit.
         *
         * @param requestTimeout see {@link UwsgiConfig#requestTimeout()}
         * @return this builder
         */
        public Builder requestTimeout(Optional<Duration> requestTimeout) {
            this.requestTimeout = requestTimeout;
            return this;
        }

        /**
         * Told about every request, for access logs and statistics.
         *
         * @param observer see {@link UwsgiConfig#observer()}
         * @return this builder
         */
        public Builder observer(RequestObserver observer) {
            this.observer = observer;
            return this;
        }

        /**
         * The configuration, checked.
         *
         * @return the configuration
         * @throws IllegalArgumentException naming the first setting that is out of range
         * @throws NullPointerException naming a missing address or application
         */
        public UwsgiConfig build() {
            return new UwsgiConfig(address, application, maxVarsSize, maxVars, maxBodySize, headerTimeout,
                    bodyTimeout, allow, socketPermissions, threads, debug, socketGroup, maxQueued, socketOwner, backlog,
                    requestTimeout, observer);
        }
    }
}
