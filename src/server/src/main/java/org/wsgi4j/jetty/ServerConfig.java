package org.wsgi4j.jetty;

import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.function.Consumer;
import org.eclipse.jetty.server.Server;
import org.wsgi4j.Application;
import org.wsgi4j.servlet.MountInitializer;

/**
 * The whole configuration of a {@link Wsgi4jServer}, validated when it is made: a bad combination
 * fails here with a message naming the settings, not later inside Jetty. Each value was already
 * checked against its row of the {@link Settings} table.
 *
 * @param settings    the values of the settings table (listeners, limits, timeouts, thread policy...)
 * @param mounts      applications and their prefixes (the {@code --mount} specs, loaded)
 * @param customizers receive the Jetty {@code Server} before it starts
 */
public record ServerConfig(Settings settings, List<MountPoint> mounts, List<Consumer<Server>> customizers) {

    /**
     * Checks the combination of settings, mounts and WARs ({@link #check}).
     *
     * @param settings the values of the settings table
     * @param mounts applications and their prefixes
     * @param customizers receive the Jetty {@code Server} before it starts
     * @throws NullPointerException if {@code settings} is {@code null}
     * @throws IllegalArgumentException as {@link #check} says
     */
    public ServerConfig {
        Objects.requireNonNull(settings, "settings");
        mounts = List.copyOf(mounts);
        customizers = List.copyOf(customizers);
        check(settings, mounts.stream().map(MountPoint::prefix).toList());
    }

