package org.wsgi4j.uwsgi;

import java.nio.file.Path;
import java.util.Set;
import org.wsgi4j.conformance.Host;

/** The conformance suite through nginx to the listener on a unix socket. */
class NginxUnixConformanceTest extends NginxConformanceTest {

    @Override
    UwsgiConfig.Builder transport(UwsgiConfig.Builder config, Path dir) {
        return config.unixSocket(dir.resolve("wsgi4j.sock"));
    }

    /** A unix socket has no reset, so nginx cannot tell an aborted close-delimited body from a whole one. */
    @Override
    Set<Host.Quirk> transportQuirks() {
        return Set.of(Host.Quirk.ABORT_WITHOUT_LENGTH_LOOKS_COMPLETE);
    }
}
