package org.wsgi4j.jetty;

import java.net.SocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.function.Consumer;
import org.eclipse.jetty.server.Server;
import org.wsgi4j.Application;
import org.wsgi4j.middleware.UrlMap;
import org.wsgi4j.uwsgi.UwsgiConfig;

/**
 * The whole configuration of a {@link Wsgi4jServer}, validated when it is made: a bad value fails
 * here with a message naming it, not later inside Jetty.
 *
 * @param http              where to listen for HTTP, if at all
 * @param uwsgi             where to listen for the uwsgi protocol (nginx {@code uwsgi_pass}): TCP
 *                          addresses or unix socket paths; the mounted applications are served there
 * @param uwsgiAllow        TCP peers the uwsgi listeners accept (CIDR), see {@link UwsgiConfig#allow()}
 * @param mounts            applications and their prefixes
 * @param wars              web applications (WAR files or exploded directories) and their context paths
 * @param maxThreads        the most request threads (platform threads; the pool's cap)
 * @param virtualThreads    run requests on virtual threads (Java 21+)
 * @param debug             stack traces in 500 answers
 * @param stopTimeoutMillis how long a stop waits for requests in flight
 * @param customizers       receive the Jetty {@code Server} before it starts
 */
public record ServerConfig(Optional<HttpEndpoint> http, List<SocketAddress> uwsgi, List<String> uwsgiAllow,
                           List<MountPoint> mounts, List<War> wars, int maxThreads,
                           boolean virtualThreads,
                           boolean debug, long stopTimeoutMillis, List<Consumer<Server>> customizers) {

    public static final int DEFAULT_MAX_THREADS = 200;
    public static final long DEFAULT_STOP_TIMEOUT_MILLIS = 10_000;

    public ServerConfig {
        Objects.requireNonNull(http, "http");
        uwsgi = List.copyOf(uwsgi);
        uwsgiAllow = List.copyOf(uwsgiAllow);
        if (http.isEmpty() && uwsgi.isEmpty()) {
            throw new IllegalArgumentException("no listener: give an HTTP port, a uwsgi address, or both");
        }
        if (maxThreads < 2) {
            throw new IllegalArgumentException("'threads' must be at least 2, was " + maxThreads);
        }
        if (stopTimeoutMillis < 0) {
            throw new IllegalArgumentException("'stopTimeoutMillis' must not be negative, was " + stopTimeoutMillis);
        }
        mounts = List.copyOf(mounts);
        wars = List.copyOf(wars);
        if (mounts.isEmpty() && wars.isEmpty()) {
            throw new IllegalArgumentException("nothing is mounted: add at least one application or WAR");
        }
        Set<String> contexts = new HashSet<>();
        for (War war : wars) {
            if (!contexts.add(war.contextPath())) {
                throw new IllegalArgumentException("two WARs are deployed at '" + war.contextPath() + "'");
            }
        }
        if (!uwsgi.isEmpty() && mounts.isEmpty()) {
            throw new IllegalArgumentException("the uwsgi listener serves mounted applications, and none is mounted "
                    + "(WARs are served over HTTP only)");
        }
        if (!mounts.isEmpty() && contexts.contains("/")) {
            throw new IllegalArgumentException("a WAR is deployed at '/', where the mounted applications live: "
                    + "give the WAR another context path");
        }
        Set<String> seen = new HashSet<>();
        for (MountPoint mount : mounts) {
            if (!seen.add(mount.prefix())) {
                throw new IllegalArgumentException("two applications are mounted at '" + mount.prefix() + "'");
            }
        }
        customizers = List.copyOf(customizers);
    }

    /** An HTTP listener: {@code host} {@code null} for every interface, {@code port} 0 for any free port. */
    public record HttpEndpoint(String host, int port) {

        public HttpEndpoint {
            if (port < 0 || port > 65535) {
                throw new IllegalArgumentException("'port' must be 0-65535, was " + port);
            }
        }
    }

    /**
     * A web application (a {@code .war} file or an exploded directory) deployed at a context path
     * ({@code "/"} or {@code "/name"}), with annotation scanning so {@code @Mount} classes register.
     */
    public record War(String contextPath, Path path) {

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

    /**
     * One application under one prefix (SPEC M1): {@code "/"}, or a path starting with {@code /}
     * and not ending with one.
     */
    public record MountPoint(String prefix, Application application) {

        public MountPoint {
            UrlMap.checkPrefix(prefix);
            Objects.requireNonNull(application, "application");
            if (prefix.contains("*")) {
                throw new IllegalArgumentException("mount prefix '" + prefix
                        + "' must be a plain path: '*' would change the servlet mapping");
            }
        }

        /** The servlet mapping that gives this prefix's SCRIPT_NAME: the default mapping for the root. */
        public String servletMapping() {
            return prefix.equals("/") ? "/" : prefix + "/*";
        }
    }
}
