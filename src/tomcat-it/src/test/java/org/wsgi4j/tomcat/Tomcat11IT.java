package org.wsgi4j.tomcat;

import static org.junit.jupiter.api.Assertions.assertAll;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Collections;
import java.util.Map;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.wsgi4j.conformance.RawHttpConnection;
import org.wsgi4j.conformance.RawRequest;
import org.wsgi4j.conformance.RawResponse;
import org.wsgi4j.tomcat.bad.DuplicateMountOne;
import org.wsgi4j.tomcat.bad.DuplicateMountTwo;
import org.wsgi4j.tomcat.bad.EmptyApplication;
import org.wsgi4j.tomcat.bad.NoLeadingSlashMount;

/**
 * The conformance suite and the sample checks on Tomcat 11 (Servlet 6.1), plus what Tomcat does
 * with a WAR whose {@code @Mount}s are wrong: two exploded webapps beside the good ones, each
 * holding wsgi4j-servlet and badly mounted classes. Checked on one version only: the behaviour is
 * the Servlet specification's (an initializer's exception fails the context), and a third Tomcat
 * start would cost more than it tells.
 */
class Tomcat11IT extends TomcatSuite {

    @Override
    protected String homeProperty() {
        return "wsgi4j.tomcat11.home";
    }

    @Override
    protected Map<String, Path> moreWebapps() throws IOException {
        Path dir = Path.of(property("wsgi4j.tomcat.bases")).resolve("bad-webapps");
        return Map.of(
                "bad-duplicate", webapp(dir.resolve("bad-duplicate"), DuplicateMountOne.class, DuplicateMountTwo.class),
                "bad-path", webapp(dir.resolve("bad-path"), NoLeadingSlashMount.class));
    }

    @Test
    @DisplayName("M1: a WAR with two @Mount classes on one path fails to deploy; Tomcat's log names both")
    void duplicateMountFailsTheDeployment() throws IOException {
        assertDeploymentFailed("/bad-duplicate", "@Mount(\"/same\") is on both " + DuplicateMountOne.class.getName()
                + " and " + DuplicateMountTwo.class.getName());
    }

    @Test
    @DisplayName("M1: a WAR with a @Mount path without a leading '/' fails to deploy; Tomcat's log names the class")
    void mountPathWithoutSlashFailsTheDeployment() throws IOException {
        assertDeploymentFailed("/bad-path", "@Mount(\"nowhere\") on " + NoLeadingSlashMount.class.getName()
                + ": M1: mount prefix 'nowhere' must be '/' or start with '/'");
    }

    /**
     * Tomcat logs the initializer's {@code ServletException} through the context's logger, marks the
     * context failed, and answers 404 for it: the server and the other webapps keep running.
     */
    private void assertDeploymentFailed(String context, String message) throws IOException {
        RawResponse response = RawHttpConnection.exchange(tomcat().address(), RawRequest.get(context + "/same"));
        String logs = String.join("\n", tomcat().output(0));
        assertAll(
                () -> assertEquals(404, response.status(), response.describe()),
                () -> assertTrue(logs.contains(message), "no '" + message + "' in the output in " + tomcat().logs()),
                () -> assertTrue(logs.contains("Context [" + context + "] startup failed"),
                        "Tomcat did not report " + context + " as failed; logs in " + tomcat().logs()));
    }

    /** An exploded webapp: the classes (and their base) from the test classes, the jars from the probe WAR. */
    private static Path webapp(Path dir, Class<?>... mounted) throws IOException {
        TomcatServer.deleteRecursively(dir);
        Path testClasses = Path.of(property("wsgi4j.test.classes"));
        for (Class<?> type : concat(EmptyApplication.class, mounted)) {
            String file = type.getName().replace('.', '/') + ".class";
            Path target = dir.resolve("WEB-INF/classes").resolve(file);
            Files.createDirectories(target.getParent());
            Files.copy(testClasses.resolve(file), target);
        }
        Path lib = Files.createDirectories(dir.resolve("WEB-INF/lib"));
        try (ZipFile war = new ZipFile(property("wsgi4j.conformance.war"))) {
            for (ZipEntry entry : Collections.list(war.entries())) {
                String name = entry.getName();
                if (name.startsWith("WEB-INF/lib/wsgi4j-core-") || name.startsWith("WEB-INF/lib/wsgi4j-servlet-")) {
                    try (InputStream in = war.getInputStream(entry)) {
                        Files.copy(in, lib.resolve(name.substring("WEB-INF/lib/".length())),
                                StandardCopyOption.REPLACE_EXISTING);
                    }
                }
            }
        }
        return dir;
    }

    private static Class<?>[] concat(Class<?> first, Class<?>[] rest) {
        Class<?>[] all = new Class<?>[rest.length + 1];
        all[0] = first;
        System.arraycopy(rest, 0, all, 1, rest.length);
        return all;
    }
}
