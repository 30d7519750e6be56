package org.wsgi4j.servlet;

import jakarta.servlet.ServletConfig;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.io.Serial;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.Map;
import java.util.function.BiConsumer;
import java.util.function.Function;
import java.util.function.Supplier;
import jakarta.servlet.ServletContext;
import jakarta.servlet.ServletRegistration;
import org.wsgi4j.Application;
import org.wsgi4j.Applications;
import org.wsgi4j.middleware.BodyLimit;
import org.wsgi4j.middleware.ProxyHeaders;
import org.wsgi4j.server.EngineOptions;
import org.wsgi4j.server.Refusal;
import org.wsgi4j.server.RequestObserver;
import org.wsgi4j.server.ResponseEngine;
import org.wsgi4j.server.Result;
import org.wsgi4j.servlet.internal.Container;
import org.wsgi4j.servlet.internal.ServletEnviron;
import org.wsgi4j.servlet.internal.ServletSink;

/**
 * The servlet bridge: turns each {@code HttpServletRequest} into an environ, runs the application
 * through the core {@link ResponseEngine}, and writes status, headers and body back to the
 * {@code HttpServletResponse}. Every protocol rule lives in the engine; this class only translates.
 *
 * <p><b>Configuration.</b> Either construct it with an {@link Application} (embedded use,
 * {@code ServletContext.addServlet}), or declare it in {@code web.xml} with the init parameter
 * {@value #APPLICATION_PARAM}, an {@link Applications#load} spec loaded with the web application's
 * class loader at {@link #init}. The init parameter {@value #DEBUG_PARAM} ({@code true}/{@code false},
 * default false) puts stack traces into 500 answers. A spec that cannot be loaded fails
 * {@code init} with a {@link ServletException} naming it, so the deployment fails visibly.
 *
 * <p><b>Settings from the hosting server.</b> A server that deploys the web application (wsgi4j-server's
 * {@code --war}) may set the servlet context attribute {@value #SERVER_SETTINGS_ATTRIBUTE}; every
 * {@code GatewayServlet} of the web application then takes the server's request timeout, body limit,
 * trusted proxies, debug flag and request observer (statistics, access log) from it. An init
 * parameter given for the servlet wins over the server's value.
 *
 * <p><b>Mapping.</b> {@code SCRIPT_NAME} and {@code PATH_INFO} follow the servlet mapping
 * (SPEC E2, E3): path {@code /api/*} gives context path + {@code /api} and the rest; the default
 * mapping {@code /} gives the context path and the whole path below it; an exact mapping gives
 * context path + the path and {@code ""}; an extension mapping {@code *.x} gives the context path
 * and the servlet path; the context root gives the context path and {@code "/"}.
 *
 * <p><b>Refused requests.</b> A request whose target SPEC E14-E16 refuse never reaches the
 * application: it is answered {@code 400 Bad Request} by a {@link Refusal}, through the same engine
 * options and sink as any answer, so the request observer (statistics, access log) sees it, with the
 * environ {@link Refusal} describes.
 *
 * <p><b>Errors after commit.</b> When the engine aborts a committed response (SPEC S12, S16), the
 * servlet throws {@link ResponseAbortedException} from {@code service} (on Tomcat as the cause of
 * Tomcat's {@code CloseNowException}, the one exception it does not log again): both Jetty and
 * Tomcat then close the connection without finishing the response, so the client sees it is
 * incomplete, and the failure is logged once, by the engine.
 */
public class GatewayServlet extends HttpServlet {

    @Serial
    private static final long serialVersionUID = 1L;

    /** Init parameter: the application spec, e.g. {@code com.example.App} or {@code com.example.Apps::hello}. */
    public static final String APPLICATION_PARAM = "application";

    /** Init parameter: {@code true} to show stack traces in 500 answers. */
    public static final String DEBUG_PARAM = "debug";

    /**
     * Init parameter: the request timeout in seconds (uWSGI's {@code harakiri}): a request running
     * longer is answered 504, or aborted if its answer had started, and its thread interrupted.
     * Absent: no limit.
     */
    public static final String HARAKIRI_PARAM = "harakiri";

