/**
 * wsgi4j-core: the contract ({@code org.wsgi4j}), the API for front-end authors
 * ({@code org.wsgi4j.server}) and the middleware ({@code org.wsgi4j.middleware}). Depends on
 * nothing but the JDK. {@code org.wsgi4j.internal} is shared with the wsgi4j front ends only.
 */
module org.wsgi4j {
    exports org.wsgi4j;
    exports org.wsgi4j.middleware;
    exports org.wsgi4j.server;
    exports org.wsgi4j.internal to org.wsgi4j.servlet, org.wsgi4j.uwsgi, org.wsgi4j.jetty;

    // Applications.load finds the loaders of scheme: specs (python:) with ServiceLoader.
    uses org.wsgi4j.ApplicationLoader;
}
