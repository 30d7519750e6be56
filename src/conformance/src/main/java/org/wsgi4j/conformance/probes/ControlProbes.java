package org.wsgi4j.conformance.probes;

import java.util.List;
import java.util.Map;
import org.wsgi4j.Bodies;
import org.wsgi4j.Header;
import org.wsgi4j.StartResponse;
import org.wsgi4j.conformance.EnvironDump;

/**
 * Probes that report or steer rather than test a response rule: the environ dump, the stream gate
 * and the {@code close()} counter. Called by {@link org.wsgi4j.conformance.Probes} only.
 */
public final class ControlProbes {

    /** How long {@code /closed} may wait at most, whatever the client asks. */
    private static final long MAX_WAIT_SECONDS = 60;

    private ControlProbes() {
    }

    /**
     * {@code /environ}: the environ the application was given, one entry a line.
     *
     * @param environ the request's environ
     * @param startResponse the server's start_response
     * @return the environ as {@link org.wsgi4j.conformance.EnvironDump#format} writes it
     */
    public static Iterable<byte[]> environ(Map<String, Object> environ, StartResponse startResponse) {
        startResponse.start("200 OK", List.of(new Header("Content-Type", "text/plain; charset=utf-8")));
        return Bodies.utf8(EnvironDump.format(environ));
    }

    /**
     * Releases a gate a streaming probe waits on.
     *
     * @param startResponse the server's start_response
     * @param query {@code gate}: the gate to release
     * @return a short text body
     */
    public static Iterable<byte[]> release(StartResponse startResponse, Map<String, String> query) {
        ProbeRegistry.release(required(query, "gate"));
        return plain(startResponse, "released\n");
    }

    /**
     * How many times the bodies tracked under {@code id} were closed (SPEC S17).
     *
     * @param startResponse the server's start_response
     * @param query {@code id}: the tracked body; {@code wait}: the most seconds to wait for a close (capped)
     * @return {@code closed=N}, the count of {@code close()} calls under {@code id}
     * @throws InterruptedException if the wait is interrupted
     */
    public static Iterable<byte[]> closed(StartResponse startResponse, Map<String, String> query)
            throws InterruptedException {
        long wait = Math.min(MAX_WAIT_SECONDS, Long.parseLong(query.getOrDefault("wait", "0")));
        return plain(startResponse, "closed=" + ProbeRegistry.awaitCloses(required(query, "id"), wait) + "\n");
    }

    /**
     * {@code body}, with each {@code close()} counted under {@code id}.
     *
     * @param body the body to track
     * @param id the name its closes are counted under
     * @return the body, whose {@code close()} is counted
     */
    public static Iterable<byte[]> track(Iterable<byte[]> body, String id) {
        return Bodies.closing(body, () -> ProbeRegistry.recordClose(id));
    }

    static Iterable<byte[]> plain(StartResponse startResponse, String text) {
        startResponse.start("200 OK", List.of(new Header("Content-Type", "text/plain; charset=utf-8")));
        return Bodies.utf8(text);
    }

    static String required(Map<String, String> query, String name) {
        String value = query.get(name);
        if (value == null || value.isEmpty()) {
            throw new IllegalArgumentException("probe needs the query parameter '" + name + "'");
        }
        return value;
    }
}
