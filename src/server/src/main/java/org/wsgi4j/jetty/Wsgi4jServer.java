package org.wsgi4j.jetty;

import java.io.IOException;
import java.net.BindException;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.net.UnixDomainSocketAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.HashMap;
import java.util.function.BiConsumer;
import java.util.function.Consumer;
import java.util.function.Function;
import org.eclipse.jetty.ee10.servlet.ServletContextHandler;
import org.eclipse.jetty.ee10.servlet.ServletHolder;
import org.eclipse.jetty.ee10.webapp.WebAppContext;
import org.eclipse.jetty.server.HttpConfiguration;
import org.eclipse.jetty.server.HttpConnectionFactory;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.alpn.server.ALPNServerConnectionFactory;
import org.eclipse.jetty.http2.server.HTTP2CServerConnectionFactory;
import org.eclipse.jetty.http2.server.HTTP2ServerConnectionFactory;
import org.eclipse.jetty.server.AllowedResourceAliasChecker;
import org.eclipse.jetty.server.SecureRequestCustomizer;
import org.eclipse.jetty.server.SslConnectionFactory;
import org.eclipse.jetty.server.handler.ContextHandler;
import org.eclipse.jetty.server.handler.ContextHandlerCollection;
import org.eclipse.jetty.server.handler.ResourceHandler;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.handler.GracefulHandler;
import org.eclipse.jetty.util.VirtualThreads;
import org.eclipse.jetty.util.thread.QueuedThreadPool;
import java.nio.file.attribute.PosixFilePermissions;
import org.slf4j.LoggerFactory;
import org.wsgi4j.Application;
import org.wsgi4j.jetty.internal.AccessLog;
import org.wsgi4j.jetty.internal.CoreGateway;
import org.wsgi4j.jetty.internal.Recorder;
import org.wsgi4j.jetty.internal.Tls;
import org.wsgi4j.server.EngineOptions;
import org.wsgi4j.server.ResponseEngine;
import org.wsgi4j.server.RequestObserver;
import org.wsgi4j.server.Result;
import org.wsgi4j.jetty.internal.HttpLimits;
import org.wsgi4j.jetty.internal.Metrics;
import org.wsgi4j.jetty.internal.StatsServer;
import org.wsgi4j.jetty.internal.MinimumRequestDataRate;
import org.wsgi4j.middleware.BodyLimit;
import org.wsgi4j.middleware.ProxyHeaders;
import org.wsgi4j.middleware.UrlMap;
import org.wsgi4j.servlet.GatewayServlet;
import org.wsgi4j.uwsgi.UwsgiConfig;
import org.wsgi4j.uwsgi.UwsgiListener;

/**
 * wsgi4j on embedded Jetty 12: each mounted application is one {@link GatewayServlet} mapping in
 * a Jetty ee10 {@link ServletContextHandler}, so mounting follows the servlet rules (a prefix
 * matches at a {@code /} boundary, the longest prefix wins, SPEC M2-M4). WARs are deployed as
 * Jetty {@link WebAppContext}s with annotation scanning, so their {@code @Mount} classes register
 * as they do in Tomcat; their {@link GatewayServlet}s take this server's request timeout, body limit,
 * trusted proxies, statistics and access log through
 * {@link GatewayServlet#SERVER_SETTINGS_ATTRIBUTE} (a WAR's own init parameters win). With
 * {@link Settings#FRONT_END} {@code core} the mounts are served instead by one Jetty core
 * {@code Handler} routing by {@link UrlMap} (the same prefixes, the same environ; no WARs), on
 * Jetty's selector thread for requests without a body with {@link Settings#NON_BLOCKING}. The
 * mounted applications are also served over the uwsgi protocol when {@link Settings#UWSGI} lists addresses. Everything is configured by one {@link ServerConfig}.
 *
 * <pre>{@code
 * Wsgi4jServer server = Wsgi4jServer.builder()
 *         .http(8080)
 *         .mount("/", new Hello())
 *         .mount("/api", Applications.load("com.example.Api::app"))
 *         .set(Settings.HARAKIRI, Optional.of(Duration.ofSeconds(30)))
 *         .build()
 *         .start();
 * }</pre>
 *
 * <p>{@link #start()} throws if a port cannot be bound (saying "address already in use" when that
 * is why); {@link #stop()} stops accepting on every listener at once, lets requests in flight
 * finish within {@link Settings#GRACEFUL_TIMEOUT}, and closes.
 */
