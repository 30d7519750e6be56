package org.wsgi4j.spring;

import jakarta.servlet.ServletContext;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletRegistration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.springframework.boot.web.servlet.ServletContextInitializer;
import org.springframework.boot.web.servlet.ServletRegistrationBean;
import org.wsgi4j.servlet.GatewayServlet;

/**
 * One {@link ServletRegistrationBean} per {@link Wsgi4jMount}, each with its own
 * {@link GatewayServlet}, customized by the {@link Wsgi4jRegistrationCustomizer} beans, and
 * registered when Boot's embedded server starts the servlet context.
 *
 * <p>Each registration is named {@code wsgi4j:<mount name>}, mapped at
 * {@link Wsgi4jMount#servletMapping()}, async-supported and loaded on start-up; the init parameter
 * {@value GatewayServlet#DEBUG_PARAM} is {@code wsgi4j.debug}. If the container does not map the
 * servlet where it should (another servlet, not a Spring bean, took the mapping), the start fails
 * naming both.
 */
public final class Wsgi4jServletRegistrations implements ServletContextInitializer {

    /** The prefix of every servlet name the starter registers. */
    public static final String SERVLET_NAME_PREFIX = "wsgi4j:";

    private static final Log LOG = LogFactory.getLog(Wsgi4jServletRegistrations.class);

    private final List<Wsgi4jMount> mounts;
    private final List<ServletRegistrationBean<GatewayServlet>> registrations = new ArrayList<>();

    Wsgi4jServletRegistrations(Wsgi4jMounts mounts, boolean debug, List<Wsgi4jRegistrationCustomizer> customizers) {
        this.mounts = mounts.list();
        for (Wsgi4jMount mount : this.mounts) {
            ServletRegistrationBean<GatewayServlet> registration =
                    new ServletRegistrationBean<>(new MountServlet(mount), mount.servletMapping());
            registration.setName(SERVLET_NAME_PREFIX + mount.name());
            registration.setAsyncSupported(true);
            registration.setLoadOnStartup(1);
            registration.addInitParameter(GatewayServlet.DEBUG_PARAM, Boolean.toString(debug));
            customizers.forEach(customizer -> customizer.customize(mount, registration));
            registrations.add(registration);
        }
    }

    /** The registrations, one per mount, in the order of {@link Wsgi4jMounts#list()}. */
    public List<ServletRegistrationBean<GatewayServlet>> registrations() {
        return List.copyOf(registrations);
    }

    @Override
    public void onStartup(ServletContext servletContext) throws ServletException {
        for (int i = 0; i < registrations.size(); i++) {
            ServletRegistrationBean<GatewayServlet> registration = registrations.get(i);
            registration.onStartup(servletContext);
            ServletRegistration registered = servletContext.getServletRegistration(registration.getServletName());
            for (String mapping : registration.getUrlMappings()) {
                if (registered == null || !registered.getMappings().contains(mapping)) {
                    throw new ServletException("wsgi4j: servlet '" + registration.getServletName() + "' could not be mapped at '"
                            + mapping + "': " + holderOf(servletContext, mapping) + " maps it");
                }
            }
            Wsgi4jMount mount = mounts.get(i);
            LOG.info("wsgi4j: serving " + mount.application().getClass().getName() + " at " + mount.path()
                    + " (" + mount.declaredBy() + ", servlet '" + registration.getServletName() + "' mapped at "
                    + registration.getUrlMappings() + ")");
        }
    }

    private static String holderOf(ServletContext servletContext, String mapping) {
        for (Map.Entry<String, ? extends ServletRegistration> entry : servletContext.getServletRegistrations().entrySet()) {
            if (entry.getValue().getMappings().contains(mapping)) {
                return "servlet '" + entry.getKey() + "' (" + entry.getValue().getClassName() + ")";
            }
        }
        return "another servlet";
    }
}
