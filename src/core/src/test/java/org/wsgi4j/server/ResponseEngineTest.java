package org.wsgi4j.server;

import static java.nio.charset.StandardCharsets.US_ASCII;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.PrintWriter;
import java.lang.System.Logger.Level;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.time.Duration;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;
import org.wsgi4j.Application;
import org.wsgi4j.Bodies;
import org.wsgi4j.ClientDisconnectedException;
import org.wsgi4j.Environ;
import org.wsgi4j.FileBody;
import org.wsgi4j.Header;
import org.wsgi4j.Write;
import org.wsgi4j.internal.LineWriter;
import org.wsgi4j.testing.RecordingLogger;

/** One test per server rule of SPEC.md section 4, against a sink that records exact calls. */
class ResponseEngineTest {

    private static final List<Header> TEXT = List.of(new Header("Content-Type", "text/plain"));

    private final RecordingSink sink = new RecordingSink();
    private final RecordingLogger log = new RecordingLogger();

    private Result run(Application app) {
        return run("GET", app);
    }

    private Result run(String method, Application app) {
        return run(method, false, app);
    }

    private Result run(String method, boolean debug, Application app) {
        Map<String, Object> environ = new EnvironBuilder().method(method).pathInfo("/t").build();
        return new ResponseEngine(app, new EngineOptions(debug, log)).run(environ, sink);
    }

    private static Application answering(String status, List<Header> headers, Iterable<byte[]> body) {
        return (env, start) -> {
            start.start(status, headers);
            return body;
        };
    }

    private static byte[] b(String s) {
        return s.getBytes(US_ASCII);
    }

    /** A lazy body that records when each block is asked for and whether it was closed. */
    private static final class TracedBody implements Iterable<byte[]>, AutoCloseable {
        final List<String> trace;
        final String[] blocks;
        final AtomicInteger closes = new AtomicInteger();
        RuntimeException failAt;
        int failIndex = -1;

        TracedBody(List<String> trace, String... blocks) {
            this.trace = trace;
            this.blocks = blocks;
        }

        @Override
        public Iterator<byte[]> iterator() {
            return new Iterator<>() {
                int i;

                @Override
                public boolean hasNext() {
                    return i < blocks.length;
                }

                @Override
                public byte[] next() {
                    if (i == failIndex) {
                        throw failAt;
                    }
                    trace.add("next " + blocks[i]);
                    return b(blocks[i++]);
                }
            };
        }

        @Override
        public void close() {
            closes.incrementAndGet();
            trace.add("close");
        }
    }

    @Nested
    @DisplayName("start_response validation (S1-S4)")
    class Validation {

        @Test
        @DisplayName("S1: a status without a reason separator is refused and becomes a 500")
        void statusWithoutSpaceIsRefused() {
            AtomicReference<Throwable> thrown = new AtomicReference<>();
            Result result = run((env, start) -> {
                try {
                    start.start("200", TEXT);
                } catch (IllegalArgumentException e) {
                    thrown.set(e);
                    throw e;
                }
                return Bodies.empty();
            });
            assertTrue(thrown.get().getMessage().contains("'200'"), thrown.get().getMessage());
            assertEquals(500, result.status());
            assertEquals(500, sink.head().code());
        }

        @Test
        @DisplayName("S1: a status code outside 100-599 is refused")
        void statusCodeOutOfRangeIsRefused() {
            assertEquals(500, run(answering("600 Nope", TEXT, Bodies.empty())).status());
            assertEquals(500, new ResponseEngine(answering("099 Low", TEXT, Bodies.empty()), new EngineOptions(false, log))
                    .run(new EnvironBuilder().method("GET").build(), new RecordingSink()).status());
        }

        @Test
        @DisplayName("S2: a header name that is not a token is refused, naming it")
        void headerNameThatIsNotATokenIsRefused() {
            IllegalArgumentException e = startFails(List.of(new Header("X Y", "1")));
            assertEquals("S2: header name 'X Y' is not a token", e.getMessage());
        }

        @DisplayName("S3: a header value with CR, LF or NUL is refused, naming the header and the character")
        @ParameterizedTest(name = "{1}")
        @CsvSource({"13, CR", "10, LF", "0, NUL"})
        void headerValueWithLineBreakIsRefused(int character, String named) {
            String message = startFails(List.of(new Header("X-A", "a" + (char) character + "b"))).getMessage();
            assertEquals("S3: value of header 'X-A' contains " + named, message);
        }