public final class Wsgi4jServer {

    private final ServerConfig config;
    private final Server jetty;
    private final ServerConnector http;
    private final ServerConnector https;
    private final AccessLog accessLog;
    private final List<UwsgiConfig> uwsgiConfigs = new ArrayList<>();
    private final List<UwsgiListener> uwsgiListeners = new ArrayList<>();
    private final Metrics metrics;
    private final StatsServer stats;
    private volatile boolean draining;
    private boolean stopped;

    private Wsgi4jServer(ServerConfig config) {
        this.config = config;
        boolean virtual = config.get(Settings.VIRTUAL_THREADS);
        int threads = config.get(Settings.THREADS);
        QueuedThreadPool pool = new QueuedThreadPool(threads, Math.min(8, threads));
        pool.setName("wsgi4j");
        if (virtual) {
            pool.setVirtualThreadsExecutor(VirtualThreads.getNamedVirtualThreadsExecutor("wsgi4j-virtual"));
        }
        jetty = new Server(pool);
        jetty.setStopTimeout(config.get(Settings.GRACEFUL_TIMEOUT).toMillis());

        List<String> prefixes = config.mounts().stream().map(ServerConfig.MountPoint::prefix).toList();
        // Counted only when the stats listener shows it: recording costs every request a share of its CPU.
        metrics = config.get(Settings.STATS).isEmpty() ? null : new Metrics(prefixes, new Metrics.Process(
                Main.version(), Instant.now(), virtual ? "virtual" : "platform", this::listeners, () -> draining), pool);
        stats = config.get(Settings.STATS).map(address -> new StatsServer(address.host(), address.port(), metrics,
                () -> draining)).orElse(null);
        accessLog = config.get(Settings.ACCESS_LOG)
                .map(target -> AccessLog.to(target, config.get(Settings.ACCESS_LOG_QUEUE))).orElse(null);
        if (metrics != null) {
            metrics.countDroppedLines(accessLog);
        }

        // One wrapped application per mount, shared by both front ends, so a request is treated alike on each.
        Map<String, Application> served = new LinkedHashMap<>();
        for (ServerConfig.MountPoint mount : config.mounts()) {
            Application app = BodyLimit.wrap(mount.application(), config.get(Settings.LIMIT_POST));
            served.put(mount.prefix(), ProxyHeaders.wrap(app, config.get(Settings.TRUSTED_PROXY)));
        }
        boolean core = config.get(Settings.FRONT_END) == Settings.FrontEnd.CORE;
        // The front ends without servlet mappings (uwsgi, Jetty core) route by the UrlMap middleware:
        // the same prefixes; the mount named in stats and the access log is the one the path falls under.
        UrlMap routed = null;
        RequestObserver routedRecorder = null;
        if (!config.get(Settings.UWSGI).isEmpty() || core && !served.isEmpty()) {
            routed = UrlMap.of(served);
            routedRecorder = Recorder.routed(metrics, accessLog, prefixes);
        }
        if (!config.get(Settings.UWSGI).isEmpty()) {
            uwsgiConfigs.addAll(uwsgiConfigs(routed, routedRecorder, virtual ? 0 : threads));
        }

        http = config.get(Settings.HTTP).map(address -> {
            HttpConfiguration configuration = httpConfiguration();
            ServerConnector connector = config.get(Settings.HTTP2C)
                    ? new ServerConnector(jetty, new HttpConnectionFactory(configuration),
                            new HTTP2CServerConnectionFactory(configuration))
                    : new ServerConnector(jetty, new HttpConnectionFactory(configuration));
            return listen(connector, address);
        }).orElse(null);
        https = config.get(Settings.HTTPS).map(this::httpsConnector).orElse(null);

        ContextHandlerCollection contexts = new ContextHandlerCollection();
        for (Settings.StaticMap map : config.get(Settings.STATIC_MAP)) {
            contexts.addHandler(staticFiles(map));
        }
        Handler handler = contexts;
        if (core && routed != null) {
            EngineOptions options = EngineOptions.defaults().withDebug(config.get(Settings.DEBUG))
                    .withRequestTimeout(config.get(Settings.HARAKIRI)).withObserver(routedRecorder);
            CoreGateway gateway = new CoreGateway(new ResponseEngine(routed, options),
                    config.get(Settings.NON_BLOCKING), config.get(Settings.NON_BLOCKING_BUFFER_SIZE));
            if (config.get(Settings.STATIC_MAP).isEmpty() && config.customizers().isEmpty()) {
                // Nothing to route between (a customizer may add contexts to the collection): the
                // gateway alone, without a context's scope around each request.
                handler = gateway;
            } else {
                contexts.addHandler(new ContextHandler(gateway, "/"));
            }
        } else if (!config.mounts().isEmpty()) {
            ServletContextHandler context = new ServletContextHandler("/");
            logUnderWsgi4j(context);
            for (ServerConfig.MountPoint mount : config.mounts()) {
                EngineOptions options = EngineOptions.defaults().withDebug(config.get(Settings.DEBUG))
                        .withRequestTimeout(config.get(Settings.HARAKIRI))
                        .withObserver(Recorder.fixed(metrics, accessLog, mount.prefix()));
                ServletHolder holder = new ServletHolder("wsgi4j:" + mount.prefix(),
                        new GatewayServlet(served.get(mount.prefix()), options));
                holder.setAsyncSupported(true);
                context.addServlet(holder, mount.servletMapping());
            }
            if (config.get(Settings.STATIC_MAP).isEmpty() && config.get(Settings.WAR).isEmpty()
                    && config.customizers().isEmpty()) {
                // One context at "/" and nothing to route between (a customizer may add contexts to
                // the collection): the servlet context alone, as a plain ServletContextHandler deployment.
                handler = context;
            } else {
                contexts.addHandler(context);
            }
        }
        for (Settings.War war : config.get(Settings.WAR)) {
            WebAppContext webapp = new WebAppContext(war.path().toAbsolutePath().toString(), war.contextPath());
            // Surface deployment errors (a bad @Mount) as a failed start, not a silently 503ing context.
            webapp.setThrowUnavailableOnStartupException(true);
            logUnderWsgi4j(webapp);
            webapp.setAttribute(GatewayServlet.SERVER_SETTINGS_ATTRIBUTE,
                    (Function<String, Map<String, Object>>) this::warSettings);
            contexts.addHandler(webapp);
        }
        Optional<Long> minRate = config.get(Settings.MIN_REQUEST_DATA_RATE);
        if (minRate.isPresent()) {
            // Not Jetty's MinimumDataRateHandler: it counts the bytes of all requests (see the class).
            handler = new MinimumRequestDataRate(minRate.get(), handler);
        }
        // Jetty waits for requests in flight on stop only with a GracefulHandler in the chain.
        GracefulHandler graceful = new GracefulHandler(handler);
        HttpLimits limits = new HttpLimits(config.get(Settings.LIMIT_REQUEST_FIELDS),
                config.get(Settings.HEADER_TIMEOUT), jetty.getScheduler(), graceful);
        jetty.setHandler(limits);
        for (ServerConnector connector : new ServerConnector[] {http, https}) {
            if (connector != null) {
                connector.addEventListener(limits);
            }
        }
        for (Consumer<Server> customizer : config.customizers()) {
            customizer.accept(jetty);
        }
    }

