package org.wsgi4j.tomcat;


import java.io.IOException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.wsgi4j.tomcat.bad.DuplicateMountOne;
import org.wsgi4j.tomcat.bad.DuplicateMountTwo;
import org.wsgi4j.tomcat.bad.NoLeadingSlashMount;

/**
 * The conformance suite and the sample checks on Tomcat 11 (Servlet 6.1), plus what Tomcat does
 * with a WAR whose {@code @Mount}s are wrong: two exploded webapps beside the good ones, each
 * holding wsgi4j-servlet and badly mounted classes. Checked on one version only: the behaviour is
 * the Servlet specification's (an initializer's exception fails the context), and a third Tomcat
 * start would cost more than it tells. (The mistyped web.xml application is checked on both, in
 * {@link TomcatSuite}: it is the case issue 8 found on Tomcat 10.1.)
 */
class Tomcat11IT extends TomcatSuite {

    @Override
    protected String homeProperty() {
        return "wsgi4j.tomcat11.home";
    }

    @Override
    protected Map<String, Path> moreWebapps() throws IOException {
        Path dir = Path.of(property("wsgi4j.tomcat.bases")).resolve("bad-webapps");
        Map<String, Path> webapps = new LinkedHashMap<>(super.moreWebapps());
        webapps.put("bad-duplicate", webapp(dir.resolve("bad-duplicate"), null,
                DuplicateMountOne.class, DuplicateMountTwo.class));
        webapps.put("bad-path", webapp(dir.resolve("bad-path"), null, NoLeadingSlashMount.class));
        return webapps;
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
}
