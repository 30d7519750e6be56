package org.wsgi4j.spring;

import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.io.Serial;
import org.springframework.util.ClassUtils;
import org.springframework.web.filter.ServerHttpObservationFilter;
import org.wsgi4j.servlet.GatewayServlet;

/**
 * The bridge for one {@link Wsgi4jMount}: counts its requests and names the mount as the URI
 * template of Boot's {@code http.server.requests} observation, then bridges as usual.
 */
final class MountServlet extends GatewayServlet {

    @Serial
    private static final long serialVersionUID = 1L;

    private static final boolean OBSERVED = ClassUtils.isPresent(
            "org.springframework.web.filter.ServerHttpObservationFilter", MountServlet.class.getClassLoader());

    private final transient Wsgi4jMount mount;

    MountServlet(Wsgi4jMount mount) {
        super(mount.application());
        this.mount = mount;
    }

    @Override
    protected void service(HttpServletRequest request, HttpServletResponse response)
            throws ServletException, IOException {
        mount.countRequest();
        if (OBSERVED) {
            ObservationContext.setUriTemplate(request, mount.uriTemplate());
        }
        super.service(request, response);
    }

    /** Apart, so that nothing loads spring-web's classes when it is absent. */
    private static final class ObservationContext {

        // Boot's ServerHttpObservationFilter observes every request of the servlet context; without
        // a path pattern its convention tags the request "UNKNOWN" (or NOT_FOUND), as Spring MVC's
        // handler mappings would otherwise set it.
        static void setUriTemplate(HttpServletRequest request, String template) {
            ServerHttpObservationFilter.findObservationContext(request)
                    .ifPresent(context -> context.setPathPattern(template));
        }
    }
}