    /**
     * What every {@link GatewayServlet} in a deployed WAR takes from this server, as
     * {@link GatewayServlet#SERVER_SETTINGS_ATTRIBUTE} describes (JDK types only: the WAR has its own
     * wsgi4j classes). Its mount is counted from now on and names it in the access log.
     */
    private Map<String, Object> warSettings(String mount) {
        if (metrics != null) {
            metrics.register(mount);
        }
        RequestObserver recorder = Recorder.fixed(metrics, accessLog, mount);
        Map<String, Object> settings = new HashMap<>();
        settings.put(GatewayServlet.DEBUG_PARAM, config.get(Settings.DEBUG));
        config.get(Settings.HARAKIRI).ifPresent(timeout -> settings.put(GatewayServlet.HARAKIRI_PARAM, timeout));
        settings.put(GatewayServlet.LIMIT_POST_PARAM, config.get(Settings.LIMIT_POST));
        settings.put(GatewayServlet.TRUSTED_PROXY_PARAM, config.get(Settings.TRUSTED_PROXY));
        if (recorder == RequestObserver.NONE) {
            return settings;
        }
        settings.put("started", (Function<Map<String, Object>, Object>) recorder::started);
        settings.put("completed", (BiConsumer<Map<String, Object>, Map<String, Object>>) (environ, result) ->
                recorder.completed(environ, result.get("state"), new Result((Integer) result.get("status"),
                        (Long) result.get("bodyBytes"),
                        Result.Outcome.valueOf((String) result.get("outcome")), (Throwable) result.get("failure")),
                        (Long) result.get("nanos")));
        return settings;
    }

