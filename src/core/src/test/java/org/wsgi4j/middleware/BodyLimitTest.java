package org.wsgi4j.middleware;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.wsgi4j.Application;
import org.wsgi4j.Environ;

class BodyLimitTest {

    private final List<String> statuses = new ArrayList<>();
    private boolean appRan;

    private Iterable<byte[]> run(long limit, String contentLength, int bodySize) throws Exception {
        Map<String, Object> environ = new HashMap<>();
        if (contentLength != null) {
            environ.put(Environ.CONTENT_LENGTH, contentLength);
        }
        environ.put(Environ.WSGI_INPUT, new ByteArrayInputStream(new byte[bodySize]));
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
}