        @Test
        @DisplayName("S3: a header value outside ISO-8859-1 is refused; latin-1 is accepted")
        void headerValueOutsideLatin1IsRefused() {
            assertTrue(startFails(List.of(new Header("X-A", "\u20ac"))).getMessage().contains("U+20AC"));
            Result ok = run(answering("200 OK", List.of(new Header("X-A", "caf\u00e9")), Bodies.utf8("x")));
            assertEquals(200, ok.status());
        }

        @DisplayName("S4: hop-by-hop headers are refused, in any case")
        @ParameterizedTest(name = "{0}")
        @ValueSource(strings = {"Connection", "keep-alive", "Proxy-Authenticate", "Proxy-Authorization", "TE",
                "Trailer", "Trailers", "TRANSFER-ENCODING", "Upgrade"})
        void hopByHopHeaderIsRefused(String name) {
            assertTrue(startFails(List.of(new Header(name, "x"))).getMessage().startsWith("S4: header '" + name + "'"));
        }

        @Test
        @DisplayName("S5: a second start without excInfo throws")
        void secondStartWithoutExcInfoThrows() {
            AtomicReference<Throwable> thrown = new AtomicReference<>();
            run((env, start) -> {
                start.start("200 OK", TEXT);
                thrown.set(assertThrows(IllegalStateException.class, () -> start.start("201 Created", TEXT)));
                return Bodies.utf8("x");
            });
            assertTrue(thrown.get().getMessage().startsWith("S5"));
            assertEquals(200, sink.head().code());
        }

        private IllegalArgumentException startFails(List<Header> headers) {
            AtomicReference<IllegalArgumentException> thrown = new AtomicReference<>();
            RecordingSink own = new RecordingSink();
            Result result = new ResponseEngine((env, start) -> {
                thrown.set(assertThrows(IllegalArgumentException.class, () -> start.start("200 OK", headers)));
                throw thrown.get();
            }, new EngineOptions(false, log)).run(new EnvironBuilder().method("GET").build(), own);
            assertEquals(500, result.status());
            return thrown.get();
        }
    }

    @Nested
    @DisplayName("excInfo (S6, S7)")
    class ExcInfo {

        @Test
        @DisplayName("S6: excInfo before the headers are sent replaces status and headers")
        void excInfoBeforeCommitReplacesStatusAndHeaders() {
            run((env, start) -> {
                start.start("200 OK", List.of(new Header("X-First", "1")));
                start.start("503 Service Unavailable", List.of(new Header("X-Second", "2")), new IOException("db down"));
                return Bodies.utf8("sorry");
            });
            assertEquals(List.of("head 503 Service Unavailable", "block sorry", "complete"), sink.calls);
            assertNull(sink.header("X-First"));
            assertEquals("2", sink.header("X-Second"));
        }

        @Test
        @DisplayName("S7: excInfo after commit rethrows the original unchecked exception")
        void excInfoAfterCommitRethrowsOriginal() {
            IllegalStateException original = new IllegalStateException("boom");
            AtomicReference<Throwable> thrown = new AtomicReference<>();
            Result result = run((env, start) -> {
                Write write = start.start("200 OK", TEXT);
                write.write(b("partial"));
                thrown.set(assertThrows(Throwable.class, () -> start.start("500 Oops", TEXT, original)));
                throw (RuntimeException) thrown.get();
            });
            assertSame(original, thrown.get());
            assertEquals(Result.Outcome.ABORTED, result.outcome());
            assertEquals(List.of("head 200 OK", "block partial", "flush", "abort"), sink.calls);
        }

        @Test
        @DisplayName("S7: a checked excInfo after commit is rethrown wrapped")
        void checkedExcInfoAfterCommitIsWrapped() {
            IOException original = new IOException("disk");
            AtomicReference<Throwable> thrown = new AtomicReference<>();
            run((env, start) -> {
                start.start("200 OK", TEXT).write(b("x"));
                thrown.set(assertThrows(IllegalStateException.class, () -> start.start("500 Oops", TEXT, original)));
                return Bodies.empty();
            });
            assertSame(original, thrown.get().getCause());
        }
    }

    @Nested
    @DisplayName("sending (S8-S14, S19)")
    class Sending {