    private List<UwsgiConfig> uwsgiConfigs(UrlMap application, RequestObserver recorder, int threads) {
        List<UwsgiConfig> configs = new ArrayList<>();
        for (SocketAddress address : config.get(Settings.UWSGI)) {
            configs.add(UwsgiConfig.builder()
                    .address(address)
                    .application(application)
                    .allow(config.get(Settings.UWSGI_ALLOW))
                    .maxVarsSize(config.get(Settings.BUFFER_SIZE))
                    .maxVars(config.get(Settings.MAX_VARS))
                    .maxBodySize(config.get(Settings.LIMIT_POST))
                    .headerTimeout(config.get(Settings.HEADER_TIMEOUT))
                    .bodyTimeout(config.get(Settings.SOCKET_TIMEOUT))
                    .socketPermissions(PosixFilePermissions.toString(config.get(Settings.CHMOD_SOCKET)))
                    .socketOwner(config.get(Settings.CHOWN_SOCKET).flatMap(Settings.SocketOwner::user).orElse(""))
                    .socketGroup(config.get(Settings.CHOWN_SOCKET).flatMap(Settings.SocketOwner::group).orElse(""))
                    .backlog(config.get(Settings.LISTEN))
                    .maxQueued(config.get(Settings.MAX_QUEUED))
                    // UwsgiConfig's 0 asks for a virtual thread per connection.
                    .threads(threads)
                    .debug(config.get(Settings.DEBUG))
                    .requestTimeout(config.get(Settings.HARAKIRI))
                    .observer(recorder)
                    .build());
        }
        return configs;
    }

    private ServerConnector listen(ServerConnector connector, Settings.HostPort address) {
        connector.setHost(address.host());
        connector.setPort(address.port());
        connector.setAcceptQueueSize(config.get(Settings.LISTEN));
        connector.setIdleTimeout(config.get(Settings.HTTP_TIMEOUT).toMillis());
        jetty.addConnector(connector);
        return connector;
    }

    /** TLS, then ALPN choosing HTTP/2 or HTTP/1.1, Jetty's own modules. */
    private ServerConnector httpsConnector(Settings.Https https) {
        HttpConfiguration configuration = httpConfiguration();
        SecureRequestCustomizer secure = new SecureRequestCustomizer();
        // A proxy or a test may reach the server by an address the certificate does not name.
        secure.setSniHostCheck(false);
        configuration.addCustomizer(secure);
        HttpConnectionFactory http1 = new HttpConnectionFactory(configuration);
        HTTP2ServerConnectionFactory http2 = new HTTP2ServerConnectionFactory(configuration);
        ALPNServerConnectionFactory alpn = new ALPNServerConnectionFactory();
        alpn.setDefaultProtocol(http1.getProtocol());
        SslConnectionFactory tls = new SslConnectionFactory(Tls.contextFactory(config.settings().origin(Settings.HTTPS),
                https.cert(), https.key(), config.get(Settings.HTTPS_KEYSTORE_PASSWORD)), alpn.getProtocol());
        return listen(new ServerConnector(jetty, tls, alpn, http2, http1), https.address());
    }

