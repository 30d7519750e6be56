package org.wsgi4j.spring;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.springframework.beans.factory.BeanNotOfRequiredTypeException;
import org.springframework.beans.factory.NoSuchBeanDefinitionException;
import org.springframework.boot.web.servlet.ServletRegistrationBean;
import org.springframework.context.ApplicationContext;
import org.springframework.core.annotation.AnnotationUtils;
import org.springframework.util.StringUtils;
import org.wsgi4j.Application;
import org.wsgi4j.Applications;
import org.wsgi4j.servlet.GatewayServlet;
import org.wsgi4j.servlet.Mount;

/**
 * Every application the starter serves, resolved once at start-up from the {@link Mount @Mount}
 * beans and the {@code wsgi4j.mounts.*} properties, in that order.
 *
 * <p>Resolving fails the start with a {@link Wsgi4jMountException} naming the beans and
 * properties involved when: a path is not {@code "/"} or does not start with {@code /} or ends
 * with one (SPEC M1); {@code @Mount} sits on a bean that is not an {@link Application}; a
 * {@code wsgi4j.mounts} entry lacks its path, or has both or neither of {@code bean} and
 * {@code application}, or names a bean or spec that cannot be had; two mounts share a path or a
 * name; or a mount's servlet mapping is already mapped by another servlet registration bean (the
 * {@code DispatcherServlet}'s included). A {@code ServletRegistrationBean} of the user's own whose
 * servlet is a {@link GatewayServlet} and that maps a mount's mapping wins: that mount is left out.
 */
public final class Wsgi4jMounts {

    private static final Log LOG = LogFactory.getLog(Wsgi4jMounts.class);

    private final List<Wsgi4jMount> mounts;

    private Wsgi4jMounts(List<Wsgi4jMount> mounts) {
        this.mounts = List.copyOf(mounts);
    }

    /**
     * Every mount.
     *
     * @return {@code @Mount} beans first (in bean definition order), then {@code wsgi4j.mounts}
     *     entries (in property order); unmodifiable
     */
    public List<Wsgi4jMount> list() {
        return mounts;
    }

    /**
     * The mount with the given name.
     *
     * @param name a bean name or a {@code wsgi4j.mounts} key
     * @return the mount, or empty if none has that name
     */
    public Optional<Wsgi4jMount> find(String name) {
        return mounts.stream().filter(mount -> mount.name().equals(name)).findFirst();
    }

    static Wsgi4jMounts resolve(ApplicationContext context, Wsgi4jProperties properties) {
        List<Wsgi4jMount> declared = new ArrayList<>();
        Set<String> beanNames = new LinkedHashSet<>(List.of(context.getBeanNamesForType(Application.class)));
        beanNames.addAll(List.of(context.getBeanNamesForAnnotation(Mount.class)));
        for (String beanName : beanNames) {
            Mount mount = findMount(context, beanName);
            if (mount == null) {
                continue;
            }
            String path = mount.value();
            String declaredBy = "@Mount(\"" + path + "\") on bean '" + beanName + "'";
            if (!context.isTypeMatch(beanName, Application.class)) {
                throw new Wsgi4jMountException(declaredBy + ": the bean is a " + context.getType(beanName) + ", not an "
                        + Application.class.getName(), "Put @Mount only on Application beans and their @Bean methods.");
            }
            checkPath(path, declaredBy);
            declared.add(new Wsgi4jMount(beanName, path, context.getBean(beanName, Application.class), declaredBy));
        }
        properties.getMounts().forEach((name, entry) -> declared.add(fromProperties(context, name, entry)));
        return new Wsgi4jMounts(withoutUserRegistrations(context, unique(declared)));
    }

    /**
     * {@code @Mount} on the bean's {@code @Bean} method or its declared type; failing both, on the
     * class of the singleton itself, for a {@code @Bean} method declared to return plain
     * {@code Application}.
     */
    private static Mount findMount(ApplicationContext context, String beanName) {
        Mount mount = context.findAnnotationOnBean(beanName, Mount.class);
        if (mount == null && context.isSingleton(beanName) && context.isTypeMatch(beanName, Application.class)) {
            mount = AnnotationUtils.findAnnotation(context.getBean(beanName).getClass(), Mount.class);
        }
        return mount;
    }

