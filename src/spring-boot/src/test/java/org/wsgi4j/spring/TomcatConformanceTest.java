package org.wsgi4j.spring;

import java.util.Set;
import org.wsgi4j.conformance.Host;

/** The conformance suite in Spring Boot on its default server, embedded Tomcat. */
class TomcatConformanceTest extends BootConformanceSuite {

    @Override
    protected String serverInfoPrefix() {
        return "Apache Tomcat/";
    }

    @Override
    protected Set<Host.Quirk> quirks() {
        return Set.of(Host.Quirk.STRIPS_PATH_PARAMETERS, Host.Quirk.OPTIONS_ASTERISK_200);
    }
}
