package org.wsgi4j.server;

import static java.nio.charset.StandardCharsets.US_ASCII;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.wsgi4j.Application;
import org.wsgi4j.Header;
import org.wsgi4j.testing.RecordingLogger;

/** The engine's request timeout (uWSGI's harakiri): 504 before commit, abort after, close() always. */
class RequestTimeoutTest {

    private static final List<Header> TEXT = List.of(new Header("Content-Type", "text/plain"));
    private static final Duration TIMEOUT = Duration.ofMillis(300);

    private final RecordingSink sink = new RecordingSink();
    private final RecordingLogger log = new RecordingLogger();
    private final List<Result> observed = new ArrayList<>();

    private Result run(Application app) {
        Map<String, Object> environ = new EnvironBuilder().method("GET").pathInfo("/stuck").build();
        EngineOptions options = new EngineOptions(false, log).withRequestTimeout(Optional.of(TIMEOUT))
                .withObserver((env, state, result, nanos) -> observed.add(result));
        return new ResponseEngine(app, options).run(environ, sink);
    }

    @Test
    @DisplayName("a request stuck before answering gets 504, its thread interrupted, and the timeout logged")
    void stuckBeforeCommitIs504() {
        Result result = run((env, start) -> {
            Thread.sleep(60_000);
            return List.of();
        });
        assertEquals(504, result.status());
        assertEquals(Result.Outcome.COMPLETE, result.outcome());
        assertInstanceOf(RequestTimeoutException.class, result.failure());
        assertInstanceOf(InterruptedException.class, result.failure().getCause());
        assertEquals("504 Gateway Timeout\n", sink.text());
        assertTrue(log.entries().stream().anyMatch(e -> e.message().startsWith("request timeout: GET /stuck ran for")),
                log.entries().toString());
        assertFalse(Thread.currentThread().isInterrupted(), "the interrupt must not leak to the next request");
        assertEquals(List.of(result), observed);
    }

    @Test
    @DisplayName("a request stuck after its first block is aborted, and the body is still closed")
    void stuckAfterCommitIsAbortedAndClosed() {
        AtomicBoolean closed = new AtomicBoolean();
        class Stuck implements Iterable<byte[]>, AutoCloseable {
            @Override
            public Iterator<byte[]> iterator() {
                return new Iterator<>() {
                    int n;

                    @Override
                    public boolean hasNext() {
                        return true;
                    }

                    @Override
                    public byte[] next() {
                        if (n++ > 0) {
                            try {
                                Thread.sleep(60_000);
                            } catch (InterruptedException e) {
                                throw new IllegalStateException("interrupted", e);
                            }
                        }
                        return "first\n".getBytes(US_ASCII);
                    }
                };
            }

            @Override
            public void close() {
                closed.set(true);
            }
        }
        Result result = run((env, start) -> {
            start.start("200 OK", TEXT);
            return new Stuck();
        });
        assertEquals(Result.Outcome.ABORTED, result.outcome());
        assertInstanceOf(RequestTimeoutException.class, result.failure());
        assertTrue(sink.calls.contains("abort"), sink.calls.toString());
        assertTrue(closed.get(), "close() did not run");
    }

    @Test
    @DisplayName("an application that swallows the interrupt and answers late still gets 504")
    void aLateAnswerAfterTheTimeoutIs504() {
        Result result = run((env, start) -> {
            try {
                Thread.sleep(60_000);
            } catch (InterruptedException e) {
                // swallowed, as careless code does
            }
            start.start("200 OK", TEXT);
            return List.of("late".getBytes(US_ASCII));
        });
        assertEquals(504, result.status());
    }

    @Test
    @DisplayName("a request inside the timeout is answered as usual, and no interrupt is left behind")
    void aQuickRequestIsUntouched() throws Exception {
        Result result = run((env, start) -> {
            start.start("200 OK", TEXT);
            return List.of("quick".getBytes(US_ASCII));
        });
        assertEquals(200, result.status());
        assertEquals(null, result.failure());
        Thread.sleep(TIMEOUT.toMillis() * 2);
        assertFalse(Thread.currentThread().isInterrupted(), "the timer fired after the request ended");
    }
}
