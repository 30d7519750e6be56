package org.wsgi4j.jetty;

import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.net.UnixDomainSocketAddress;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Consumer;
import org.eclipse.jetty.ee10.servlet.ServletContextHandler;
import org.eclipse.jetty.ee10.servlet.ServletHolder;
import org.eclipse.jetty.ee10.webapp.WebAppContext;
import org.eclipse.jetty.server.HttpConfiguration;
import org.eclipse.jetty.server.HttpConnectionFactory;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.server.handler.ContextHandlerCollection;
import org.eclipse.jetty.util.VirtualThreads;
import org.eclipse.jetty.util.thread.QueuedThreadPool;
import org.wsgi4j.Application;
import org.wsgi4j.middleware.UrlMap;
import org.wsgi4j.servlet.GatewayServlet;
import org.wsgi4j.uwsgi.UwsgiConfig;
import org.wsgi4j.uwsgi.UwsgiListener;

/**
 * wsgi4j on embedded Jetty 12: each mounted application is one {@link GatewayServlet} mapping in
 * a Jetty ee10 {@link ServletContextHandler}, so mounting follows the servlet rules (a prefix
 * matches at a {@code /} boundary, the longest prefix wins, SPEC M2-M4). WARs are deployed as
 * Jetty {@link WebAppContext}s with annotation scanning, so their {@code @Mount} classes register
 * as they do in Tomcat.
 *
 * <pre>{@code
 * Wsgi4jServer server = Wsgi4jServer.builder()
 *         .http(8080)
 *         .mount("/", new Hello())
 *         .mount("/api", Applications.load("com.example.Api::app"))
 *         .build()
 *         .start();
 * }</pre>
 *
 * <p>{@link #start()} throws if the port cannot be bound; {@link #stop()} stops accepting, lets
 * requests in flight finish for up to {@link ServerConfig#stopTimeoutMillis()}, and closes.
 */
public final class Wsgi4jServer {

    private final ServerConfig config;
    private final Server jetty;
    private final ServerConnector connector;
    private final List<UwsgiConfig> uwsgiConfigs = new ArrayList<>();
    private final List<UwsgiListener> uwsgiListeners = new ArrayList<>();
    private boolean stopped;

    private Wsgi4jServer(ServerConfig config) {
        this.config = config;
        if (!config.uwsgi().isEmpty()) {
            // The uwsgi listener has no servlet mapping: the UrlMap middleware gives the same prefixes.
            UrlMap.Builder mounts = UrlMap.builder();
            for (ServerConfig.MountPoint mount : config.mounts()) {
                mounts.mount(mount.prefix(), mount.application());
            }
            UrlMap application = mounts.build();
            for (SocketAddress address : config.uwsgi()) {
                uwsgiConfigs.add(UwsgiConfig.builder().address(address).application(application)
                        .allow(config.uwsgiAllow().isEmpty() ? UwsgiConfig.DEFAULT_ALLOW : config.uwsgiAllow())
                        .debug(config.debug()).build());
            }
        }
        QueuedThreadPool threads = new QueuedThreadPool(config.maxThreads(), Math.min(8, config.maxThreads()));
        threads.setName("wsgi4j");
        if (config.virtualThreads()) {
            if (!VirtualThreads.areSupported()) {
                throw new IllegalStateException("virtual threads need Java 21 or later; this is Java "
                        + Runtime.version().feature());
            }
            threads.setVirtualThreadsExecutor(VirtualThreads.getNamedVirtualThreadsExecutor("wsgi4j-virtual"));
        }
        jetty = new Server(threads);
        jetty.setStopTimeout(config.stopTimeoutMillis());

        HttpConfiguration http = new HttpConfiguration();
        http.setSendServerVersion(false);
        if (config.http().isPresent()) {
            connector = new ServerConnector(jetty, new HttpConnectionFactory(http));
            connector.setHost(config.http().get().host());
            connector.setPort(config.http().get().port());
            jetty.addConnector(connector);
        } else {
            connector = null;
        }

        ContextHandlerCollection contexts = new ContextHandlerCollection();
        if (!config.mounts().isEmpty()) {
            ServletContextHandler context = new ServletContextHandler("/");
            for (ServerConfig.MountPoint mount : config.mounts()) {
                ServletHolder holder = new ServletHolder("wsgi4j:" + mount.prefix(),
                        new GatewayServlet(mount.application()));
                holder.setInitParameter(GatewayServlet.DEBUG_PARAM, Boolean.toString(config.debug()));
                holder.setAsyncSupported(true);
                context.addServlet(holder, mount.servletMapping());
            }
            contexts.addHandler(context);
        }
        for (ServerConfig.War war : config.wars()) {
            WebAppContext webapp = new WebAppContext(war.path().toAbsolutePath().toString(), war.contextPath());
            // Surface deployment errors (a bad @Mount) as a failed start, not a silently 503ing context.
            webapp.setThrowUnavailableOnStartupException(true);
            contexts.addHandler(webapp);
        }
        jetty.setHandler(contexts);
        for (Consumer<Server> customizer : config.customizers()) {
            customizer.accept(jetty);
        }
    }

    public static Builder builder() {
        return new Builder();
    }

    /** Builds a server from a complete configuration. */
    public static Wsgi4jServer of(ServerConfig config) {
        return new Wsgi4jServer(config);
    }

