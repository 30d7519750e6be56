package org.wsgi4j.spring;

import java.util.concurrent.atomic.LongAdder;
import org.wsgi4j.Application;
import org.wsgi4j.servlet.MountInitializer;

/**
 * One application the starter serves: where ({@link #path()}, {@link #servletMapping()}), what
 * ({@link #application()}), who asked for it ({@link #declaredBy()}), and how many requests it has
 * had. Made by the auto-configuration; listed by {@link Wsgi4jMounts} and the {@code wsgi4j}
 * Actuator endpoint.
 */
public final class Wsgi4jMount {

    private final String name;
    private final String path;
    private final String servletMapping;
    private final Application application;
    private final String declaredBy;
    private final LongAdder requests = new LongAdder();

    Wsgi4jMount(String name, String path, Application application, String declaredBy) {
        this.name = name;
        this.path = path;
        this.servletMapping = MountInitializer.servletMapping(path);
        this.application = application;
        this.declaredBy = declaredBy;
    }

    /**
     * The mount's name.
     *
     * @return the bean name for a {@code @Mount} bean, the key for a {@code wsgi4j.mounts.<name>} entry
     */
    public String name() {
        return name;
    }

    /**
     * Where the mount is served, below the context path; SCRIPT_NAME of its requests is the context
     * path plus this (SPEC E2).
     *
     * @return {@code "/"} or a path such as {@code "/a/b"}, without a trailing slash
     */
    public String path() {
        return path;
    }

    /**
     * The servlet mapping of the mount's GatewayServlet, from
     * {@link MountInitializer#servletMapping(String)}.
     *
     * @return {@code "/"} for the path {@code "/"}, {@code "/a/b/*"} for {@code "/a/b"}
     */
    public String servletMapping() {
        return servletMapping;
    }

    /**
     * The URI template that requests to this mount carry in Boot's {@code http.server.requests}
     * observation (its {@code uri} tag).
     *
     * @return {@code "/a/b/**"}, or {@code "/**"} at the root
     */
    public String uriTemplate() {
        return path.equals("/") ? "/**" : path + "/**";
    }

    /**
     * The application served here.
     *
     * @return the bean, or the application an {@code Applications.load} spec named
     */
    public Application application() {
        return application;
    }

    /**
     * Where the mount was declared, as error messages and the endpoint name it.
     *
     * @return e.g. {@code "@Mount on bean 'api'"} or {@code "wsgi4j.mounts.api"}
     */
    public String declaredBy() {
        return declaredBy;
    }

    /**
     * Requests that reached this mount's servlet since start.
     *
     * @return the count, refused requests included
     */
    public long requests() {
        return requests.sum();
    }

    void countRequest() {
        requests.increment();
    }

    @Override
    public String toString() {
        return name + " at " + path + " (" + declaredBy + ")";
    }
}
