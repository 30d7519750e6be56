package org.wsgi4j.jetty;

import java.io.File;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.net.UnixDomainSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import org.wsgi4j.jetty.internal.AccessLog;
import org.wsgi4j.middleware.UrlMap;
import org.wsgi4j.uwsgi.UwsgiConfig;
import org.wsgi4j.server.AddressBlocks;

/**
 * The settings of {@code wsgi4j-server}: one table (the static fields, in {@link #ALL}) and an
 * immutable set of values. Every way to configure the server reads the same rows:
 *
 * <ul>
 *   <li>the command line: {@code --threads 8}, {@code --threads=8}; a switch is {@code --debug},
 *       {@code --debug=false} or {@code --no-debug};</li>
 *   <li>the environment: {@code WSGI4J_THREADS=8} ({@link Setting#environmentVariable()});</li>
 *   <li>a properties file ({@code --config FILE}): {@code threads = 8};</li>
 *   <li>the builder ({@link Wsgi4jServer#builder()}), which checks a value with the same rule.</li>
 * </ul>
 *
 * <p>A flag beats the environment, which beats the file, which beats the default. A repeatable
 * setting takes a comma-separated list in each source; the strongest source that sets it wins
 * whole. In the manner of Waitress's {@code Adjustments}.
 */
public final class Settings {

    /** The largest buffer Jetty's default {@code ArrayByteBufferPool} keeps (16 x 4 KiB); a larger one is allocated per use. */
    private static final int MAX_POOLED_BUFFER = 64 * 1024;

    /** An address to listen on: {@code host} {@code null} means every interface; {@code port} 0 any free port. */
    public record HostPort(String host, int port) {

        /**
         * Checks the address.
         *
         * @param host the host name or address; {@code null}: every interface
         * @param port the TCP port, 0 to 65535; 0: any free port
         * @throws IllegalArgumentException if the host is empty or the port out of range
         */
        public HostPort {
            if (host != null && host.isEmpty()) {
                throw new IllegalArgumentException("the host is empty");
            }
            if (port < 0 || port > 65535) {
                throw new IllegalArgumentException("the port must be 0 to 65535, was " + port);
            }
        }

        @Override
        public String toString() {
            return (host == null ? "" : host.contains(":") ? "[" + host + "]" : host) + ":" + port;
        }
    }

    /** An application to load: {@code --mount PREFIX=SPEC} ({@code org.wsgi4j.Applications#load} takes SPEC). */
    public record MountSpec(String prefix, String spec) {

        /**
         * Checks the mount.
         *
         * @param prefix the mount point, as {@link UrlMap#checkPrefix} accepts it
         * @param spec the application spec, not blank
         * @throws IllegalArgumentException if the prefix is malformed or the spec blank
         */
        public MountSpec {
            UrlMap.checkPrefix(prefix);
            if (spec.isBlank()) {
                throw new IllegalArgumentException("the application spec after '=' is empty");
            }
        }
    }

    /**
     * A web application (a {@code .war} file or an exploded directory) deployed at a context path
     * ({@code "/"} or {@code "/name"}), with annotation scanning so {@code @Mount} classes register.
     */
    public record War(String contextPath, Path path) {

        /**
         * Checks the deployment.
         *
         * @param contextPath {@code "/"} or starting and not ending with {@code /}
         * @param path an existing {@code .war} file or directory
         * @throws NullPointerException if an argument is {@code null}
         * @throws IllegalArgumentException naming a malformed context path or a missing path
         */
        public War {
            Objects.requireNonNull(contextPath, "contextPath");
            Objects.requireNonNull(path, "path");
            if (!contextPath.startsWith("/") || (contextPath.length() > 1 && contextPath.endsWith("/"))) {
                throw new IllegalArgumentException("WAR context path '" + contextPath
                        + "' must be '/' or start with '/' and not end with '/'");
            }
            if (!Files.exists(path)) {
                throw new IllegalArgumentException("WAR '" + path + "' does not exist");
            }
        }
    }

    /** Files under {@code directory} served at {@code prefix} ({@code --static-map /static=DIR}). */
    public record StaticMap(String prefix, Path directory) {

        /**
         * Checks the map.
         *
         * @param prefix the URL prefix, below {@code /}
         * @param directory an existing directory
         * @throws IllegalArgumentException naming a malformed prefix or a path that is not a directory
         */
        public StaticMap {
            UrlMap.checkPrefix(prefix);
            if (prefix.equals("/")) {
                throw new IllegalArgumentException("a static map needs a prefix below '/', e.g. /static");
            }
            if (!Files.isDirectory(directory)) {
                throw new IllegalArgumentException("'" + directory + "' is not a directory");
            }
        }
    }

    /**
     * An HTTPS listener: its address and either a PEM certificate chain and private key (as
     * uWSGI's {@code --https}) or a PKCS#12 keystore.
     *
     * @param address  where to listen
     * @param cert     the PEM certificate chain, or the PKCS#12 keystore ({@code .p12}, {@code .pfx})
     * @param key      the PEM private key (PKCS#8); absent for a keystore
     */
    public record Https(HostPort address, Path cert, Optional<Path> key) {

        /**
         * Checks that the files can be read.
         *
         * @param address where to listen
         * @param cert the PEM certificate chain, or the PKCS#12 keystore
         * @param key the PEM private key; absent for a keystore
         * @throws NullPointerException if {@code address} is {@code null}
         * @throws IllegalArgumentException naming a file that cannot be read
         */
        public Https {
            Objects.requireNonNull(address, "address");
            if (!Files.isReadable(cert)) {
                throw new IllegalArgumentException("'" + cert + "' cannot be read");
            }
            if (key.isPresent() && !Files.isReadable(key.get())) {
                throw new IllegalArgumentException("'" + key.get() + "' cannot be read");
            }
        }

        /**
         * Whether {@link #cert()} is a PKCS#12 keystore rather than PEM.
         *
         * @return true when there is no {@link #key()}
         */
        public boolean isKeystore() {
            return key.isEmpty();
        }
    }

    /** The owner of the unix socket files: {@code USER} or {@code USER:GROUP} (either may be a name or a number). */
    public record SocketOwner(Optional<String> user, Optional<String> group) {
    }

