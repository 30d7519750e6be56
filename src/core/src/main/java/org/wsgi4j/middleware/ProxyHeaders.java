package org.wsgi4j.middleware;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.regex.Pattern;
import org.wsgi4j.Application;
import org.wsgi4j.Environ;
import org.wsgi4j.StartResponse;
import org.wsgi4j.server.AddressBlocks;

/**
 * Lets trusted proxies, and only them, state the client's address, the scheme and the host with
 * {@code Forwarded} (RFC 7239) or {@code X-Forwarded-For}/{@code -Proto}/{@code -Host}/{@code -Port}.
 * Installed by every wsgi4j front end; with no trusted proxy (the default) it only removes those
 * headers, so no client can pass itself off as another address or as HTTPS.
 *
 * <p>When {@code REMOTE_ADDR} is in the trusted blocks: {@code Forwarded} wins over the
 * {@code X-Forwarded-*} headers when both are present. The client is the nearest address in the
 * chain (read from the right) that is not itself a trusted proxy; {@code REMOTE_ADDR} becomes it
 * and {@code REMOTE_PORT} is removed (it was the proxy's). The scheme and host are those the
 * nearest proxy states (the last value): {@code wsgi.url_scheme}, {@code HTTPS},
 * {@code HTTP_HOST}, {@code SERVER_NAME} and {@code SERVER_PORT} follow. A value that is not an
 * address, a scheme other than {@code http}/{@code https}, or a malformed host is ignored, never
 * half-applied. The headers stay in the environ for the application to see.
 *
 * <p>When {@code REMOTE_ADDR} is not trusted, {@code HTTP_FORWARDED} and every
 * {@code HTTP_X_FORWARDED_*} are removed and nothing else changes.
 */
public final class ProxyHeaders implements Application {

    private static final String FORWARDED = "HTTP_FORWARDED";
    private static final String X_FORWARDED = "HTTP_X_FORWARDED_";
    private static final String X_FOR = "HTTP_X_FORWARDED_FOR";
    private static final String X_PROTO = "HTTP_X_FORWARDED_PROTO";
    private static final String X_HOST = "HTTP_X_FORWARDED_HOST";
    private static final String X_PORT = "HTTP_X_FORWARDED_PORT";
    private static final Pattern HOST = Pattern.compile("(\\[[0-9A-Fa-f:.]+\\]|[A-Za-z0-9._~!$&'()*+;=%-]+)(:[0-9]{1,5})?");

    private final Application application;
    private final AddressBlocks trusted;

    private ProxyHeaders(Application application, AddressBlocks trusted) {
        this.application = Objects.requireNonNull(application, "application");
        this.trusted = Objects.requireNonNull(trusted, "trusted");
    }

    /**
     * Wraps {@code application}.
     *
     * @param application the application behind the proxies
     * @param trusted the proxies' address blocks ({@code 10.0.0.0/8}, {@code ::1}); empty: trust nobody
     * @return the wrapping application
     * @throws IllegalArgumentException naming an entry that is not an address or CIDR block
     */
    public static Application wrap(Application application, List<String> trusted) {
        return new ProxyHeaders(application, AddressBlocks.parse(trusted));
    }

    @Override
    public Iterable<byte[]> call(Map<String, Object> environ, StartResponse startResponse) throws Exception {
        // With no trusted proxy (the default) REMOTE_ADDR is not even parsed: only the removal is left.
        Object peer = trusted.isEmpty() ? null : environ.get(Environ.REMOTE_ADDR);
        if (peer != null && trusted.contains(peer.toString())) {
            apply(environ);
        } else {
            environ.keySet().removeIf(ProxyHeaders::isForwardedKey);
        }
        return application.call(environ, startResponse);
    }

    private static boolean isForwardedKey(String key) {
        return key.equals(FORWARDED) || key.startsWith(X_FORWARDED);
    }