    /**
     * The HTTP/1.1 layer, set so that a request reaches the bridge as it arrived (SPEC E8,
     * E14-E16): Jetty's header field cache is case-insensitive by default, and would hand
     * {@code Cache-Control: No-Cache} over as the cached {@code no-cache}. Jetty's default URI
     * compliance stays: what it refuses (ambiguous paths, bad UTF-8) E15 and E16 refuse too.
     */
    private HttpConfiguration httpConfiguration() {
        HttpConfiguration configuration = new HttpConfiguration();
        configuration.setSendServerVersion(false);
        configuration.setHeaderCacheCaseSensitive(true);
        configuration.setRequestHeaderSize(config.get(Settings.MAX_REQUEST_HEADER_SIZE));
        configuration.setHeaderCacheSize(config.get(Settings.HEADER_CACHE_SIZE));
        configuration.setInputBufferSize(config.get(Settings.INPUT_BUFFER_SIZE));
        configuration.setOutputBufferSize(config.get(Settings.OUTPUT_BUFFER_SIZE));
        configuration.setOutputAggregationSize(config.get(Settings.OUTPUT_BUFFER_SIZE) / 4);
        configuration.setIdleTimeout(config.get(Settings.HTTP_TIMEOUT).toMillis());
        return configuration;
    }

    /** Jetty's resource handling under the prefix: ETag, Range, conditional requests; no listings. */
    private static ContextHandler staticFiles(Settings.StaticMap map) {
        ResourceHandler files = new ResourceHandler();
        files.setDirAllowed(false);
        files.setEtags(true);
        files.setAcceptRanges(true);
        ContextHandler context = new ContextHandler(files, map.prefix());
        context.setBaseResourceAsPath(map.directory().toAbsolutePath());
        // Jetty's default follows symlinks wherever they lead; only targets inside the directory may be served.
        context.clearAliasChecks();
        context.addAliasCheck(new AllowedResourceAliasChecker(context));
        return context;
    }

    /**
     * A builder for a server: settings, mounts and customizers.
     *
     * @return a builder with every setting at its default
     */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * Builds a server from a complete configuration.
     *
     * @param config the settings, mounts and customizers
     * @return the server, not started
     */
    public static Wsgi4jServer of(ServerConfig config) {
        return new Wsgi4jServer(config);
    }

    /**
     * Binds every listener and starts serving.
     *
     * @return this server, running
     * @throws IOException naming the address when a port cannot be bound ("address already in use")
     * @throws Exception   if Jetty cannot start (an application's servlet fails to init)
     */
    public Wsgi4jServer start() throws Exception {
        try {
            for (UwsgiConfig uwsgi : uwsgiConfigs) {
                try {
                    uwsgiListeners.add(UwsgiListener.start(uwsgi));
                } catch (IOException e) {
                    throw bindFailure("uwsgi " + describe(uwsgi.address()), e);
                }
            }
            if (accessLog != null) {
                accessLog.start();
            }
            if (http != null) {
                open(http, "http " + config.get(Settings.HTTP).orElseThrow());
            }
            if (https != null) {
                open(https, "https " + config.get(Settings.HTTPS).orElseThrow().address());
            }
            if (http != null || https != null) {
                jetty.start();
            }
            if (stats != null) {
                try {
                    stats.open();
                } catch (IOException e) {
                    throw bindFailure("stats " + config.get(Settings.STATS).orElseThrow(), e);
                }
                stats.start();
            }
        } catch (Exception e) {
            stop();
            throw e;
        }
        return this;
    }

    private static void open(ServerConnector connector, String what) throws IOException {
        try {
            connector.open();
        } catch (IOException e) {
            throw bindFailure(what, e);
        }
    }

    private static IOException bindFailure(String what, IOException e) {
        for (Throwable cause = e; cause != null; cause = cause.getCause()) {
            if (cause instanceof BindException) {
                return new IOException("cannot listen on " + what + ": address already in use", e);
            }
        }
        return new IOException("cannot listen on " + what + ": " + e.getMessage(), e);
    }

    private static String describe(SocketAddress address) {
        if (address instanceof InetSocketAddress inet) {
            return inet.getHostString() + ":" + inet.getPort();
        }
        return "unix:" + ((UnixDomainSocketAddress) address).getPath();
    }