    private static Wsgi4jMount fromProperties(ApplicationContext context, String name, Wsgi4jProperties.MountProperties entry) {
        String key = "wsgi4j.mounts." + name;
        if (!StringUtils.hasText(entry.getPath())) {
            throw new Wsgi4jMountException(key + ".path is not set", "Set " + key + ".path, e.g. /" + name + ".");
        }
        boolean byBean = StringUtils.hasText(entry.getBean());
        boolean bySpec = StringUtils.hasText(entry.getApplication());
        if (byBean == bySpec) {
            throw new Wsgi4jMountException(key + " needs exactly one of " + key + ".bean and " + key + ".application"
                    + (byBean ? ", not both" : ""), "Name an Application bean in " + key + ".bean, or a spec such as "
                    + "com.example.Apps::app in " + key + ".application.");
        }
        checkPath(entry.getPath(), key + ".path");
        Application application;
        if (byBean) {
            try {
                application = context.getBean(entry.getBean(), Application.class);
            } catch (BeanNotOfRequiredTypeException e) {
                throw new Wsgi4jMountException(key + ".bean: bean '" + entry.getBean() + "' is a "
                        + e.getActualType().getName() + ", not an " + Application.class.getName(),
                        "Name an Application bean in " + key + ".bean.", e);
            } catch (NoSuchBeanDefinitionException e) {
                throw new Wsgi4jMountException(key + ".bean: there is no bean named '" + entry.getBean() + "'",
                        "Name an Application bean in " + key + ".bean.", e);
            }
        } else {
            try {
                application = Applications.load(entry.getApplication(), context.getClassLoader());
            } catch (IllegalArgumentException e) {
                throw new Wsgi4jMountException(key + ".application: " + e.getMessage(), "Give " + key + ".application "
                        + "a public Application class with a public no-argument constructor, or Class::member naming "
                        + "a public static field or no-argument method returning one.", e);
            }
        }
        return new Wsgi4jMount(name, entry.getPath(), application, key);
    }

    private static void checkPath(String path, String declaredBy) {
        try {
            org.wsgi4j.servlet.MountInitializer.servletMapping(path);
        } catch (IllegalArgumentException e) {
            throw new Wsgi4jMountException(declaredBy + ": " + e.getMessage(),
                    "Use '/' or a plain path that starts with '/' and does not end with one, e.g. '/api'.", e);
        }
    }

    private static List<Wsgi4jMount> unique(List<Wsgi4jMount> declared) {
        Map<String, Wsgi4jMount> byPath = new LinkedHashMap<>();
        Map<String, Wsgi4jMount> byName = new LinkedHashMap<>();
        for (Wsgi4jMount mount : declared) {
            Wsgi4jMount samePath = byPath.putIfAbsent(mount.path(), mount);
            if (samePath != null) {
                throw new Wsgi4jMountException("two applications on path '" + mount.path() + "': "
                        + samePath.declaredBy() + " and " + mount.declaredBy(), "Give each application its own path.");
            }
            Wsgi4jMount sameName = byName.putIfAbsent(mount.name(), mount);
            if (sameName != null) {
                throw new Wsgi4jMountException("two mounts named '" + mount.name() + "': " + sameName.declaredBy()
                        + " and " + mount.declaredBy(), "Rename the wsgi4j.mounts entry.");
            }
        }
        return declared;
    }

    private static List<Wsgi4jMount> withoutUserRegistrations(ApplicationContext context, List<Wsgi4jMount> declared) {
        Map<String, ?> registrations = context.getBeansOfType(ServletRegistrationBean.class);
        List<Wsgi4jMount> kept = new ArrayList<>();
        for (Wsgi4jMount mount : declared) {
            String owner = null;
            for (Map.Entry<String, ?> entry : registrations.entrySet()) {
                ServletRegistrationBean<?> registration = (ServletRegistrationBean<?>) entry.getValue();
                if (!registration.getUrlMappings().contains(mount.servletMapping())) {
                    continue;
                }
                if (!(registration.getServlet() instanceof GatewayServlet)) {
                    throw new Wsgi4jMountException(mount.declaredBy() + " maps '" + mount.servletMapping()
                            + "', which servlet registration bean '" + entry.getKey() + "' (servlet '"
                            + registration.getServletName() + "') already maps", action(registration));
                }
                owner = entry.getKey();
            }
            if (owner == null) {
                kept.add(mount);
            } else {
                LOG.info("wsgi4j: " + mount.declaredBy() + " is left to servlet registration bean '" + owner + "', which maps '"
                        + mount.servletMapping() + "' with a GatewayServlet of its own");
            }
        }
        return kept;
    }

    private static String action(ServletRegistrationBean<?> registration) {
        Object servlet = registration.getServlet();
        if (servlet != null && servlet.getClass().getName().equals("org.springframework.web.servlet.DispatcherServlet")) {
            return "Mount the application at another path, or move Spring MVC aside with spring.mvc.servlet.path "
                    + "(e.g. /mvc).";
        }
        return "Mount the application at another path, or map that servlet elsewhere.";
    }
}