    /** Init parameter: the largest request body in bytes (uWSGI's {@code limit-post}); see {@link BodyLimit}. */
    public static final String LIMIT_POST_PARAM = "limit-post";

    /**
     * Init parameter: comma-separated address blocks of the proxies allowed to state the client's
     * address, scheme and host ({@code Forwarded}, {@code X-Forwarded-*}); see {@link ProxyHeaders}.
     * Empty: nobody, so the headers are removed. Absent: the container's own handling applies and
     * the headers pass through.
     */
    public static final String TRUSTED_PROXY_PARAM = "trusted-proxy";

    /**
     * Servlet context attribute: the settings of the server hosting this web application. Its value is a
     * {@code java.util.function.Function<String, Map<String, Object>>} that takes the servlet's mount
     * (context path + the prefix of its first servlet mapping, e.g. {@code /sample/inspect}; {@code /}
     * when both are empty) and gives that servlet's settings. The value uses JDK types only because a
     * WAR carries its own copy of wsgi4j, loaded by another class loader than the server's. Keys, each
     * optional:
     * <ul>
     * <li>{@value #DEBUG_PARAM}: {@code Boolean};
     * <li>{@value #HARAKIRI_PARAM}: {@code java.time.Duration};
     * <li>{@value #LIMIT_POST_PARAM}: {@code Long}, bytes;
     * <li>{@value #TRUSTED_PROXY_PARAM}: {@code List<String>} of address blocks (empty: nobody, so
     *     forwarding headers are removed);
     * <li>{@code started}: {@code Function<Map<String, Object>, Object>}, given the environ before the
     *     application is called (it may replace {@code wsgi.input}, see {@link RequestObserver#started});
     *     what it returns is the request's state;
     * <li>{@code completed}: {@code BiConsumer<Map<String, Object>, Map<String, Object>>}, given the
     *     environ and the result after the response ended: {@code state} (what {@code started}
     *     returned, or absent), {@code status} ({@code Integer}),
     *     {@code bodyBytes} ({@code Long}), {@code outcome} (the name of a
     *     {@link org.wsgi4j.server.Result.Outcome}), {@code failure} ({@code Throwable} or absent) and
     *     {@code nanos} ({@code Long}, the request's duration).
     * </ul>
     * Init parameters of the servlet win over these values; the observer replaces one given to the
     * constructor.
     */
    public static final String SERVER_SETTINGS_ATTRIBUTE = "org.wsgi4j.servlet.serverSettings";

    private transient Application application;
    private transient EngineOptions options;
    private transient ResponseEngine engine;
    private transient ServletEnviron environs;
    private transient Container container;
    /** The application {@link #init} loaded from the init parameter, which this servlet then owns. */
    private transient Application loaded;

    /** For {@code web.xml}: the application comes from the {@value #APPLICATION_PARAM} init parameter. */
    public GatewayServlet() {
    }

    /**
     * For embedding: serves {@code application}.
     *
     * @param application the application every request runs
     */
    public GatewayServlet(Application application) {
        this.application = application;
    }

    /**
     * For embedding: serves {@code application} with these engine options (request timeout,
     * observer); init parameters given as well refine them.
     *
     * @param application the application every request runs
     * @param options     the engine options, before the init parameters refine them
     */
    public GatewayServlet(Application application, EngineOptions options) {
        this.application = application;
        this.options = options;
    }

