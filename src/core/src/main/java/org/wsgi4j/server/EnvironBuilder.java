package org.wsgi4j.server;

import java.io.InputStream;
import java.io.PrintWriter;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.Map;
import org.wsgi4j.Environ;
import org.wsgi4j.FileWrapper;
import org.wsgi4j.internal.HttpSyntax;

/**
 * Builds one request's environ with the rules of SPEC.md section 2, so every front end (the servlet
 * bridge, the uwsgi listener) applies them the same way. One builder per request; {@link #build()}
 * fills the defaults for whatever was not set and hands the map over.
 *
 * <pre>{@code
 * Map<String, Object> environ = new EnvironBuilder()
 *         .method("GET").scriptName("/app").pathInfo("/x").queryString("a=1").requestUri("/app/x?a=1")
 *         .server("example.com", 80, "HTTP/1.1").remote("10.0.0.1", 51234).scheme("http")
 *         .header("Accept", "text/html")
 *         .input(in).errors(log)
 *         .build();
 * }</pre>
 */
public final class EnvironBuilder {

    private static final String HTTP_CONTENT_TYPE = "HTTP_CONTENT_TYPE";
    private static final String HTTP_CONTENT_LENGTH = "HTTP_CONTENT_LENGTH";
    private static final String HTTP_COOKIE = "HTTP_COOKIE";
    private static final String HTTP_HOST = "HTTP_HOST";

    /**
     * Whether a request field is one RFC 9110 (and RFC 9111, 7235) defines as a single value, not a
     * list: a repeat replaces the earlier value instead of joining it (SPEC E8). {@code Content-Type} and
     * {@code Content-Length} are singletons too, under their CGI names (E6). A {@code switch}, not a
     * {@code Set}: it is asked once per request header, and the switch is code (the key's cached hash,
     * then an identity-first {@code equals} against the interned keys {@link HeaderKeys} hands out),
     * where a set's table is data the request's thread must fetch (issue 15, the core front end's hello).
     */
    private static boolean isSingleton(String key) {
        return switch (key) {
            case HTTP_HOST, "HTTP_AUTHORIZATION", "HTTP_PROXY_AUTHORIZATION", "HTTP_DATE", "HTTP_FROM",
                    "HTTP_IF_MODIFIED_SINCE", "HTTP_IF_UNMODIFIED_SINCE", "HTTP_IF_RANGE", "HTTP_MAX_FORWARDS",
                    "HTTP_RANGE", "HTTP_REFERER", "HTTP_USER_AGENT", "HTTP_AGE", "HTTP_ETAG",
                    "HTTP_CONTENT_LOCATION", "HTTP_CONTENT_RANGE", Environ.CONTENT_TYPE -> true;
            default -> false;
        };
    }

    private final EnvironMap environ = new EnvironMap();
    /** As given; normalized only when {@link #build()} needs it. */
    private String localAddress;

    /** An empty builder for one request. */
    public EnvironBuilder() {
    }

    /**
     * Sets {@code REQUEST_METHOD} (SPEC E1).
     *
     * @param method the method as received, not rewritten
     * @return this builder
     */
    public EnvironBuilder method(String method) {
        environ.set(EnvironMap.REQUEST_METHOD, method);
        return this;
    }

    /**
     * Sets {@code SCRIPT_NAME}, the mount point (SPEC E2).
     *
     * @param scriptName the decoded mount point; {@code null} and {@code "/"} are stored as {@code ""}, a trailing {@code /} is removed
     * @return this builder
     */
    public EnvironBuilder scriptName(String scriptName) {
        environ.set(EnvironMap.SCRIPT_NAME, normalizeScriptName(scriptName));
        return this;
    }

    /**
     * Sets {@code PATH_INFO} (SPEC E3); {@code ""} when never set.
     *
     * @param pathInfo the decoded path below the mount point, {@code ""} or starting with {@code /}
     * @return this builder
     */
    public EnvironBuilder pathInfo(String pathInfo) {
        environ.set(EnvironMap.PATH_INFO, pathInfo);
        return this;
    }

    /**
     * Sets {@code QUERY_STRING}, the raw query (SPEC E4).
     *
     * @param queryString the query as received, still percent-encoded; {@code null} (no {@code ?} in the target) is stored as {@code ""}
     * @return this builder
     */
    public EnvironBuilder queryString(String queryString) {
        environ.set(EnvironMap.QUERY_STRING, queryString == null ? "" : queryString);
        return this;
    }