        @Test
        @DisplayName("S8: headers are sent with the first non-empty block, not before")
        void headersAreSentWithTheFirstNonEmptyBlock() {
            List<String> trace = new ArrayList<>();
            TracedBody body = new TracedBody(trace, "", "", "a", "b");
            run((env, start) -> {
                start.start("200 OK", TEXT);
                return body;
            });
            assertEquals(List.of("head 200 OK", "block a", "flush", "block b", "flush", "complete"), sink.calls);
            assertEquals(List.of("next ", "next ", "next a", "next b", "close"), trace);
        }

        @Test
        @DisplayName("S8: with an empty body the headers are sent at the end")
        void headersAreSentAtTheEndForAnEmptyBody() {
            run(answering("200 OK", TEXT, List.of(new byte[0], new byte[0])));
            assertEquals(List.of("head 200 OK", "complete"), sink.calls);
        }

        @Test
        @DisplayName("S8: start may be called lazily, inside the body's iteration")
        void startMayBeCalledInsideTheIteration() {
            run((env, start) -> () -> new Iterator<>() {
                boolean done;

                @Override
                public boolean hasNext() {
                    return !done;
                }

                @Override
                public byte[] next() {
                    done = true;
                    start.start("202 Accepted", TEXT);
                    return b("late");
                }
            });
            assertEquals(202, sink.head().code());
            assertEquals("late", sink.text());
        }

        @Test
        @DisplayName("S9: a body block before start is an error answered with 500")
        void bodyBeforeStartIsAnError() {
            Result result = run((env, start) -> Bodies.utf8("no start"));
            assertEquals(500, result.status());
            assertEquals(1, log.count(Level.ERROR, m -> m.contains("S15")));
            assertTrue(log.entries().get(0).thrown().getMessage().startsWith("S9"));
        }

        @Test
        @DisplayName("S10: a one-element collection gets a computed Content-Length")
        void oneElementBodyGetsComputedContentLength() {
            run(answering("200 OK", TEXT, Bodies.utf8("hello")));
            assertEquals("5", sink.header("Content-Length"));
            assertEquals(5L, sink.head().contentLength().getAsLong());
        }

        @Test
        @DisplayName("S10: no computed Content-Length for several blocks, an iterator, 204, or after write")
        void noComputedContentLengthWhereItCannotBeKnown() {
            run(answering("200 OK", TEXT, Bodies.of(b("a"), b("b"))));
            assertNull(sink.header("Content-Length"));

            RecordingSink lazy = new RecordingSink();
            new ResponseEngine(answering("200 OK", TEXT, () -> List.of(b("a")).iterator()))
                    .run(new EnvironBuilder().method("GET").build(), lazy);
            assertNull(lazy.header("Content-Length"));

            RecordingSink noContent = new RecordingSink();
            new ResponseEngine(answering("204 No Content", List.of(), List.of(new byte[0])))
                    .run(new EnvironBuilder().method("GET").build(), noContent);
            assertNull(noContent.header("Content-Length"));

            RecordingSink written = new RecordingSink();
            new ResponseEngine((env, start) -> {
                start.start("200 OK", TEXT).write(b("w"));
                return Bodies.utf8("x");
            }).run(new EnvironBuilder().method("GET").build(), written);
            assertNull(written.header("Content-Length"));
            assertEquals("wx", written.text());
        }

        @Test
        @DisplayName("S10: the application's own Content-Length is kept, not duplicated")
        void applicationContentLengthIsKept() {
            run(answering("200 OK", List.of(new Header("Content-Length", "5")), Bodies.utf8("hello")));
            assertEquals(1, sink.head().headers().size());
        }

        @Test
        @DisplayName("S11: too many bytes are dropped and logged once")
        void tooManyBytesAreDroppedAndLoggedOnce() {
            List<String> trace = new ArrayList<>();
            TracedBody body = new TracedBody(trace, "abc", "def", "ghi");
            Result result = run(answering("200 OK", List.of(new Header("Content-Length", "4")), body));
            assertEquals("abcd", sink.text());
            assertEquals(Result.Outcome.COMPLETE, result.outcome());
            assertEquals(1, log.count(Level.WARNING, m -> m.contains("S11")));
            assertEquals(List.of("next abc", "next def", "close"), trace, "stops iterating once the length is reached");
        }

