package org.wsgi4j.jetty;

import java.net.InetSocketAddress;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.wsgi4j.Application;
import org.wsgi4j.conformance.ConformanceSuite;
import org.wsgi4j.conformance.Host;
import org.wsgi4j.conformance.HostMount;
import org.wsgi4j.conformance.Probes;

/** The conformance suite over --https (PEM certificate and key, as uWSGI takes them), HTTP/1.1 by ALPN. */
class EmbeddedJettyTlsConformanceTest extends ConformanceSuite {

    @Override
    protected Host startHost() throws Exception {
        return startHost(Settings.FrontEnd.SERVLET);
    }

    /** The host on {@code frontEnd}; both front ends have the same quirks over TLS. */
    static Host startHost(Settings.FrontEnd frontEnd) throws Exception {
        TestCertificates.pem();
        Application probes = Probes.application();
        Wsgi4jServer server = Wsgi4jServer.builder()
                .set(Settings.FRONT_END, frontEnd)
                .set(Settings.HTTPS, Optional.of(new Settings.Https(new Settings.HostPort("127.0.0.1", 0),
                        TestCertificates.CERT, Optional.of(TestCertificates.KEY))))
                .mount("/probe", probes)
                .mount("/", probes)
                .build()
                .start();
        return Host.of(new InetSocketAddress("127.0.0.1", server.httpsPort()), List.of(
                HostMount.prefix("path mapping /probe/*", "/probe", "/probe"),
                HostMount.prefix("default mapping /", "", ""),
                HostMount.exact("path mapping /probe/* without path info", "/probe", "/probe", "")),
                // Jetty refuses an empty Host on https, where the URI always has an authority (RFC 9110 7.2);
                // over TLS an unread body often has not arrived when Jetty tries to read past it, so it closes.
                Set.of(Host.Quirk.STRIPS_PATH_PARAMETERS, Host.Quirk.REFUSES_EMPTY_HOST,
                        Host.Quirk.MAY_CLOSE_AFTER_UNREAD_BODY, Host.Quirk.REFUSES_MISMATCHED_AUTHORITY),
                server::stop).overTls();
    }
}
