package org.wsgi4j.jetty;

import java.net.InetSocketAddress;
import java.util.List;
import java.util.Set;
import org.wsgi4j.Application;
import org.wsgi4j.conformance.ConformanceSuite;
import org.wsgi4j.conformance.Host;
import org.wsgi4j.conformance.HostMount;
import org.wsgi4j.conformance.Probes;

/**
 * The conformance suite on the embedded server with {@code --front-end core}: the probes mounted
 * by the builder at the prefixes {@link EmbeddedJettyConformanceTest} reaches through servlet
 * mappings ({@code /probe}, {@code /}, {@code /ctx/p}, {@code /ctx}, {@code /café}), with the same
 * quirks, since both front ends must give the same environ. The servlet-only mapping kinds (exact,
 * extension, context root) have no counterpart; a prefix without and with a trailing slash stands in.
 * The connector listens on 127.0.0.1 and, on the same port, on [::1].
 */
class CoreFrontEndConformanceTest extends ConformanceSuite {

    @Override
    protected Host startHost() throws Exception {
        return startHost(false);
    }

    /** The host, with the applications on Jetty's selector thread when {@code nonBlocking} ({@code --non-blocking}). */
    static Host startHost(boolean nonBlocking) throws Exception {
        Application probes = Probes.application();
        Wsgi4jServer server = Wsgi4jServer.builder()
                .set(Settings.FRONT_END, Settings.FrontEnd.CORE)
                .set(Settings.NON_BLOCKING, nonBlocking)
                .http("127.0.0.1", 0)
                .mount("/probe", probes)
                .mount("/", probes)
                .mount("/ctx/p", probes)
                .mount("/ctx", probes)
                .mount("/caf\u00e9", probes)
                .build()
                .start();
        EmbeddedJettyConformanceTest.alsoOnIpv6(server);
        return Host.of(new InetSocketAddress("127.0.0.1", server.port()), List.of(
                HostMount.prefix("prefix /probe", "/probe", "/probe"),
                HostMount.prefix("prefix /", "", ""),
                HostMount.prefix("prefix /ctx/p", "/ctx/p", "/ctx/p"),
                HostMount.prefix("prefix /ctx", "/ctx", "/ctx"),
                HostMount.prefix("prefix /caf\u00e9", "/caf%C3%A9", "/caf\u00e9"),
                HostMount.exact("prefix /probe without path info", "/probe", "/probe", ""),
                HostMount.exact("prefix /ctx with path info /", "/ctx/", "/ctx", "/")),
                nonBlocking ? Set.of(Host.Quirk.STRIPS_PATH_PARAMETERS, Host.Quirk.REFUSES_EMPTY_HOST,
                        Host.Quirk.REFUSES_MISMATCHED_AUTHORITY, Host.Quirk.BLOCKING_NEEDS_A_BODY)
                        : Set.of(Host.Quirk.STRIPS_PATH_PARAMETERS, Host.Quirk.REFUSES_EMPTY_HOST,
                        Host.Quirk.REFUSES_MISMATCHED_AUTHORITY), server::stop);
    }
}