        @Test
        @DisplayName("S11: excess bytes through write are dropped too")
        void tooManyBytesThroughWriteAreDropped() {
            run((env, start) -> {
                Write w = start.start("200 OK", List.of(new Header("Content-Length", "3")));
                w.write(b("ab"));
                w.write(b("cd"));
                w.write(b("ef"));
                return Bodies.empty();
            });
            assertEquals("abc", sink.text());
            assertEquals(1, log.count(Level.WARNING, m -> m.contains("S11")));
        }

        @Test
        @DisplayName("S12: too few bytes abort the connection")
        void tooFewBytesAbortTheConnection() {
            Result result = run(answering("200 OK", List.of(new Header("Content-Length", "10")), Bodies.of(b("short"))));
            assertEquals(Result.Outcome.ABORTED, result.outcome());
            assertEquals(List.of("head 200 OK", "block short", "flush", "abort"), sink.calls);
            assertEquals(1, log.count(Level.WARNING, m -> m.contains("S12")));
        }

        @Test
        @DisplayName("S13: each block is flushed before the next one is asked for")
        void eachBlockIsFlushedBeforeTheNextIsRequested() {
            List<String> trace = new ArrayList<>();
            RecordingSink ordered = new RecordingSink() {
                @Override
                public void flush() {
                    super.flush();
                    trace.add("flushed");
                }
            };
            new ResponseEngine(answering("200 OK", TEXT, new TracedBody(trace, "1", "2", "3")))
                    .run(new EnvironBuilder().method("GET").build(), ordered);
            assertEquals(List.of("next 1", "flushed", "next 2", "flushed", "next 3", "flushed", "close"), trace);
        }

        @Test
        @DisplayName("S13: a collection's blocks already exist, so they are flushed once, by the completion")
        void collectionBlocksAreFlushedByTheCompletion() {
            run(answering("200 OK", TEXT, Bodies.of(b("a"), b("b"), b("c"))));
            assertEquals(List.of("head 200 OK", "block a", "block b", "block c", "complete"), sink.calls);
        }

        @Test
        @DisplayName("S13, S19: a streamed block and a write reach the sink as one send-and-flush; a collection's blocks and a cut block do not")
        void streamedBlocksAreSentAndFlushedInOneCall() {
            RecordingSink joined = new RecordingSink() {
                @Override
                public void sendBlockAndFlush(byte[] data, int offset, int length) {
                    calls.add("block and flush " + new String(data, offset, length, StandardCharsets.ISO_8859_1));
                }
            };
            new ResponseEngine((env, start) -> {
                start.start("200 OK", TEXT).write(b("w"));
                return () -> List.of(b("1"), b("2")).iterator();
            }).run(new EnvironBuilder().method("GET").build(), joined);
            assertEquals(List.of("head 200 OK", "block and flush w", "block and flush 1", "block and flush 2", "complete"),
                    joined.calls);

            joined.calls.clear();
            new ResponseEngine(answering("200 OK", TEXT, Bodies.of(b("a"), b("b"))))
                    .run(new EnvironBuilder().method("GET").build(), joined);
            assertEquals(List.of("head 200 OK", "block a", "block b", "complete"), joined.calls);

            joined.calls.clear();
            new ResponseEngine(answering("200 OK", List.of(new Header("Content-Length", "4")),
                    new TracedBody(new ArrayList<>(), "abc", "def")))
                    .run(new EnvironBuilder().method("GET").build(), joined);
            assertEquals(List.of("head 200 OK", "block and flush abc", "block d", "complete"), joined.calls,
                    "the block cut at Content-Length (S11) is sent without a flush; the completion flushes it");
        }

        @Test
        @DisplayName("S14: a HEAD response sends the head but no body, and keeps Content-Length")
        void headResponseSendsNoBody() {
            List<String> trace = new ArrayList<>();
            TracedBody body = new TracedBody(trace, "abc");
            Result result = run("HEAD", answering("200 OK", List.of(new Header("Content-Length", "3")), body));
            assertEquals(List.of("head 200 OK", "flush", "complete"), sink.calls);
            assertEquals("3", sink.header("Content-Length"));
            assertEquals(0, result.bodyBytes());
            assertEquals(1, body.closes.get());
        }

        @Test
        @DisplayName("S14: a bodiless answer is flushed after its head, so a container adds no length of its own")
        void bodilessAnswerIsCommittedAsGiven() {
            run(answering("304 Not Modified", List.of(new Header("ETag", "\"x\"")), Bodies.empty()));
            assertEquals(List.of("head 304 Not Modified", "flush", "complete"), sink.calls);
        }

