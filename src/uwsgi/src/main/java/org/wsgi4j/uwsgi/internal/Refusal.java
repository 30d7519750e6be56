package org.wsgi4j.uwsgi.internal;

import org.wsgi4j.uwsgi.internal.UwsgiParser.Failure;

/**
 * Why the listener will not serve a connection, and what it does instead: {@link Answer} sends an
 * HTTP error (core's {@link org.wsgi4j.server.Refusal}, the answer every front end gives) through
 * the {@link org.wsgi4j.server.ResponseEngine} and the connection's {@link UwsgiSink}, like any
 * response; {@link Close} closes without a word, which nginx reports as 502 (an answer needs a
 * request well-formed enough to answer).
 */
sealed interface Refusal {

    /** What went wrong, for the log line: names the offending thing and, for a limit, the setting. */
    String reason();

    /**
     * What kind of refusal this is, for the per-interval summary ("431 maxVarsSize", "closed TRUNCATED").
     */
    String kind();

    /**
     * Answers with {@code answer}, core's {@link org.wsgi4j.server.Refusal}: {@code status} with
     * {@code reason} as a plain-text body, sent by the engine through the connection's sink like
     * any response, and seen by the engine's observer.
     *
     * @param setting the {@code UwsgiConfig} field whose limit was passed, or null
     */
    record Answer(org.wsgi4j.server.Refusal answer, String setting) implements Refusal {

        Answer(int status, String reason, String setting) {
            this(new org.wsgi4j.server.Refusal(status, reason), setting);
        }

        int status() {
            return answer.status();
        }

        @Override
        public String reason() {
            return answer.reason();
        }

        @Override
        public String kind() {
            return answer.status() + (setting == null ? "" : " " + setting);
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
