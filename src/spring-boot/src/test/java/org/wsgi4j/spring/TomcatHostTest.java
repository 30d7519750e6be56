package org.wsgi4j.spring;

/** {@link BootHostChecks} on Boot's default server, embedded Tomcat. */
class TomcatHostTest extends BootHostChecks {

    @Override
    protected String serverInfoPrefix() {
        return "Apache Tomcat/";
    }
}
