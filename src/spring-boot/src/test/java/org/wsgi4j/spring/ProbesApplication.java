package org.wsgi4j.spring;

import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.context.annotation.Bean;
import org.wsgi4j.Application;
import org.wsgi4j.conformance.Probes;
import org.wsgi4j.servlet.Mount;

/**
 * The conformance probes in a Boot application: by {@code @Mount} on a {@code @Bean} method at
 * {@code /probe}, and by {@code wsgi4j.mounts.root} at {@code /} (see {@link BootConformanceSuite}).
 */
@SpringBootConfiguration(proxyBeanMethods = false)
@EnableAutoConfiguration
class ProbesApplication {

    @Bean
    @Mount("/probe")
    Application probes() {
        return Probes.application();
    }
}
