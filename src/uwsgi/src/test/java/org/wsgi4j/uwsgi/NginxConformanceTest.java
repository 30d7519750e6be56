package org.wsgi4j.uwsgi;

import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.io.TempDir;
import org.wsgi4j.Application;
import org.wsgi4j.conformance.ConformanceSuite;
import org.wsgi4j.conformance.Host;
import org.wsgi4j.conformance.HostMount;
import org.wsgi4j.conformance.Probes;

/**
 * The conformance suite through a real nginx ({@code uwsgi_pass}, configured with the shipped
 * {@code docker/nginx/wsgi4j-uwsgi.conf}) to the uwsgi listener. The probes are mounted twice by
 * {@link org.wsgi4j.middleware.UrlMap} in the listener ({@code /probe} and {@code /}) and reached a
 * third time through nginx locations that set {@code uwsgi_param SCRIPT_NAME}, as the shipped
 * config's comment tells users to mount below a prefix. Subclasses pick the transport between
 * nginx and the listener.
 */
abstract class NginxConformanceTest extends ConformanceSuite {

    /** Static: JUnit fills instance fields only before each test, after the suite has started the host. */
    @TempDir
    static Path dir;

    /** Where the listener listens: a TCP port or a unix socket under {@code dir}. */
    abstract UwsgiConfig.Builder transport(UwsgiConfig.Builder config, Path dir);

    /** The quirks beyond nginx's request buffering, which every transport has. */
    abstract Set<Host.Quirk> transportQuirks();

    @Override
    protected Host startHost() throws Exception {
        NginxFixture.requireBinary();
        Application probes = Probes.application();
        Application mounted = org.wsgi4j.middleware.UrlMap.builder()
                .mount("/probe", probes)
                .mount("/", probes)
                .build();
        UwsgiListener listener = UwsgiListener.start(transport(UwsgiConfig.builder().application(mounted), dir).build());
        NginxFixture nginx;
        try {
            nginx = NginxFixture.start(listener.address(), dir.resolve("nginx"), List.of("/app/", "/caf\u00e9/", "/bare"));
        } catch (Exception | Error e) {
            listener.stop();
            throw e;
        }
        // nginx reads the whole request body before it opens the uwsgi connection (uwsgi_request_buffering).
        // nginx also answers some requests itself: an empty Host, a repeated unique field
        // (Authorization, If-Modified-Since) and the target '*' get 400 before the listener sees them.
        Set<Host.Quirk> quirks = EnumSet.of(Host.Quirk.BUFFERS_REQUEST_BODIES, Host.Quirk.REFUSES_EMPTY_HOST,
                Host.Quirk.REFUSES_REPEATED_UNIQUE_FIELDS, Host.Quirk.OPTIONS_ASTERISK_400);
        quirks.addAll(transportQuirks());
        return Host.of(new InetSocketAddress("127.0.0.1", nginx.httpPort()), List.of(
                HostMount.prefix("UrlMap /probe behind location /", "/probe", "/probe"),
                HostMount.prefix("UrlMap / behind location /", "", ""),
                HostMount.prefix("location /app/ with SCRIPT_NAME /app", "/app", "/app"),
                HostMount.prefix("location /caf\u00e9/ with SCRIPT_NAME /caf\u00e9", "/caf%C3%A9", "/caf\u00e9"),
                // Without the trailing slash nginx also sends /bareple here: E3 refuses it (400).
                HostMount.prefix("location /bare (no trailing '/') with SCRIPT_NAME /bare", "/bare", "/bare"),
                HostMount.exact("UrlMap /probe without path info", "/probe", "/probe", "")),
                quirks, () -> {
                    try {
                        nginx.close();
                    } finally {
                        listener.stop();
                    }
                });
    }
}
