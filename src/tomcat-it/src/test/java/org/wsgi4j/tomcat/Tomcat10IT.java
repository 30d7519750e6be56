package org.wsgi4j.tomcat;

/** The conformance suite and the sample checks on Tomcat 10.1 (Servlet 6.0), the version in the root POM. */
class Tomcat10IT extends TomcatSuite {

    @Override
    protected String homeProperty() {
        return "wsgi4j.tomcat10.home";
    }
}
