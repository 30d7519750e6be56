package org.wsgi4j.server;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.wsgi4j.Application;
import org.wsgi4j.Header;
import org.wsgi4j.StartResponse;

/**
 * The answer to a request a front end will not serve: a target that SPEC E14-E16 refuse (400), and
 * the uwsgi listener's limits (413, 431, 503). The answer is {@code status} with {@code reason} and a
 * line end as a {@code text/plain; charset=utf-8} body with its {@code Content-Length}, the same on
 * every host.
 *
 * <p>It is an {@link Application}, and {@link #run} sends it through a {@link ResponseEngine} and the
 * front end's own {@link ResponseSink}, like any answer: there is no second way of writing a
 * response, and the engine's {@link RequestObserver} sees every refused request (statistics count
 * it by its status, the access log has its line).
 *
 * <p><b>The environ of a refused request.</b> There is no valid environ to give the observer: the
 * refused part may be the path, the query or a var. A front end gives {@link #run} an environ made
 * with {@link EnvironBuilder} of what the request carried that is not in question and that a log
 * line shows: {@code REQUEST_METHOD}, {@code REQUEST_URI} (the target as received, never a decoded
 * form of it), {@code SERVER_PROTOCOL}, {@code SERVER_NAME}, {@code SERVER_PORT}, {@code REMOTE_ADDR}
 * and {@code REMOTE_PORT} where it has them, and the builder's defaults ({@code SCRIPT_NAME},
 * {@code PATH_INFO} and {@code QUERY_STRING} empty); no headers, no {@code wsgi.input}. Whatever
 * chooses a mount from {@code PATH_INFO} therefore sees the root.
 *
 * @param status the status code: 400, 413, 431 or 503
 * @param reason what was refused and why, naming the rule or the setting (one line, as
 *               {@link RequestTarget#check} and the uwsgi listener word it)
 */
public record Refusal(int status, String reason) implements Application {

    /**
     * A refusal answering {@code status} with {@code reason}.
     *
     * @param status the status code: 400, 413, 431 or 503
     * @param reason what was refused and why
     * @throws IllegalArgumentException if {@code status} is not one a refusal answers with
     * @throws NullPointerException     if {@code reason} is null
     */
    public Refusal {
        reasonPhrase(status);
        Objects.requireNonNull(reason, "reason");
    }

    /**
     * A {@code 400 Bad Request} refusal.
     *
     * @param reason what was refused and why
     * @return the refusal
     */
    public static Refusal badRequest(String reason) {
        return new Refusal(400, reason);
    }

    /**
     * Sends this answer for a refused request, through the engine's rules and the front end's sink.
     *
     * @param options the options of the front end's engine (its observer above all)
     * @param environ the refused request's environ, as the class description says
     * @param sink    the response's I/O
     * @return what was sent and how the response ended, as {@link ResponseEngine#run} says
     */
    public Result run(EngineOptions options, Map<String, Object> environ, ResponseSink sink) {
        return new ResponseEngine(this, options).run(environ, sink);
    }

    @Override
    public Iterable<byte[]> call(Map<String, Object> environ, StartResponse startResponse) {
        byte[] body = (reason + "\n").getBytes(StandardCharsets.UTF_8);
        startResponse.start(status + " " + reasonPhrase(status), List.of(
                new Header("Content-Type", "text/plain; charset=utf-8"),
                new Header("Content-Length", Integer.toString(body.length))));
        return List.of(body);
    }

    private static String reasonPhrase(int status) {
        return switch (status) {
            case 400 -> "Bad Request";
            case 413 -> "Content Too Large";
            case 431 -> "Request Header Fields Too Large";
            case 503 -> "Service Unavailable";
            default -> throw new IllegalArgumentException("status " + status + " is not one a refusal answers with"
                    + " (400, 413, 431, 503)");
        };
    }
}
