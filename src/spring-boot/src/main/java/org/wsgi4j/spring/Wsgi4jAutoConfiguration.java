package org.wsgi4j.spring;

import jakarta.servlet.Servlet;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnWebApplication;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.web.server.WebServerFactory;
import org.springframework.boot.web.server.WebServerFactoryCustomizer;
import org.springframework.boot.web.servlet.ServletRegistrationBean;
import org.springframework.context.ApplicationContext;
import org.springframework.context.annotation.Bean;
import org.wsgi4j.servlet.GatewayServlet;

/**
 * Auto-configuration of the wsgi4j starter: in a servlet web application, every
 * {@link org.wsgi4j.Application} bean annotated {@link org.wsgi4j.servlet.Mount @Mount} (on its
 * class or its {@code @Bean} method), and every {@code wsgi4j.mounts.<name>} entry, is served at its
 * path by its own {@link GatewayServlet} inside Boot's embedded server, beside the
 * {@code DispatcherServlet}.
 *
 * <p>Boot's embedded Tomcat and Jetty get the settings that keep requests as they arrived
 * ({@link EmbeddedServerSettings}: 100-continue on read, header values as sent).
 *
 * <p>Off with {@code wsgi4j.enabled=false}; absent without the servlet API or wsgi4j-servlet.
 * Mistakes stop the start with a message naming the beans and properties ({@link Wsgi4jMounts}).
 */
@AutoConfiguration
@ConditionalOnWebApplication(type = ConditionalOnWebApplication.Type.SERVLET)
@ConditionalOnClass({Servlet.class, GatewayServlet.class, ServletRegistrationBean.class})
@ConditionalOnProperty(prefix = "wsgi4j", name = "enabled", havingValue = "true", matchIfMissing = true)
@EnableConfigurationProperties(Wsgi4jProperties.class)
public class Wsgi4jAutoConfiguration {

    /**
     * The mounts: {@code @Mount} beans and {@code wsgi4j.mounts.*} entries, checked together.
     *
     * @param context where the {@code @Mount} beans and named Application beans are looked up
     * @param properties the {@code wsgi4j.*} settings
     * @return the mounts, without those a user's own GatewayServlet registration already maps
     * @throws Wsgi4jMountException naming the beans or properties, if two mounts share a path or a
     *     name, a path is not one a servlet mapping can express, an entry names no application or
     *     both a bean and a spec, or a mapping is taken by another servlet (DispatcherServlet)
     */
    @Bean
    public Wsgi4jMounts wsgi4jMounts(ApplicationContext context, Wsgi4jProperties properties) {
        return Wsgi4jMounts.resolve(context, properties);
    }

    /**
     * One {@link org.wsgi4j.servlet.GatewayServlet} registration per mount.
     *
     * @param mounts the mounts to register
     * @param properties the bridge settings, passed to each servlet as init parameters
     * @param customizers applied to each registration, in their {@code @Order}
     * @return the registrations
     * @throws Wsgi4jMountException if {@code wsgi4j.harakiri} is under 1 ms, {@code wsgi4j.limit-post}
     *     is negative, or a {@code wsgi4j.trusted-proxies} entry is not an address block
     */
    @Bean
    public Wsgi4jServletRegistrations wsgi4jServletRegistrations(Wsgi4jMounts mounts, Wsgi4jProperties properties,
            ObjectProvider<Wsgi4jRegistrationCustomizer> customizers) {
        return new Wsgi4jServletRegistrations(mounts, properties, customizers.orderedStream().toList());
    }

    @Bean
    static WebServerFactoryCustomizer<WebServerFactory> wsgi4jEmbeddedServerSettings() {
        return new EmbeddedServerSettings();
    }
}
