package org.wsgi4j.conformance;

import java.net.InetSocketAddress;
import java.util.List;
import java.util.Set;

/**
 * A running front end that serves the {@link Probes}: what a {@link ConformanceSuite} subclass
 * starts in {@link ConformanceSuite#startHost()} and the suite closes after its last test.
 *
 * <p>Implementations are thin: start the real server (embedded Jetty, Tomcat with the WAR, nginx in
 * front of the uwsgi listener), mount the probes once or several times, and describe each mount.
 * The suite speaks raw HTTP/1.1 to {@link #address()}.
 */
public interface Host extends AutoCloseable {

    /**
     * Where the suite connects; HTTP/1.1, loopback, the port the host bound (port 0).
     *
     * @return the address
     */
    InetSocketAddress address();

    /**
     * The mounts of the probes, at least one. The first {@linkplain HostMount#isPrefix() prefix} mount
     * is where every test other than the mount tests sends its requests.
     *
     * @return the mounts
     */
    List<HostMount> mounts();

    /**
     * Whether {@link #address()} speaks TLS (HTTP/1.1 inside, by ALPN); false by default.
     *
     * @return whether {@link #address()} speaks TLS (HTTP/1.1 inside, by ALPN); false by default
     */
    default boolean tls() {
        return false;
    }

    /**
     * This host, reached over TLS.
     *
     * @return this host, reached over TLS
     */
    default Host overTls() {
        Host plain = this;
        return new Host() {
            @Override
            public InetSocketAddress address() {
                return plain.address();
            }

            @Override
            public List<HostMount> mounts() {
                return plain.mounts();
            }

            @Override
            public Set<Quirk> quirks() {
                return plain.quirks();
            }

            @Override
            public boolean tls() {
                return true;
            }

            @Override
            public void close() throws Exception {
                plain.close();
            }
        };
    }

    /**
     * Where this host legitimately differs from the others; empty by default. Keep it short.
     *
     * @return where this host legitimately differs from the others; empty by default. Keep it short
     */
    default Set<Quirk> quirks() {
        return Set.of();
    }

    /** Stops the host; called once, after the suite's last test. */
    @Override
    void close() throws Exception;

    /**
     * A host that is already running at {@code address}; {@code stop} is what {@link #close()} does.
     *
     * @param address where the host listens
     * @param mounts the mounts of the probes
     * @param quirks where the host differs from the others
     * @param stop what {@link #close()} does
     * @return the host
     */
    static Host of(InetSocketAddress address, List<HostMount> mounts, Set<Quirk> quirks, AutoCloseable stop) {
        List<HostMount> fixedMounts = List.copyOf(mounts);
        Set<Quirk> fixedQuirks = Set.copyOf(quirks);
        return new Host() {
            @Override
            public InetSocketAddress address() {
                return address;
            }

            @Override
            public List<HostMount> mounts() {
                return fixedMounts;
            }

            @Override
            public Set<Quirk> quirks() {
                return fixedQuirks;
            }

            @Override
            public void close() throws Exception {
                stop.close();
            }
        };
    }

    /**
     * A behaviour that HTTP or the host's platform decides, not wsgi4j, so the suite expects it
     * only of hosts that declare it.
     */
    enum Quirk {
        /**
         * Path parameters ({@code ;name=value} in a segment) are removed from {@code PATH_INFO}, as
         * servlet containers do before mapping; otherwise {@code PATH_INFO} keeps them as sent.
         * {@code REQUEST_URI} keeps them in either case.
         */
        STRIPS_PATH_PARAMETERS,
        /**
         * A proxy in front reads the whole request body before the application runs (nginx before
         * uwsgi): it answers {@code Expect: 100-continue} itself, and passes a chunked upload on
         * with a {@code CONTENT_LENGTH}. Otherwise {@code 100 Continue} goes out only when the
         * application reads (S21), and a chunked upload has no {@code CONTENT_LENGTH} (E6).
         */
        BUFFERS_REQUEST_BODIES,
        /**
         * A response without {@code Content-Length} that fails after commit reaches the client
         * ended cleanly, with exactly the bytes sent before the failure, instead of visibly broken
         * (S16). The host's link behind the front end delimits such a body by closing and has no
         * way to say that the close was an abort: nginx in front of the uwsgi listener on a unix
         * socket, which (unlike TCP) has no reset, so nginx ends its chunked answer with the last
         * chunk as for a complete response. Linux does report {@code ECONNRESET} to the peer of a
         * unix socket closed with unread data in its receive queue, but nginx has sent the whole
         * request by then and the listener has read it, so nothing is left to leave unread. A
         * response with {@code Content-Length} is still cut short visibly (S12, S16).
         */
        ABORT_WITHOUT_LENGTH_LOOKS_COMPLETE,
        /**
         * A request with an empty {@code Host:} (which HTTP/1.1 allows) is answered
         * {@code 400 Bad Request} by the host's HTTP parser before wsgi4j sees it (Jetty); otherwise
         * it is served with {@code SERVER_NAME} = the address the request arrived on (E7).
         */
        REFUSES_EMPTY_HOST,
        /**
         * When the application leaves part of a request body unread, the host reads on only what
         * has already arrived and otherwise closes the connection after the answer (Jetty over
         * TLS, where the body arrives in records after the answer went out): nothing spills into
         * a next request (E11), but a client pipelining one behind the body may find the
         * connection closed. Otherwise the rest of the body is read and the next request answered.
         */
        MAY_CLOSE_AFTER_UNREAD_BODY,
        /**
         * A repeated {@code Authorization} or {@code If-Modified-Since} is answered {@code 400} by
         * the front end (nginx treats them as unique); otherwise its last value wins (E8), as for
         * every other singleton field.
         */
        REFUSES_REPEATED_UNIQUE_FIELDS,
        /**
         * An absolute-form target whose authority is not the {@code Host} field
         * ({@code GET http://example.com/x} with {@code Host: 127.0.0.1:8080}) is answered
         * {@code 400} by the host's HTTP parser (Jetty: "Authority!=Host", Tomcat); otherwise it is
         * served (nginx), with {@code REQUEST_URI} in origin form (E5).
         */
        REFUSES_MISMATCHED_AUTHORITY,
        /**
         * {@code OPTIONS *} is answered by the host with {@code 200} and an {@code Allow} header
         * (Tomcat). Without this quirk or {@link #OPTIONS_ASTERISK_400} the answer is an empty
         * {@code 404} (embedded Jetty: no context serves {@code *}). The application never sees
         * {@code *} on any host.
         */
        OPTIONS_ASTERISK_200,
        /** {@code OPTIONS *} is answered {@code 400} by the front end (nginx refuses the target). */
        OPTIONS_ASTERISK_400,
        /**
         * The host runs a request without a body on a thread that must never wait (wsgi4j-server
         * {@code --non-blocking}: Jetty's selector thread), so an application that blocks there
         * stalls the host's other connections; a request with a body runs where waiting is allowed.
         * The probes that wait at a gate are then sent with a body. Otherwise they are sent as GETs.
         */
        BLOCKING_NEEDS_A_BODY
    }
}