    /**
     * Stops gracefully: {@code /health} answers 503 from now on; every listener stops accepting at
     * once; requests in flight on all of them get one shared deadline,
     * {@link Settings#GRACEFUL_TIMEOUT} from now, after which the rest are cut off; then the stats
     * port closes. Idempotent.
     *
     * @throws Exception the first failure of a listener to stop, after all were stopped
     */
    public void stop() throws Exception {
        draining = true;
        Duration grace = config.get(Settings.GRACEFUL_TIMEOUT);
        List<Thread> stopping = new ArrayList<>();
        List<Exception> failures = new java.util.concurrent.CopyOnWriteArrayList<>();
        stopping.add(new Thread(() -> {
            try {
                jetty.stop();
            } catch (Exception e) {
                failures.add(e);
            }
        }, "wsgi4j-stop-http"));
        for (UwsgiListener listener : uwsgiListeners) {
            stopping.add(new Thread(() -> listener.stop(grace), "wsgi4j-stop-uwsgi"));
        }
        stopping.forEach(Thread::start);
        try {
            for (Thread thread : stopping) {
                thread.join();
            }
        } finally {
            uwsgiListeners.clear();
            if (accessLog != null) {
                accessLog.stop();
            }
            if (stats != null) {
                stats.stop();
            }
            synchronized (this) {
                stopped = true;
                notifyAll();
            }
        }
        if (!failures.isEmpty()) {
            throw failures.get(0);
        }
    }

    /**
     * Blocks until the server has stopped.
     *
     * @throws InterruptedException if the waiting thread is interrupted
     */
    public void join() throws InterruptedException {
        synchronized (this) {
            while (!stopped) {
                wait();
            }
        }
    }

    /**
     * The bound HTTP port (the real one when the configuration said 0).
     *
     * @return the port
     * @throws IllegalStateException when the server has no HTTP listener
     */
    public int port() {
        if (http == null) {
            throw new IllegalStateException("this server has no HTTP listener");
        }
        return http.getLocalPort();
    }

    /**
     * The running uwsgi listeners, in configuration order (empty before {@link #start()}).
     *
     * @return the running uwsgi listeners, in configuration order (empty before {@link #start()})
     */
    public List<UwsgiListener> uwsgiListeners() {
        return List.copyOf(uwsgiListeners);
    }

    /**
     * Where the server listens, one line each ({@code http://0.0.0.0:8080}, {@code uwsgi unix:/run/w.sock}).
     *
     * @return where the server listens, one line each ({@code http://0.0.0.0:8080}, {@code uwsgi unix:/run/w.sock})
     */
    public List<String> listeners() {
        List<String> listeners = new ArrayList<>();
        if (http != null) {
            listeners.add("http://" + hostOf(http) + ":" + http.getLocalPort());
        }
        if (https != null) {
            listeners.add("https://" + hostOf(https) + ":" + https.getLocalPort());
        }
        for (UwsgiListener listener : uwsgiListeners) {
            listeners.add("uwsgi " + describe(listener.address()));
        }
        if (stats != null && stats.port() > 0) {
            listeners.add("stats http://" + stats.host() + ":" + stats.port());
        }
        return listeners;
    }

    private static String hostOf(ServerConnector connector) {
        String host = connector.getHost() == null ? "0.0.0.0" : connector.getHost();
        return host.contains(":") ? "[" + host + "]" : host;
    }

    /**
     * The bound HTTPS port.
     *
     * @return the port
     * @throws IllegalStateException when the server has no HTTPS listener
     */
    public int httpsPort() {
        if (https == null) {
            throw new IllegalStateException("this server has no HTTPS listener");
        }
        return https.getLocalPort();
    }

    /**
     * The configuration this server was built with.
     *
     * @return the settings, mounts and customizers this server was built with
     */
    public ServerConfig config() {
        return config;
    }

    /**
     * The bound stats port ({@link Settings#STATS}).
     *
     * @return the bound stats port ({@link Settings#STATS})
     */
    public int statsPort() {
        if (stats == null) {
            throw new IllegalStateException("this server has no stats listener (--stats)");
        }
        return stats.port();
    }

