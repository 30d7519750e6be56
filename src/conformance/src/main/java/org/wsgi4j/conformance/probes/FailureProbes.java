package org.wsgi4j.conformance.probes;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import org.wsgi4j.Bodies;
import org.wsgi4j.Header;
import org.wsgi4j.StartResponse;

/**
 * Probes that fail on purpose, before or after the response is committed (SPEC S6, S7, S15, S16).
 * Called by {@link org.wsgi4j.conformance.Probes} only.
 */
public final class FailureProbes {

    /**
     * Text in the message of every exception these probes throw; an error page that shows it leaks
     * the exception (S15 allows a stack trace only in debug mode).
     */
    public static final String SECRET = "probe-secret-7f3a";

    /** The block sent before a failure after commit. */
    public static final String FIRST_BLOCK = "first block\n";

    private FailureProbes() {
    }

    /**
     * Starts a 200, then replaces it with a 503 by calling {@code start} with {@code excInfo} before commit (SPEC S6).
     *
     * @param startResponse the server's start_response
     * @return the replacing body
     */
    public static Iterable<byte[]> excInfoBefore(StartResponse startResponse) {
        startResponse.start("200 OK", List.of(new Header("X-Probe", "original"),
                new Header("Content-Type", "text/html")));
        try {
            throw new IllegalStateException("changed its mind " + SECRET);
        } catch (IllegalStateException e) {
            startResponse.start("503 Service Unavailable", List.of(new Header("X-Probe", "replaced"),
                    new Header("Content-Type", "text/plain; charset=utf-8")), e);
        }
        return Bodies.utf8("replaced\n");
    }

    /**
     * Calls {@code start} with {@code excInfo} after the first block was sent; the call rethrows (SPEC S7, S16).
     *
     * @param startResponse the server's start_response
     * @return a body whose second block calls {@code start} with {@code excInfo}
     */
    public static Iterable<byte[]> excInfoAfter(StartResponse startResponse) {
        startResponse.start("200 OK", List.of(new Header("Content-Type", "text/plain; charset=utf-8")));
        return new Blocks(2, i -> {
            if (i == 0) {
                return FIRST_BLOCK.getBytes(StandardCharsets.US_ASCII);
            }
            // S7: after commit this call rethrows the excInfo, which ends the iteration.
            startResponse.start("500 Internal Server Error", List.of(),
                    new IllegalStateException("error after commit " + SECRET));
            return "start with excInfo after commit returned\n".getBytes(StandardCharsets.US_ASCII);
        });
    }

    /**
     * Fails before commit; the server answers 500 (SPEC S15).
     *
     * @param startResponse the server's start_response
     * @return never: it throws
     * @throws IllegalStateException always, after {@code start} and before any body
     */
    public static Iterable<byte[]> errorBefore(StartResponse startResponse) {
        startResponse.start("200 OK", List.of(new Header("Content-Type", "text/html"),
                new Header("X-Probe", "original")));
        throw new IllegalStateException("error before commit " + SECRET);
    }

    /**
     * With {@code length=N}, declares a Content-Length of N, so the abort must cut it short.
     *
     * @param startResponse the server's start_response
     * @param query {@code length}: the {@code Content-Length} to declare, if any
     * @return a body that fails after its first block
     */
    public static Iterable<byte[]> errorAfter(StartResponse startResponse, Map<String, String> query) {
        String length = query.get("length");
        startResponse.start("200 OK", length == null
                ? List.of(new Header("Content-Type", "text/plain; charset=utf-8"))
                : List.of(new Header("Content-Type", "text/plain; charset=utf-8"), new Header("Content-Length", length)));
        return new Blocks(2, i -> {
            if (i == 0) {
                return FIRST_BLOCK.getBytes(StandardCharsets.US_ASCII);
            }
            throw new IllegalStateException("error after commit " + SECRET);
        });
    }
}