        @ParameterizedTest(name = "S23: the final status {0} is an application error: 500 before commit")
        @ValueSource(strings = {"100 Continue", "103 Early Hints", "199 Whatever"})
        void informationalFinalStatusIs500(String status) {
            assertEquals(500, run(answering(status, List.of(), Bodies.utf8("not sent"))).status());
            assertEquals(500, sink.head().code());
        }

        @Test
        @DisplayName("S23: a 204 with Content-Length is an application error: 500 before commit")
        void noContentWithContentLengthIs500() {
            assertEquals(500, run(answering("204 No Content", List.of(new Header("Content-Length", "5")),
                    Bodies.utf8("12345"))).status());
            assertEquals(500, sink.head().code());
        }

        @Test
        @DisplayName("S14: 204 and 304 responses send no body")
        void noBodyFor204And304() {
            for (String status : List.of("204 No Content", "304 Not Modified")) {
                RecordingSink own = new RecordingSink();
                new ResponseEngine(answering(status, List.of(), Bodies.utf8("not sent")))
                        .run(new EnvironBuilder().method("GET").build(), own);
                assertEquals("", own.text(), status);
                assertFalse(own.calls.stream().anyMatch(c -> c.startsWith("block")), status);
                assertNull(own.header("Content-Length"), status);
            }
        }

        @Test
        @DisplayName("S19: write sends the headers and the data, and flushes, before returning")
        void writeCallableSendsHeadersAndFlushes() {
            List<String> seen = new ArrayList<>();
            run((env, start) -> {
                Write w = start.start("200 OK", TEXT);
                w.write(new byte[0]);
                seen.add(String.join(",", sink.calls));
                w.write(b("x"));
                seen.add(String.join(",", sink.calls));
                return Bodies.empty();
            });
            assertEquals(List.of("head 200 OK,flush", "head 200 OK,flush,block x,flush"), seen);
        }
    }

    @Nested
    @DisplayName("errors and close (S15-S18, A6)")
    class Errors {

        @Test
        @DisplayName("S15: an exception before commit answers a plain 500 without a stack trace")
        void exceptionBeforeCommitAnswersPlain500() {
            Result result = run((env, start) -> {
                start.start("200 OK", TEXT);
                throw new IllegalStateException("secret detail");
            });
            assertEquals(500, result.status());
            assertEquals(Result.Outcome.COMPLETE, result.outcome());
            assertEquals("500 Internal Server Error\n", sink.text());
            assertEquals("text/plain; charset=utf-8", sink.header("Content-Type"));
            assertEquals(Integer.toString(sink.text().length()), sink.header("Content-Length"));
            assertEquals(1, log.count(Level.ERROR));
            assertEquals("secret detail", log.entries().get(0).thrown().getMessage());
        }

        @Test
        @DisplayName("S15: in debug mode the 500 carries the stack trace")
        void debugModeShowsTheStackTrace() {
            run("GET", true, (env, start) -> {
                throw new IllegalStateException("visible detail");
            });
            assertTrue(sink.text().contains("java.lang.IllegalStateException: visible detail"), sink.text());
        }

        @Test
        @DisplayName("S15: an exception from the iterator before any byte was sent is a 500")
        void iteratorExceptionBeforeCommitIs500() {
            List<String> trace = new ArrayList<>();
            TracedBody body = new TracedBody(trace, "a");
            body.failIndex = 0;
            body.failAt = new IllegalStateException("lazy failure");
            run(answering("200 OK", TEXT, body));
            assertEquals(500, sink.head().code());
            assertEquals(1, body.closes.get());
        }

        @Test
        @DisplayName("S16: an exception after commit aborts the connection, never completes")
        void exceptionAfterCommitAbortsTheConnection() {
            List<String> trace = new ArrayList<>();
            TracedBody body = new TracedBody(trace, "a", "b");
            body.failIndex = 1;
            body.failAt = new IllegalStateException("mid-stream");
            Result result = run(answering("200 OK", TEXT, body));
            assertEquals(Result.Outcome.ABORTED, result.outcome());
            assertEquals(List.of("head 200 OK", "block a", "flush", "abort"), sink.calls);
            assertEquals("mid-stream", sink.abortCause.getMessage());
            assertEquals(1, log.count(Level.ERROR, m -> m.contains("S16")));
            assertEquals(1, body.closes.get());
        }