    /**
     * Binds the port and starts serving.
     *
     * @throws Exception if Jetty cannot start (port in use, an application's servlet fails to init)
     */
    public Wsgi4jServer start() throws Exception {
        try {
            for (UwsgiConfig uwsgi : uwsgiConfigs) {
                uwsgiListeners.add(UwsgiListener.start(uwsgi));
            }
            if (connector != null) {
                jetty.start();
            }
        } catch (Exception e) {
            stop();
            throw e;
        }
        return this;
    }

    /** Stops gracefully (see the class comment). */
    public void stop() throws Exception {
        try {
            jetty.stop();
        } finally {
            for (UwsgiListener listener : uwsgiListeners) {
                listener.stop();
            }
            uwsgiListeners.clear();
            synchronized (this) {
                stopped = true;
                notifyAll();
            }
        }
    }

    /** Blocks until the server has stopped. */
    public void join() throws InterruptedException {
        if (connector != null) {
            jetty.join();
            return;
        }
        synchronized (this) {
            while (!stopped) {
                wait();
            }
        }
    }

    /**
     * The bound HTTP port (the real one when the configuration said 0).
     *
     * @throws IllegalStateException when the server has no HTTP listener
     */
    public int port() {
        if (connector == null) {
            throw new IllegalStateException("this server has no HTTP listener");
        }
        return connector.getLocalPort();
    }

    /** The running uwsgi listeners, in configuration order (empty before {@link #start()}). */
    public List<UwsgiListener> uwsgiListeners() {
        return List.copyOf(uwsgiListeners);
    }

    public ServerConfig config() {
        return config;
    }

    /** The Jetty server, for what the builder does not cover. */
    public Server jetty() {
        return jetty;
    }

    /** Collects a {@link ServerConfig}: at least one listener (HTTP or uwsgi) and one mount or WAR. */
    public static final class Builder {
        private ServerConfig.HttpEndpoint http;
        private final List<SocketAddress> uwsgi = new ArrayList<>();
        private final List<String> uwsgiAllow = new ArrayList<>();
        private final List<ServerConfig.MountPoint> mounts = new ArrayList<>();
        private final List<ServerConfig.War> wars = new ArrayList<>();
        private int maxThreads = ServerConfig.DEFAULT_MAX_THREADS;
        private boolean virtualThreads;
        private boolean debug;
        private long stopTimeoutMillis = ServerConfig.DEFAULT_STOP_TIMEOUT_MILLIS;
        private final List<Consumer<Server>> customizers = new ArrayList<>();

        private Builder() {
        }

        /** Listens for HTTP on every interface at {@code port} (0: any free port). */
        public Builder http(int port) {
            return http(null, port);
        }

        /** Listens on {@code host} ({@code null}: every interface) at {@code port}. */
        public Builder http(String host, int port) {
            this.http = new ServerConfig.HttpEndpoint(host, port);
            return this;
        }

        /** Also listens for the uwsgi protocol on TCP {@code host:port} (nginx {@code uwsgi_pass}). */
        public Builder uwsgi(String host, int port) {
            uwsgi.add(new InetSocketAddress(host, port));
            return this;
        }

        /** Also listens for the uwsgi protocol on a unix-domain socket. */
        public Builder uwsgi(Path socket) {
            uwsgi.add(UnixDomainSocketAddress.of(socket));
            return this;
        }

        /** The TCP peers (CIDR) the uwsgi listeners accept; default loopback only. */
        public Builder uwsgiAllow(List<String> cidrs) {
            uwsgiAllow.clear();
            uwsgiAllow.addAll(cidrs);
            return this;
        }

        /** Serves {@code application} under {@code prefix} ({@code "/"} for the root). */
        public Builder mount(String prefix, Application application) {
            mounts.add(new ServerConfig.MountPoint(prefix, Objects.requireNonNull(application, "application")));
            return this;
        }

        /** Deploys a WAR file or exploded web application at {@code contextPath}. */
        public Builder war(String contextPath, Path war) {
            wars.add(new ServerConfig.War(contextPath, war));
            return this;
        }

        /** The most request threads (default {@value ServerConfig#DEFAULT_MAX_THREADS}). */
        public Builder threads(int maxThreads) {
            this.maxThreads = maxThreads;
            return this;
        }

        /** Runs requests on virtual threads (Java 21+; start fails on older runtimes). */
        public Builder virtualThreads(boolean virtualThreads) {
            this.virtualThreads = virtualThreads;
            return this;
        }

        /** Shows stack traces in 500 answers. Never in production. */
        public Builder debug(boolean debug) {
            this.debug = debug;
            return this;
        }

        /** How long {@link Wsgi4jServer#stop()} waits for requests in flight. */
        public Builder stopTimeoutMillis(long millis) {
            this.stopTimeoutMillis = millis;
            return this;
        }

        /** Receives the Jetty {@link Server} before it starts: the escape hatch. */
        public Builder customizer(Consumer<Server> customizer) {
            customizers.add(Objects.requireNonNull(customizer, "customizer"));
            return this;
        }

        public ServerConfig config() {
            return new ServerConfig(Optional.ofNullable(http), uwsgi, uwsgiAllow, mounts, wars, maxThreads, virtualThreads, debug, stopTimeoutMillis,
                    customizers);
        }

        public Wsgi4jServer build() {
            return new Wsgi4jServer(config());
        }
    }
}
