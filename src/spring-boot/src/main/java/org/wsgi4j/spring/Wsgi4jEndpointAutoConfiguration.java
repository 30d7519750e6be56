package org.wsgi4j.spring;

import org.springframework.boot.actuate.autoconfigure.endpoint.condition.ConditionalOnAvailableEndpoint;
import org.springframework.boot.actuate.endpoint.annotation.Endpoint;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.context.annotation.Bean;

/** Auto-configuration of the {@link Wsgi4jEndpoint} when Actuator is present and the endpoint is available. */
@AutoConfiguration(after = Wsgi4jAutoConfiguration.class)
@ConditionalOnClass({Endpoint.class, ConditionalOnAvailableEndpoint.class})
@ConditionalOnBean(Wsgi4jMounts.class)
@ConditionalOnAvailableEndpoint(Wsgi4jEndpoint.class)
public class Wsgi4jEndpointAutoConfiguration {

    /**
     * The {@code wsgi4j} endpoint, unless the application declares its own.
     *
     * @param mounts the mounts it lists
     * @return the endpoint
     */
    @Bean
    @ConditionalOnMissingBean
    public Wsgi4jEndpoint wsgi4jEndpoint(Wsgi4jMounts mounts) {
        return new Wsgi4jEndpoint(mounts);
    }
}
