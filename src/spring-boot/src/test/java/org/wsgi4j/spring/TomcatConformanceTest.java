package org.wsgi4j.spring;

/** The conformance suite in Spring Boot on its default server, embedded Tomcat. */
class TomcatConformanceTest extends BootConformanceSuite {

    @Override
    protected String serverInfoPrefix() {
        return "Apache Tomcat/";
    }
}