    private void apply(Map<String, Object> environ) {
        List<String> chain = new ArrayList<>();
        String proto = null;
        String host = null;
        String port = null;
        Object forwarded = environ.get(FORWARDED);
        if (forwarded != null) {
            for (String element : forwarded.toString().split(",")) {
                for (String pair : element.split(";")) {
                    int eq = pair.indexOf('=');
                    if (eq <= 0) {
                        continue;
                    }
                    String name = pair.substring(0, eq).strip().toLowerCase(Locale.ROOT);
                    String value = unquote(pair.substring(eq + 1).strip());
                    switch (name) {
                        case "for" -> chain.add(nodeAddress(value));
                        case "proto" -> proto = value;
                        case "host" -> host = value;
                        default -> { }
                    }
                }
            }
        } else {
            for (String node : values(environ.get(X_FOR))) {
                chain.add(node == null ? null : nodeAddress(node));
            }
            proto = last(values(environ.get(X_PROTO)));
            host = last(values(environ.get(X_HOST)));
            port = last(values(environ.get(X_PORT)));
        }
        String client = client(chain);
        if (client != null) {
            environ.put(Environ.REMOTE_ADDR, client);
            environ.remove(Environ.REMOTE_PORT);
        }
        String scheme = proto == null ? null : proto.toLowerCase(Locale.ROOT);
        if ("http".equals(scheme) || "https".equals(scheme)) {
            environ.put(Environ.WSGI_URL_SCHEME, scheme);
            if (scheme.equals("https")) {
                environ.put(Environ.HTTPS, "on");
            } else {
                environ.remove(Environ.HTTPS);
            }
            if (host == null && port == null) {
                environ.put(Environ.SERVER_PORT, scheme.equals("https") ? "443" : "80");
            }
        }
        if (host != null && isHost(host)) {
            environ.put("HTTP_HOST", host);
            int colon = host.lastIndexOf(':');
            boolean hasPort = colon > host.lastIndexOf(']');
            environ.put(Environ.SERVER_NAME, hasPort ? host.substring(0, colon) : host);
            if (hasPort) {
                environ.put(Environ.SERVER_PORT, host.substring(colon + 1));
            } else if (port == null) {
                environ.put(Environ.SERVER_PORT, "https".equals(environ.get(Environ.WSGI_URL_SCHEME)) ? "443" : "80");
            }
        }
        if (port != null && isPort(port)) {
            environ.put(Environ.SERVER_PORT, port);
        }
    }

    /** The nearest address that is not a trusted proxy; the farthest one if all are trusted. */
    private String client(List<String> chain) {
        String candidate = null;
        for (int i = chain.size() - 1; i >= 0; i--) {
            String address = chain.get(i);
            if (address == null) {
                return candidate; // "unknown" or garbage: stop, trusting nothing beyond it
            }
            candidate = address;
            if (!trusted.contains(address)) {
                return address;
            }
        }
        return candidate;
    }

    /** A Forwarded node ({@code 192.0.2.1}, {@code "[2001:db8::1]:4711"}, {@code unknown}) as an address, or null. */
    private static String nodeAddress(String node) {
        String address = node;
        if (address.startsWith("[")) {
            int end = address.indexOf(']');
            address = end < 0 ? "" : address.substring(1, end);
        } else if (address.indexOf(':') == address.lastIndexOf(':') && address.indexOf(':') > 0) {
            address = address.substring(0, address.indexOf(':'));
        }
        return AddressBlocks.literal(address) == null ? null : address;
    }

    private static List<String> values(Object header) {
        List<String> values = new ArrayList<>();
        if (header != null) {
            for (String value : header.toString().split(",")) {
                String v = value.strip();
                values.add(v.isEmpty() ? null : v);
            }
        }
        return values;
    }

    private static String last(List<String> values) {
        for (Iterator<String> it = values.iterator(); it.hasNext(); ) {
            String value = it.next();
            if (!it.hasNext()) {
                return value;
            }
        }
        return null;
    }

    private static String unquote(String value) {
        return value.length() >= 2 && value.startsWith("\"") && value.endsWith("\"")
                ? value.substring(1, value.length() - 1) : value;
    }

    /** A host as RFC 9110 allows it: reg-name or IP literal, with an optional port; nothing else. */
    private static boolean isHost(String host) {
        return HOST.matcher(host).matches();
    }

    /** One to five ASCII digits. */
    private static boolean isPort(String port) {
        if (port.isEmpty() || port.length() > 5) {
            return false;
        }
        for (int i = 0; i < port.length(); i++) {
            char c = port.charAt(i);
            if (c < '0' || c > '9') {
                return false;
            }
        }
        return true;
    }
}
