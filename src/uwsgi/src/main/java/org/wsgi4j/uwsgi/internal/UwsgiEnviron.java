package org.wsgi4j.uwsgi.internal;

import java.io.InputStream;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Map;
import org.wsgi4j.Environ;
import org.wsgi4j.internal.HttpSyntax;
import org.wsgi4j.server.EnvironBuilder;
import org.wsgi4j.server.RequestTarget;

/**
 * Turns the uwsgi vars (nginx's {@code uwsgi_params} plus one {@code HTTP_*} var per header) into
 * the environ. The vars already are CGI variables, so they go straight into the
 * {@link EnvironBuilder}, which joins repeated headers (SPEC E8); only the rules of SPEC section 2
 * that nginx does not guarantee are applied here. This is where a var's meaning lives: the parser
 * gives bytes, read here as latin-1, byte for character, except the two paths nginx sends
 * percent-decoded, whose bytes are checked and decoded as UTF-8 (SPEC S22, E15).
 */
final class UwsgiEnviron {

    /** The peer as the socket knows it, used only when nginx sent no REMOTE_ADDR. */
    record Peer(String address, int port) {
    }

    /**
     * The vars read here rather than passed on as they are; a repeat is a location overriding
     * {@code uwsgi_params}, and the last one wins (as in uWSGI).
     */
    private enum Known {
        REQUEST_METHOD, SCRIPT_NAME, PATH_INFO, QUERY_STRING, REQUEST_URI, CONTENT_TYPE, CONTENT_LENGTH,
        HTTPS, REQUEST_SCHEME, REMOTE_ADDR, REMOTE_PORT, SERVER_ADDR, SERVER_PORT, SERVER_PROTOCOL;

        private static final Known[] ALL = values();
        private static final byte[] HTTP_ = {'H', 'T', 'T', 'P', '_'};
        final byte[] key = name().getBytes(StandardCharsets.US_ASCII);

        static Known of(UwsgiVars vars, int i) {
            if (vars.keyStartsWith(i, HTTP_)) {
                // Most vars are headers, and no known var is one.
                return null;
            }
            int length = vars.keyLength(i);
            for (Known known : ALL) {
                if (known.key.length == length && vars.keyIs(i, known.key)) {
                    return known;
                }
            }
            return null;
        }
    }

    /** The vars passed on as nginx sent them (when it sent them). */
    private static final Known[] PASSED = {Known.CONTENT_TYPE, Known.CONTENT_LENGTH, Known.QUERY_STRING,
            Known.REQUEST_URI, Known.REQUEST_SCHEME, Known.REMOTE_ADDR, Known.REMOTE_PORT, Known.SERVER_ADDR,
            Known.SERVER_PORT, Known.SERVER_PROTOCOL};

    private UwsgiEnviron() {
    }

