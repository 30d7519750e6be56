package org.wsgi4j.middleware;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Stream;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.wsgi4j.Header;
import org.wsgi4j.internal.HttpSyntax.Violation;
import org.wsgi4j.server.EngineOptions;
import org.wsgi4j.server.ResponseEngine;
import org.wsgi4j.server.ResponseHead;
import org.wsgi4j.server.ResponseSink;
import org.wsgi4j.testing.RecordingLogger;

/**
 * One table of statuses and headers, judged by the response engine (S1-S4, S23) and by {@link Lint}
 * (A2-A4, A10): whatever one refuses the other refuses, under its own rule id, and whatever one
 * accepts the other accepts (Lint may still log a soft rule).
 */
class StatusAndHeaderVerdictsTest {

    private static final List<Header> NONE = List.of();

    static Stream<Arguments> cases() {
        return Stream.of(
                Arguments.of("200 OK", NONE, null),
                Arguments.of("200 OK\tfine", NONE, null),
                Arguments.of("200 ", NONE, null),
                Arguments.of("200 caf\u00e9", NONE, null),
                Arguments.of("599 Last", NONE, null),
                Arguments.of("100 Continue", NONE, Violation.INFORMATIONAL_STATUS),
                Arguments.of("103 Early Hints", NONE, Violation.INFORMATIONAL_STATUS),
                Arguments.of("199 Last Informational", NONE, Violation.INFORMATIONAL_STATUS),
                Arguments.of("204 No Content", headers("Content-Length", "0"), Violation.NO_CONTENT_LENGTH),
                Arguments.of("204 No Content", headers("Content-Length", "5"), Violation.NO_CONTENT_LENGTH),
                Arguments.of("204 No Content", NONE, null),
                Arguments.of("304 Not Modified", headers("Content-Length", "5"), null),
                Arguments.of("200", NONE, Violation.STATUS),
                Arguments.of("200OK", NONE, Violation.STATUS),
                Arguments.of("20 OK", NONE, Violation.STATUS),
                Arguments.of("600 Too High", NONE, Violation.STATUS),
                Arguments.of("099 Low", NONE, Violation.STATUS),
                Arguments.of("abc OK", NONE, Violation.STATUS),
                Arguments.of(null, NONE, Violation.STATUS),
                Arguments.of("200 OK\r\nX-Evil: 1", NONE, Violation.STATUS),
                Arguments.of("200 O\u0001K", NONE, Violation.STATUS),
                Arguments.of("200 O\u007fK", NONE, Violation.STATUS),
                Arguments.of("200 \u20ac", NONE, Violation.STATUS),
                Arguments.of("200 OK", headers("X-Thing", "caf\u00e9"), null),
                Arguments.of("200 OK", headers("X-Thing", "bell\u0007"), null),
                Arguments.of("200 OK", headers("X-Thing", "\tpadded "), null),
                Arguments.of("200 OK", headers("X-Thing", ""), null),
                Arguments.of("200 OK", headers("!#$%&'*+-.^_`|~09az", "v"), null),
                Arguments.of("200 OK", headers("X Y", "v"), Violation.HEADER_NAME),
                Arguments.of("200 OK", headers("", "v"), Violation.HEADER_NAME),
                Arguments.of("200 OK", headers("X:Y", "v"), Violation.HEADER_NAME),
                Arguments.of("200 OK", headers("Caf\u00e9", "v"), Violation.HEADER_NAME),
                Arguments.of("200 OK", headers("X-Thing", "a\rb"), Violation.HEADER_VALUE),
                Arguments.of("200 OK", headers("X-Thing", "a\nb"), Violation.HEADER_VALUE),
                Arguments.of("200 OK", headers("X-Thing", "a\u0000b"), Violation.HEADER_VALUE),
                Arguments.of("200 OK", headers("X-Thing", "\u20ac5"), Violation.HEADER_VALUE),
                Arguments.of("200 OK", headers("Connection", "close"), Violation.HOP_BY_HOP),
                Arguments.of("200 OK", headers("TRANSFER-ENCODING", "chunked"), Violation.HOP_BY_HOP),
                Arguments.of("200 OK", headers("Content-Length", "0"), null),
                Arguments.of("200 OK", headers("Content-Length", "999999999999999999"), null),
                Arguments.of("200 OK", List.of(new Header("Content-Length", "5"), new Header("content-length", "5")),
                        null),
                Arguments.of("200 OK", headers("Content-Length", "1000000000000000000"), Violation.CONTENT_LENGTH),
                Arguments.of("200 OK", headers("Content-Length", "-1"), Violation.CONTENT_LENGTH),
                Arguments.of("200 OK", headers("Content-Length", "1 "), Violation.CONTENT_LENGTH),
                Arguments.of("200 OK", headers("Content-Length", ""), Violation.CONTENT_LENGTH),
                Arguments.of("200 OK", List.of(new Header("Content-Length", "5"), new Header("Content-Length", "6")),
                        Violation.CONTENT_LENGTH));
    }

