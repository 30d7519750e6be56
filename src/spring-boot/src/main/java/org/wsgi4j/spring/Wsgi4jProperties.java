package org.wsgi4j.spring;

import java.util.LinkedHashMap;
import java.util.Map;
import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * The settings of the wsgi4j starter, all under {@code wsgi4j.*}. Mounts declared here are served
 * beside the {@link org.wsgi4j.servlet.Mount @Mount} beans.
 *
 * <pre>
 * wsgi4j.mounts.legacy.path=/legacy
 * wsgi4j.mounts.legacy.application=com.example.Legacy::app
 * wsgi4j.mounts.api.path=/api
 * wsgi4j.mounts.api.bean=apiApplication
 * </pre>
 */
@ConfigurationProperties("wsgi4j")
public class Wsgi4jProperties {

    /** Whether to serve wsgi4j applications through the servlet bridge. */
    private boolean enabled = true;

    /** Whether 500 answers from the applications carry the stack trace (never in production). */
    private boolean debug;

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
