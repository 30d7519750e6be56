package org.wsgi4j.tomcat;

import static org.junit.jupiter.api.Assertions.assertAll;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.extension.TestWatcher;
import org.wsgi4j.conformance.ConformanceSuite;
import org.wsgi4j.conformance.ExplodedWebapp;
import org.wsgi4j.conformance.Host;
import org.wsgi4j.conformance.HostMount;
import org.wsgi4j.conformance.RawHttpConnection;
import org.wsgi4j.conformance.RawRequest;
import org.wsgi4j.conformance.RawResponse;
import org.wsgi4j.conformance.probes.FailureProbes;
import org.wsgi4j.tomcat.bad.EmptyApplication;

/**
 * The conformance suite and the sample checks on one real Tomcat, started once for the class: the
 * probe WAR ({@code wsgi4j-conformance.war}) at {@code /conf} and a second time, undeployed from
 * {@code server.xml}, at {@code /café}; the sample WAR at {@code /wsgi4j-sample}. Subclasses name
 * the distribution ({@link Tomcat10IT}, {@link Tomcat11IT}) and may deploy more.
 *
 * <p>On the first failing test the tail of Tomcat's output is printed; all of it stays in
 * {@code target/tomcat-bases/NAME/logs/catalina.out}.
 */
abstract class TomcatSuite extends ConformanceSuite {

    /** The probe WAR's context path. */
    static final String CONF = "/conf";
    /** The sample WAR's context path. */
    static final String SAMPLE = "/wsgi4j-sample";

    private TomcatServer tomcat;

    @RegisterExtension
    final TestWatcher logsOnFailure = new TestWatcher() {
        private final AtomicBoolean printed = new AtomicBoolean();

        @Override
        public void testFailed(ExtensionContext context, Throwable cause) {
            if (tomcat != null && printed.compareAndSet(false, true)) {
                System.err.println(context.getDisplayName() + " failed on " + tomcat.name() + "; its logs are in "
                        + tomcat.logs() + ":\n" + tomcat.logTail(60));
            }
        }
    };

    /** The system property that holds the unpacked distribution's directory, set by the POM. */
    protected abstract String homeProperty();

    /**
     * More webapps for this Tomcat: file name in {@code webapps/} to WAR or directory. Subclasses
     * add to these: {@code bad-application}, whose web.xml names an application that does not exist.
     */
    protected Map<String, Path> moreWebapps() throws IOException {
        Path dir = Path.of(property("wsgi4j.tomcat.bases")).resolve("bad-webapps");
        return Map.of("bad-application", webapp(dir.resolve("bad-application"),
                ExplodedWebapp.gatewayWebXml("mistyped", "org.wsgi4j.tomcat.bad.EmptyApplication::apii")));
    }

    @Test
    @DisplayName("a mistyped application in web.xml fails the deployment; Tomcat's log has wsgi4j's sentence")
    void mistypedWebXmlApplicationFailsTheDeployment() throws IOException {
        assertDeploymentFailed("/bad-application", "servlet 'mistyped': application spec "
                + "'org.wsgi4j.tomcat.bad.EmptyApplication::apii': " + EmptyApplication.class.getName()
                + " has no public static field or no-argument method 'apii'");
    }

    /** The running Tomcat, for subclasses' own tests. */
    protected final TomcatServer tomcat() {
        return tomcat;
    }

    @Override
    protected final Host startHost() throws Exception {
        Path home = Path.of(property(homeProperty()));
        String name = home.getFileName().toString();
        Path war = Path.of(property("wsgi4j.conformance.war"));
        Map<String, Path> webapps = new LinkedHashMap<>();
        webapps.put(CONF.substring(1) + ".war", war);
        webapps.put(SAMPLE.substring(1) + ".war", Path.of(property("wsgi4j.sample.war")));
        webapps.putAll(moreWebapps());
        tomcat = TomcatServer.start(name, new TomcatServer.Layout(home,
                Path.of(property("wsgi4j.tomcat.bases")).resolve(name), webapps, Map.of("/caf\u00e9", war)));
        return Host.of(tomcat.address(), List.of(
                HostMount.prefix("@Mount(\"/probe\") in /conf", "/conf/probe", "/conf/probe"),
                HostMount.prefix("web.xml path mapping /p/* in /conf", "/conf/p", "/conf/p"),
                HostMount.prefix("web.xml default mapping / in /conf", "/conf", "/conf"),
                HostMount.prefix("web.xml default mapping / in /caf\u00e9", "/caf%C3%A9", "/caf\u00e9"),
                HostMount.exact("@Mount(\"/probe\") without path info", "/conf/probe", "/conf/probe", ""),
                HostMount.exact("web.xml exact mapping /exact", "/conf/exact", "/conf/exact", ""),
                HostMount.exact("web.xml extension mapping *.x", "/conf/dir/page.x", "/conf", "/dir/page.x"),
                HostMount.exact("web.xml context-root mapping", "/conf/", "/conf", "/")),
                Set.of(Host.Quirk.STRIPS_PATH_PARAMETERS, Host.Quirk.OPTIONS_ASTERISK_200,
                        Host.Quirk.REFUSES_MISMATCHED_AUTHORITY), tomcat::close);
    }

