package org.wsgi4j.spring;

import jakarta.servlet.ServletContext;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletRegistration;
import java.math.BigDecimal;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.springframework.boot.web.servlet.ServletContextInitializer;
import org.springframework.boot.web.servlet.ServletRegistrationBean;
import org.springframework.util.unit.DataSize;
import org.wsgi4j.middleware.ProxyHeaders;
import org.wsgi4j.servlet.GatewayServlet;

/**
 * One {@link ServletRegistrationBean} per {@link Wsgi4jMount}, each with its own
 * {@link GatewayServlet}, customized by the {@link Wsgi4jRegistrationCustomizer} beans, and
 * registered when Boot's embedded server starts the servlet context.
 *
 * <p>Each registration is named {@code wsgi4j:<mount name>}, mapped at
 * {@link Wsgi4jMount#servletMapping()}, async-supported and loaded on start-up, with the init
 * parameters of {@link #bridgeParameters}: {@value GatewayServlet#DEBUG_PARAM} from {@code wsgi4j.debug}
 * and, when set, {@value GatewayServlet#HARAKIRI_PARAM} from {@code wsgi4j.harakiri},
 * {@value GatewayServlet#LIMIT_POST_PARAM} from {@code wsgi4j.limit-post} and
 * {@value GatewayServlet#TRUSTED_PROXY_PARAM} from {@code wsgi4j.trusted-proxies}. If the container does not map the
 * servlet where it should (another servlet, not a Spring bean, took the mapping), the start fails
 * naming both.
 */
public final class Wsgi4jServletRegistrations implements ServletContextInitializer {

    /** The prefix of every servlet name the starter registers. */
    public static final String SERVLET_NAME_PREFIX = "wsgi4j:";

    private static final Log LOG = LogFactory.getLog(Wsgi4jServletRegistrations.class);

    private final List<Wsgi4jMount> mounts;
    private final List<ServletRegistrationBean<GatewayServlet>> registrations = new ArrayList<>();

    Wsgi4jServletRegistrations(Wsgi4jMounts mounts, Wsgi4jProperties properties,
                               List<Wsgi4jRegistrationCustomizer> customizers) {
        this.mounts = mounts.list();
        Map<String, String> bridge = bridgeParameters(properties);
        for (Wsgi4jMount mount : this.mounts) {
            ServletRegistrationBean<GatewayServlet> registration =
                    new ServletRegistrationBean<>(new MountServlet(mount), mount.servletMapping());
            registration.setName(SERVLET_NAME_PREFIX + mount.name());
            registration.setAsyncSupported(true);
            registration.setLoadOnStartup(1);
            bridge.forEach(registration::addInitParameter);
            customizers.forEach(customizer -> customizer.customize(mount, registration));
            registrations.add(registration);
        }
    }

    /**
     * The {@link GatewayServlet} init parameters every mount gets from the {@code wsgi4j.*} bridge
     * settings; an unset setting gives no parameter, so the bridge's default applies.
     *
     * @throws Wsgi4jMountException naming the property when a value cannot be served: a harakiri
     *         under 1 ms (the bridge counts milliseconds), a negative limit-post, a trusted proxy that
     *         is not an address or CIDR block
     */
    static Map<String, String> bridgeParameters(Wsgi4jProperties properties) {
        Map<String, String> parameters = new LinkedHashMap<>();
        parameters.put(GatewayServlet.DEBUG_PARAM, Boolean.toString(properties.isDebug()));
        Duration harakiri = properties.getHarakiri();
        if (harakiri != null) {
            if (harakiri.toMillis() < 1) {
                throw new Wsgi4jMountException("wsgi4j.harakiri is " + harakiri + ", below the bridge's 1 ms resolution",
                        "Set wsgi4j.harakiri to a positive duration such as 30s, or remove it for no request timeout.");
            }
            parameters.put(GatewayServlet.HARAKIRI_PARAM, new BigDecimal(harakiri.getSeconds())
                    .add(BigDecimal.valueOf(harakiri.getNano(), 9)).stripTrailingZeros().toPlainString());
        }
        DataSize limitPost = properties.getLimitPost();
        if (limitPost != null) {
            if (limitPost.isNegative()) {
                throw new Wsgi4jMountException("wsgi4j.limit-post is negative (" + limitPost + ")",
                        "Set wsgi4j.limit-post to a size such as 64MB, or remove it for no body limit.");
            }
            parameters.put(GatewayServlet.LIMIT_POST_PARAM, Long.toString(limitPost.toBytes()));
        }
        List<String> trusted = properties.getTrustedProxies();
        if (trusted != null) {
            try {
                ProxyHeaders.wrap((environ, startResponse) -> List.of(), trusted);
            } catch (IllegalArgumentException e) {
                throw new Wsgi4jMountException("wsgi4j.trusted-proxies: " + e.getMessage(),
                        "List addresses or CIDR blocks such as 10.0.0.0/8,::1 in wsgi4j.trusted-proxies.", e);
            }
            parameters.put(GatewayServlet.TRUSTED_PROXY_PARAM, String.join(",", trusted));
        }
        return parameters;
    }

    /**
     * The registrations made for the mounts.
     *
     * @return one per mount, in the order of {@link Wsgi4jMounts#list()}; unmodifiable
     */
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
