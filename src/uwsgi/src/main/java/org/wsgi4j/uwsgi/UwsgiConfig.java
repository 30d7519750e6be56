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
import java.util.Set;
import org.wsgi4j.Application;
import org.wsgi4j.uwsgi.internal.AllowList;

/**
 * Everything a {@link UwsgiListener} needs, fixed at start-up. Made with {@link #builder()}; every
 * setting has a safe default except the address and the application.
 *
 * @param address           where to listen: an {@link InetSocketAddress} (port 0 picks a free port) or a
 *                          {@link UnixDomainSocketAddress} (the file is created on start, removed on stop)
 * @param application       the application every request goes to (mount several with
 *                          {@code org.wsgi4j.middleware.UrlMap})
 * @param maxVarsSize       largest vars block (the request line, headers and CGI vars together), at most
 *                          65535 bytes; default 4096, uWSGI's {@code buffer-size}. Larger packets are
 *                          refused and the connection closed, which nginx reports as 502
 * @param maxVars           most vars in one packet; default 128
 * @param maxBodySize       largest {@code CONTENT_LENGTH} accepted; larger requests get 413; default 64 MiB
 * @param headerTimeout     how long the whole packet header and vars block may take to arrive; default 30 s
 * @param bodyTimeout       how long one read of the request body, or one write of the response, may wait;
 *                          default 60 s
 * @param allow             CIDR blocks ({@code 127.0.0.0/8}, {@code ::1}, {@code 10.1.0.0/16}) whose TCP peers
 *                          may connect; default loopback only. Anyone who can reach the port can claim any
 *                          {@code REMOTE_ADDR} or {@code HTTPS}, so widen this only to your proxies. Not
 *                          applied to unix sockets, whose file permissions decide instead
 * @param socketPermissions permissions of the unix socket file; default {@code rw-rw----} (0660)
 * @param threads           threads serving requests; 0 (the default) means a virtual thread per
 *                          connection on Java 21+, else 200 platform threads
 * @param debug             whether a 500 answer carries the stack trace (never in production)
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
        boolean debug) {

    public static final int DEFAULT_MAX_VARS_SIZE = 4096;
    public static final int DEFAULT_MAX_VARS = 128;
    public static final long DEFAULT_MAX_BODY_SIZE = 64L * 1024 * 1024;
    public static final Duration DEFAULT_HEADER_TIMEOUT = Duration.ofSeconds(30);
    public static final Duration DEFAULT_BODY_TIMEOUT = Duration.ofSeconds(60);
    public static final List<String> DEFAULT_ALLOW = List.of("127.0.0.0/8", "::1/128");
    /** Owner and group: put nginx's user in the group that runs wsgi4j, no one else may connect. */
    public static final Set<PosixFilePermission> DEFAULT_SOCKET_PERMISSIONS =
            PosixFilePermissions.fromString("rw-rw----");

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
    }

    private static void requirePositive(String name, Duration value) {
        Objects.requireNonNull(value, name);
        if (value.isNegative() || value.isZero()) {
            throw new IllegalArgumentException("'" + name + "' must be positive, was " + value);
        }
    }

    /** A builder with every default set; call {@link Builder#tcp} or {@link Builder#unixSocket} and {@link Builder#application}. */
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

        private Builder() {
        }

        /** Listens on TCP {@code host:port}; port 0 picks a free port ({@link UwsgiListener#port()}). */
        public Builder tcp(String host, int port) {
            this.address = new InetSocketAddress(host, port);
            return this;
        }

        /** Listens on a unix socket at {@code path}. */
        public Builder unixSocket(Path path) {
            this.address = UnixDomainSocketAddress.of(path);
            return this;
        }

        public Builder address(SocketAddress address) {
            this.address = address;
            return this;
        }

        public Builder application(Application application) {
            this.application = application;
            return this;
        }

        public Builder maxVarsSize(int maxVarsSize) {
            this.maxVarsSize = maxVarsSize;
            return this;
        }

        public Builder maxVars(int maxVars) {
            this.maxVars = maxVars;
            return this;
        }

        public Builder maxBodySize(long maxBodySize) {
            this.maxBodySize = maxBodySize;
            return this;
        }

        public Builder headerTimeout(Duration headerTimeout) {
            this.headerTimeout = headerTimeout;
            return this;
        }

        public Builder bodyTimeout(Duration bodyTimeout) {
            this.bodyTimeout = bodyTimeout;
            return this;
        }

        public Builder allow(List<String> allow) {
            this.allow = allow;
            return this;
        }

        public Builder socketPermissions(String permissions) {
            this.socketPermissions = PosixFilePermissions.fromString(permissions);
            return this;
        }

        public Builder threads(int threads) {
            this.threads = threads;
            return this;
        }

        public Builder debug(boolean debug) {
            this.debug = debug;
            return this;
        }

        /** @throws IllegalArgumentException naming the first setting that is out of range */
        public UwsgiConfig build() {
            return new UwsgiConfig(address, application, maxVarsSize, maxVars, maxBodySize, headerTimeout,
                    bodyTimeout, allow, socketPermissions, threads, debug);
        }
    }
}