        @Test
        @DisplayName("S17: the body is closed exactly once after a normal end, before the response completes")
        void bodyIsClosedExactlyOnceOnNormalEnd() {
            List<String> trace = new ArrayList<>();
            TracedBody body = new TracedBody(trace, "a");
            RecordingSink ordered = new RecordingSink() {
                @Override
                public void complete() {
                    super.complete();
                    trace.add("complete");
                }
            };
            new ResponseEngine(answering("200 OK", TEXT, body)).run(new EnvironBuilder().method("GET").build(), ordered);
            assertEquals(List.of("next a", "close", "complete"), trace);
        }

        @Test
        @DisplayName("S17: close() failing before commit becomes a 500")
        void closeFailureBeforeCommitBecomes500() {
            Result result = run(answering("200 OK", TEXT, Bodies.closing(Bodies.empty(), () -> {
                throw new IOException("close failed");
            })));
            assertEquals(500, result.status());
        }

        @Test
        @DisplayName("S17: close() failing after commit is logged and aborts the connection, as S16")
        void closeFailureAfterCommitAbortsTheConnection() {
            Result result = run(answering("200 OK", TEXT, Bodies.closing(Bodies.of(b("a"), b("b")), () -> {
                throw new IOException("close failed");
            })));
            assertEquals(200, result.status());
            assertEquals(Result.Outcome.ABORTED, result.outcome());
            assertEquals(1, log.count(Level.ERROR));
        }

        @Test
        @DisplayName("S18: the body is closed when the client vanishes, and it is not logged as an error")
        void bodyIsClosedWhenTheClientVanishes() {
            List<String> trace = new ArrayList<>();
            TracedBody body = new TracedBody(trace, "a", "b", "c");
            sink.vanishAtBlock = 2;
            Result result = run(answering("200 OK", TEXT, body));
            assertEquals(Result.Outcome.CLIENT_GONE, result.outcome());
            assertEquals(List.of("next a", "next b", "close"), trace);
            assertEquals(1, body.closes.get());
            assertEquals(0, log.count(Level.ERROR));
            assertEquals(0, log.count(Level.WARNING));
            assertEquals(1, log.count(Level.DEBUG));
            assertInstanceOf(ClientDisconnectedException.class, sink.abortCause);
        }

        @Test
        @DisplayName("S18: write throws ClientDisconnectedException when the client vanished")
        void writeThrowsClientDisconnected() {
            sink.vanishAtBlock = 1;
            AtomicReference<Throwable> seen = new AtomicReference<>();
            Result result = run((env, start) -> {
                Write w = start.start("200 OK", TEXT);
                try {
                    w.write(b("x"));
                } catch (IOException e) {
                    seen.set(e);
                    throw e;
                }
                return Bodies.empty();
            });
            assertInstanceOf(ClientDisconnectedException.class, seen.get());
            assertEquals(Result.Outcome.CLIENT_GONE, result.outcome());
        }

        @Test
        @DisplayName("A6: a null body is an application error")
        void nullBodyIsAnError() {
            assertEquals(500, run((env, start) -> {
                start.start("200 OK", TEXT);
                return null;
            }).status());
        }

        @Test
        @DisplayName("A6: a null block is an application error")
        void nullBlockIsAnError() {
            List<byte[]> body = new ArrayList<>();
            body.add(null);
            assertEquals(500, run(answering("200 OK", TEXT, body)).status());
        }
    }

    @Nested
    @DisplayName("file bodies (S20)")
    class Files_ {

        @TempDir
        Path dir;

        @Test
        @DisplayName("S20: a file body goes through the sink's zero-copy path with the file's length")
        void fileBodyUsesZeroCopy() throws IOException {
            Path file = Files.write(dir.resolve("f.txt"), b("0123456789"));
            sink.zeroCopy = true;
            FileBody body = FileBody.of(file);
            Result result = run((env, start) -> {
                start.start("200 OK", TEXT);
                return Environ.fileWrapper(env).wrap(file);
            });
            assertEquals(List.of("head 200 OK", "sendFile 0+10", "flush", "complete"), sink.calls);
            assertEquals("10", sink.header("Content-Length"));
            assertEquals(10, result.bodyBytes());
            body.close();
        }

