package org.wsgi4j.server;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;
import org.wsgi4j.Header;

/** The one answer every front end gives a request it will not serve. */
class RefusalTest {

    private final RecordingSink sink = new RecordingSink();

    private Result refuse(Refusal refusal, EngineOptions options, String method) {
        return refusal.run(options, new EnvironBuilder().method(method).requestUri("/x%2Fy").build(), sink);
    }

    @ParameterizedTest(name = "{0} {1}")
    @CsvSource({"400, Bad Request", "413, Content Too Large", "431, Request Header Fields Too Large",
            "503, Service Unavailable"})
    void answersItsStatusWithTheStandardPhrase(int status, String phrase) {
        Result result = refuse(new Refusal(status, "why"), EngineOptions.defaults(), "GET");
        assertEquals(status + " " + phrase, sink.head().status());
        assertEquals(status, result.status());
        assertEquals(Result.Outcome.COMPLETE, result.outcome());
    }

    @Test
    void sendsTheReasonAndALineEndAsPlainTextWithItsLength() {
        Result result = refuse(Refusal.badRequest("E16: the path '/x%2Fy' has an encoded '/'"), EngineOptions.defaults(),
                "GET");
        assertEquals(List.of(new Header("Content-Type", "text/plain; charset=utf-8"),
                new Header("Content-Length", "42")), sink.head().headers());
        assertEquals("E16: the path '/x%2Fy' has an encoded '/'\n", sink.text());
        assertEquals(42, result.bodyBytes());
    }

    @Test
    void encodesEveryCharacterOfTheReasonAsUtf8() {
        refuse(Refusal.badRequest("E3: SCRIPT_NAME '/€' is not a prefix"), EngineOptions.defaults(), "GET");
        byte[] expected = "E3: SCRIPT_NAME '/€' is not a prefix\n".getBytes(StandardCharsets.UTF_8);
        assertArrayEquals(expected, sink.body.toByteArray());
        assertEquals(Integer.toString(expected.length), sink.header("Content-Length"));
    }

    @Test
    void headRefusalSendsTheHeadOnly() {
        refuse(Refusal.badRequest("why"), EngineOptions.defaults(), "HEAD");
        assertEquals("4", sink.header("Content-Length"));
        assertEquals(0, sink.body.size());
    }

    @Test
    void theObserverSeesTheRefusalWithTheEnvironItWasGiven() {
        List<String> seen = new ArrayList<>();
        EngineOptions options = EngineOptions.defaults().withObserver(new RequestObserver() {
            @Override
            public Object started(Map<String, Object> environ) {
                seen.add("started " + environ.get("REQUEST_URI"));
                return null;
            }

            @Override
            public void completed(Map<String, Object> environ, Object state, Result result, long nanos) {
                seen.add("completed " + environ.get("REQUEST_URI") + " " + result.status() + " " + result.bodyBytes());
            }
        });
        refuse(Refusal.badRequest("why"), options, "GET");
        assertEquals(List.of("started /x%2Fy", "completed /x%2Fy 400 4"), seen);
    }

    @ParameterizedTest
    @ValueSource(ints = {200, 404, 500, 504})
    void aStatusNoRefusalAnswersWithIsRefusedNamingIt(int status) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> new Refusal(status, "why"));
        assertTrue(e.getMessage().startsWith("status " + status + " "), e.getMessage());
    }
}