    /**
     * How HTTP requests reach the response engine ({@link #FRONT_END}). Both build the same environ
     * with the same core classes; they differ in the layer between Jetty and the engine.
     */
    public enum FrontEnd {
        /** Each mount is a {@code GatewayServlet} in a Jetty ee10 servlet context; needed for {@code --war}. */
        SERVLET,
        /** One Jetty core {@code Handler}, no servlet layer: less work per request, no web applications. */
        CORE;

        /**
         * The value as written in a setting ({@code servlet}, {@code core}).
         *
         * @return the lower-case name
         */
        @Override
        public String toString() {
            return name().toLowerCase(java.util.Locale.ROOT);
        }
    }

    /** Whether this JVM has virtual threads (Java 21 or later). */
    static final boolean VIRTUAL_THREADS_AVAILABLE = Runtime.version().feature() >= 21;

    // ---- the table: the order is the order of --help and the README ----

    /**
     * HTTP listener ({@code --http [HOST]:PORT}): the address for HTTP/1.1 (and h2c with {@link #HTTP2C});
     * an empty HOST listens on every interface, port 0 on any free port ({@link Wsgi4jServer#port()} tells
     * which). Default: none. A malformed address or a port outside 0 to 65535 is refused naming it.
     */
    public static final Setting<Optional<HostPort>> HTTP = Setting.row("http", "[HOST]:PORT",
                    "listen for HTTP on HOST (default: every interface) and PORT", Setting.Type.of(text -> Optional.of(hostPort(text, null))))
            .defaultValue(Optional.empty(), "off");

    /**
     * uwsgi listeners ({@code --uwsgi ADDRESS}, repeatable): {@code HOST:PORT} or {@code unix:/PATH},
     * for nginx's {@code uwsgi_pass}; they serve the {@link #MOUNT} applications. Default: none.
     */
    public static final Setting<List<SocketAddress>> UWSGI = Setting.row("uwsgi", "ADDRESS",
                    "listen for the uwsgi protocol (nginx uwsgi_pass) on HOST:PORT or unix:/PATH; serves the --mount "
                            + "applications", list(Setting.Type.of(Settings::uwsgiAddress)))
            .repeatable().defaultValue(List.of(), "off");

    /**
     * Peers allowed on a TCP uwsgi listener ({@code --uwsgi-allow CIDRS}, repeatable), as address
     * blocks: a uwsgi peer states REMOTE_ADDR and HTTPS itself, so only the proxy may connect. Default:
     * loopback ({@code 127.0.0.0/8,::1/128}). An entry that is not an address or block is refused.
     */
    public static final Setting<List<String>> UWSGI_ALLOW = Setting.row("uwsgi-allow", "CIDRS",
                    "TCP peers allowed on the uwsgi port: a uwsgi peer can claim any REMOTE_ADDR or HTTPS",
                    list(cidr()))
            .repeatable().defaultValue(UwsgiConfig.DEFAULT_ALLOW, Settings::commas);

    /**
     * Applications to serve ({@code --mount PREFIX=SPEC}, repeatable): SPEC as
     * {@link org.wsgi4j.Applications#load(String)} takes it ({@code com.example.App},
     * {@code com.example.Apps::member}, {@code python:module:callable}), under PREFIX (SCRIPT_NAME).
     * Default: none, and with no {@link #WAR} either the demo application at {@code /}.
     */
    public static final Setting<List<MountSpec>> MOUNT = Setting.row("mount", "PREFIX=SPEC",
                    "serve the application SPEC (com.example.App, com.example.Apps::member or python:module:callable) under PREFIX; "
                            + "without any --mount or --war, the demo application at /", list(Setting.Type.of(Settings::mountSpec)))
            .repeatable().defaultValue(List.of(), "none");

    /**
     * Web applications to deploy ({@code --war [CONTEXT=]PATH}, repeatable): a {@code .war} file or a
     * directory at CONTEXT (default {@code /}), scanned so its {@code @Mount} applications register as in
     * Tomcat; the server's settings apply to its GatewayServlets unless their init parameters say
     * otherwise. A missing PATH or a malformed CONTEXT is refused naming it.
     */
    public static final Setting<List<War>> WAR = Setting.row("war", "[CONTEXT=]PATH",
                    "deploy the web application PATH (a .war file or a directory) at CONTEXT (default /); its @Mount "
                            + "applications register as in Tomcat; the server's settings apply to its servlets unless "
                            + "their init parameters say otherwise", list(Setting.Type.of(Settings::war)))
            .repeatable().defaultValue(List.of(), "none");

    /**
     * Where the applications' classes are ({@code --classpath PATHS}, repeatable): jars and class
     * directories, separated by the platform's path separator or {@code ,}, loaded in a class loader of
     * their own. Default: none (the server's own class path).
     */
    public static final Setting<List<Path>> CLASSPATH = Setting.row("classpath", "PATHS",
                    "jars and class directories holding the applications, separated by '" + File.pathSeparator
                            + "' or ','; loaded in their own class loader", Setting.Type.of(Settings::classpath))
            .repeatable().defaultValue(List.of(), "none");

    /**
     * Python module folders ({@code --python-path DIR}, repeatable) for {@code python:} mounts, searched
     * after the sources packed in {@link #CLASSPATH} (wsgi4j-python and GraalPy must be there). A path
     * that is not a directory is refused. Default: none.
     */
    public static final Setting<List<Path>> PYTHON_PATH = Setting.row("python-path", "DIR",
                    "folders searched for Python modules by python:module:callable mounts (wsgi4j-python and GraalPy "
                            + "in --classpath), after the sources packed in --classpath", list(Setting.Type.of(Settings::directory)))
            .repeatable().defaultValue(List.of(), "none");

    /**
     * Whether {@code python:} mounts require GraalPy's JIT compiler ({@code --python-jit}): when this
     * JVM cannot compile, the start stops naming the JVM options to add. Default: off (interpreted where
     * no compiler is found).
     */
    public static final Setting<Boolean> PYTHON_JIT = Setting.row("python-jit", null,
                    "python: mounts must run with GraalPy's JIT compiler: stop the start, naming the JVM options to add, "
                            + "when this JVM cannot (see README, Run a Flask app on wsgi4j); off: interpreted where no compiler is found",
                    Setting.Type.of(Settings::bool))
            .defaultValue(false, "off");