        @Test
        @DisplayName("S20: without zero-copy the file body is iterated as blocks")
        void fileBodyIsIteratedWhenTheSinkCannotSendFiles() throws IOException {
            Path file = Files.write(dir.resolve("f.txt"), new byte[FileBody.DEFAULT_BLOCK_SIZE + 10]);
            Result result = run((env, start) -> {
                start.start("200 OK", TEXT);
                return FileBody.of(file);
            });
            assertEquals(FileBody.DEFAULT_BLOCK_SIZE + 10, sink.body.size());
            assertEquals(Long.toString(FileBody.DEFAULT_BLOCK_SIZE + 10), sink.header("Content-Length"));
            assertEquals(Result.Outcome.COMPLETE, result.outcome());
        }

        @Test
        @DisplayName("S20/S17: the file body is closed after sending")
        void fileBodyIsClosed() throws IOException {
            Path file = Files.write(dir.resolve("f.txt"), b("abc"));
            AtomicReference<FileBody> body = new AtomicReference<>();
            sink.zeroCopy = true;
            run((env, start) -> {
                start.start("200 OK", TEXT);
                body.set(FileBody.of(file));
                return body.get();
            });
            assertFalse(body.get().channel().isOpen());
        }
    }

    @Test
    void aReadPastABodyLimitThatTheApplicationLetsEscapeIs413NotAFailure() {
        Result result = run((env, start) -> {
            throw new IllegalStateException("the upload failed",
                    new ContentTooLargeException("the request body is larger than the limit of 100 bytes"));
        });
        assertEquals(413, result.status());
        assertNull(result.failure());
        assertEquals(413, sink.head().code());
        assertEquals("413 Content Too Large: the request body is larger than the limit of 100 bytes\n", sink.text());
        assertEquals(0, log.count(Level.ERROR, message -> true), log.messages().toString());
    }

    @Test
    void anUnfinishedLineOfWsgiErrorsIsLoggedWhenTheRequestEnds() {
        List<String> lines = new ArrayList<>();
        Map<String, Object> environ = new EnvironBuilder().method("GET").pathInfo("/t")
                .errors(LineWriter.forRequest(lines::add)).build();
        class ClosingBody extends ArrayList<byte[]> implements AutoCloseable {
            @Override
            public void close() {
                ((PrintWriter) environ.get(Environ.WSGI_ERRORS)).print(", even at close");
            }
        }
        Application app = (env, start) -> {
            ((PrintWriter) env.get(Environ.WSGI_ERRORS)).print("no line break");
            start.start("200 OK", TEXT);
            ClosingBody body = new ClosingBody();
            body.add(b("a"));
            return body;
        };
        new ResponseEngine(app, new EngineOptions(false, log)).run(environ, sink);
        assertEquals(List.of("no line break, even at close"), lines);
    }

    @Nested
    @DisplayName("the request observer")
    class Observer {

        private Result observed(RequestObserver observer) {
            Map<String, Object> environ = new EnvironBuilder().method("GET").pathInfo("/t").build();
            return new ResponseEngine(answering("200 OK", TEXT, List.of(b("hi"))),
                    new EngineOptions(false, log).withObserver(observer)).run(environ, sink);
        }

        @Test
        @DisplayName("completed receives the state started returned for the same request, and the result")
        void completedReceivesTheStateStartedReturned() {
            Object state = new Object();
            AtomicReference<Object> received = new AtomicReference<>();
            AtomicReference<Result> result = new AtomicReference<>();
            Result returned = observed(new RequestObserver() {
                @Override
                public Object started(Map<String, Object> environ) {
                    return state;
                }

                @Override
                public void completed(Map<String, Object> environ, Object got, Result r, long nanos) {
                    received.set(got);
                    result.set(r);
                }
            });
            assertSame(state, received.get());
            assertSame(returned, result.get());
        }

        @Test
        @DisplayName("a started that throws is logged, and completed is still called, with no state")
        void startedThatThrowsLeavesNoState() {
            AtomicReference<Object> received = new AtomicReference<>("not called");
            Result result = observed(new RequestObserver() {
                @Override
                public Object started(Map<String, Object> environ) {
                    throw new IllegalStateException("observer broke");
                }

                @Override
                public void completed(Map<String, Object> environ, Object got, Result r, long nanos) {
                    received.set(got);
                }
            });
            assertNull(received.get());
            assertEquals(200, result.status());
            assertTrue(log.messages().contains("the request observer failed"), log.messages().toString());
        }
    }

    @Nested
    @DisplayName("a body dispatch (a front end choosing the thread that sends the body)")
    class Dispatch {

