package org.wsgi4j.spring;

import org.springframework.boot.web.servlet.ServletRegistrationBean;
import org.wsgi4j.servlet.GatewayServlet;

/**
 * Changes the servlet registration of a mount before it is registered: init parameters, load on
 * start-up, multipart configuration, more URL mappings. Every bean of this type is applied to every
 * mount, in {@code @Order}.
 *
 * <pre>{@code
 * @Bean
 * Wsgi4jRegistrationCustomizer uploads() {
 *     return (mount, registration) -> registration.setMultipartConfig(new MultipartConfigElement("/tmp"));
 * }
 * }</pre>
 */
@FunctionalInterface
public interface Wsgi4jRegistrationCustomizer {

    /**
     * @param mount        the mount being registered
     * @param registration its registration: the servlet, named {@code wsgi4j:<name>}, mapped at
     *                     {@link Wsgi4jMount#servletMapping()}, async-supported, loaded on start-up
     */
    void customize(Wsgi4jMount mount, ServletRegistrationBean<GatewayServlet> registration);
}