    /**
     * HTTP front end ({@code --front-end servlet|core}): {@code servlet} makes each mount a
     * {@code GatewayServlet} in a Jetty servlet context (needed by {@link #WAR}); {@code core} serves
     * the mounts from one Jetty core {@code Handler}, without the servlet layer. Both build the same
     * environ with the same core classes. Default: servlet.
     */
    public static final Setting<FrontEnd> FRONT_END = Setting.row("front-end", "servlet|core",
                    "HTTP: servlet (a GatewayServlet per mount in a Jetty servlet context; needed by --war) or core "
                            + "(a Jetty core Handler, no servlet layer, leaner); the same environ either way",
                    Setting.Type.of(Settings::frontEnd))
            .defaultValue(FrontEnd.SERVLET, "servlet");

    /**
     * Whether the mounted applications never block ({@code --non-blocking}), so that the Jetty core
     * front end runs them on the selector thread that read the request (Jetty's
     * {@code InvocationType.NON_BLOCKING}) instead of handing each request to a pool thread. A request
     * with a body still goes to the pool, since reading {@code wsgi.input} waits for the client, and
     * an answer larger than {@link #NON_BLOCKING_BUFFER_SIZE} or streamed is written from a pool thread,
     * since writing it waits for the client. Needs {@code --front-end core}; refused with {@link #WAR}
     * (servlet front end), with {@link #HARAKIRI} (a timeout interrupts the request's thread, which
     * would be the selector) and with {@link #STATIC_MAP} (Jetty's file handler blocks, which would keep
     * every request off the selector). An application that blocks stalls every connection of its selector.
     * Default: off.
     */
    public static final Setting<Boolean> NON_BLOCKING = Setting.row("non-blocking", null,
                    "the mounted applications never block: --front-end core runs them on Jetty's selector thread "
                            + "(a request with a body, and the sending of a large or streamed answer, still go to "
                            + "a pool thread); one that blocks stalls other connections; not with --harakiri or "
                            + "--static-map",
                    Setting.Type.of(Settings::bool))
            .defaultValue(false, "off");

    /**
     * With {@link #NON_BLOCKING}: the largest answer written from the selector thread, in bytes
     * ({@code --non-blocking-buffer-size}; suffix {@code k}, {@code m}, {@code g} for powers of 1024), so
     * the most a slow client can make the server hold for one response without a thread waiting. An
     * answer the application returned as a list of byte arrays ({@code RandomAccess}) totalling at most
     * this (with what it gave the {@code write} callable) is written from the selector without waiting;
     * anything else (a streamed body, a {@code FileBody}, a larger list, another collection) is handed to
     * a pool (or virtual) thread that writes it waiting for the client, as without {@code --non-blocking}.
     * 0 to 64 MiB; 0 hands every body over. Refused without {@link #NON_BLOCKING}. Default: 32 KiB (Jetty's
     * output buffer size).
     */
    public static final Setting<Integer> NON_BLOCKING_BUFFER_SIZE = Setting.row("non-blocking-buffer-size", "BYTES",
                    "with --non-blocking: the largest answer written from the selector thread, so the most a slow "
                            + "client makes the server hold; a larger or streamed one goes to a thread that waits for "
                            + "the client", bytesInt(0, 64 << 20))
            .unit("bytes").defaultValue(32 * 1024, "32k");

    /**
     * Whether each request (HTTP and uwsgi) runs on a virtual thread ({@code --virtual-threads}); off,
     * requests run on a pool of {@link #THREADS} platform threads. Default: on with Java 21+, off with 17,
     * where turning it on is refused.
     */
    public static final Setting<Boolean> VIRTUAL_THREADS = Setting.row("virtual-threads", null,
                    "run each request on a virtual thread (Java 21+); --no-virtual-threads for a pool of platform "
                            + "threads; applies to HTTP and uwsgi alike", new Setting.Type<>(Settings::bool, Settings::checkVirtualThreads))
            .defaultValue(VIRTUAL_THREADS_AVAILABLE, "on with Java 21+, off with 17");

    /**
     * Thread count ({@code --threads N}, 2 to 100,000): with platform threads the most requests served
     * at once on each front end (further ones wait); with virtual threads the size of Jetty's pool for
     * selectors. Default: 200.
     */
    public static final Setting<Integer> THREADS = Setting.row("threads", "N",
                    "platform threads: the most requests served at once on each front end (further ones wait); "
                            + "virtual threads: the pool for Jetty's selectors", integer(2, 100_000))
            .defaultValue(200, String::valueOf);

    /**
     * Request timeout in seconds ({@code --harakiri}, alias {@code --request-timeout}; uWSGI's name):
     * a request running longer is answered 504, or its connection aborted if the answer had started, and
     * its thread is interrupted. At least 1 s, or {@code off}. Default: off.
     */
    public static final Setting<Optional<Duration>> HARAKIRI = Setting.row("harakiri", "SECONDS",
                    "a request running longer is answered 504 (or its connection aborted if the answer had "
                            + "started) and its thread interrupted; off or a number", optional(seconds(1)))
            .alias("request-timeout").unit("seconds").defaultValue(Optional.empty(), "off");

    /**
     * The largest request body in bytes ({@code --limit-post}; uWSGI's name; suffix {@code k},
     * {@code m}, {@code g} for powers of 1024): a larger declared body is answered 413 before the
     * application runs, a longer chunked one fails its read ({@link org.wsgi4j.middleware.BodyLimit}).
     * 0 or more. Default: 1 GiB.
     */
    public static final Setting<Long> LIMIT_POST = Setting.row("limit-post", "BYTES",
                    "the largest request body (413 above it; a chunked one fails its read there, 413 if the application lets that escape); a suffix k, m or g multiplies by 1024s", bytes(0))
            .unit("bytes").defaultValue(1L << 30, "1g");

    /**
     * HTTP: the largest request head in bytes ({@code --max-request-header-size}): request line,
     * header lines and the blank line; above it 431, or 414 for a long request line. 1 KiB to 1 MiB.
     * Default: 16 KiB.
     */
    public static final Setting<Integer> MAX_REQUEST_HEADER_SIZE = Setting.row("max-request-header-size", "BYTES",
                    "HTTP: the largest request head: request line, headers and the blank line (431 above it; 414 for a long "
                            + "request line)", bytesInt(1024, 1 << 20))
            .unit("bytes").defaultValue(16 * 1024, "16k");

