package org.wsgi4j.conformance;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;
import org.wsgi4j.Application;
import org.wsgi4j.Environ;
import org.wsgi4j.StartResponse;
import org.wsgi4j.middleware.Lint;
import org.wsgi4j.conformance.probes.BodyProbes;
import org.wsgi4j.conformance.probes.ControlProbes;
import org.wsgi4j.conformance.probes.FailureProbes;

/**
 * The probe application that every host serves in its conformance test. It dispatches on the first
 * segment of {@code PATH_INFO}; anything it does not know (including an empty {@code PATH_INFO}, as
 * under an exact servlet mapping) answers the environ, so every mount can be checked.
 *
 * <table>
 *   <caption>Probes</caption>
 *   <tr><th>path</th><th>answer</th></tr>
 *   <tr><td>{@code /environ...} (and anything unknown)</td><td>the environ in {@link EnvironDump} format (through {@link Lint})</td></tr>
 *   <tr><td>{@code /echo}</td><td>the request body, with {@code X-Echo-Length}, {@code X-Echo-Sha256}, {@code X-Echo-Content-Length}</td></tr>
 *   <tr><td>{@code /stream?n=&gate=}</td><td>{@code n} blocks; each after the first waits for a {@code /release?gate=}</td></tr>
 *   <tr><td>{@code /release?gate=}</td><td>lets one more block of that stream go</td></tr>
 *   <tr><td>{@code /length}</td><td>a one-block body without Content-Length (S10)</td></tr>
 *   <tr><td>{@code /too-many}, {@code /too-few}</td><td>more or fewer bytes than declared (S11, S12)</td></tr>
 *   <tr><td>{@code /head}</td><td>a body with its declared Content-Length (S14 for HEAD)</td></tr>
 *   <tr><td>{@code /status/204}, {@code /status/304}</td><td>that status with a body that must not be sent</td></tr>
 *   <tr><td>{@code /status/204-with-length}, {@code /status/103}</td><td>a 204 with Content-Length, a 1xx final status (S23)</td></tr>
 *   <tr><td>{@code /excinfo-before}, {@code /excinfo-after}</td><td>a second {@code start} with excInfo (S6, S7)</td></tr>
 *   <tr><td>{@code /error-before}, {@code /error-after[?length=]}</td><td>an exception before or after commit (S15, S16)</td></tr>
 *   <tr><td>{@code /headers}</td><td>two {@code Set-Cookie} and a latin-1 {@code X-Latin} header (S22)</td></tr>
 *   <tr><td>{@code /host-fields}</td><td>the application's own {@code Date} and {@code Server} (S24)</td></tr>
 *   <tr><td>{@code /write}</td><td>the legacy write callable, then a body (S19)</td></tr>
 *   <tr><td>{@code /file}</td><td>{@code wsgi.file_wrapper} over {@link BodyProbes#fileContent()} (S20)</td></tr>
 *   <tr><td>{@code /endless}</td><td>small blocks until the client goes away, at most two minutes (S18)</td></tr>
 *   <tr><td>{@code /closed?id=&wait=}</td><td>{@code closed=N}: how often bodies tagged {@code id} were closed</td></tr>
 * </table>
 *
 * <p>Any probe given {@code ?track=ID} has its body wrapped so that {@code close()} is counted
 * under {@code ID} (S17); the wrapper is not a {@code Collection}, so no Content-Length is computed.
 *
 * <p>Hosts load it like any application: {@code new Probes()} (for WAR wiring),
 * {@code Probes.application()}, or the spec {@code org.wsgi4j.conformance.Probes::application}.
 * Instances share their state (gates, close counts) through static registries, so several mounts
 * of the probes in one process work together.
 */
public final class Probes implements Application {

    /**
     * The probes that show the environ and the input, checked by {@link Lint} on every host, so the
     * environ rules (E1-E13) and {@code wsgi.input} (E11) are held to SPEC everywhere: a violation
     * fails the request with a 500 that names the rule.
     */
    private static final Application ENVIRON = Lint.wrap(ControlProbes::environ);
    private static final Application ECHO = Lint.wrap(BodyProbes::echo);
    private static final Application STREAM = Lint.wrap(
            (environ, startResponse) -> BodyProbes.stream(startResponse, query(Environ.queryString(environ))));

    /** Creates the probe application; instances are interchangeable. */
    public Probes() {
    }

    /**
     * The probe application, for {@code Applications.load("org.wsgi4j.conformance.Probes::application")}.
     *
     * @return the probe application, for {@code Applications.load("org.wsgi4j.conformance.Probes::application")}
     */
    public static Application application() {
        return new Probes();
    }

    @Override
    public Iterable<byte[]> call(Map<String, Object> environ, StartResponse startResponse) throws Exception {
        String path = Environ.pathInfo(environ);
        Map<String, String> query = query(Environ.queryString(environ));
        Iterable<byte[]> body = switch (firstSegment(path)) {
            case "echo" -> ECHO.call(environ, startResponse);
            case "stream" -> STREAM.call(environ, startResponse);
            case "release" -> ControlProbes.release(startResponse, query);
            case "length" -> BodyProbes.length(startResponse);
            case "too-many" -> BodyProbes.tooMany(startResponse);
            case "too-few" -> BodyProbes.tooFew(startResponse);
            case "head" -> BodyProbes.head(startResponse);
            case "status" -> BodyProbes.status(startResponse, path.substring(Math.min(path.length(), "/status/".length())));
            case "excinfo-before" -> FailureProbes.excInfoBefore(startResponse);
            case "excinfo-after" -> FailureProbes.excInfoAfter(startResponse);
            case "error-before" -> FailureProbes.errorBefore(startResponse);
            case "error-after" -> FailureProbes.errorAfter(startResponse, query);
            case "write" -> BodyProbes.write(startResponse);
            case "headers" -> BodyProbes.headers(startResponse);
            case "host-fields" -> BodyProbes.hostFields(startResponse);
            case "file" -> BodyProbes.file(environ, startResponse);
            case "endless" -> BodyProbes.endless(startResponse);
            case "closed" -> ControlProbes.closed(startResponse, query);
            default -> ENVIRON.call(environ, startResponse);
        };
        String track = query.get("track");
        return track == null ? body : ControlProbes.track(body, track);
    }

    private static String firstSegment(String path) {
        if (path.length() < 2) {
            return "";
        }
        int end = path.indexOf('/', 1);
        return path.substring(1, end < 0 ? path.length() : end);
    }

    private static Map<String, String> query(String queryString) {
        Map<String, String> query = new HashMap<>();
        for (String pair : queryString.split("&")) {
            int eq = pair.indexOf('=');
            if (eq > 0) {
                query.put(pair.substring(0, eq), URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8));
            }
        }
        return query;
    }
}
