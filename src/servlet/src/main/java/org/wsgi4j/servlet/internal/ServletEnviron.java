package org.wsgi4j.servlet.internal;

import jakarta.servlet.http.HttpServletMapping;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import jakarta.servlet.http.MappingMatch;
import java.io.ByteArrayOutputStream;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.util.Enumeration;
import java.util.Map;
import org.wsgi4j.server.EnvironBuilder;

/**
 * Builds the environ from a servlet request in one pass (the bridge's translation table, SPEC
 * section 2). Address, scheme and server name come from the container, so its own forwarded-header
 * handling applies. Never calls {@code getParameter*}: that would consume form bodies.
 */
public final class ServletEnviron {

    /** The servlet request, for applications that need the container (SPEC "wsgi4j.*"). */
    public static final String REQUEST_KEY = "wsgi4j.servlet.request";
    /** The servlet response. Writing to it directly bypasses every rule; use with care. */
    public static final String RESPONSE_KEY = "wsgi4j.servlet.response";

    private final PrintWriter errors;

    public ServletEnviron(PrintWriter errors) {
        this.errors = errors;
    }

    public Map<String, Object> build(HttpServletRequest request, HttpServletResponse response) {
        EnvironBuilder env = new EnvironBuilder();
        String query = request.getQueryString();
        String uri = request.getRequestURI();
        env.method(request.getMethod())
                .queryString(query)
                .requestUri(query == null ? uri : uri + '?' + query)
                .server(request.getServerName(), request.getServerPort(), request.getProtocol())
                .remote(request.getRemoteAddr(), request.getRemotePort())
                .scheme(request.getScheme())
                .input(new ServletInput(request))
                .errors(errors)
                .flags(true, false, false)
                .put(REQUEST_KEY, request)
                .put(RESPONSE_KEY, response);
        paths(request, env);
        for (Enumeration<String> names = request.getHeaderNames(); names.hasMoreElements(); ) {
            String name = names.nextElement();
            for (Enumeration<String> values = request.getHeaders(name); values.hasMoreElements(); ) {
                env.header(name, values.nextElement());
            }
        }
        return env.build();
    }

    /** SCRIPT_NAME and PATH_INFO from the mapping that selected this servlet (SPEC E2, E3). */
    private static void paths(HttpServletRequest request, EnvironBuilder env) {
        // getContextPath() is not decoded by the container (Servlet 6.0, 3.5); the other two are.
        String context = decode(request.getContextPath());
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

    /** Percent-decodes a path as UTF-8 (invalid escapes are kept as they are). */
    static String decode(String path) {
        if (path.indexOf('%') < 0) {
            return path;
        }
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(path.length());
        int i = 0;
        while (i < path.length()) {
            if (path.charAt(i) == '%' && i + 2 < path.length()
                    && hex(path.charAt(i + 1)) >= 0 && hex(path.charAt(i + 2)) >= 0) {
                bytes.write(hex(path.charAt(i + 1)) * 16 + hex(path.charAt(i + 2)));
                i += 3;
            } else {
                int next = path.indexOf('%', i + 1);
                int end = next < 0 ? path.length() : next;
                bytes.writeBytes(path.substring(i, end).getBytes(StandardCharsets.UTF_8));
                i = end;
            }
        }
        return bytes.toString(StandardCharsets.UTF_8);
    }

    private static int hex(char c) {
        return c >= '0' && c <= '9' ? c - '0' : c >= 'a' && c <= 'f' ? c - 'a' + 10 : c >= 'A' && c <= 'F' ? c - 'A' + 10 : -1;
    }
}