    @Test
    @DisplayName("S20: Tomcat offers sendfile to the bridge, so the file probe went through sendfile, not a copy")
    void tomcatOffersSendfile() throws IOException {
        RawResponse response = RawHttpConnection.exchange(tomcat.address(), RawRequest.get(CONF + "/sendfile-support"));
        assertEquals(200, response.status(), response.describe());
        assertEquals("sendfile=true\n", response.bodyText());
    }

    @Test
    @DisplayName("S16: an error after commit is logged once, by the engine; Tomcat breaks the response without logging it again")
    void errorAfterCommitIsLoggedOnce() throws IOException, InterruptedException {
        int mark = tomcat.outputMark();
        RawResponse broken = RawHttpConnection.exchange(tomcat.address(),
                RawRequest.get(CONF + "/p/error-after").withHeader("Connection", "keep-alive"));
        assertFalse(broken.complete(), broken.describe());
        // The engine logs an error before commit on the request thread, before it answers: once
        // its line is out, everything the broken request made Tomcat log is out too.
        String marker = UUID.randomUUID().toString();
        assertEquals(500, RawHttpConnection.exchange(tomcat.address(),
                RawRequest.get(CONF + "/p/error-before/" + marker)).status());
        List<String> logged = tomcat.awaitOutput(mark, marker);
        assertEquals(1, logged.stream().filter(line -> line.contains("error after commit " + FailureProbes.SECRET)).count(),
                () -> "the failure must be logged once:\n" + String.join("\n", logged));
    }

    /** The sample WAR, as a user would check it after deploying it. */
    @Nested
    @DisplayName("the sample WAR at /wsgi4j-sample")
    class SampleWar extends SampleChecks {
        SampleWar() {
            super(tomcat.address(), SAMPLE, Path.of(property("wsgi4j.sample.war")));
        }
    }

    static String property(String name) {
        String value = System.getProperty(name);
        if (value == null || value.isBlank()) {
            throw new IllegalStateException("system property '" + name + "' is not set; the POM's failsafe "
                    + "configuration sets it (run the tests with 'mvn verify')");
        }
        return value;
    }

    /**
     * Tomcat logs the initializer's {@code ServletException} through the context's logger, marks the
     * context failed, and answers 404 for it: the server and the other webapps keep running.
     */
    void assertDeploymentFailed(String context, String message) throws IOException {
        RawResponse response = RawHttpConnection.exchange(tomcat().address(), RawRequest.get(context + "/same"));
        String logs = String.join("\n", tomcat().output(0));
        assertAll(
                () -> assertEquals(404, response.status(), response.describe()),
                () -> assertTrue(logs.contains(message), "no '" + message + "' in the output in " + tomcat().logs()),
                () -> assertTrue(logs.contains("Context [" + context + "] startup failed"),
                        "Tomcat did not report " + context + " as failed; logs in " + tomcat().logs()));
    }

    /**
     * An exploded webapp: the classes (and their base) from the test classes, the jars from the
     * probe WAR, and {@code webXml} as {@code WEB-INF/web.xml} unless it is null.
     */
    static Path webapp(Path dir, String webXml, Class<?>... mounted) throws IOException {
        TomcatServer.deleteRecursively(dir);
        Path testClasses = Path.of(property("wsgi4j.test.classes"));
        for (Class<?> type : concat(EmptyApplication.class, mounted)) {
            String file = type.getName().replace('.', '/') + ".class";
            Path target = dir.resolve("WEB-INF/classes").resolve(file);
            Files.createDirectories(target.getParent());
            Files.copy(testClasses.resolve(file), target);
        }
        return ExplodedWebapp.write(dir, Path.of(property("wsgi4j.conformance.war")), webXml);
    }

    private static Class<?>[] concat(Class<?> first, Class<?>[] rest) {
        Class<?>[] all = new Class<?>[rest.length + 1];
        all[0] = first;
        System.arraycopy(rest, 0, all, 1, rest.length);
        return all;
    }
}