    /**
     * HTTP: the size of each kept-alive connection's cache of request header lines, in bytes
     * ({@code --header-cache-size}; Jetty's {@code headerCacheSize}). From a connection's second
     * request on, a header line it has sent before (up to this many characters, within this budget)
     * is taken from the cache instead of parsed again. Jetty sizes the cache's table by this budget
     * when the connection's second request arrives, about 100 bytes per byte of budget whatever it holds:
     * Jetty's 1 KiB default holds 96 KiB of heap per connection, a gibibyte for 10,000 kept-alive
     * connections. 0 turns the cache off. 0 to 64 KiB - 1. Default: 0.
     */
    public static final Setting<Integer> HEADER_CACHE_SIZE = Setting.row("header-cache-size", "BYTES",
                    "HTTP: each kept-alive connection's cache of repeated request header lines; it holds about 100 times this "
                            + "in heap per connection (0: off)", bytesInt(0, 0xFFFF))
            .unit("bytes").defaultValue(0, "0");

    /**
     * HTTP: the size of the buffer each connection reads the socket into, in bytes
     * ({@code --input-buffer-size}; Jetty's {@code inputBufferSize}). A request body arrives at
     * {@code wsgi.input} in reads of at most this size: a 64 KiB body takes 9 {@code read} calls, each
     * a trip through Jetty's parser, with 8 KiB, and 2 with 64 KiB. A connection holds the buffer only
     * while it has unread bytes (a body the application has not read yet), not while it is idle.
     * Jetty's buffer pool hands out buffers in steps of 4 KiB up to 64 KiB (a smaller size would be
     * rounded up, a larger one allocated for every read), so the size is a multiple of 4 KiB from
     * 4 KiB to 64 KiB. Default: 8 KiB, Jetty's: 64 KiB saved no CPU measurably on 64 KiB bodies and
     * cost small requests about a tenth more (bench/README.md).
     */
    public static final Setting<Integer> INPUT_BUFFER_SIZE = Setting.row("input-buffer-size", "BYTES",
                    "HTTP: each connection's read buffer, held only while it has unread request bytes; a request body "
                            + "reaches wsgi.input in reads of at most this size; a multiple of 4k from 4k to 64k", pooledBuffer(4 * 1024))
            .unit("bytes").defaultValue(8 * 1024, "8k");

    /**
     * HTTP: the size of the response buffer, in bytes ({@code --output-buffer-size}; Jetty's
     * {@code outputBufferSize}). Small blocks of a response are gathered in it (up to a quarter of
     * it, Jetty's {@code outputAggregationSize}) until it fills or the block is flushed; a larger
     * block goes to the socket in writes of at most this size, so a 64 KiB body is one {@code writev}
     * with its head at 64 KiB and two at 32 KiB (Jetty's default). Each request thread's JDK cache of
     * temporary direct buffers (a heap block is copied into one before the write) holds buffers of up
     * to this size. A multiple of 4 KiB (the steps of Jetty's buffer pool) from 8 KiB to 64 KiB (the
     * largest it keeps). Default: 32 KiB, Jetty's (one {@code writev} for a 64 KiB body at 64 KiB
     * saved no CPU measurably, bench/README.md).
     */
    public static final Setting<Integer> OUTPUT_BUFFER_SIZE = Setting.row("output-buffer-size", "BYTES",
                    "HTTP: the response buffer; small blocks are gathered up to a quarter of it, a larger block is "
                            + "written in pieces of at most this size; a multiple of 4k from 8k to 64k", pooledBuffer(8 * 1024))
            .unit("bytes").defaultValue(32 * 1024, "32k");

    /**
     * HTTP: the most header fields in a request ({@code --limit-request-fields N}, Host included);
     * above it 431. 1 to 10,000. Default: 100.
     */
    public static final Setting<Integer> LIMIT_REQUEST_FIELDS = Setting.row("limit-request-fields", "N",
                    "HTTP: the most request header fields, Host included (431 above it)", integer(1, 10_000))
            .defaultValue(100, String::valueOf);

    /**
     * uwsgi: the largest vars block of a request packet in bytes ({@code --buffer-size}; uWSGI's
     * name): request line, headers and CGI vars. 1 to 65535 (the packet's 16-bit size field). Default:
     * 65535.
     */
    public static final Setting<Integer> BUFFER_SIZE = Setting.row("buffer-size", "BYTES",
                    "uwsgi: the largest vars block (request line, headers and CGI vars), at most 65535",
                    bytesInt(1, 0xFFFF))
            .unit("bytes").defaultValue(UwsgiConfig.DEFAULT_MAX_VARS_SIZE, String::valueOf);

    /**
     * uwsgi: the most vars in one request packet ({@code --max-vars N}). 1 to 65535. Default: 512.
     */
    public static final Setting<Integer> MAX_VARS = Setting.row("max-vars", "N",
                    "uwsgi: the most vars in one request packet", integer(1, 0xFFFF))
            .defaultValue(UwsgiConfig.DEFAULT_MAX_VARS, String::valueOf);

    /**
     * uwsgi: connections accepted and not yet served ({@code --max-queued N}): still sending their
     * packet or waiting for a thread; past it a new connection is answered 503. 1 to 1,000,000.
     * Default: 1024.
     */
    public static final Setting<Integer> MAX_QUEUED = Setting.row("max-queued", "N",
                    "uwsgi: connections accepted and not yet served (still sending their head, or waiting for a "
                            + "thread); 503 past it", integer(1, 1_000_000))
            .defaultValue(UwsgiConfig.DEFAULT_MAX_QUEUED, String::valueOf);

    /**
     * How long a new connection may take to send its whole request head, in seconds
     * ({@code --header-timeout}), counted from accept on HTTP and uwsgi alike. At least 1 s. Default: 30 s.
     */
    public static final Setting<Duration> HEADER_TIMEOUT = Setting.row("header-timeout", "SECONDS",
                    "how long a new connection may take to send its request line and headers", seconds(1))
            .unit("seconds").defaultValue(UwsgiConfig.DEFAULT_HEADER_TIMEOUT, Settings::secondsText);

    /**
     * HTTP: the idle timeout in seconds ({@code --http-timeout}): an idle kept-alive connection, or a
     * read or write making no progress, is closed after it. At least 1 s. Default: 60 s.
     */
    public static final Setting<Duration> HTTP_TIMEOUT = Setting.row("http-timeout", "SECONDS",
                    "HTTP: an idle connection, or a read or write making no progress, is closed after this long",
                    seconds(1))
            .unit("seconds").defaultValue(Duration.ofSeconds(60), Settings::secondsText);

