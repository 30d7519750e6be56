/**
 * wsgi4j-server: wsgi4j on embedded Jetty 12 ({@code org.wsgi4j.jetty}): the builder, its
 * configuration record and the command line. The raw Jetty {@code Server} is part of the API (the
 * customizer), so Jetty's server module comes with it.
 */
module org.wsgi4j.jetty {
    requires transitive org.wsgi4j.servlet;
    requires transitive org.wsgi4j.uwsgi;
    requires transitive org.eclipse.jetty.server;
    requires org.eclipse.jetty.ee10.servlet;
    requires org.eclipse.jetty.ee10.webapp;
    // Scans WARs for @HandlesTypes, so wsgi4j-servlet's MountInitializer finds @Mount classes.
    requires org.eclipse.jetty.ee10.annotations;
    // --https (HTTP/2 chosen by ALPN) and --http2c.
    requires org.eclipse.jetty.http2.server;
    requires org.eclipse.jetty.alpn.server;
    // The stats server: JSON through Jackson, Prometheus text through Micrometer.
    requires com.fasterxml.jackson.databind;
    requires micrometer.core;
    requires micrometer.registry.prometheus;

    exports org.wsgi4j.jetty;
}