    /**
     * Sets {@code REQUEST_URI} (SPEC E5).
     *
     * @param requestUri the request target as sent, in origin form, path still percent-encoded
     * @return this builder
     */
    public EnvironBuilder requestUri(String requestUri) {
        environ.set(EnvironMap.REQUEST_URI, requestUri);
        return this;
    }

    /**
     * Sets {@code SERVER_NAME}, {@code SERVER_PORT} and {@code SERVER_PROTOCOL} (SPEC E7).
     *
     * @param name     the host name the request was addressed to; {@code ""} is replaced in {@link #build()}
     * @param port     the port the request was addressed to
     * @param protocol the protocol, e.g. {@code "HTTP/1.1"}
     * @return this builder
     */
    public EnvironBuilder server(String name, int port, String protocol) {
        environ.set(EnvironMap.SERVER_NAME, name);
        environ.set(EnvironMap.SERVER_PORT, serverPort(port));
        environ.set(EnvironMap.SERVER_PROTOCOL, protocol);
        return this;
    }

    /**
     * The peer (E9). An IPv6 address loses any brackets and is written in its RFC 5952 form
     * ({@code [0:0:0:0:0:0:0:1]} becomes {@code ::1}), so every host gives the same string.
     *
     * @param address the peer's address, IPv4 or IPv6 (with or without brackets)
     * @param port the peer's port; 0 or less when unknown (no {@code REMOTE_PORT})
     * @return this builder
     */
    public EnvironBuilder remote(String address, int port) {
        return remote(Addresses.normalize(address), portText(port));
    }

    private EnvironBuilder remote(String address, String port) {
        environ.set(EnvironMap.REMOTE_ADDR, address);
        if (port != null) {
            environ.set(EnvironMap.REMOTE_PORT, port);
        }
        return this;
    }

    /** {@code REMOTE_PORT}'s text, or {@code null} (no such key) for a port of 0 or less: unknown. */
    private static String portText(int port) {
        return port > 0 ? Integer.toString(port) : null;
    }

    /**
     * The peer (E9) from its socket address, as {@link #remote(String, int)} gives it from the address's
     * text and port. The two strings are kept per address object: a front end whose connections hand the
     * same immutable {@link InetSocketAddress} to every request of a connection (Jetty's core front end)
     * then formats them once per connection, not per request.
     *
     * @param peer the peer's socket address; an unresolved one is taken by its host string
     * @return this builder
     */
    public EnvironBuilder remote(InetSocketAddress peer) {
        Peer[] cache = PEERS;
        int at = System.identityHashCode(peer) & (cache.length - 1);
        Peer known = cache[at];
        if (known == null || known.address != peer) {
            InetAddress ip = peer.isUnresolved() ? null : peer.getAddress();
            known = new Peer(peer, Addresses.normalize(ip == null ? peer.getHostString() : ip.getHostAddress()),
                    portText(peer.getPort()));
            cache[at] = known;
        }
        return remote(known.text, known.port);
    }

    /**
     * A peer's {@code REMOTE_ADDR} and {@code REMOTE_PORT} text by its socket address object, so that
     * {@link #remote(InetSocketAddress)} is the same rule as {@link #remote(String, int)}. Racy on purpose,
     * as {@link #serverPort}: a {@link Peer} is immutable, so a thread sees a complete one or formats its own.
     */
    private record Peer(InetSocketAddress address, String text, String port) {
    }

    /** Direct-mapped by identity hash; a collision only means formatting again. */
    private static final Peer[] PEERS = new Peer[1024];

    /**
     * The address the request arrived on, the last fallback for an empty {@code SERVER_NAME} (E7);
     * not itself an environ key. An IPv6 address is given in brackets, as in a URL.
     *
     * @param address the local address, IPv4 or IPv6 (with or without brackets)
     * @return this builder
     */
    public EnvironBuilder localAddress(String address) {
        this.localAddress = address;
        return this;
    }

