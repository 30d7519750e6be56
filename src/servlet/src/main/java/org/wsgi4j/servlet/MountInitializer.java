package org.wsgi4j.servlet;

import jakarta.servlet.ServletContainerInitializer;
import jakarta.servlet.ServletContext;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletRegistration;
import jakarta.servlet.annotation.HandlesTypes;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.wsgi4j.Application;
import org.wsgi4j.Applications;

/**
 * Zero-configuration mounting: the container hands this initializer every class annotated with
 * {@link Mount} ({@code @HandlesTypes}), and it registers one async-supported
 * {@link GatewayServlet} per class, loaded on start-up so that a broken application stops the
 * deployment instead of failing its first request.
 *
 * <p>Deployment fails with a {@link ServletException} naming the class when: the class does not
 * implement {@link Application} or cannot be instantiated; the path does not start with
 * {@code /} or ends with one; two classes claim one path; or the mapping is already taken (for
 * example by {@code web.xml}).
 *
 * <p>It also loads the application of every {@link GatewayServlet} declared in {@code web.xml}
 * (its {@value GatewayServlet#APPLICATION_PARAM} init parameter) and fails the deployment with
 * {@code GatewayServlet}'s sentence when one cannot be loaded: a container initialises a servlet
 * without {@code load-on-startup} only at its first request, and Tomcat keeps a context running
 * whose servlet failed {@code init} even with it. The servlet then serves the application loaded
 * here, so each is loaded once.
 */
@HandlesTypes(Mount.class)
public final class MountInitializer implements ServletContainerInitializer {

    @Override
    public void onStartup(Set<Class<?>> classes, ServletContext context) throws ServletException {
        loadDeclaredApplications(context);
        if (classes == null || classes.isEmpty()) {
            return;
        }
        Map<String, Class<?>> byPath = new HashMap<>();
        List<Class<?>> sorted = classes.stream()
                .filter(c -> c.isAnnotationPresent(Mount.class))
                .sorted(Comparator.comparing(Class::getName))
                .toList();
        for (Class<?> type : sorted) {
            String path = type.getAnnotation(Mount.class).value();
            String mapping;
            try {
                mapping = servletMapping(path);
            } catch (IllegalArgumentException e) {
                throw new ServletException("@Mount(\"" + path + "\") on " + type.getName() + ": " + e.getMessage());
            }
            Class<?> other = byPath.putIfAbsent(path, type);
            if (other != null) {
                throw new ServletException("@Mount(\"" + path + "\") is on both " + other.getName() + " and "
                        + type.getName());
            }
            Application application;
            try {
                application = Applications.load(type.getName(), type.getClassLoader());
            } catch (IllegalArgumentException e) {
                throw new ServletException("@Mount(\"" + path + "\") on " + type.getName() + ": " + e.getMessage(), e);
            }
            String name = "wsgi4j:" + path;
            ServletRegistration.Dynamic registration = context.addServlet(name, new GatewayServlet(application));
            if (registration == null) {
                throw new ServletException("@Mount(\"" + path + "\") on " + type.getName()
                        + ": a servlet named '" + name + "' is already registered");
            }
            registration.setAsyncSupported(true);
            registration.setLoadOnStartup(1);
            Set<String> conflicts = registration.addMapping(mapping);
            if (!conflicts.isEmpty()) {
                throw new ServletException("@Mount(\"" + path + "\") on " + type.getName() + ": the mapping "
                        + mapping + " is already taken by another servlet (web.xml?)");
            }
            context.log("wsgi4j: mounted " + type.getName() + " at " + path);
        }
    }

    /** The web.xml half: every GatewayServlet's application, loaded now or the deployment fails. */
    private static void loadDeclaredApplications(ServletContext context) throws ServletException {
        for (ServletRegistration registration : context.getServletRegistrations().values()) {
            if (!GatewayServlet.class.getName().equals(registration.getClassName())) {
                continue;
            }
            String name = registration.getName();
            Application application = GatewayServlet.load(name,
                    registration.getInitParameter(GatewayServlet.APPLICATION_PARAM), context.getClassLoader());
            context.setAttribute(GatewayServlet.preloadedAttribute(name), application);
        }
    }

    /**
     * The servlet mapping that serves a mount path, the one rule every servlet host of wsgi4j
     * follows: {@code "/"} becomes the default mapping {@code "/"} (SCRIPT_NAME is the context
     * path), any other path {@code "/p"} the path mapping {@code "/p/*"} (SCRIPT_NAME is the
     * context path + {@code "/p"}; SPEC E2, E3).
     *
     * @param path a mount path: {@code "/"}, or starting with {@code /} and not ending with one (SPEC M1)
     * @return the servlet mapping
     * @throws IllegalArgumentException naming the path when it breaks M1 or contains {@code *}
     *                                  (which would turn it into another kind of mapping)
     */
    public static String servletMapping(String path) {
        org.wsgi4j.middleware.UrlMap.checkPrefix(path);
        if (path.contains("*")) {
            throw new IllegalArgumentException("path '" + path + "' must be plain; '*' would change the servlet mapping");
        }
        return path.equals("/") ? "/" : path + "/*";
    }
}
