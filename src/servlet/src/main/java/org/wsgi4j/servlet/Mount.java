package org.wsgi4j.servlet;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Mounts an {@link org.wsgi4j.Application} at a path with no other configuration. Two readers:
 *
 * <ul>
 *   <li>In a WAR that has wsgi4j-servlet in {@code WEB-INF/lib}, {@link MountInitializer} reads it
 *       on <b>classes</b>: every annotated class is instantiated (it needs a public no-argument
 *       constructor) and served by its own {@link GatewayServlet}.</li>
 *   <li>In a Spring Boot application with the wsgi4j starter, the auto-configuration
 *       ({@code org.wsgi4j.spring}) reads it on the <b>classes of {@code Application} beans and on
 *       {@code @Bean} methods</b> returning one; the bean is served as Spring made it.</li>
 * </ul>
 *
 * <pre>{@code
 * @Mount("/api")
 * public class Api implements Application { ... }
 *
 * @Bean
 * @Mount("/legacy")
 * Application legacy() { return Applications.load("com.example.Legacy::app"); }
 * }</pre>
 *
 * <p>Both map paths the same way ({@link MountInitializer#servletMapping}): {@code "/"} takes the
 * default servlet mapping (SCRIPT_NAME is the context path); any other path {@code "/p"} is mapped
 * as {@code "/p/*"} (SCRIPT_NAME is the context path + {@code "/p"}).
 */
@Documented
@Retention(RetentionPolicy.RUNTIME)
@Target({ElementType.TYPE, ElementType.METHOD})
public @interface Mount {

    /**
     * Where the application is mounted.
     *
     * @return the path below the context path: {@code "/"} or {@code "/a/b"} (no trailing slash, SPEC M1)
     */
    String value();
}