    /**
     * uwsgi: how long one read of the request body or one write of the answer may wait, in seconds
     * ({@code --socket-timeout}; uWSGI's name). At least 1 s. Default: 60 s.
     */
    public static final Setting<Duration> SOCKET_TIMEOUT = Setting.row("socket-timeout", "SECONDS",
                    "uwsgi: how long one read of the request body, or one write of the answer, may wait", seconds(1))
            .unit("seconds").defaultValue(UwsgiConfig.DEFAULT_BODY_TIMEOUT, Settings::secondsText);

    /**
     * HTTP: the slowest request body accepted, in bytes per second ({@code --min-request-data-rate}):
     * a body arriving slower fails its read (the application sees an {@link java.io.IOException}). At
     * least 1, or {@code off}. Default: off.
     */
    public static final Setting<Optional<Long>> MIN_REQUEST_DATA_RATE = Setting.row("min-request-data-rate",
                    "BYTES", "HTTP: a request body arriving slower than this many bytes per second fails "
                            + "its read; off or a number", optional(bytes(1)))
            .unit("bytes/s").defaultValue(Optional.empty(), "off");

    /**
     * The listen backlog ({@code --listen N}; uWSGI's name): connections the kernel queues before they
     * are accepted, capped by {@code net.core.somaxconn}. 1 to 65535. Default: 1024.
     */
    public static final Setting<Integer> LISTEN = Setting.row("listen", "N",
                    "the listen backlog: connections the kernel queues before they are accepted (capped by "
                            + "net.core.somaxconn)", integer(1, 65535))
            .defaultValue(1024, String::valueOf);

    /**
     * On SIGTERM, how long requests in flight may take to finish before the process stops, in
     * seconds ({@code --graceful-timeout}); the listeners stop accepting at once. 0 or more. Default: 10 s.
     */
    public static final Setting<Duration> GRACEFUL_TIMEOUT = Setting.row("graceful-timeout", "SECONDS",
                    "on SIGTERM, how long requests in flight may take to finish before the process stops",
                    seconds(0))
            .unit("seconds").defaultValue(Duration.ofSeconds(10), Settings::secondsText);

    /**
     * The access log ({@code --access-log PATH|-}): one line per request in the combined format plus
     * the duration in microseconds and the mount, appended to PATH, or written to standard output for
     * {@code -}. Default: off.
     */
    public static final Setting<Optional<String>> ACCESS_LOG = Setting.row("access-log", "PATH|-",
                    "append one line per request (combined format, duration in µs, mount) to PATH, or to "
                            + "standard output for -", Setting.Type.of(text -> Optional.of(accessLogTarget(text))))
            .defaultValue(Optional.empty(), "off");

    /**
     * The access log's queue ({@code --access-log-queue N}): lines waiting for the writer thread;
     * when the target cannot keep up, lines past it are dropped, counted in the stats and reported in the server's log. 1 to
     * 10,000,000. Default: 10,000 (a tenth of a second at 100,000 requests/s).
     */
    public static final Setting<Integer> ACCESS_LOG_QUEUE = Setting.row("access-log-queue", "N",
                    "access log lines waiting to be written; past it lines are dropped, counted in the stats, and the server's log says how many",
                    integer(1, 10_000_000))
            .defaultValue(AccessLog.DEFAULT_QUEUE_CAPACITY, String::valueOf);

    /**
     * The stats listener ({@code --stats [HOST]:PORT}): JSON counters at {@code /}, Prometheus text at
     * {@code /metrics}, {@code /health} (503 while draining). HOST defaults to {@code 127.0.0.1}.
     * Default: off.
     */
    public static final Setting<Optional<HostPort>> STATS = Setting.row("stats", "[HOST]:PORT",
                    "serve JSON stats at /, Prometheus text at /metrics and /health on HOST (default 127.0.0.1) "
                            + "and PORT", Setting.Type.of(text -> Optional.of(hostPort(text, "127.0.0.1"))))
            .defaultValue(Optional.empty(), "off");

    /**
     * Proxies whose {@code Forwarded} and {@code X-Forwarded-*} headers are believed
     * ({@code --trusted-proxy CIDR}, repeatable): they set the scheme, client address and host; from any
     * other peer those headers are removed. An entry that is not an address or block is refused.
     * Default: none.
     */
    public static final Setting<List<String>> TRUSTED_PROXY = Setting.row("trusted-proxy", "CIDR",
                    "peers allowed to state scheme, client address and host with Forwarded or X-Forwarded-*; "
                            + "from others those headers are removed", list(cidr()))
            .repeatable().defaultValue(List.of(), "nobody");

    /**
     * Static files ({@code --static-map /PREFIX=DIR}, repeatable): the files under DIR at PREFIX,
     * served before the applications, with ETag, Range and conditional requests; nothing outside DIR is
     * ever served. A DIR that is not a directory, or the prefix {@code /}, is refused. Default: none.
     */
    public static final Setting<List<StaticMap>> STATIC_MAP = Setting.row("static-map", "/PREFIX=DIR",
                    "serve the files under DIR at PREFIX, before the applications (ETag, Range, conditional "
                            + "requests)", list(Setting.Type.of(Settings::staticMap)))
            .repeatable().defaultValue(List.of(), "none");

    /**
     * The HTTPS listener ({@code --https ADDRESS,CERT,KEY} or {@code ADDRESS,KEYSTORE.p12}): HTTP/2 over
     * ALPN and HTTP/1.1, with a PEM certificate chain and PKCS#8 key or a PKCS#12 keystore. A file that
     * cannot be read is refused naming it. Default: off.
     */
    public static final Setting<Optional<Https>> HTTPS = Setting.row("https", "ADDRESS,CERT,KEY",
                    "listen for HTTPS (HTTP/2 over ALPN, HTTP/1.1) with a PEM certificate chain and PKCS#8 key, "
                            + "or ADDRESS,KEYSTORE.p12", Setting.Type.of(text -> Optional.of(https(text))))
            .defaultValue(Optional.empty(), "off");

