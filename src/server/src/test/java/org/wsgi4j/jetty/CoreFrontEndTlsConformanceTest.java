package org.wsgi4j.jetty;

import org.wsgi4j.conformance.ConformanceSuite;
import org.wsgi4j.conformance.Host;

/** The conformance suite over --https with {@code --front-end core}: the mounts and quirks of the servlet front end's. */
class CoreFrontEndTlsConformanceTest extends ConformanceSuite {

    @Override
    protected Host startHost() throws Exception {
        return EmbeddedJettyTlsConformanceTest.startHost(Settings.FrontEnd.CORE);
    }
}
