package org.wsgi4j.spring;

import org.wsgi4j.conformance.Host;

/** The conformance suite in Spring Boot on embedded Jetty (spring-boot-starter-jetty, Tomcat off the class path). */
class JettyConformanceTest extends BootConformanceSuite {

    JettyConformanceTest() {
        super("jetty/", Host.Quirk.STRIPS_PATH_PARAMETERS, Host.Quirk.REFUSES_EMPTY_HOST,
                Host.Quirk.REFUSES_MISMATCHED_AUTHORITY);
    }
}
