package org.wsgi4j.spring;

import org.wsgi4j.conformance.Host;

/** The conformance suite in Spring Boot on its default server, embedded Tomcat. */
class TomcatConformanceTest extends BootConformanceSuite {

    TomcatConformanceTest() {
        super("Apache Tomcat/", Host.Quirk.STRIPS_PATH_PARAMETERS, Host.Quirk.OPTIONS_ASTERISK_200,
                Host.Quirk.REFUSES_MISMATCHED_AUTHORITY);
    }
}