    /**
     * Sets {@code wsgi.url_scheme}; https also sets {@code HTTPS=on}, any other scheme removes it (SPEC E9).
     *
     * @param scheme {@code "http"} or {@code "https"}
     * @return this builder
     */
    public EnvironBuilder scheme(String scheme) {
        environ.set(EnvironMap.WSGI_URL_SCHEME, scheme);
        if ("https".equals(scheme)) {
            environ.set(EnvironMap.HTTPS, "on");
        } else {
            environ.unset(EnvironMap.HTTPS);
        }
        return this;
    }

    /**
     * Adds one request header (E6, E8): {@code Content-Type} and {@code Content-Length} become
     * {@code CONTENT_TYPE} / {@code CONTENT_LENGTH}; other names become {@code HTTP_*}. A repeated
     * header is joined with the earlier values by {@code ", "} ({@code Cookie}: {@code "; "}),
     * except a singleton field ({@code Host}, {@code Authorization}, {@code User-Agent}, ... as RFC
     * 9110 defines them), whose last value wins. Names containing {@code _} are dropped, and a
     * {@code Content-Length} that is not ASCII digits is dropped.
     *
     * @param name  the header name as received
     * @param value the header value, decoded as ISO-8859-1
     * @return this builder
     */
    public EnvironBuilder header(String name, String value) {
        if (name.indexOf('_') >= 0) {
            return this;
        }
        String key = HeaderKeys.of(name);
        if (key.equals(Environ.CONTENT_LENGTH)) {
            if (HttpSyntax.isDigits(value)) {
                environ.put(key, value);
            }
        } else {
            field(key, value);
        }
        return this;
    }

    /**
     * Adds one CGI variable as a front end received it (the uwsgi vars): an {@code HTTP_*} variable
     * is a request header and repeats join as in {@link #header} (nginx sends a repeated header as
     * repeated vars); {@code HTTP_CONTENT_TYPE} and {@code HTTP_CONTENT_LENGTH} are dropped (E6);
     * {@code SCRIPT_NAME} {@code "/"} becomes {@code ""} (E2); any other variable takes its last
     * value, never interpreted.
     *
     * @param key   the variable name, e.g. {@code "HTTP_HOST"} or {@code "REMOTE_ADDR"}
     * @param value the variable value
     * @return this builder
     */
    public EnvironBuilder cgi(String key, String value) {
        switch (key) {
            case HTTP_CONTENT_TYPE, HTTP_CONTENT_LENGTH -> { }
            case Environ.SCRIPT_NAME -> environ.put(key, normalizeScriptName(value));
            default -> {
                if (key.startsWith(Environ.HTTP_PREFIX)) {
                    field(key, value);
                } else {
                    environ.put(key, value);
                }
            }
        }
        return this;
    }

    /** SPEC E8: one rule for joining repeated fields, whichever way a front end received them. */
    private void field(String key, String value) {
        if (isSingleton(key)) {
            environ.put(key, value);
        } else {
            Object old = environ.get(key);
            environ.put(key, old == null ? value : old + (key.equals(HTTP_COOKIE) ? "; " : ", ") + value);
        }
    }

    /**
     * Sets {@code wsgi.input} (SPEC E11).
     *
     * @param input the request body, which must not read past its end
     * @return this builder
     */
    public EnvironBuilder input(InputStream input) {
        environ.set(EnvironMap.WSGI_INPUT, input);
        return this;
    }

    /**
     * Sets {@code wsgi.errors} (SPEC E12).
     *
     * @param errors a writer whose text goes to the host's log
     * @return this builder
     */
    public EnvironBuilder errors(PrintWriter errors) {
        environ.set(EnvironMap.WSGI_ERRORS, errors);
        return this;
    }

    /**
     * Sets {@code wsgi.file_wrapper} (SPEC E13); {@link FileWrapper#DEFAULT} when never set.
     *
     * @param fileWrapper the host's file wrapper
     * @return this builder
     */
    public EnvironBuilder fileWrapper(FileWrapper fileWrapper) {
        environ.set(EnvironMap.WSGI_FILE_WRAPPER, fileWrapper);
        return this;
    }

    /**
     * Sets {@code wsgi.multithread}, {@code wsgi.multiprocess} and {@code wsgi.run_once} (SPEC E10);
     * when never set they are true, false, false.
     *
     * @param multithread  whether the application may be called concurrently
     * @param multiprocess whether other processes serve the same application
     * @param runOnce      whether the application is called once per process
     * @return this builder
     */
    public EnvironBuilder flags(boolean multithread, boolean multiprocess, boolean runOnce) {
        environ.set(EnvironMap.WSGI_MULTITHREAD, multithread);
        environ.set(EnvironMap.WSGI_MULTIPROCESS, multiprocess);
        environ.set(EnvironMap.WSGI_RUN_ONCE, runOnce);
        return this;
    }

