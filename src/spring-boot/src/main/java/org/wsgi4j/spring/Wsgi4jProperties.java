package org.wsgi4j.spring;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.util.unit.DataSize;

/**
 * The settings of the wsgi4j starter, all under {@code wsgi4j.*}. Mounts declared here are served
 * beside the {@link org.wsgi4j.servlet.Mount @Mount} beans.
 *
 * <pre>
 * wsgi4j.mounts.legacy.path=/legacy
 * wsgi4j.mounts.legacy.application=com.example.Legacy::app
 * wsgi4j.mounts.api.path=/api
 * wsgi4j.mounts.api.bean=apiApplication
 * wsgi4j.harakiri=30s
 * wsgi4j.limit-post=64MB
 * wsgi4j.trusted-proxies=10.0.0.0/8,::1
 * </pre>
 *
 * <p>The bridge settings ({@code debug}, {@code harakiri}, {@code limit-post},
 * {@code trusted-proxies}) apply to every mount, as the init parameters of its
 * {@link org.wsgi4j.servlet.GatewayServlet}; unset ones keep the bridge's default.
 */
@ConfigurationProperties("wsgi4j")
public class Wsgi4jProperties {

    /** Whether to serve wsgi4j applications through the servlet bridge. */
    private boolean enabled = true;

    /** Whether 500 answers from the applications carry the stack trace (never in production). */
    private boolean debug;

    /** Request timeout (uWSGI's harakiri): a longer request gets 504, or is aborted once answering; unset: none. */
    private Duration harakiri;

    /** Largest request body (uWSGI's limit-post): a larger declared body gets 413 before the app runs; unset: none. */
    private DataSize limitPost;

    /** Address blocks (e.g. 10.0.0.0/8) of the proxies whose Forwarded/X-Forwarded-* headers are believed. */
    private List<String> trustedProxies;

    /**
     * Applications to mount, by name: each with a path and either the name of an Application bean
     * or an Applications.load spec.
     */
    private final Map<String, MountProperties> mounts = new LinkedHashMap<>();

    /**
     * Whether the starter serves wsgi4j applications ({@code wsgi4j.enabled}).
     *
     * @return {@code true} (the default) to register the mounts' servlets
     */
    public boolean isEnabled() {
        return enabled;
    }

    /**
     * Sets {@code wsgi4j.enabled}.
     *
     * @param enabled {@code false} registers no servlet at all
     */
    public void setEnabled(boolean enabled) {
        this.enabled = enabled;
    }

    /**
     * Whether a 500 answer before commit carries the stack trace ({@code wsgi4j.debug}).
     *
     * @return {@code false} by default; never {@code true} in production
     */
    public boolean isDebug() {
        return debug;
    }

    /**
     * Sets {@code wsgi4j.debug}, the bridge's {@code debug} init parameter.
     *
     * @param debug {@code true} to show stack traces in 500 answers
     */
    public void setDebug(boolean debug) {
        this.debug = debug;
    }

    /**
     * The request timeout ({@code wsgi4j.harakiri}, uWSGI's harakiri).
     *
     * @return the time a request may take: after it, 504 before commit or an aborted response after;
     *     {@code null} (the default) for none
     */
    public Duration getHarakiri() {
        return harakiri;
    }

    /**
     * Sets {@code wsgi4j.harakiri}; the bridge counts in milliseconds, so under 1 ms stops the start.
     *
     * @param harakiri the timeout, or {@code null} for none
     */
    public void setHarakiri(Duration harakiri) {
        this.harakiri = harakiri;
    }

    /**
     * The largest request body ({@code wsgi4j.limit-post}, uWSGI's limit-post).
     *
     * @return the limit: a larger declared Content-Length gets 413 before the application runs, and
     *     reading a longer chunked body fails ({@link org.wsgi4j.middleware.BodyLimit}); {@code null}
     *     (the default) for none
     */
    public DataSize getLimitPost() {
        return limitPost;
    }

    /**
     * Sets {@code wsgi4j.limit-post}; a negative size stops the start.
     *
     * @param limitPost the limit in bytes (e.g. {@code 64MB}), or {@code null} for none
     */
    public void setLimitPost(DataSize limitPost) {
        this.limitPost = limitPost;
    }

    /**
     * The proxies whose {@code Forwarded} and {@code X-Forwarded-*} headers are believed
     * ({@code wsgi4j.trusted-proxies}).
     *
     * @return address blocks such as {@code 10.0.0.0/8} or {@code ::1}; {@code null} (the default) believes no proxy
     */
    public List<String> getTrustedProxies() {
        return trustedProxies;
    }

    /**
     * Sets {@code wsgi4j.trusted-proxies}; an entry that is not an address or block stops the start.
     *
     * @param trustedProxies address blocks, e.g. {@code [10.0.0.0/8, ::1]}
     */
    public void setTrustedProxies(List<String> trustedProxies) {
        this.trustedProxies = trustedProxies;
    }

    /**
     * The mounts declared in properties ({@code wsgi4j.mounts.<name>.*}).
     *
     * @return the entries by name, in property order; Boot binds into this map
     */
    public Map<String, MountProperties> getMounts() {
        return mounts;
    }

    /** One entry of {@code wsgi4j.mounts}: where, and which application. */
    public static class MountProperties {

        /** Path below the context path: "/" or "/a/b" (no trailing slash). */
        private String path;

        /** Name of the Application bean to serve; not together with application. */
        private String bean;

        /**
         * Application to serve, as an Applications.load spec ("com.example.App" or
         * "com.example.Apps::member"); not together with bean.
         */
        private String application;

        /**
         * The mount's path ({@code wsgi4j.mounts.<name>.path}).
         *
         * @return {@code "/"} or a path such as {@code "/a/b"} below the context path; required
         */
        public String getPath() {
            return path;
        }

        /**
         * Sets the path; one that does not start with {@code /}, or ends with one, stops the start.
         *
         * @param path {@code "/"} or a path such as {@code "/a/b"}
         */
        public void setPath(String path) {
            this.path = path;
        }

        /**
         * The Application bean to serve ({@code wsgi4j.mounts.<name>.bean}).
         *
         * @return a bean name, or {@code null} when {@link #getApplication()} names the application
         */
        public String getBean() {
            return bean;
        }

        /**
         * Sets the bean; a name that is not an Application bean stops the start.
         *
         * @param bean the name of an {@link org.wsgi4j.Application} bean
         */
        public void setBean(String bean) {
            this.bean = bean;
        }

        /**
         * The application to serve, as an {@code Applications.load} spec
     * ({@code wsgi4j.mounts.<name>.application}).
         *
         * @return {@code "com.example.App"} or {@code "com.example.Apps::member"}, or {@code null} when
     *     {@link #getBean()} names it
         */
        public String getApplication() {
            return application;
        }

        /**
         * Sets the spec; one that does not load stops the start with the loader's message.
         *
         * @param application an {@link org.wsgi4j.Applications#load(String) Applications.load} spec
         */
        public void setApplication(String application) {
            this.application = application;
        }
    }
}