        private final List<String> trace = new ArrayList<>();
        private final List<Runnable> tasks = new ArrayList<>();
        private final List<Result> completed = new ArrayList<>();
        private final Executor later = tasks::add;

        private Result dispatched(Application app, BodyDispatch dispatch, EngineOptions options) {
            Map<String, Object> environ = new EnvironBuilder().method("GET").pathInfo("/t").build();
            RequestObserver observer = (env, state, result, nanos) -> completed.add(result);
            return new ResponseEngine(app, options.withObserver(observer)).run(environ, sink, dispatch);
        }

        private Result dispatched(Application app, BodyDispatch dispatch) {
            return dispatched(app, dispatch, new EngineOptions(false, log));
        }

        /** A body whose first iteration calls start_response, as PEP 3333 allows. */
        private Application startingInTheBody(TracedBody body) {
            return (env, start) -> () -> {
                start.start("200 OK", TEXT);
                return body.iterator();
            };
        }

        @Test
        @DisplayName("the body handed to an executor is neither iterated nor closed before the executor runs it")
        void handedBodyWaitsForTheExecutor() {
            TracedBody body = new TracedBody(trace, "a", "b");
            assertNull(dispatched(answering("200 OK", TEXT, body), returned -> later));
            assertEquals(List.of(), trace);
            assertEquals(List.of(), sink.calls);
            assertEquals(List.of(), completed);
            assertEquals(1, tasks.size());
        }

        @Test
        @DisplayName("on the executor the exchange ends as it would have on the calling thread, observed once")
        void executorEndsTheExchange() {
            TracedBody body = new TracedBody(trace, "a", "b");
            dispatched(answering("200 OK", TEXT, body), returned -> later);
            tasks.get(0).run();
            assertEquals(List.of("next a", "next b", "close"), trace);
            assertEquals(List.of("head 200 OK", "block a", "flush", "block b", "flush", "complete"), sink.calls);
            assertEquals(List.of(new Result(200, 2, Result.Outcome.COMPLETE, null)), completed);
        }

        @Test
        @DisplayName("start_response called in the body's first iteration is honoured on the executor")
        void startResponseInTheFirstIterationOnTheExecutor() {
            TracedBody body = new TracedBody(trace, "x");
            dispatched(startingInTheBody(body), returned -> later);
            tasks.get(0).run();
            assertEquals(List.of("head 200 OK", "block x", "flush", "complete"), sink.calls);
            assertEquals(1, completed.size());
        }

        @Test
        @DisplayName("the dispatch is given the application's own body")
        void dispatchIsGivenTheBody() {
            List<byte[]> body = List.of(b("hi"));
            AtomicReference<Iterable<byte[]>> given = new AtomicReference<>();
            Result result = dispatched(answering("200 OK", TEXT, body), returned -> {
                given.set(returned);
                return null;
            });
            assertSame(body, given.get());
            assertEquals(new Result(200, 2, Result.Outcome.COMPLETE, null), result);
            assertEquals(List.of(result), completed);
        }

        @Test
        @DisplayName("an executor that refuses the body is answered 500, the body closed once")
        void refusedExecutorIsA500() {
            TracedBody body = new TracedBody(trace, "a");
            Result result = dispatched(answering("200 OK", TEXT, body), returned -> task -> {
                throw new RejectedExecutionException("stopping");
            });
            assertEquals(500, result.status());
            assertInstanceOf(RejectedExecutionException.class, result.failure());
            assertEquals(List.of("close"), trace);
            assertEquals(List.of(result), completed);
        }

        @Test
        @DisplayName("an application that fails is answered on the calling thread, without asking the dispatch")
        void failedApplicationIsNotDispatched() {
            Result result = dispatched((env, start) -> {
                throw new IllegalStateException("broken");
            }, returned -> {
                throw new AssertionError("asked");
            });
            assertEquals(500, result.status());
            assertEquals(List.of(result), completed);
        }

        @Test
        @DisplayName("with a request timeout, which interrupts the calling thread, the body stays on it")
        void requestTimeoutKeepsTheBodyOnTheCallingThread() {
            Result result = dispatched(answering("200 OK", TEXT, List.of(b("hi"))), returned -> {
                throw new AssertionError("asked");
            }, new EngineOptions(false, log).withRequestTimeout(Optional.of(Duration.ofMinutes(1))));
            assertEquals(new Result(200, 2, Result.Outcome.COMPLETE, null), result);
        }
    }
}
