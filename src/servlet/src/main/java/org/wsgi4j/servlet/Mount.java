package org.wsgi4j.servlet;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Mounts an {@link org.wsgi4j.Application} class in a web application with no configuration: in a
 * WAR that has wsgi4j-servlet in {@code WEB-INF/lib}, {@link MountInitializer} finds every class
 * carrying this annotation and registers one {@link GatewayServlet} for it.
 *
 * <pre>{@code
 * @Mount("/api")
 * public class Api implements Application { ... }
 * }</pre>
 *
 * <p>The class needs a public no-argument constructor. {@code "/"} takes the default servlet
 * mapping (SCRIPT_NAME is the context path); any other path {@code "/p"} is mapped as
 * {@code "/p/*"} (SCRIPT_NAME is the context path + {@code "/p"}).
 */
@Documented
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.TYPE)
public @interface Mount {

    /**
     * Where the application is mounted.
     *
     * @return the path below the context path: {@code "/"} or {@code "/a/b"} (no trailing slash, SPEC M1)
     */
    String value();
}
