package org.wsgi4j.spring;

import java.util.List;
import org.springframework.boot.actuate.endpoint.OperationResponseBody;
import org.springframework.boot.actuate.endpoint.annotation.Endpoint;
import org.springframework.boot.actuate.endpoint.annotation.ReadOperation;

/**
 * The Actuator endpoint {@code wsgi4j}: the mounts, the class of each application and the requests
 * each has had. Exposed over HTTP like any endpoint, e.g.
 * {@code management.endpoints.web.exposure.include=health,wsgi4j}, at {@code /actuator/wsgi4j}.
 */
@Endpoint(id = "wsgi4j")
public class Wsgi4jEndpoint {

    private final Wsgi4jMounts mounts;

    /**
     * An endpoint over the given mounts.
     *
     * @param mounts the mounts to describe
     */
    public Wsgi4jEndpoint(Wsgi4jMounts mounts) {
        this.mounts = mounts;
    }

    /**
     * The read operation ({@code GET /actuator/wsgi4j}).
     *
     * @return every mount with its name, path, servlet mapping, URI template, application class,
     *     where it was declared and its request count so far
     */
    @ReadOperation
    public MountsDescriptor mounts() {
        return new MountsDescriptor(mounts.list().stream()
                .map(mount -> new MountDescriptor(mount.name(), mount.path(), mount.servletMapping(),
                        mount.uriTemplate(), mount.application().getClass().getName(), mount.declaredBy(),
                        mount.requests()))
                .toList());
    }

    /** What {@code GET /actuator/wsgi4j} answers. */
    public record MountsDescriptor(List<MountDescriptor> mounts) implements OperationResponseBody {
    }

    /**
     * One mount.
     *
     * @param name           bean name or {@code wsgi4j.mounts} key
     * @param path           the mount path
     * @param servletMapping its servlet mapping
     * @param uriTemplate    the {@code uri} tag of its requests in {@code http.server.requests}
     * @param application    the application's class
     * @param declaredBy     {@code @Mount("/p") on bean 'name'} or {@code wsgi4j.mounts.name}
     * @param requests       requests since start
     */
    public record MountDescriptor(String name, String path, String servletMapping, String uriTemplate,
            String application, String declaredBy, long requests) {
    }
}
