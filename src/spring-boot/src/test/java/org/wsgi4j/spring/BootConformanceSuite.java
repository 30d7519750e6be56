package org.wsgi4j.spring;

import static org.assertj.core.api.Assertions.assertThat;

import jakarta.servlet.ServletContext;
import java.net.InetSocketAddress;
import java.util.List;
import java.util.Set;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.wsgi4j.conformance.ConformanceSuite;
import org.wsgi4j.conformance.Host;
import org.wsgi4j.conformance.HostMount;

/**
 * The conformance suite inside a Spring Boot application on Boot's embedded server, in the context
 * {@code /app}: the probes by {@code @Mount("/probe")} on a {@code @Bean} method (a path mapping),
 * and once more by {@code wsgi4j.mounts.root} at {@code /} (the default mapping; Spring MVC moved to
 * {@code /mvc}). Subclasses name the server; the POM puts only that server on the class path.
 */
@SpringBootTest(classes = ProbesApplication.class, webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        properties = {"server.servlet.context-path=/app", "spring.mvc.servlet.path=/mvc",
                "wsgi4j.mounts.root.path=/", "wsgi4j.mounts.root.bean=probes", "spring.main.banner-mode=off"})
abstract class BootConformanceSuite extends ConformanceSuite {

    @LocalServerPort
    private int port;

    @Autowired
    private ServletContext servletContext;

    private final String serverInfoPrefix;
    private final Set<Host.Quirk> quirks;

    /**
     * @param serverInfoPrefix how the server names itself in {@code ServletContext.getServerInfo()}
     * @param quirks           where it legitimately differs: as the standalone host of the same server
     */
    BootConformanceSuite(String serverInfoPrefix, Host.Quirk... quirks) {
        this.serverInfoPrefix = serverInfoPrefix;
        this.quirks = Set.of(quirks);
    }

    @Override
    protected Host startHost() {
        assertThat(servletContext.getServerInfo()).as("the embedded server").startsWith(serverInfoPrefix);
        return Host.of(new InetSocketAddress("127.0.0.1", port), List.of(
                HostMount.prefix("@Mount(\"/probe\") on a @Bean method, in /app", "/app/probe", "/app/probe"),
                HostMount.prefix("wsgi4j.mounts.root: default mapping / in /app", "/app", "/app"),
                HostMount.exact("@Mount(\"/probe\") without path info", "/app/probe", "/app/probe", "")),
                quirks, () -> { });
    }
}
