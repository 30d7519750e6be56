package org.wsgi4j.spring;

import java.lang.reflect.Array;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.util.function.Consumer;
import org.eclipse.jetty.server.Connector;
import org.eclipse.jetty.server.HttpConfiguration;
import org.eclipse.jetty.server.Server;
import org.springframework.boot.web.server.WebServerFactory;
import org.springframework.boot.web.server.WebServerFactoryCustomizer;

/**
 * The two settings of Boot's embedded servers without which a request would not reach the
 * applications as it arrived (SPEC S21, E6):
 *
 * <ul>
 *   <li><b>Tomcat:</b> the connector's {@code continueResponseTiming="onRead"}, so that
 *       {@code 100 Continue} goes out when the application reads the body, never before it runs;
 *       Tomcat's default answers {@code Expect: 100-continue} on arrival, and the client then uploads
 *       a body the application may refuse.</li>
 *   <li><b>Jetty:</b> a case-sensitive header cache ({@code HttpConfiguration.setHeaderCacheCaseSensitive}):
 *       Jetty's parser otherwise hands out its cached spelling of well-known values, so
 *       {@code charset=utf-8} arrives as {@code charset=UTF-8} on Jetty 12.0 (and the other way on
 *       12.1).</li>
 * </ul>
 *
 * <p>Both apply to the whole server, Spring MVC's handlers included; neither changes what a
 * well-behaved client sees beyond that. Boot 4.0 and 3.5 declare {@code TomcatConnectorCustomizer}
 * and {@code JettyServerCustomizer} in different packages; so that one jar serves both lines, each
 * customizer is made for whichever interface the running factory's {@code addConnectorCustomizers}
 * or {@code addServerCustomizers} takes.
 */
final class EmbeddedServerSettings implements WebServerFactoryCustomizer<WebServerFactory> {

    private static final boolean JETTY = isPresent("org.eclipse.jetty.server.Server");

    @Override
    public void customize(WebServerFactory factory) {
        addCustomizer(factory, "addConnectorCustomizers",
                connector -> invoke(connector, "setProperty", "continueResponseTiming", "onRead"));
        if (JETTY) {
            addCustomizer(factory, "addServerCustomizers", server -> JettySettings.apply((Server) server));
        }
    }

    /**
     * Adds to {@code factory}, through its method {@code adder} taking an array of a customizer
     * interface with one method of one argument, a customizer that passes that argument to
     * {@code customize}. Nothing happens when the factory has no such method (another server).
     */
    private static void addCustomizer(WebServerFactory factory, String adder, Consumer<Object> customize) {
        for (Method method : factory.getClass().getMethods()) {
            if (method.getName().equals(adder) && method.getParameterCount() == 1 && method.getParameterTypes()[0].isArray()) {
                Class<?> type = method.getParameterTypes()[0].getComponentType();
                Object customizer = Proxy.newProxyInstance(type.getClassLoader(), new Class<?>[] {type},
                        (proxy, called, args) -> switch (called.getName()) {
                            case "equals" -> proxy == args[0];
                            case "hashCode" -> System.identityHashCode(proxy);
                            case "toString" -> "wsgi4j: " + EmbeddedServerSettings.class.getSimpleName();
                            default -> {
                                customize.accept(args[0]);
                                yield null;
                            }
                        });
                Object customizers = Array.newInstance(type, 1);
                Array.set(customizers, 0, customizer);
                invoke(factory, adder, customizers);
                return;
            }
        }
    }

    private static void invoke(Object target, String name, Object... args) {
        try {
            for (Method method : target.getClass().getMethods()) {
                if (method.getName().equals(name) && method.getParameterCount() == args.length) {
                    method.invoke(target, args);
                    return;
                }
            }
            throw new NoSuchMethodException(target.getClass().getName() + "." + name);
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException("wsgi4j: could not configure Boot's embedded server (" + name + ")", e);
        }
    }

    private static boolean isPresent(String className) {
        return org.springframework.util.ClassUtils.isPresent(className, EmbeddedServerSettings.class.getClassLoader());
    }

    /** Apart, so that nothing loads Jetty's classes when Jetty is absent. */
    private static final class JettySettings {

        static void apply(Server server) {
            for (Connector connector : server.getConnectors()) {
                connector.getConnectionFactories().stream()
                        .filter(HttpConfiguration.ConnectionFactory.class::isInstance)
                        .map(factory -> ((HttpConfiguration.ConnectionFactory) factory).getHttpConfiguration())
                        .forEach(configuration -> configuration.setHeaderCacheCaseSensitive(true));
            }
        }
    }
}
