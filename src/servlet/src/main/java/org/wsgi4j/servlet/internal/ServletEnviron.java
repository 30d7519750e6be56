package org.wsgi4j.servlet.internal;

import jakarta.servlet.http.HttpServletMapping;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import jakarta.servlet.http.MappingMatch;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.function.Consumer;
import org.wsgi4j.internal.LineWriter;
import org.wsgi4j.server.EnvironBuilder;
import org.wsgi4j.server.Refusal;
import org.wsgi4j.server.RequestInput;
import org.wsgi4j.server.RequestTarget;
import org.wsgi4j.servlet.ServletKeys;

/**
 * Builds the environ from a servlet request in one pass (the bridge's translation table, SPEC
 * section 2). Address, scheme and server name come from the container, so its own forwarded-header
 * handling applies. Never calls {@code getParameter*}: that would consume form bodies.
 */
public final class ServletEnviron {

    private final Consumer<String> errorLog;
    private final Container container;

    /**
     * @param errorLog  where each request's {@code wsgi.errors} lines go (the servlet context's log)
     * @param container what the servlet container tells about the request
     */
    public ServletEnviron(Consumer<String> errorLog, Container container) {
        this.errorLog = errorLog;
        this.container = container;
    }

    /**
     * The environ of {@code request}.
     *
     * @throws IllegalArgumentException naming the rule when the request target breaks SPEC E14-E16
     *                                  (the bridge answers it with {@link Refusal})
     */
    public Map<String, Object> build(HttpServletRequest request, HttpServletResponse response) {
        EnvironBuilder env = new EnvironBuilder();
        String query = request.getQueryString();
        String uri = request.getRequestURI();
        String target = query == null ? uri : uri + '?' + query;
        // Jetty hands over a raw non-ASCII byte already decoded (as UTF-8, or U+FFFD), Tomcat merges
        // '//': the raw target is all that is left to hold every host to the same policy.
        RequestTarget.check(target);
        String serverName = request.getServerName();
        env.method(request.getMethod())
                .queryString(query)
                .requestUri(target)
                .server(serverName, request.getServerPort(), request.getProtocol())
                .remote(request.getRemoteAddr(), request.getRemotePort())
                .scheme(request.getScheme())
                .input(new RequestInput(request::getInputStream))
                .errors(LineWriter.forRequest(errorLog))
                .flags(true, false, false)
                .put(ServletKeys.REQUEST, request)
                .put(ServletKeys.RESPONSE, response);
        if (serverName == null || serverName.isEmpty()) {
            // Only an empty name falls back to the local address (E7): formatting it costs every request.
            env.localAddress(request.getLocalAddr());
        }
        paths(request, env);
        container.headers(request, env::header);
        return env.build();
    }

    /**
     * The environ of a request {@link #build} refused, for the engine's observer: only what the
     * request carried that is not in question, as {@link Refusal} says.
     */
    public static Map<String, Object> refused(HttpServletRequest request) {
        String query = request.getQueryString();
        String uri = request.getRequestURI();
        return new EnvironBuilder()
                .method(request.getMethod())
                .requestUri(query == null ? uri : uri + '?' + query)
                .server(request.getServerName(), request.getServerPort(), request.getProtocol())
                .remote(request.getRemoteAddr(), request.getRemotePort())
                .scheme(request.getScheme())
                .build();
    }

    /** SCRIPT_NAME and PATH_INFO from the mapping that selected this servlet (SPEC E2, E3). */
    private static void paths(HttpServletRequest request, EnvironBuilder env) {
        // getContextPath() is neither decoded nor freed of path parameters by the container
        // (Servlet 6.0, 3.5; Tomcat gives "/conf;v=1" for /conf;v=1/x); the other two are both.
        String context = decode(withoutPathParameters(request.getContextPath()));
        String servletPath = request.getServletPath();
        String pathInfo = request.getPathInfo();
        HttpServletMapping mapping = request.getHttpServletMapping();
        MappingMatch match = mapping == null ? null : mapping.getMappingMatch();
        if (match == null) {
            match = pathInfo == null ? MappingMatch.EXACT : MappingMatch.PATH;
        }
        switch (match) {
            case CONTEXT_ROOT -> env.scriptName(context).pathInfo("/");
            case DEFAULT, EXTENSION -> env.scriptName(context).pathInfo(servletPath + (pathInfo == null ? "" : pathInfo));
            case EXACT -> env.scriptName(context + servletPath).pathInfo(pathInfo == null ? "" : pathInfo);
            case PATH -> env.scriptName(context + servletPath).pathInfo(pathInfo == null ? "" : pathInfo);
        }
    }

    /** {@code /a;v=1/b;x} becomes {@code /a/b}: servlet hosts remove path parameters (SPEC host notes). */
    static String withoutPathParameters(String path) {
        if (path.indexOf(';') < 0) {
            return path;
        }
        StringBuilder result = new StringBuilder(path.length());
        int i = 0;
        while (i < path.length()) {
            int semicolon = path.indexOf(';', i);
            if (semicolon < 0) {
                result.append(path, i, path.length());
                break;
            }
            result.append(path, i, semicolon);
            int slash = path.indexOf('/', semicolon);
            i = slash < 0 ? path.length() : slash;
        }
        return result.toString();
    }

    /**
     * Percent-decodes a context path as UTF-8 (SPEC E2, S22). The context path is configuration
     * (a WAR's name, a context's path) that the container hands over encoded; a character that is
     * not an escape stands for itself.
     *
     * @throws IllegalArgumentException if an escape is malformed or the bytes are not UTF-8 (E15)
     */
    static String decode(String path) {
        if (path.indexOf('%') < 0) {
            return path;
        }
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(path.length());
        for (int i = 0; i < path.length(); i++) {
            int c = path.codePointAt(i);
            if (c == '%') {
                int value = i + 2 < path.length() ? Character.digit(path.charAt(i + 1), 16) << 4
                        | Character.digit(path.charAt(i + 2), 16) : -1;
                if (value < 0) {
                    throw new IllegalArgumentException("E15: the context path '" + path
                            + "' has a malformed escape at offset " + i);
                }
                bytes.write(value);
                i += 2;
            } else {
                bytes.writeBytes(Character.toString(c).getBytes(StandardCharsets.UTF_8));
                i += Character.charCount(c) - 1;
            }
        }
        return RequestTarget.decodeUtf8(bytes.toString(StandardCharsets.ISO_8859_1), "the context path '" + path + "'");
    }
}
