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

    public boolean isEnabled() {
        return enabled;
    }

    public void setEnabled(boolean enabled) {
        this.enabled = enabled;
    }

    public boolean isDebug() {
        return debug;
    }

    public void setDebug(boolean debug) {
        this.debug = debug;
    }

    public Duration getHarakiri() {
        return harakiri;
    }

    public void setHarakiri(Duration harakiri) {
        this.harakiri = harakiri;
    }

    public DataSize getLimitPost() {
        return limitPost;
    }

    public void setLimitPost(DataSize limitPost) {
        this.limitPost = limitPost;
    }

    public List<String> getTrustedProxies() {
        return trustedProxies;
    }

    public void setTrustedProxies(List<String> trustedProxies) {
        this.trustedProxies = trustedProxies;
    }

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

        public String getPath() {
            return path;
        }

        public void setPath(String path) {
            this.path = path;
        }

        public String getBean() {
            return bean;
        }

        public void setBean(String bean) {
            this.bean = bean;
        }

        public String getApplication() {
            return application;
        }

        public void setApplication(String application) {
            this.application = application;
        }
    }
}
