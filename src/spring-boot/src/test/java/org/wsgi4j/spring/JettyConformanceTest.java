package org.wsgi4j.spring;

/** The conformance suite in Spring Boot on embedded Jetty (spring-boot-starter-jetty, Tomcat off the class path). */
class JettyConformanceTest extends BootConformanceSuite {

    @Override
    protected String serverInfoPrefix() {
        return "jetty/";
    }
}