    @Override
    public void init(ServletConfig config) throws ServletException {
        super.init(config);
        Application app = application;
        if (app == null) {
            // MountInitializer loaded it at deployment (so a mistyped spec stops the deployment).
            String preloaded = preloadedAttribute(config.getServletName());
            app = config.getServletContext().getAttribute(preloaded) instanceof Application found ? found
                    : load(config.getServletName(), config.getInitParameter(APPLICATION_PARAM),
                            config.getServletContext().getClassLoader());
            config.getServletContext().removeAttribute(preloaded);
            loaded = app;
        }
        Map<String, Object> server = serverSettings(config);
        EngineOptions engineOptions = options == null ? EngineOptions.defaults() : options;
        Boolean debug = setting(config, server, DEBUG_PARAM, Boolean.class, "true or false", Boolean::parseBoolean);
        if (debug != null) {
            engineOptions = engineOptions.withDebug(debug);
        }
        Duration timeout = setting(config, server, HARAKIRI_PARAM, Duration.class, "a number of seconds",
                text -> Duration.ofMillis(Math.round(Double.parseDouble(text.strip()) * 1000)));
        if (timeout != null) {
            EngineOptions current = engineOptions;
            engineOptions = parameter(config, HARAKIRI_PARAM, "a number of seconds",
                    () -> current.withRequestTimeout(Optional.of(timeout)));
        }
        Long limit = setting(config, server, LIMIT_POST_PARAM, Long.class, "a number of bytes",
                text -> Long.parseLong(text.strip()));
        if (limit != null) {
            Application limited = app;
            app = parameter(config, LIMIT_POST_PARAM, "a number of bytes", () -> BodyLimit.wrap(limited, limit));
        }
        @SuppressWarnings("unchecked")
        List<String> trusted = setting(config, server, TRUSTED_PROXY_PARAM, List.class,
                "address blocks such as 10.0.0.0/8,::1", text -> text.isBlank() ? List.of() : List.of(text.split(",")));
        if (trusted != null) {
            Application proxied = app;
            app = parameter(config, TRUSTED_PROXY_PARAM, "address blocks such as 10.0.0.0/8,::1",
                    () -> ProxyHeaders.wrap(proxied, trusted));
        }
        if (server.get("completed") != null) {
            engineOptions = engineOptions.withObserver(new ServerObserver(server));
        }
        engine = new ResponseEngine(app, engineOptions);
        container = Container.detect(GatewayServlet.class.getClassLoader());
        environs = new ServletEnviron(config.getServletContext()::log, container);
    }

    /** The hosting server's settings for this servlet ({@link #SERVER_SETTINGS_ATTRIBUTE}); empty when none. */
    @SuppressWarnings("unchecked")
    private static Map<String, Object> serverSettings(ServletConfig config) throws ServletException {
        Object attribute = config.getServletContext().getAttribute(SERVER_SETTINGS_ATTRIBUTE);
        if (attribute == null) {
            return Map.of();
        }
        if (!(attribute instanceof Function<?, ?> settings)) {
            throw new ServletException("servlet '" + config.getServletName() + "': the servlet context attribute '"
                    + SERVER_SETTINGS_ATTRIBUTE + "' is a " + attribute.getClass().getName()
                    + ", not a Function<String, Map<String, Object>>");
        }
        Map<String, Object> values = ((Function<String, Map<String, Object>>) settings).apply(mount(config));
        return values == null ? Map.of() : values;
    }

    /**
     * The servlet's mount: context path + the prefix of its first mapping ({@code /api/*} gives
     * {@code /api}; the default, extension and context-root mappings give nothing), {@code /} when empty.
     */
    private static String mount(ServletConfig config) {
        ServletContext context = config.getServletContext();
        ServletRegistration registration = context.getServletRegistration(config.getServletName());
        String mapping = registration == null ? "" : registration.getMappings().stream().findFirst().orElse("");
        String prefix = mapping.endsWith("/*") ? mapping.substring(0, mapping.length() - 2)
                : mapping.equals("/") || mapping.startsWith("*.") ? "" : mapping;
        String mount = context.getContextPath() + prefix;
        return mount.isEmpty() ? "/" : mount;
    }

    /** The init parameter {@code name} parsed, else the server's value, else {@code null}. */
    private static <T> T setting(ServletConfig config, Map<String, Object> server, String name, Class<T> type,
                                 String expected, Function<String, T> parse) throws ServletException {
        String text = config.getInitParameter(name);
        if (text != null) {
            return parameter(config, name, expected, () -> parse.apply(text));
        }
        Object value = server.get(name);
        if (value != null && !type.isInstance(value)) {
            throw new ServletException("servlet '" + config.getServletName() + "': the server's setting '" + name
                    + "' is a " + value.getClass().getName() + ", not a " + type.getName());
        }
        return type.cast(value);
    }

