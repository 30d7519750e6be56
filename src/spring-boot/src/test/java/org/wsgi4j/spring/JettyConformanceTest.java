package org.wsgi4j.spring;

import java.util.Set;
import org.wsgi4j.conformance.Host;

/** The conformance suite in Spring Boot on embedded Jetty (spring-boot-starter-jetty, Tomcat off the class path). */
class JettyConformanceTest extends BootConformanceSuite {

    @Override
    protected String serverInfoPrefix() {
        return "jetty/";
    }

    @Override
    protected Set<Host.Quirk> quirks() {
        return Set.of(Host.Quirk.STRIPS_PATH_PARAMETERS, Host.Quirk.REFUSES_EMPTY_HOST);
    }
}
