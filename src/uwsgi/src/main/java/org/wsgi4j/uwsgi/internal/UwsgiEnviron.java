package org.wsgi4j.uwsgi.internal;

import java.io.InputStream;
import java.io.PrintWriter;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.wsgi4j.Environ;
import org.wsgi4j.server.EnvironBuilder;
import org.wsgi4j.internal.HttpSyntax;
import org.wsgi4j.server.RequestTarget;

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

    /**
     * Builds the environ.
     *
     * @param local the address the listener accepted the connection on, or null (a unix socket):
     *              the last fallback for an empty {@code SERVER_NAME} after nginx's {@code SERVER_ADDR}
     * @throws IllegalArgumentException when the request cannot be served, naming why (answered 400)
     */
    static Map<String, Object> build(List<Var> vars, Peer peer, String local, InputStream input, PrintWriter errors) {
        EnvironBuilder builder = new EnvironBuilder();
        // Vars other than HTTP_*: a repeat is a location overriding uwsgi_params, the last one wins.
        Map<String, String> cgi = new HashMap<>();
        for (Var var : vars) {
            if (var.key().startsWith(Environ.HTTP_PREFIX)) {
                builder.cgi(var.key(), var.value());
            } else {
                cgi.put(var.key(), var.value());
            }
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
        String query = cgi.getOrDefault(Environ.QUERY_STRING, "");
        String requestUri = cgi.get(Environ.REQUEST_URI);
        // E14-E16: the same targets are refused as on every other host; nginx passes most of them.
        RequestTarget.check(requestUri != null ? requestUri : "/");
        RequestTarget.check("/?" + query);
        // The parser gives every var as latin-1; the two paths nginx percent-decoded are UTF-8 bytes.
        String scriptName = EnvironBuilder.normalizeScriptName(
                RequestTarget.decodeUtf8(cgi.getOrDefault(Environ.SCRIPT_NAME, ""), Environ.SCRIPT_NAME));
        String pathInfo = pathBelow(scriptName,
                RequestTarget.decodeUtf8(cgi.getOrDefault(Environ.PATH_INFO, ""), Environ.PATH_INFO));
        cgi.remove(Environ.SCRIPT_NAME);
        cgi.remove(Environ.PATH_INFO);

        cgi.forEach(builder::cgi);
        builder.method(method)
                .scriptName(scriptName)
                .pathInfo(pathInfo)
                .queryString(query)
                .scheme(scheme)
                .input(input)
                .errors(errors)
                .flags(true, false, false);
        if (requestUri == null) {
            builder.requestUri(scriptName + pathInfo + (query.isEmpty() ? "" : "?" + query));
        }
        if (cgi.containsKey(Environ.REMOTE_ADDR)) {
            builder.remote(cgi.get(Environ.REMOTE_ADDR), parsePort(cgi.get(Environ.REMOTE_PORT)));
        } else {
            builder.remote(peer.address(), peer.port());
        }
        String serverAddr = cgi.get("SERVER_ADDR");
        if (serverAddr != null && !serverAddr.isEmpty()) {
            builder.localAddress(serverAddr);
        } else if (local != null) {
            builder.localAddress(local);
        }
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
     * so that SCRIPT_NAME + PATH_INFO is the request path (SPEC E2, E3). A SCRIPT_NAME that is not
     * such a prefix ({@code location /app} without the trailing slash, and a request for
     * {@code /apple}) is refused rather than applied to a path outside the mount.
     */
    private static String pathBelow(String scriptName, String path) {
        String rest = Environ.pathBelow(scriptName, path);
        if (rest == null) {
            throw new IllegalArgumentException("E3: SCRIPT_NAME '" + scriptName + "' is not a prefix of PATH_INFO '"
                    + path + "' at a '/' boundary (does the nginx location end with '/'?)");
        }
        return rest;
    }

    /** REMOTE_PORT as nginx sends it; anything but digits means unknown. */
    private static int parsePort(String port) {
        return port != null && HttpSyntax.isDigits(port) && port.length() <= 5 ? Integer.parseInt(port) : 0;
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
