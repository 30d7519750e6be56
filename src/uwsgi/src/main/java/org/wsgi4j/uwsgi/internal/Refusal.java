package org.wsgi4j.uwsgi.internal;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import org.wsgi4j.Application;
import org.wsgi4j.Header;
import org.wsgi4j.StartResponse;
import org.wsgi4j.uwsgi.internal.UwsgiParser.Failure;

/**
 * Why the listener will not serve a connection, and what it does instead: {@link Answer} sends an
 * HTTP error through the {@link org.wsgi4j.server.ResponseEngine} and the connection's
 * {@link UwsgiSink}, like any response; {@link Close} closes without a word, which nginx reports
 * as 502 (an answer needs a request well-formed enough to answer).
 */
sealed interface Refusal {

    /** What went wrong, for the log line: names the offending thing and, for a limit, the setting. */
    String reason();

    /**
     * What kind of refusal this is, for the per-interval summary ("431 maxVarsSize", "closed TRUNCATED").
     */
    String kind();

    /**
     * Answers {@code status} with {@code reason} as a plain-text body. An application, so that the
     * engine sends it through the same sink as every other response.
     *
     * @param setting the {@code UwsgiConfig} field whose limit was passed, or null
     */
    record Answer(int status, String reason, String setting) implements Refusal, Application {

        @Override
        public String kind() {
            return status + (setting == null ? "" : " " + setting);
        }

        @Override
        public Iterable<byte[]> call(Map<String, Object> environ, StartResponse startResponse) {
            byte[] body = (reason + "\n").getBytes(StandardCharsets.ISO_8859_1);
            startResponse.start(status + " " + reasonPhrase(status), List.of(
                    new Header("Content-Type", "text/plain; charset=iso-8859-1"),
                    new Header("Content-Length", Integer.toString(body.length))));
            return List.of(body);
        }

        private static String reasonPhrase(int status) {
            return switch (status) {
                case 400 -> "Bad Request";
                case 413 -> "Content Too Large";
                case 431 -> "Request Header Fields Too Large";
                case 503 -> "Service Unavailable";
                default -> throw new IllegalArgumentException("no refusal answers " + status);
            };
        }
    }

    /** Closes the connection without answering. */
    record Close(String kind, String reason) implements Refusal {
    }

    /** The one table from parser failures to what is done about them. */
    static Refusal of(Failure failure, String reason) {
        return switch (failure) {
            // Answered in HTTP, so the person at the browser reads the hint too.
            case HTTP_ON_UWSGI_PORT, BAD_CONTENT_LENGTH -> new Answer(400, reason, null);
            case VARS_TOO_LARGE -> new Answer(431, reason + " (maxVarsSize; uWSGI's --buffer-size)", "maxVarsSize");
            case TOO_MANY_VARS -> new Answer(431, reason + " (maxVars; uWSGI's --max-vars)", "maxVars");
            case BODY_TOO_LARGE -> new Answer(413, reason + " (maxBodySize; uWSGI's --limit-post)", "maxBodySize");
            case UNSUPPORTED_MODIFIER, MALFORMED_VARS, TRUNCATED -> new Close(failure.name(), reason);
        };
    }
}
