package org.wsgi4j.jetty;

import java.net.InetSocketAddress;
import java.util.List;
import java.util.Set;
import org.eclipse.jetty.ee10.servlet.ServletContextHandler;
import org.eclipse.jetty.ee10.servlet.ServletHolder;
import org.eclipse.jetty.server.ConnectionFactory;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.server.handler.ContextHandlerCollection;
import org.wsgi4j.Application;
import org.wsgi4j.conformance.ConformanceSuite;
import org.wsgi4j.conformance.Host;
import org.wsgi4j.conformance.HostMount;
import org.wsgi4j.conformance.Probes;
import org.wsgi4j.servlet.GatewayServlet;

/**
 * The conformance suite on the embedded server: the probes mounted by the builder in the root
 * context (a path and the default mapping), and, through the customizer, in a second context
 * {@code /ctx} under every servlet mapping kind (path, exact, extension, context root, default).
 * The connector listens on 127.0.0.1 and, on the same port, on [::1].
 */
class EmbeddedJettyConformanceTest extends ConformanceSuite {

    @Override
    protected Host startHost() throws Exception {
        Application probes = Probes.application();
        Wsgi4jServer server = Wsgi4jServer.builder()
                .http("127.0.0.1", 0)
                .mount("/probe", probes)
                .mount("/", probes)
                .customizer(jetty -> {
                    ServletContextHandler ctx = new ServletContextHandler("/ctx");
                    for (String mapping : List.of("/p/*", "/exact", "*.x", "", "/")) {
                        ctx.addServlet(new ServletHolder("probes " + mapping, new GatewayServlet(probes)), mapping);
                    }
                    ServletContextHandler cafe = new ServletContextHandler("/caf\u00e9");
                    cafe.addServlet(new ServletHolder("probes in /caf\u00e9", new GatewayServlet(probes)), "/");
                    ContextHandlerCollection contexts = jetty.getDescendant(ContextHandlerCollection.class);
                    contexts.addHandler(ctx);
                    contexts.addHandler(cafe);
                })
                .build()
                .start();
        alsoOnIpv6(server);
        return Host.of(new InetSocketAddress("127.0.0.1", server.port()), List.of(
                HostMount.prefix("path mapping /probe/*", "/probe", "/probe"),
                HostMount.prefix("default mapping /", "", ""),
                HostMount.prefix("path mapping /p/* in /ctx", "/ctx/p", "/ctx/p"),
                HostMount.prefix("default mapping / in /ctx", "/ctx", "/ctx"),
                HostMount.prefix("default mapping / in /caf\u00e9", "/caf%C3%A9", "/caf\u00e9"),
                HostMount.exact("path mapping /probe/* without path info", "/probe", "/probe", ""),
                HostMount.exact("exact mapping /exact in /ctx", "/ctx/exact", "/ctx/exact", ""),
                HostMount.exact("extension mapping *.x in /ctx", "/ctx/dir/page.x", "/ctx", "/dir/page.x"),
                HostMount.exact("context-root mapping in /ctx", "/ctx/", "/ctx", "/")),
                Set.of(Host.Quirk.STRIPS_PATH_PARAMETERS, Host.Quirk.REFUSES_EMPTY_HOST,
                        Host.Quirk.REFUSES_MISMATCHED_AUTHORITY), server::stop);
    }

    /** Listens on the same port on [::1] as well, for E9 over IPv6. */
    static void alsoOnIpv6(Wsgi4jServer server) throws Exception {
        ServerConnector ipv6 = new ServerConnector(server.jetty(), server.jetty().getConnectors()[0].getConnectionFactories()
                .toArray(new ConnectionFactory[0]));
        ipv6.setHost("::1");
        ipv6.setPort(server.port());
        server.jetty().addConnector(ipv6);
        ipv6.start();
    }
}