    private static List<Header> headers(String name, String value) {
        return List.of(new Header(name, value));
    }

    @DisplayName("the engine refuses exactly the table's refusals, under the server rule")
    @ParameterizedTest(name = "[{index}] {0} {1}")
    @MethodSource("cases")
    void engineVerdict(String status, List<Header> headers, Violation expected) {
        AtomicReference<RuntimeException> refused = new AtomicReference<>();
        new ResponseEngine((environ, start) -> {
            try {
                start.start(status, headers);
            } catch (IllegalArgumentException e) {
                refused.set(e);
            }
            return List.of();
        }, new EngineOptions(false, new RecordingLogger())).run(Driver.environ(), new DiscardingSink());

        if (expected == null) {
            assertNull(refused.get(), () -> "refused: " + refused.get().getMessage());
        } else {
            String rule = switch (expected) {
                case STATUS -> "S1";
                case INFORMATIONAL_STATUS, NO_CONTENT_LENGTH -> "S23";
                case HEADER_NAME -> "S2";
                case HEADER_VALUE -> "S3";
                case HOP_BY_HOP -> "S4";
                case CONTENT_LENGTH -> "A10";
            };
            assertEquals(rule, refused.get() == null ? "accepted" : refused.get().getMessage().split(":")[0]);
        }
    }

    @DisplayName("Lint refuses exactly the table's refusals, under the application rule")
    @ParameterizedTest(name = "[{index}] {0} {1}")
    @MethodSource("cases")
    void lintVerdict(String status, List<Header> headers, Violation expected) throws Exception {
        AtomicReference<LintError> refused = new AtomicReference<>();
        Lint.wrap((environ, start) -> {
            try {
                start.start(status, headers);
            } catch (LintError e) {
                refused.set(e);
            }
            return List.of();
        }, new RecordingLogger()).call(Driver.environ(), Driver.ACCEPT);

        if (expected == null) {
            assertNull(refused.get(), () -> "refused: " + refused.get().getMessage());
        } else {
            String rule = switch (expected) {
                case STATUS, INFORMATIONAL_STATUS -> "A2";
                case NO_CONTENT_LENGTH -> "A9";
                case HEADER_NAME, HEADER_VALUE -> "A3";
                case HOP_BY_HOP -> "A4";
                case CONTENT_LENGTH -> "A10";
            };
            assertEquals(rule, assertInstanceOf(LintError.class, refused.get(), "accepted").rule());
        }
    }

    /** The engine's answer is not under test here, only what start refused. */
    private static final class DiscardingSink implements ResponseSink {
        @Override
        public void sendHead(ResponseHead head) {
        }

        @Override
        public void sendBlock(byte[] data, int offset, int length) {
        }

        @Override
        public void flush() {
        }

        @Override
        public void complete() {
        }

        @Override
        public void abort(Throwable cause) {
        }

        @Override
        public boolean isCommitted() {
            return false;
        }
    }
}