    /**
     * The application of the servlet {@code servletName} from its {@value #APPLICATION_PARAM} init
     * parameter, for {@link #init} and for {@link MountInitializer}, which loads it at deployment.
     *
     * @throws ServletException naming the servlet when the parameter is missing or cannot be loaded
     */
    static Application load(String servletName, String spec, ClassLoader loader) throws ServletException {
        if (spec == null || spec.isBlank()) {
            throw new ServletException("servlet '" + servletName + "' has no '" + APPLICATION_PARAM
                    + "' init parameter naming its wsgi4j application");
        }
        try {
            return Applications.load(spec, loader);
        } catch (IllegalArgumentException e) {
            throw new ServletException("servlet '" + servletName + "': " + e.getMessage(), e);
        }
    }

    /** The context attribute under which {@link MountInitializer} leaves a servlet's loaded application. */
    static String preloadedAttribute(String servletName) {
        return GatewayServlet.class.getName() + ".application:" + servletName;
    }

    private static <T> T parameter(ServletConfig config, String name, String expected, Supplier<T> parse)
            throws ServletException {
        try {
            return parse.get();
        } catch (IllegalArgumentException e) {
            throw new ServletException("servlet '" + config.getServletName() + "': init parameter '" + name + "' = '"
                    + config.getInitParameter(name) + "' is not " + expected + " (" + e.getMessage() + ")", e);
        }
    }

    /** Hands the engine's events to the hosting server's JDK-typed callbacks ({@link #SERVER_SETTINGS_ATTRIBUTE}). */
    private static final class ServerObserver implements RequestObserver {
        private final Function<Map<String, Object>, Object> started;
        private final BiConsumer<Map<String, Object>, Map<String, Object>> completed;

        @SuppressWarnings("unchecked")
        ServerObserver(Map<String, Object> server) {
            this.started = (Function<Map<String, Object>, Object>) server.get("started");
            this.completed = (BiConsumer<Map<String, Object>, Map<String, Object>>) server.get("completed");
        }

        @Override
        public Object started(Map<String, Object> environ) {
            return started == null ? null : started.apply(environ);
        }

        @Override
        public void completed(Map<String, Object> environ, Object state, Result result, long nanos) {
            Map<String, Object> values = new java.util.HashMap<>();
            values.put("state", state);
            values.put("status", result.status());
            values.put("bodyBytes", result.bodyBytes());
            values.put("outcome", result.outcome().name());
            values.put("failure", result.failure());
            values.put("nanos", nanos);
            completed.accept(environ, values);
        }
    }

    /**
     * Closes the application this servlet loaded from its init parameter, if it is
     * {@link AutoCloseable} (a Python application's interpreters); one passed to the constructor
     * belongs to whoever made it.
     */
    @Override
    public void destroy() {
        if (loaded instanceof AutoCloseable closeable) {
            try {
                closeable.close();
            } catch (Exception e) {
                getServletContext().log("servlet '" + getServletName() + "': closing its application failed", e);
            }
        }
        super.destroy();
    }

    /**
     * The application this servlet serves (after {@link #init}).
     *
     * @return the application given or loaded from the init parameter
     */
    public Application application() {
        return engine.application();
    }

    @Override
    protected void service(HttpServletRequest request, HttpServletResponse response)
            throws ServletException, IOException {
        // All methods (HEAD included) go to the application; HttpServlet's own HEAD and OPTIONS
        // handling would answer for it.
        Map<String, Object> environ = null;
        Refusal refusal = null;
        try {
            environ = environs.build(request, response);
        } catch (IllegalArgumentException refused) {
            refusal = Refusal.badRequest(refused.getMessage());
        }
        ServletSink sink = new ServletSink(request, response, container);
        Result result = refusal == null ? engine.run(environ, sink)
                : refusal.run(engine.options(), ServletEnviron.refused(request), sink);
        if (result.outcome() == Result.Outcome.ABORTED) {
            throw container.aborted(result.failure());
        }
    }
}
