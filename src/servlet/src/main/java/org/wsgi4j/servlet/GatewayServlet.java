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
import java.util.function.Supplier;
import java.util.Map;
import org.wsgi4j.Application;
import org.wsgi4j.Applications;
import org.wsgi4j.middleware.BodyLimit;
import org.wsgi4j.middleware.ProxyHeaders;
import org.wsgi4j.internal.LineWriter;
import org.wsgi4j.server.EngineOptions;
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
 * <p><b>Mapping.</b> {@code SCRIPT_NAME} and {@code PATH_INFO} follow the servlet mapping
 * (SPEC E2, E3): path {@code /api/*} gives context path + {@code /api} and the rest; the default
 * mapping {@code /} gives the context path and the whole path below it; an exact mapping gives
 * context path + the path and {@code ""}; an extension mapping {@code *.x} gives the context path
 * and the servlet path; the context root gives the context path and {@code "/"}.
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
     * Absent: the container's own handling applies and the headers pass through.
     */
    public static final String TRUSTED_PROXY_PARAM = "trusted-proxy";

    private transient Application application;
    private transient EngineOptions options;
    private transient ResponseEngine engine;
    private transient ServletEnviron environs;
    private transient Container container;

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
            app = config.getServletContext().getAttribute(preloaded) instanceof Application loaded ? loaded
                    : load(config.getServletName(), config.getInitParameter(APPLICATION_PARAM),
                            config.getServletContext().getClassLoader());
            config.getServletContext().removeAttribute(preloaded);
        }
        EngineOptions engineOptions = options == null ? EngineOptions.defaults() : options;
        if (config.getInitParameter(DEBUG_PARAM) != null) {
            engineOptions = engineOptions.withDebug(Boolean.parseBoolean(config.getInitParameter(DEBUG_PARAM)));
        }
        String harakiri = config.getInitParameter(HARAKIRI_PARAM);
        if (harakiri != null) {
            Duration timeout = parameter(config, HARAKIRI_PARAM, "a number of seconds",
                    () -> Duration.ofMillis(Math.round(Double.parseDouble(harakiri.strip()) * 1000)));
            engineOptions = engineOptions.withRequestTimeout(Optional.of(timeout));
        }
        String limitPost = config.getInitParameter(LIMIT_POST_PARAM);
        if (limitPost != null) {
            Application limited = app;
            app = parameter(config, LIMIT_POST_PARAM, "a number of bytes",
                    () -> BodyLimit.wrap(limited, Long.parseLong(limitPost.strip())));
        }
        String trusted = config.getInitParameter(TRUSTED_PROXY_PARAM);
        if (trusted != null) {
            Application proxied = app;
            app = parameter(config, TRUSTED_PROXY_PARAM, "address blocks such as 10.0.0.0/8,::1",
                    () -> ProxyHeaders.wrap(proxied, List.of(trusted.split(","))));
        }
        engine = new ResponseEngine(app, engineOptions);
        container = Container.detect(GatewayServlet.class.getClassLoader());
        environs = new ServletEnviron(new LineWriter(config.getServletContext()::log).printWriter());
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
        Map<String, Object> environ;
        try {
            environ = environs.build(request, response);
        } catch (IllegalArgumentException refused) {
            ServletEnviron.refuse(response, refused.getMessage());
            return;
        }
        Result result = engine.run(environ, new ServletSink(request, response, container));
        if (result.outcome() == Result.Outcome.ABORTED) {
            throw container.aborted(result.failure());
        }
    }
}
