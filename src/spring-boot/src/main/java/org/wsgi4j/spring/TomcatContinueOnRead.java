package org.wsgi4j.spring;

import java.lang.reflect.Array;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import org.springframework.boot.web.server.WebServerFactory;
import org.springframework.boot.web.server.WebServerFactoryCustomizer;

/**
 * Sets {@code continueResponseTiming="onRead"} on the connector of Boot's embedded Tomcat, so that
 * {@code 100 Continue} goes out when the application reads the body, never before it runs (SPEC
 * S21); Tomcat's default answers {@code Expect: 100-continue} on arrival, and a client then uploads a
 * body the application may refuse. Spring MVC handlers read bodies too, so they see the same.
 *
 * <p>Boot 4.0 and 3.5 declare {@code TomcatConnectorCustomizer} in different packages; so that one
 * jar serves both, the customizer is made for whichever interface the running factory's
 * {@code addConnectorCustomizers} takes. Factories without that method (Jetty) are left alone.
 */
final class TomcatContinueOnRead implements WebServerFactoryCustomizer<WebServerFactory> {

    static final String PROPERTY = "continueResponseTiming";
    static final String VALUE = "onRead";

    @Override
    public void customize(WebServerFactory factory) {
        for (Method method : factory.getClass().getMethods()) {
            if (method.getName().equals("addConnectorCustomizers") && method.getParameterCount() == 1
                    && method.getParameterTypes()[0].isArray()) {
                add(factory, method, method.getParameterTypes()[0].getComponentType());
                return;
            }
        }
    }

    private static void add(WebServerFactory factory, Method addConnectorCustomizers, Class<?> customizerType) {
        Object customizer = Proxy.newProxyInstance(customizerType.getClassLoader(), new Class<?>[] {customizerType},
                (proxy, method, args) -> switch (method.getName()) {
                    case "customize" -> {
                        args[0].getClass().getMethod("setProperty", String.class, String.class)
                                .invoke(args[0], PROPERTY, VALUE);
                        yield null;
                    }
                    case "equals" -> proxy == args[0];
                    case "hashCode" -> System.identityHashCode(proxy);
                    case "toString" -> "wsgi4j: Tomcat connector " + PROPERTY + "=" + VALUE + " (SPEC S21)";
                    default -> throw new UnsupportedOperationException(method.toString());
                });
        Object customizers = Array.newInstance(customizerType, 1);
        Array.set(customizers, 0, customizer);
        try {
            addConnectorCustomizers.invoke(factory, customizers);
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException("wsgi4j: could not set " + PROPERTY + "=" + VALUE + " on Tomcat's connector", e);
        }
    }
}
