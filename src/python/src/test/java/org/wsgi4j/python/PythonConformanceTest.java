package org.wsgi4j.python;

import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.eclipse.jetty.server.ConnectionFactory;
import org.eclipse.jetty.server.ServerConnector;
import org.wsgi4j.Application;
import org.wsgi4j.conformance.ConformanceSuite;
import org.wsgi4j.conformance.Host;
import org.wsgi4j.conformance.HostMount;
import org.wsgi4j.jetty.Wsgi4jServer;

/**
 * The whole conformance suite against the probes written in Python ({@code conformance_probes.py})
 * on the embedded server: every rule the Java probes are held to holds through the Python gateway.
 * The probe reports its environ in the suite's terms (see its docstring), so the environ tests check
 * that PEP 3333's form of each value converts back to exactly what wsgi4j gave.
 */
class PythonConformanceTest extends ConformanceSuite {

    private PythonApplication python;

    @Override
    protected Host startHost() throws Exception {
        // Three contexts: a stream waiting at its gate, the request that releases it, and a /closed query.
        python = PythonApplication.builder("conformance_probes:application").pythonPath(TestApps.python())
                .contexts(3).contextWait(Duration.ofSeconds(30)).build();
        Registry registry = new Registry();
        Application probes = (environ, startResponse) -> {
            environ.put("wsgi4j.test.registry", registry);
            return python.call(environ, startResponse);
        };
        Wsgi4jServer server = Wsgi4jServer.builder().http("127.0.0.1", 0).mount("/probe", probes).mount("/", probes)
                .build().start();
        // The same port on [::1] as well, for E9 over IPv6, as the Java probes' embedded host has.
        ServerConnector ipv6 = new ServerConnector(server.jetty(), server.jetty().getConnectors()[0]
                .getConnectionFactories().toArray(new ConnectionFactory[0]));
        ipv6.setHost("::1");
        ipv6.setPort(server.port());
        server.jetty().addConnector(ipv6);
        ipv6.start();
        return Host.of(new InetSocketAddress("127.0.0.1", server.port()), List.of(
                HostMount.prefix("path mapping /probe/*", "/probe", "/probe"),
                HostMount.prefix("default mapping /", "", ""),
                HostMount.exact("path mapping /probe/* without path info", "/probe", "/probe", "")),
                // Embedded Jetty's quirks, as EmbeddedJettyConformanceTest declares them.
                Set.of(Host.Quirk.STRIPS_PATH_PARAMETERS, Host.Quirk.REFUSES_EMPTY_HOST,
                        Host.Quirk.REFUSES_MISMATCHED_AUTHORITY), () -> {
                    server.stop();
                    python.close();
                });
    }

    /**
     * The probes' state across requests (each may run in another interpreter): stream gates and
     * close() counts, as org.wsgi4j.conformance.probes keeps them for the Java probes. Called from
     * Python through the environ.
     */
    public static final class Registry {

        private final Map<String, Semaphore> gates = new ConcurrentHashMap<>();
        private final Map<String, AtomicInteger> closes = new ConcurrentHashMap<>();
        private final Map<String, CountDownLatch> firstClose = new ConcurrentHashMap<>();

        public void release(String gate) {
            gates.computeIfAbsent(gate, key -> new Semaphore(0)).release();
        }

        public boolean passGate(String gate, int seconds) throws InterruptedException {
            return gates.computeIfAbsent(gate, key -> new Semaphore(0)).tryAcquire(seconds, TimeUnit.SECONDS);
        }

        public void recordClose(String id) {
            closes.computeIfAbsent(id, key -> new AtomicInteger()).incrementAndGet();
            firstClose.computeIfAbsent(id, key -> new CountDownLatch(1)).countDown();
        }

        public int awaitCloses(String id, int seconds) throws InterruptedException {
            firstClose.computeIfAbsent(id, key -> new CountDownLatch(1)).await(seconds, TimeUnit.SECONDS);
            return closes.computeIfAbsent(id, key -> new AtomicInteger()).get();
        }
    }
}
