package org.wsgi4j.uwsgi.internal;

import java.io.InputStream;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.wsgi4j.Environ;
import org.wsgi4j.server.EnvironBuilder;
import org.wsgi4j.server.HttpSyntax;

/**
 * Turns the uwsgi vars (nginx's {@code uwsgi_params} plus one {@code HTTP_*} var per header) into
 * the environ. The vars already are CGI variables, so they are taken as given; only the rules of
 * SPEC section 2 that nginx does not guarantee are applied here.
 */
final class UwsgiEnviron {

    /** One var as it arrived. */
    record Var(String key, String value) {
    }

    /** The peer as the socket knows it, used only when nginx sent no REMOTE_ADDR. */
    record Peer(String address, int port) {
    }

    private UwsgiEnviron() {
    }

    /** SPEC S22: nginx sends PATH_INFO and SCRIPT_NAME percent-decoded, so their bytes are UTF-8; the rest latin-1. */
    static List<Var> vars(UwsgiVars vars) {
        List<Var> list = new ArrayList<>(vars.size());
        for (int i = 0; i < vars.size(); i++) {
            String key = vars.key(i);
            boolean path = key.equals(Environ.PATH_INFO) || key.equals(Environ.SCRIPT_NAME);
            list.add(new Var(key, vars.value(i, path ? StandardCharsets.UTF_8 : StandardCharsets.ISO_8859_1)));
        }
        return list;
    }

    /**
     * Builds the environ.
     *
     * @throws IllegalArgumentException when the request cannot be served, naming why (answered 400)
     */
    static Map<String, Object> build(List<Var> vars, Peer peer, InputStream input, PrintWriter errors) {
        Map<String, String> cgi = new HashMap<>();
        for (Var var : vars) {
            String key = var.key();
            String value = var.value();
            if (key.startsWith(Environ.HTTP_PREFIX) && cgi.containsKey(key)) {
                // nginx sends a repeated header as repeated vars; SPEC E8 joins them.
                value = cgi.get(key) + (key.equals("HTTP_COOKIE") ? "; " : ", ") + value;
            }
            cgi.put(key, value);
        }
        String method = cgi.remove(Environ.REQUEST_METHOD);
        if (method == null || method.isEmpty() || !HttpSyntax.isToken(method)) {
            throw new IllegalArgumentException(method == null
                    ? "no REQUEST_METHOD var (does the nginx location include uwsgi_params?)"
                    : "REQUEST_METHOD '" + method + "' is not an HTTP token");
        }
        // nginx sends CONTENT_TYPE/CONTENT_LENGTH even when empty; SPEC E6 wants them absent then.
        removeIfEmpty(cgi, Environ.CONTENT_TYPE);
        removeIfEmpty(cgi, Environ.CONTENT_LENGTH);
        String scheme = scheme(cgi.remove(Environ.HTTPS), cgi.get("REQUEST_SCHEME"));
        String scriptName = EnvironBuilder.normalizeScriptName(cgi.remove(Environ.SCRIPT_NAME));
        String pathInfo = pathBelow(scriptName, cgi.getOrDefault(Environ.PATH_INFO, ""));
        cgi.remove(Environ.PATH_INFO);
        String query = cgi.getOrDefault(Environ.QUERY_STRING, "");

        EnvironBuilder builder = new EnvironBuilder();
        cgi.forEach(builder::cgi);
        builder.method(method)
                .scriptName(scriptName)
                .pathInfo(pathInfo)
                .queryString(query)
                .scheme(scheme)
                .input(input)
                .errors(errors)
                .flags(true, false, false);
        if (!cgi.containsKey(Environ.REQUEST_URI)) {
            builder.requestUri(scriptName + pathInfo + (query.isEmpty() ? "" : "?" + query));
        }
        if (!cgi.containsKey(Environ.REMOTE_ADDR)) {
            builder.remote(peer.address(), peer.port());
        }
        defaultIfAbsent(cgi, builder, Environ.SERVER_NAME, "localhost");
        defaultIfAbsent(cgi, builder, Environ.SERVER_PORT, scheme.equals("https") ? "443" : "80");
        defaultIfAbsent(cgi, builder, Environ.SERVER_PROTOCOL, "HTTP/1.1");
        return builder.build();
    }

    /** nginx sends {@code HTTPS on} (uwsgi_params: {@code $https if_not_empty}) and {@code REQUEST_SCHEME}. */
    private static String scheme(String https, String requestScheme) {
        if (https != null && (https.equalsIgnoreCase("on") || https.equals("1"))) {
            return "https";
        }
        return requestScheme != null && requestScheme.equalsIgnoreCase("https") ? "https" : "http";
    }

    /**
     * nginx's PATH_INFO ($document_uri) is the whole decoded path. When a location also sets
     * SCRIPT_NAME, the prefix is removed at a segment boundary, as uWSGI's manage-script-name does,
     * so that SCRIPT_NAME + PATH_INFO is the request path (SPEC E2, E3).
     */
    private static String pathBelow(String scriptName, String path) {
        if (!scriptName.isEmpty() && path.startsWith(scriptName)
                && (path.length() == scriptName.length() || path.charAt(scriptName.length()) == '/')) {
            return path.substring(scriptName.length());
        }
        return path;
    }

    private static void removeIfEmpty(Map<String, String> cgi, String key) {
        if (cgi.containsKey(key) && cgi.get(key).isEmpty()) {
            cgi.remove(key);
        }
    }

    private static void defaultIfAbsent(Map<String, String> cgi, EnvironBuilder builder, String key, String value) {
        if (!cgi.containsKey(key)) {
            builder.put(key, value);
        }
    }
}