    /**
     * Whether a stop has begun ({@code /health} answers 503).
     *
     * @return whether a stop has begun ({@code /health} answers 503)
     */
    public boolean isDraining() {
        return draining;
    }

    /**
     * The Jetty server, for what the builder does not cover.
     *
     * @return the Jetty server, for what the builder does not cover
     */
    public Server jetty() {
        return jetty;
    }

    /**
     * Collects a {@link ServerConfig}: at least one listener (HTTP, HTTPS or uwsgi) and one mount or
     * WAR. Each setter checks its value against the setting's row of the {@link Settings} table and
     * throws {@link IllegalArgumentException} naming the setting.
     */
    public static final class Builder {
        private Settings settings = Settings.defaults();
        private final List<ServerConfig.MountPoint> mounts = new ArrayList<>();
        private final List<Consumer<Server>> customizers = new ArrayList<>();

        private Builder() {
        }

        /**
         * Replaces every setting (the command line builds one {@link Settings} from its sources).
         *
         * @param settings the whole table of values
         * @return this builder
         */
        public Builder settings(Settings settings) {
            this.settings = Objects.requireNonNull(settings, "settings");
            return this;
        }

        /**
         * Sets one setting of the {@link Settings} table.
         *
         * @param <T> the setting's value type
         * @param setting a row of the table
         * @param value the new value
         * @return this builder
         * @throws IllegalArgumentException naming the setting when the value is out of its range
         */
        public <T> Builder set(Setting<T> setting, T value) {
            settings = settings.with(setting, value);
            return this;
        }

        /**
         * Listens for HTTP on every interface at {@code port} (0: any free port).
         *
         * @param port the TCP port, 0 to 65535
         * @return this builder
         */
        public Builder http(int port) {
            return http(null, port);
        }

        /**
         * Listens on {@code host} ({@code null}: every interface) at {@code port}.
         *
         * @param host the host name or address
         * @param port the TCP port, 0 to 65535 (0: any free port)
         * @return this builder
         * @throws IllegalArgumentException if the host is empty or the port out of range
         */
        public Builder http(String host, int port) {
            return set(Settings.HTTP, Optional.of(new Settings.HostPort(host, port)));
        }

        /**
         * Also listens for the uwsgi protocol on TCP {@code host:port} (nginx {@code uwsgi_pass}).
         *
         * @param host the host name or address
         * @param port the TCP port (0: any free port)
         * @return this builder
         */
        public Builder uwsgi(String host, int port) {
            return addUwsgi(new InetSocketAddress(host, port));
        }

        /**
         * Also listens for the uwsgi protocol on a unix-domain socket.
         *
         * @param socket the socket file, created on start
         * @return this builder
         */
        public Builder uwsgi(Path socket) {
            return addUwsgi(UnixDomainSocketAddress.of(socket));
        }

        private Builder addUwsgi(SocketAddress address) {
            List<SocketAddress> addresses = new ArrayList<>(settings.get(Settings.UWSGI));
            addresses.add(address);
            return set(Settings.UWSGI, List.copyOf(addresses));
        }

        /**
         * The TCP peers (CIDR) the uwsgi listeners accept; default loopback only.
         *
         * @param cidrs CIDR blocks or addresses, e.g. {@code 10.0.0.0/8}
         * @return this builder
         * @throws IllegalArgumentException naming an entry that is not an address or CIDR block
         */
        public Builder uwsgiAllow(List<String> cidrs) {
            return set(Settings.UWSGI_ALLOW, List.copyOf(cidrs));
        }

        /**
         * Serves {@code application} under {@code prefix} ({@code "/"} for the root), on every listener:
         * a request's SCRIPT_NAME is the prefix, PATH_INFO the rest (SPEC E2, E3); the longest matching
         * prefix wins ({@link org.wsgi4j.middleware.UrlMap}).
         *
         * @param prefix the mount point, {@code "/"} or starting and not ending with {@code /}
         * @param application the application
         * @return this builder
         * @throws IllegalArgumentException if the prefix is malformed
         * @throws NullPointerException if {@code application} is {@code null}
         */
        public Builder mount(String prefix, Application application) {
            mounts.add(new ServerConfig.MountPoint(prefix, Objects.requireNonNull(application, "application")));
            return this;
        }

