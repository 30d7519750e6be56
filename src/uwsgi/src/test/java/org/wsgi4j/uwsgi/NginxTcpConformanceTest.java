package org.wsgi4j.uwsgi;

import java.nio.file.Path;
import java.util.Set;
import org.wsgi4j.conformance.Host;

/** The conformance suite through nginx to the listener on a loopback TCP port. */
class NginxTcpConformanceTest extends NginxConformanceTest {

    @Override
    UwsgiConfig.Builder transport(UwsgiConfig.Builder config, Path dir) {
        return config.tcp("127.0.0.1", 0);
    }

    @Override
    Set<Host.Quirk> transportQuirks() {
        return Set.of();
    }
}
