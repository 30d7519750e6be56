package org.wsgi4j.spring;

/** {@link BootHostChecks} on embedded Jetty (spring-boot-starter-jetty, Tomcat off the class path). */
class JettyHostTest extends BootHostChecks {

    @Override
    protected String serverInfoPrefix() {
        return "jetty/";
    }
}