    /**
     * Checks the combination of settings and mount prefixes, before any application is loaded or
     * anything deployed: the command line calls it with the {@code --mount} prefixes first.
     *
     * @param settings the values of the settings table
     * @param mountPrefixes the prefixes of the mounted applications
     * @throws IllegalArgumentException naming each setting as it was given ({@link Settings#origin}):
     *     no listener, nothing mounted, {@code --http2c} without {@code --http}, a keystore without
     *     its password, two WARs or mounts at one prefix, a static map on a mount, a WAR with
     *     {@code --front-end core}, a uwsgi listener with only WARs, a WAR at {@code /} beside mounts,
     *     {@code --non-blocking} without {@code --front-end core}, or with {@code --war} or {@code --harakiri}
     */
    public static void check(Settings settings, List<String> mountPrefixes) {
        List<Settings.War> wars = settings.get(Settings.WAR);
        boolean uwsgi = !settings.get(Settings.UWSGI).isEmpty();
        if (settings.get(Settings.HTTP).isEmpty() && settings.get(Settings.HTTPS).isEmpty() && !uwsgi) {
            throw new IllegalArgumentException("no listener: give --http, --https, --uwsgi, or several");
        }
        if (settings.get(Settings.HTTP2C) && settings.get(Settings.HTTP).isEmpty()) {
            throw new IllegalArgumentException(settings.origin(Settings.HTTP2C)
                    + ": HTTP/2 cleartext is spoken on the --http listener, and there is none");
        }
        settings.get(Settings.HTTPS).ifPresent(https -> {
            if (https.isKeystore() && settings.get(Settings.HTTPS_KEYSTORE_PASSWORD).isEmpty()) {
                throw new IllegalArgumentException(settings.origin(Settings.HTTPS) + ": " + https.cert()
                        + " is a PKCS#12 keystore: give its password in WSGI4J_HTTPS_KEYSTORE_PASSWORD"
                        + " (or --https-keystore-password)");
            }
        });
        if (mountPrefixes.isEmpty() && wars.isEmpty()) {
            throw new IllegalArgumentException("nothing is mounted: add at least one application or WAR");
        }
        if (settings.get(Settings.NON_BLOCKING)) {
            String nonBlocking = settings.origin(Settings.NON_BLOCKING);
            if (!wars.isEmpty()) {
                throw new IllegalArgumentException(nonBlocking + " runs applications on Jetty's selector thread, which "
                        + "only --front-end core does, and " + settings.origin(Settings.WAR) + " deploys a servlet web "
                        + "application, which needs --front-end servlet: give one or the other");
            }
            if (settings.get(Settings.FRONT_END) != Settings.FrontEnd.CORE) {
                throw new IllegalArgumentException(nonBlocking + " runs applications on Jetty's selector thread, "
                        + "which only --front-end core does; the front end is " + settings.get(Settings.FRONT_END)
                        + (settings.isSet(Settings.FRONT_END) ? " (" + settings.origin(Settings.FRONT_END) + ")" : " (the default)"));
            }
            if (settings.get(Settings.HARAKIRI).isPresent()) {
                throw new IllegalArgumentException(settings.origin(Settings.HARAKIRI) + " interrupts a request's "
                        + "thread, and with " + nonBlocking + " that is Jetty's selector thread, shared by every "
                        + "connection: give one or the other");
            }
            if (!settings.get(Settings.STATIC_MAP).isEmpty()) {
                // Jetty runs a request on the selector only when every handler in the tree is non-blocking.
                throw new IllegalArgumentException(settings.origin(Settings.STATIC_MAP) + " serves files with Jetty's "
                        + "ResourceHandler, which blocks, so Jetty would run every request on a pool thread and "
                        + nonBlocking + " would change nothing: give one or the other (nginx can serve the files)");
            }
        }
        if (settings.isSet(Settings.NON_BLOCKING_BUFFER_SIZE) && !settings.get(Settings.NON_BLOCKING)) {
            throw new IllegalArgumentException(settings.origin(Settings.NON_BLOCKING_BUFFER_SIZE) + " bounds what "
                    + "--non-blocking writes from Jetty's selector thread, and "
                    + settings.origin(Settings.NON_BLOCKING) + " is off: give both or neither");
        }
        if (settings.isSet(Settings.ACCESS_LOG_QUEUE) && settings.get(Settings.ACCESS_LOG).isEmpty()) {
            throw new IllegalArgumentException(settings.origin(Settings.ACCESS_LOG_QUEUE) + " sizes the access "
                    + "log's queue, and " + settings.origin(Settings.ACCESS_LOG) + " is off: give both or neither");
        }
        if (!wars.isEmpty() && settings.get(Settings.FRONT_END) == Settings.FrontEnd.CORE) {
            throw new IllegalArgumentException(settings.origin(Settings.WAR) + ": a WAR is a servlet web application, "
                    + "which needs the servlet front end, and " + settings.origin(Settings.FRONT_END)
                    + " chose the core one, which has no servlet layer");
        }
        Set<String> contexts = new HashSet<>();
        for (Settings.War war : wars) {
            if (!contexts.add(war.contextPath())) {
                throw new IllegalArgumentException(settings.origin(Settings.WAR) + ": two WARs are deployed at '"
                        + war.contextPath() + "'");
            }
        }
        if (uwsgi && mountPrefixes.isEmpty()) {
            throw new IllegalArgumentException(settings.origin(Settings.UWSGI) + ": the uwsgi listener serves "
                    + "mounted applications, and none is mounted (WARs are served over HTTP only)");
        }
        if (!mountPrefixes.isEmpty() && contexts.contains("/")) {
            throw new IllegalArgumentException(settings.origin(Settings.WAR) + ": a WAR is deployed at '/', where the "
                    + "mounted applications live: give the WAR another context path");
        }
        Set<String> seen = new HashSet<>();
        for (String prefix : mountPrefixes) {
            if (!seen.add(prefix)) {
                throw new IllegalArgumentException("two applications are mounted at '" + prefix + "'");
            }
        }
        for (Settings.StaticMap map : settings.get(Settings.STATIC_MAP)) {
            if (!seen.add(map.prefix())) {
                throw new IllegalArgumentException(settings.origin(Settings.STATIC_MAP) + ": '" + map.prefix()
                        + "' is both a static map and a mount");
            }
        }
    }

    /**
     * The value of one setting; shorthand for {@code settings().get(setting)}.
     *
     * @param <T> the setting's value type
     * @param setting a row of the table
     * @return the value set, or the default
     */
    public <T> T get(Setting<T> setting) {
        return settings.get(setting);
    }

    /**
     * One application under one prefix (SPEC M1): {@code "/"}, or a path starting with {@code /}
     * and not ending with one.
     */
    public record MountPoint(String prefix, Application application) {

        /**
         * Checks the prefix.
         *
         * @param prefix {@code "/"} or starting and not ending with {@code /}
         * @param application the application
         * @throws IllegalArgumentException if the prefix is malformed
         * @throws NullPointerException if {@code application} is {@code null}
         */
        public MountPoint {
            MountInitializer.servletMapping(prefix);
            Objects.requireNonNull(application, "application");
        }

        /**
         * The servlet mapping that gives this prefix's SCRIPT_NAME: the default mapping for the root.
         *
         * @return the servlet mapping that gives this prefix's SCRIPT_NAME: the default mapping for the root
         */
        public String servletMapping() {
            return MountInitializer.servletMapping(prefix);
        }
    }
}