    /**
     * The password of the {@link #HTTPS} PKCS#12 keystore ({@code --https-keystore-password});
     * prefer the environment variable, which no process listing shows. Shown as {@code ***} by
     * {@link Settings#toString()}. Default: none.
     */
    public static final Setting<Optional<String>> HTTPS_KEYSTORE_PASSWORD = Setting.row("https-keystore-password",
                    "PASSWORD", "the password of the --https PKCS#12 keystore (prefer the environment variable)",
                    Setting.Type.of(text -> Optional.of(text)))
            .defaultValue(Optional.empty(), "none");

    /**
     * Whether {@link #HTTP} also speaks cleartext HTTP/2 ({@code --http2c}; prior knowledge or
     * upgrade), for a proxy in front. Default: off.
     */
    public static final Setting<Boolean> HTTP2C = Setting.row("http2c", null,
                    "also speak cleartext HTTP/2 (h2c, prior knowledge or upgrade) on --http, for a proxy in front",
                    Setting.Type.of(Settings::bool))
            .defaultValue(false, "off");

    /**
     * uwsgi: the permissions of a unix socket file, in octal ({@code --chmod-socket MODE}; uWSGI's
     * name). Default: {@code 660} (owner and group).
     */
    public static final Setting<Set<PosixFilePermission>> CHMOD_SOCKET = Setting.row("chmod-socket", "MODE",
                    "uwsgi: the permissions of a unix socket, in octal", Setting.Type.of(Settings::octalMode))
            .defaultValue(UwsgiConfig.DEFAULT_SOCKET_PERMISSIONS, Settings::octalText);

    /**
     * uwsgi: the owner and group of a unix socket file ({@code --chown-socket USER[:GROUP]}; names
     * or numbers), e.g. {@code :www-data} to let nginx's group in. Default: the server's user.
     */
    public static final Setting<Optional<SocketOwner>> CHOWN_SOCKET = Setting.row("chown-socket", "USER[:GROUP]",
                    "uwsgi: the owner (and group) of a unix socket, e.g. :www-data to let nginx's group in",
                    Setting.Type.of(text -> Optional.of(socketOwner(text))))
            .defaultValue(Optional.empty(), "the server's user");

    /**
     * Whether 500 answers carry the stack trace ({@code --debug}); never in production. Default: off.
     */
    public static final Setting<Boolean> DEBUG = Setting.row("debug", null,
                    "show stack traces in 500 answers (never in production)", Setting.Type.of(Settings::bool))
            .defaultValue(false, "off");

    /**
     * A properties file of settings ({@code --config FILE}, command line only): {@code threads = 8};
     * flags and {@code WSGI4J_*} variables win over it. Default: none.
     */
    public static final Setting<Optional<Path>> CONFIG = Setting.row("config", "FILE",
                    "read settings from a properties file (threads = 8); flags and WSGI4J_* variables win over it",
                    Setting.Type.of(text -> Optional.of(Path.of(nonEmpty(text)))))
            .cliOnly().defaultValue(Optional.empty(), "none");

    /** Every setting, in the order of {@code --help} and the README. */
    public static final List<Setting<?>> ALL = List.of(HTTP, UWSGI, UWSGI_ALLOW, MOUNT, WAR, CLASSPATH,
            PYTHON_PATH, PYTHON_JIT, FRONT_END, NON_BLOCKING, NON_BLOCKING_BUFFER_SIZE, VIRTUAL_THREADS, THREADS,
            HARAKIRI, LIMIT_POST,
            MAX_REQUEST_HEADER_SIZE, HEADER_CACHE_SIZE, INPUT_BUFFER_SIZE, OUTPUT_BUFFER_SIZE, LIMIT_REQUEST_FIELDS,
            BUFFER_SIZE, MAX_VARS, MAX_QUEUED,
            HEADER_TIMEOUT, HTTP_TIMEOUT, SOCKET_TIMEOUT,
            MIN_REQUEST_DATA_RATE, LISTEN,
            GRACEFUL_TIMEOUT, ACCESS_LOG, ACCESS_LOG_QUEUE, STATS, TRUSTED_PROXY, STATIC_MAP, HTTPS,
            HTTPS_KEYSTORE_PASSWORD, HTTP2C,
            CHMOD_SOCKET, CHOWN_SOCKET, DEBUG, CONFIG);

    private static final Settings DEFAULTS = new Settings(Map.of(), Map.of());

    private final Map<Setting<?>, Object> values;
    /** Per setting that was set, where: as {@link #origin} gives it. */
    private final Map<Setting<?>, String> origins;

    private Settings(Map<Setting<?>, Object> values, Map<Setting<?>, String> origins) {
        this.values = Collections.unmodifiableMap(new IdentityHashMap<>(values));
        this.origins = Collections.unmodifiableMap(new IdentityHashMap<>(origins));
    }

    /**
     * Every setting at its default.
     *
     * @return the settings with nothing set
     */
    public static Settings defaults() {
        return DEFAULTS;
    }

    /**
     * The value of {@code setting}: the one set, or its default.
     *
     * @param <T>     the setting's value type
     * @param setting a row of the table
     * @return the value
     */
    @SuppressWarnings("unchecked")
    public <T> T get(Setting<T> setting) {
        Object value = values.get(setting);
        return value == null ? setting.defaultValue() : (T) value;
    }

    /**
     * Whether a source (or the builder) set {@code setting}, rather than leaving its default.
     *
     * @param setting a row of the table
     * @return true if it was set
     */
    public boolean isSet(Setting<?> setting) {
        return values.containsKey(setting);
    }

    /**
     * These settings with {@code setting} changed.
     *
     * @param <T>     the setting's value type
     * @param setting a row of the table
     * @param value   the new value
     * @return a copy with the new value
     * @throws IllegalArgumentException naming the setting when the value is out of its range
     */
    public <T> Settings with(Setting<T> setting, T value) {
        return with(setting, value, "Settings." + setting.name().toUpperCase(Locale.ROOT).replace('-', '_'));
    }

    /** {@link #with(Setting, Object)} from a source that says where the value was written ({@link #origin}). */
    <T> Settings with(Setting<T> setting, T value, String origin) {
        try {
            setting.check(value);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(origin + ": " + e.getMessage(), e);
        }
        Map<Setting<?>, Object> changed = new IdentityHashMap<>(values);
        changed.put(setting, value);
        Map<Setting<?>, String> changedOrigins = new IdentityHashMap<>(origins);
        changedOrigins.put(setting, origin);
        return new Settings(changed, changedOrigins);
    }