    /**
     * Builds the environ.
     *
     * @param local the address the listener accepted the connection on, or null (a unix socket,
     *              then {@code localhost}): the last fallback for an empty {@code SERVER_NAME}, after
     *              the Host's name and nginx's {@code SERVER_ADDR} (SPEC E7)
     * @throws IllegalArgumentException when the request cannot be served, naming why (answered 400)
     */
    static Map<String, Object> build(UwsgiVars vars, Peer peer, String local, InputStream input, PrintWriter errors) {
        EnvironBuilder builder = new EnvironBuilder();
        int[] last = new int[Known.ALL.length];
        Arrays.fill(last, -1);
        for (int i = 0; i < vars.size(); i++) {
            Known known = Known.of(vars, i);
            if (known != null) {
                last[known.ordinal()] = i;
            } else {
                builder.cgi(vars.key(i), vars.value(i, StandardCharsets.ISO_8859_1));
            }
        }
        // Each known value is decoded once, here; null when nginx did not send it.
        String[] known = new String[Known.ALL.length];
        for (int k = 0; k < known.length; k++) {
            if (last[k] >= 0) {
                known[k] = vars.value(last[k], StandardCharsets.ISO_8859_1);
            }
        }
        String method = known[Known.REQUEST_METHOD.ordinal()];
        if (method == null || method.isEmpty() || !HttpSyntax.isToken(method)) {
            throw new IllegalArgumentException(method == null
                    ? "no REQUEST_METHOD var (does the nginx location include uwsgi_params?)"
                    : "REQUEST_METHOD '" + method + "' is not an HTTP token");
        }
        String scheme = scheme(known[Known.HTTPS.ordinal()], known[Known.REQUEST_SCHEME.ordinal()]);
        String query = orEmpty(known[Known.QUERY_STRING.ordinal()]);
        String requestUri = known[Known.REQUEST_URI.ordinal()];
        // E14-E16: the same targets are refused as on every other host; nginx passes most of them.
        RequestTarget.check(requestUri != null ? requestUri : "/");
        if (!query.isEmpty()) {
            RequestTarget.check("/?" + query);
        }
        String scriptName = EnvironBuilder.normalizeScriptName(
                path(vars, last, known, Known.SCRIPT_NAME, Environ.SCRIPT_NAME));
        String pathInfo = pathBelow(scriptName, path(vars, last, known, Known.PATH_INFO, Environ.PATH_INFO));
        // Passed on as given, except that nginx sends CONTENT_TYPE/CONTENT_LENGTH even when empty
        // and SPEC E6 wants them absent then.
        for (Known passed : PASSED) {
            String value = known[passed.ordinal()];
            if (value != null && !(value.isEmpty() && (passed == Known.CONTENT_TYPE || passed == Known.CONTENT_LENGTH))) {
                builder.cgi(passed.name(), value);
            }
        }
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
        String remoteAddr = known[Known.REMOTE_ADDR.ordinal()];
        if (remoteAddr != null) {
            builder.remote(remoteAddr, parsePort(known[Known.REMOTE_PORT.ordinal()]));
        } else {
            builder.remote(peer.address(), peer.port());
        }
        String serverAddr = known[Known.SERVER_ADDR.ordinal()];
        if (serverAddr != null && !serverAddr.isEmpty()) {
            builder.localAddress(serverAddr);
        } else {
            // A unix socket has no address to name; its peer is on this machine by definition.
            builder.localAddress(local != null ? local : "localhost");
        }
        if (known[Known.SERVER_PORT.ordinal()] == null) {
            builder.put(Environ.SERVER_PORT, scheme.equals("https") ? "443" : "80");
        }
        if (known[Known.SERVER_PROTOCOL.ordinal()] == null) {
            builder.put(Environ.SERVER_PROTOCOL, "HTTP/1.1");
        }
        return builder.build();
    }

    /**
     * The environ of a request {@link #build} refused, for the engine's observer: only what the
     * request carried that is not in question, as {@link org.wsgi4j.server.Refusal} says.
     * {@code REQUEST_METHOD}, {@code REQUEST_URI} and {@code SERVER_PROTOCOL} are the vars as nginx
     * sent them (latin-1, nothing decoded), {@code REMOTE_ADDR} its var or else the peer.
     */
    static Map<String, Object> refused(UwsgiVars vars, Peer peer) {
        String[] known = new String[Known.ALL.length];
        for (int i = 0; i < vars.size(); i++) {
            Known key = Known.of(vars, i);
            if (key != null) {
                known[key.ordinal()] = vars.value(i, StandardCharsets.ISO_8859_1);
            }
        }
        EnvironBuilder builder = new EnvironBuilder();
        for (Known passed : new Known[] {Known.REQUEST_METHOD, Known.REQUEST_URI, Known.SERVER_PROTOCOL}) {
            if (known[passed.ordinal()] != null) {
                builder.put(passed.name(), known[passed.ordinal()]);
            }
        }
        String remoteAddr = known[Known.REMOTE_ADDR.ordinal()];
        if (remoteAddr != null) {
            builder.remote(remoteAddr, parsePort(known[Known.REMOTE_PORT.ordinal()]));
        } else {
            builder.remote(peer.address(), peer.port());
        }
        return builder.build();
    }

    private static String orEmpty(String value) {
        return value == null ? "" : value;
    }

    /**
     * A path nginx sent percent-decoded, as UTF-8 (SPEC S22, E15). When every byte is printable
     * ASCII, its UTF-8 reading is the latin-1 one already made, and there is nothing to refuse.
     */
    private static String path(UwsgiVars vars, int[] last, String[] known, Known key, String what) {
        String latin1 = known[key.ordinal()];
        if (latin1 == null) {
            return "";
        }
        return vars.valueIsPrintableAscii(last[key.ordinal()]) ? latin1 : RequestTarget.decodeUtf8(latin1, what);
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
}
