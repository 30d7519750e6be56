package org.wsgi4j.middleware;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.wsgi4j.Application;
import org.wsgi4j.Environ;
import org.wsgi4j.server.RequestInput;

class BodyLimitTest {

    private final List<String> statuses = new ArrayList<>();
    private boolean appRan;

    private Iterable<byte[]> run(long limit, String contentLength, int bodySize) throws Exception {
        return run(limit, contentLength, new ByteArrayInputStream(new byte[bodySize]));
    }

    /** As a front end's {@code wsgi.input}: BodyLimit limits it in place instead of wrapping it. */
    private static RequestInput frontEnd(int bodySize) {
        return new RequestInput(() -> new ByteArrayInputStream(new byte[bodySize]));
    }

    private Iterable<byte[]> run(long limit, String contentLength, InputStream input) throws Exception {
        Map<String, Object> environ = new HashMap<>();
        if (contentLength != null) {
            environ.put(Environ.CONTENT_LENGTH, contentLength);
        }
        environ.put(Environ.WSGI_INPUT, input);
        Application app = (env, start) -> {
            appRan = true;
            byte[] all = ((InputStream) env.get(Environ.WSGI_INPUT)).readAllBytes();
            start.start("200 OK", List.of());
            return List.of(all);
        };
        return BodyLimit.wrap(app, limit).call(environ, (status, headers, exc) -> {
            statuses.add(status);
            return data -> { };
        });
    }

    @ParameterizedTest(name = "Content-Length {0} with limit 100 -> {1}")
    @CsvSource({"99, 200 OK", "100, 200 OK", "101, 413 Content Too Large"})
    void aDeclaredLengthOverTheLimitIs413BeforeTheApplicationRuns(int length, String status) throws Exception {
        run(100, Integer.toString(length), length);
        assertEquals(List.of(status), statuses);
        assertEquals(status.startsWith("200"), appRan);
    }

    @Test
    void aDeclaredLengthLargerThanALongIs413() throws Exception {
        run(100, "99999999999999999999999", 0);
        assertEquals(List.of("413 Content Too Large"), statuses);
        assertFalse(appRan);
    }

    @ParameterizedTest(name = "chunked body of {0} bytes with limit 100")
    @CsvSource({"99", "100"})
    void aBodyOfUnknownLengthUpToTheLimitIsRead(int size) throws Exception {
        byte[] read = run(100, null, size).iterator().next();
        assertArrayEquals(new byte[size], read);
    }

    @Test
    void aBodyOfUnknownLengthPastTheLimitFailsTheRead() {
        BodyLimit.TooLargeException e = assertThrows(BodyLimit.TooLargeException.class, () -> run(100, null, 101));
        assertEquals("the request body is larger than the limit of 100 bytes", e.getMessage());
        assertTrue(appRan);
    }

    @Nested
    @DisplayName("on a front end's RequestInput, limited in place rather than wrapped")
    class FrontEndInput {

        @ParameterizedTest(name = "chunked body of {0} bytes with limit 100")
        @CsvSource({"0", "99", "100"})
        void aBodyOfUnknownLengthUpToTheLimitIsRead(int size) throws Exception {
            RequestInput input = frontEnd(size);
            byte[] read = run(100, null, input).iterator().next();
            assertArrayEquals(new byte[size], read);
            assertEquals(size, input.bytesRead());
        }

        @Test
        void aBodyOfUnknownLengthPastTheLimitFailsTheRead() {
            BodyLimit.TooLargeException e = assertThrows(BodyLimit.TooLargeException.class,
                    () -> run(100, null, frontEnd(101)));
            assertEquals("the request body is larger than the limit of 100 bytes", e.getMessage());
            assertTrue(appRan);
        }

        @Test
        void theInputIsNotReplaced() throws Exception {
            RequestInput input = frontEnd(0);
            Map<String, Object> environ = new HashMap<>();
            environ.put(Environ.WSGI_INPUT, input);
            BodyLimit.wrap((env, start) -> {
                assertSame(input, env.get(Environ.WSGI_INPUT));
                return List.of();
            }, 100).call(environ, (status, headers, exc) -> data -> { });
            assertSame(input, environ.get(Environ.WSGI_INPUT));
        }

        @Test
        void ofTwoLimitsTheSmallerHolds() throws Exception {
            RequestInput input = frontEnd(60);
            Application inner = BodyLimit.wrap((env, start) -> List.of(Environ.input(env).readAllBytes()), 50);
            Map<String, Object> environ = new HashMap<>();
            environ.put(Environ.WSGI_INPUT, input);
            assertThrows(BodyLimit.TooLargeException.class, () -> BodyLimit.wrap(inner, 100)
                    .call(environ, (status, headers, exc) -> data -> { }));
        }
    }
}
