/**
 * wsgi4j-servlet: the servlet bridge ({@code org.wsgi4j.servlet}). Jetty's classes are optional:
 * they are used only when the container shows them (see {@code GatewayServlet}).
 */
module org.wsgi4j.servlet {
    requires transitive org.wsgi4j;
    requires transitive jakarta.servlet;
    requires static org.eclipse.jetty.ee10.servlet;
    requires static org.eclipse.jetty.io;

    exports org.wsgi4j.servlet;

    provides jakarta.servlet.ServletContainerInitializer with org.wsgi4j.servlet.MountInitializer;
}