    /**
     * {@code setting} as the person gave it, for a message about it: the flag as written
     * ({@code --front-end=core}), the variable ({@code WSGI4J_FRONT_END=core}), the file and line
     * ({@code /etc/wsgi4j.properties: front-end=core}), or the builder's constant
     * ({@code Settings.FRONT_END}); each occurrence of a repeated flag, joined by {@code ", "}. A
     * setting left at its default is named by its {@link Setting#flag() flag}.
     *
     * @param setting a row of the table
     * @return where its value came from
     */
    public String origin(Setting<?> setting) {
        return origins.getOrDefault(setting, setting.flag());
    }

    /** The settings that were set, by flag, in table order (for logs and tests). */
    @Override
    public String toString() {
        Map<String, Object> shown = new LinkedHashMap<>();
        for (Setting<?> setting : ALL) {
            if (values.containsKey(setting)) {
                shown.put(setting.name(), setting == HTTPS_KEYSTORE_PASSWORD ? "***" : values.get(setting));
            }
        }
        return "Settings" + shown;
    }

    /** Finds a setting by its name or alias, without dashes; {@code null} when there is none. */
    static Setting<?> byName(String name) {
        for (Setting<?> setting : ALL) {
            if (setting.name().equals(name) || setting.aliases().contains("--" + name)) {
                return setting;
            }
        }
        return null;
    }

    // ---- the value types ----

    private static Setting.Type<String> cidr() {
        return new Setting.Type<>(text -> text, text -> AddressBlocks.parse(List.of(text)));
    }

    private static <E> Setting.Type<List<E>> list(Setting.Type<E> element) {
        return new Setting.Type<>(text -> {
            List<E> values = new ArrayList<>();
            for (String part : text.split(",")) {
                if (!part.isBlank()) {
                    values.add(element.parser().parse(part.strip()));
                }
            }
            if (values.isEmpty()) {
                throw new IllegalArgumentException("no value");
            }
            return List.copyOf(values);
        }, values -> values.forEach(element.check()));
    }

    private static <T> Setting.Type<Optional<T>> optional(Setting.Type<T> type) {
        return new Setting.Type<>(
                text -> text.equalsIgnoreCase("off") ? Optional.empty() : Optional.of(type.parser().parse(text)),
                value -> value.ifPresent(type.check()));
    }

    /**
     * {@code -}, or a file whose directory exists: checked when the setting is read, so a typo stops the
     * start with the setting's name before anything is deployed, rather than when the log opens.
     */
    private static String accessLogTarget(String text) {
        nonEmpty(text);
        if (text.equals("-")) {
            return text;
        }
        Path file = Path.of(text).toAbsolutePath();
        if (Files.isDirectory(file)) {
            throw new IllegalArgumentException("'" + text + "' is a directory, not a file");
        }
        Path directory = file.getParent();
        if (directory == null || !Files.isDirectory(directory)) {
            throw new IllegalArgumentException("the directory '" + directory + "' does not exist");
        }
        return text;
    }

    private static String nonEmpty(String text) {
        if (text.isEmpty()) {
            throw new IllegalArgumentException("no value");
        }
        return text;
    }

    static FrontEnd frontEnd(String text) {
        return switch (text.strip().toLowerCase(java.util.Locale.ROOT)) {
            case "servlet" -> FrontEnd.SERVLET;
            case "core" -> FrontEnd.CORE;
            default -> throw new IllegalArgumentException("'" + text + "' is not servlet or core");
        };
    }

    static Boolean bool(String text) {
        return switch (text.toLowerCase(java.util.Locale.ROOT)) {
            case "true", "yes", "on", "1" -> true;
            case "false", "no", "off", "0" -> false;
            default -> throw new IllegalArgumentException("not true or false");
        };
    }

    private static void checkVirtualThreads(boolean on) {
        if (on && !VIRTUAL_THREADS_AVAILABLE) {
            throw new IllegalArgumentException("virtual threads need Java 21 or later; this is Java "
                    + Runtime.version().feature());
        }
    }

    private static long number(String text) {
        try {
            return Long.parseLong(text);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("not a number");
        }
    }

    private static void inRange(long value, long min, long max) {
        if (value < min || value > max) {
            throw new IllegalArgumentException("must be " + min + " to " + max);
        }
    }

    private static Setting.Type<Integer> integer(int min, int max) {
        return new Setting.Type<>(text -> {
            long n = number(text);
            return n < Integer.MIN_VALUE || n > Integer.MAX_VALUE ? Integer.MAX_VALUE : (int) n;
        }, n -> inRange(n, min, max));
    }

    private static long byteCount(String text) {
        String lower = text.toLowerCase(java.util.Locale.ROOT);
        int shift = lower.endsWith("k") ? 10 : lower.endsWith("m") ? 20 : lower.endsWith("g") ? 30 : 0;
        long n = number(shift == 0 ? text : text.substring(0, text.length() - 1));
        if (n < 0 || n > Long.MAX_VALUE >> shift) {
            throw new IllegalArgumentException("not a size in bytes");
        }
        return n << shift;
    }

    private static Setting.Type<Long> bytes(long min) {
        return new Setting.Type<>(Settings::byteCount, n -> inRange(n, min, Long.MAX_VALUE));
    }

    /** A size Jetty's buffer pool hands out as asked: a multiple of 4 KiB, {@code min} to 64 KiB. */
    private static Setting.Type<Integer> pooledBuffer(int min) {
        return new Setting.Type<>(text -> (int) Math.min(byteCount(text), Integer.MAX_VALUE), n -> {
            inRange(n, min, MAX_POOLED_BUFFER);
            if (n % 4096 != 0) {
                throw new IllegalArgumentException("must be a multiple of 4096 (4k)");
            }
        });
    }

    private static Setting.Type<Integer> bytesInt(int min, int max) {
        return new Setting.Type<>(text -> (int) Math.min(byteCount(text), Integer.MAX_VALUE),
                n -> inRange(n, min, max));
    }

    private static Setting.Type<Duration> seconds(long min) {
        return new Setting.Type<>(text -> {
            double seconds;
            try {
                seconds = Double.parseDouble(text);
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("not a number of seconds");
            }
            if (!(seconds >= 0) || seconds > 1e9) {
                throw new IllegalArgumentException("not a number of seconds");
            }
            return Duration.ofMillis(Math.round(seconds * 1000));
        }, duration -> {
            if (duration.compareTo(Duration.ofSeconds(min)) < 0) {
                throw new IllegalArgumentException("must be at least " + min + " seconds");
            }
        });
    }