    /**
     * Sets any other key, e.g. a {@code wsgi4j.*} extension, as given.
     *
     * @param key   the environ key
     * @param value its value
     * @return this builder
     */
    public EnvironBuilder put(String key, Object value) {
        environ.put(key, value);
        return this;
    }

    /**
     * The environ, with defaults for the keys that were not set. An empty {@code SERVER_NAME} becomes
     * the name part of {@code HTTP_HOST}, else the {@link #localAddress local address} (SPEC E7). The
     * builder must not be used after.
     *
     * @return the environ, a mutable map owned by the caller
     */
    public Map<String, Object> build() {
        if (!(environ.slotValue(EnvironMap.SERVER_NAME) instanceof String name) || name.isEmpty()) {
            // PEP 3333: SERVER_NAME is never empty. E7: the Host's name, else the address the
            // request arrived on (nginx's catch-all servers send "", so does an empty Host).
            String fromHost = hostName(environ.get(HTTP_HOST) instanceof String host ? host : "");
            String fallback = !fromHost.isEmpty() ? fromHost : bracketed(localAddress);
            if (fallback != null) {
                environ.set(EnvironMap.SERVER_NAME, fallback);
            }
        }
        environ.setIfAbsent(EnvironMap.SCRIPT_NAME, "");
        environ.setIfAbsent(EnvironMap.PATH_INFO, "");
        environ.setIfAbsent(EnvironMap.QUERY_STRING, "");
        environ.setIfAbsent(EnvironMap.WSGI_VERSION, Environ.VERSION);
        environ.setIfAbsent(EnvironMap.WSGI_URL_SCHEME,
                "on".equals(environ.slotValue(EnvironMap.HTTPS)) ? "https" : "http");
        environ.setIfAbsent(EnvironMap.WSGI_INPUT_TERMINATED, Boolean.TRUE);
        environ.setIfAbsent(EnvironMap.WSGI_MULTITHREAD, Boolean.TRUE);
        environ.setIfAbsent(EnvironMap.WSGI_MULTIPROCESS, Boolean.FALSE);
        environ.setIfAbsent(EnvironMap.WSGI_RUN_ONCE, Boolean.FALSE);
        environ.setIfAbsent(EnvironMap.WSGI_FILE_WRAPPER, FileWrapper.DEFAULT);
        return environ;
    }

    /**
     * {@code SERVER_PORT}'s text: a listener's port, the same on nearly every request, so the last
     * one is kept rather than formatted anew. Racy on purpose: {@link PortText} is immutable, so a
     * thread sees either an older complete one or its own.
     */
    private static String serverPort(int port) {
        PortText last = lastServerPort;
        if (last == null || last.port != port) {
            last = new PortText(port, Integer.toString(port));
            lastServerPort = last;
        }
        return last.text;
    }

    private record PortText(int port, String text) {
    }

    private static PortText lastServerPort;

    /** The local address in its E9 form, an IPv6 one in brackets as in a URL; null stays null. */
    private static String bracketed(String address) {
        String normalized = Addresses.normalize(address);
        return normalized != null && normalized.indexOf(':') >= 0 ? "[" + normalized + "]" : normalized;
    }

    /** The name part of a Host value: {@code example.com:8080} gives {@code example.com}, {@code [::1]:80} {@code [::1]}. */
    static String hostName(String host) {
        int end = host.startsWith("[") ? host.indexOf(']') + 1 : host.indexOf(':');
        return end <= 0 ? host : host.substring(0, end);
    }

    /**
     * Normalizes a mount point (SPEC E2).
     *
     * @param scriptName a decoded mount point, or {@code null}
     * @return {@code ""} for {@code null}, {@code ""} and {@code "/"}; otherwise the value with one trailing {@code /} removed
     */
    public static String normalizeScriptName(String scriptName) {
        if (scriptName == null || scriptName.isEmpty() || scriptName.equals("/")) {
            return "";
        }
        return scriptName.endsWith("/") ? scriptName.substring(0, scriptName.length() - 1) : scriptName;
    }
}