        /**
         * Deploys a WAR file or exploded web application at {@code contextPath}.
         *
         * @param contextPath {@code "/"} or starting and not ending with {@code /}
         * @param war an existing {@code .war} file or directory
         * @return this builder
         * @throws IllegalArgumentException naming a malformed context path or a missing path
         */
        public Builder war(String contextPath, Path war) {
            List<Settings.War> wars = new ArrayList<>(settings.get(Settings.WAR));
            wars.add(new Settings.War(contextPath, war));
            return set(Settings.WAR, List.copyOf(wars));
        }

        /**
         * Sets {@link Settings#THREADS}: with platform threads the most requests served at once on each
         * front end, with virtual threads the size of Jetty's pool for selectors.
         *
         * @param threads the thread count, 2 to 100,000 (default 200)
         * @return this builder
         * @throws IllegalArgumentException if it is out of that range
         */
        public Builder threads(int threads) {
            return set(Settings.THREADS, threads);
        }

        /**
         * Sets {@link Settings#VIRTUAL_THREADS}: each request on a virtual thread, or on a pool of
         * {@link #threads(int)} platform threads.
         *
         * @param virtualThreads whether each request runs on a virtual thread (default: on with Java 21+)
         * @return this builder
         * @throws IllegalArgumentException if true and this JVM has no virtual threads (Java 17)
         */
        public Builder virtualThreads(boolean virtualThreads) {
            return set(Settings.VIRTUAL_THREADS, virtualThreads);
        }

        /**
         * Sets {@link Settings#DEBUG}: whether a 500 answered before commit carries the stack trace
         * (SPEC S15). Never in production.
         *
         * @param debug whether 500 answers carry the stack trace (default off)
         * @return this builder
         */
        public Builder debug(boolean debug) {
            return set(Settings.DEBUG, debug);
        }

        /**
         * Sets {@link Settings#GRACEFUL_TIMEOUT}: how long {@link Wsgi4jServer#stop()} waits for
         * requests in flight before it stops them.
         *
         * @param timeout zero or more (default 10 s)
         * @return this builder
         * @throws IllegalArgumentException if it is negative
         */
        public Builder gracefulTimeout(Duration timeout) {
            return set(Settings.GRACEFUL_TIMEOUT, timeout);
        }

        /**
         * Receives the Jetty {@link Server} before it starts: the escape hatch. With a customizer the
         * handler chain keeps its {@code ContextHandlerCollection} on either front end (found with
         * {@code server.getDescendant(ContextHandlerCollection.class)}), where it may add contexts; without
         * one, a server with mounts and no {@code --static-map} or {@code --war} hands requests to its one
         * servlet context, or on the core front end to its gateway, directly.
         *
         * @param customizer called with the Jetty server before it starts
         * @return this builder
         */
        public Builder customizer(Consumer<Server> customizer) {
            customizers.add(Objects.requireNonNull(customizer, "customizer"));
            return this;
        }

        /**
         * The configuration as set so far.
         *
         * @return the settings, mounts and customizers given so far
         */
        public ServerConfig config() {
            return new ServerConfig(settings, mounts, customizers);
        }

        /**
         * Builds the server.
         *
         * @return the server, not started
         */
        public Wsgi4jServer build() {
            return new Wsgi4jServer(config());
        }
    }

    /**
     * Names the logger of a servlet context's {@code ServletContext.log} (the servlet front end's
     * {@code wsgi.errors}, SPEC E12, and a WAR's own logging) {@code org.wsgi4j.jetty.context.NAME},
     * NAME being {@code ROOT} for "/" and the context path with '/' and '.' as '_' otherwise. Jetty's
     * own name for it is under {@code org.eclipse.jetty}, whose INFO lines {@link Main} hides, and
     * these lines must not be hidden with them.
     */
    private static void logUnderWsgi4j(ServletContextHandler context) {
        String path = context.getContextPath();
        String name = path == null || path.equals("/") || path.isEmpty() ? "ROOT"
                : path.replace('/', '_').replace('.', '_');
        context.setLogger(LoggerFactory.getLogger("org.wsgi4j.jetty.context." + name));
    }
}