    private static String secondsText(Duration duration) {
        return duration.toMillis() % 1000 == 0 ? String.valueOf(duration.toSeconds())
                : String.valueOf(duration.toMillis() / 1000.0);
    }

    private static String commas(List<String> values) {
        return String.join(",", values);
    }

    /** {@code [HOST]:PORT}; an IPv6 host in brackets. */
    static HostPort hostPort(String text, String defaultHost) {
        int colon = text.lastIndexOf(':');
        if (colon < 0) {
            throw new IllegalArgumentException("must be [HOST]:PORT, e.g. :8080");
        }
        String host = text.substring(0, colon);
        if (host.startsWith("[") && host.endsWith("]")) {
            host = host.substring(1, host.length() - 1);
        }
        long port;
        try {
            port = Long.parseLong(text.substring(colon + 1));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("the port '" + text.substring(colon + 1) + "' is not a number");
        }
        if (port < 0 || port > 65535) {
            throw new IllegalArgumentException("the port must be 0 to 65535");
        }
        return new HostPort(host.isEmpty() ? defaultHost : host, (int) port);
    }

    private static SocketAddress uwsgiAddress(String text) {
        if (text.startsWith("unix:")) {
            return UnixDomainSocketAddress.of(nonEmpty(text.substring("unix:".length())));
        }
        HostPort address = hostPort(text, null);
        if (address.host() == null) {
            throw new IllegalArgumentException("must be HOST:PORT or unix:/PATH, e.g. 127.0.0.1:3031");
        }
        return new InetSocketAddress(address.host(), address.port());
    }

    private static MountSpec mountSpec(String text) {
        int sep = text.indexOf('=');
        if (sep <= 0) {
            throw new IllegalArgumentException("must be PREFIX=SPEC, e.g. /=com.example.App");
        }
        return new MountSpec(text.substring(0, sep), text.substring(sep + 1));
    }

    private static War war(String text) {
        int sep = text.indexOf('=');
        boolean hasContext = sep > 0 && text.startsWith("/");
        return new War(hasContext ? text.substring(0, sep) : "/", Path.of(hasContext ? text.substring(sep + 1) : text));
    }

    private static Path directory(String text) {
        Path path = Path.of(nonEmpty(text).strip());
        if (!Files.isDirectory(path)) {
            throw new IllegalArgumentException("'" + text.strip() + "' is not a directory");
        }
        return path;
    }

    private static List<Path> classpath(String text) {
        List<Path> paths = new ArrayList<>();
        for (String entry : text.split("[" + File.pathSeparator + ",]")) {
            if (entry.isBlank()) {
                continue;
            }
            Path path = Path.of(entry.strip());
            if (!Files.exists(path)) {
                throw new IllegalArgumentException("'" + entry.strip() + "' does not exist");
            }
            paths.add(path);
        }
        return List.copyOf(paths);
    }

    private static StaticMap staticMap(String text) {
        int sep = text.indexOf('=');
        if (sep <= 0) {
            throw new IllegalArgumentException("must be /PREFIX=DIR, e.g. /static=/srv/app/static");
        }
        return new StaticMap(text.substring(0, sep), Path.of(text.substring(sep + 1)));
    }

    private static Https https(String text) {
        String[] parts = text.split(",", -1);
        if (parts.length != 2 && parts.length != 3) {
            throw new IllegalArgumentException("must be ADDRESS,CERT,KEY (PEM files) or ADDRESS,KEYSTORE.p12");
        }
        HostPort address = hostPort(parts[0].strip(), null);
        Path cert = Path.of(nonEmpty(parts[1].strip()));
        return new Https(address, cert, parts.length == 3 ? Optional.of(Path.of(nonEmpty(parts[2].strip())))
                : Optional.empty());
    }

    private static Set<PosixFilePermission> octalMode(String text) {
        int mode;
        try {
            mode = Integer.parseInt(text, 8);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("not an octal mode such as 660");
        }
        if (mode < 0 || mode > 0777) {
            throw new IllegalArgumentException("not an octal mode such as 660");
        }
        StringBuilder rwx = new StringBuilder();
        for (int shift = 6; shift >= 0; shift -= 3) {
            int bits = mode >> shift & 7;
            rwx.append((bits & 4) != 0 ? 'r' : '-').append((bits & 2) != 0 ? 'w' : '-').append((bits & 1) != 0 ? 'x' : '-');
        }
        return PosixFilePermissions.fromString(rwx.toString());
    }

    private static String octalText(Set<PosixFilePermission> permissions) {
        String rwx = PosixFilePermissions.toString(permissions);
        int mode = 0;
        for (int i = 0; i < 9; i++) {
            mode = mode << 1 | (rwx.charAt(i) == '-' ? 0 : 1);
        }
        return Integer.toOctalString(mode);
    }

    private static SocketOwner socketOwner(String text) {
        int colon = text.indexOf(':');
        String user = colon < 0 ? text : text.substring(0, colon);
        String group = colon < 0 ? "" : text.substring(colon + 1);
        if (user.isEmpty() && group.isEmpty()) {
            throw new IllegalArgumentException("must be USER, USER:GROUP or :GROUP");
        }
        return new SocketOwner(user.isEmpty() ? Optional.empty() : Optional.of(user),
                group.isEmpty() ? Optional.empty() : Optional.of(group));
    }

    /** The settings table as a Markdown table, the README's "Settings" section. */
    static String markdownTable() {
        StringBuilder table = new StringBuilder("| flag | environment | default | meaning |\n|---|---|---|---|\n");
        for (Setting<?> setting : ALL) {
            String flag = setting.flag() + (setting.isSwitch() ? "" : " " + setting.metavar());
            for (String alias : setting.aliases()) {
                flag += "`, `" + alias;
            }
            String unit = setting.unit().isEmpty() ? "" : " " + setting.unit();
            table.append("| `").append(flag).append("` | `").append(setting.environmentVariable()).append("` | ")
                    .append(setting.defaultText()).append(unit.isEmpty() || !Character.isDigit(
                            setting.defaultText().charAt(0)) ? "" : unit)
                    .append(" | ").append(setting.doc().replace("|", "\\|"))
                    .append(setting.isRepeatable() ? "; repeatable" : "").append(" |\n");
        }
        return table.toString();
    }
}
