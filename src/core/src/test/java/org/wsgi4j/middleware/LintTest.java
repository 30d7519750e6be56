package org.wsgi4j.middleware;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.RandomAccess;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Stream;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;
import org.wsgi4j.Application;
import org.wsgi4j.Bodies;
import org.wsgi4j.Environ;
import org.wsgi4j.FileBody;
import org.wsgi4j.Header;
import org.wsgi4j.Write;
import org.wsgi4j.testing.RecordingLogger;

class LintTest {

    private static final List<Header> TEXT = List.of(new Header("Content-Type", "text/plain"));
    private static final Object ABSENT = new Object() {
        @Override
        public String toString() {
            return "(absent)";
        }
    };

    private final RecordingLogger logger = new RecordingLogger();

    private Application lint(Application application) {
        return Lint.wrap(application, logger);
    }

    /** Runs {@code action}, expects a {@link LintError} for {@code rule}, and returns it. */
    private static LintError violation(String rule, Executable action) {
        LintError e = assertThrows(LintError.class, action);
        assertEquals(rule, e.rule(), e.getMessage());
        assertTrue(e.getMessage().startsWith(rule + ": "), e.getMessage());
        return e;
    }

    private static Application respond(String status, List<Header> headers, Iterable<byte[]> body) {
        return (environ, startResponse) -> {
            startResponse.start(status, headers);
            return body;
        };
    }

    private static Application startOnly(String status, List<Header> headers) {
        return respond(status, headers, List.of());
    }

    /** A streaming body (not a Collection) that counts its close() calls. */
    private static final class CountingBody implements Iterable<byte[]>, AutoCloseable {
        final List<byte[]> blocks;
        final AtomicInteger closes = new AtomicInteger();

        CountingBody(byte[]... blocks) {
            this.blocks = Arrays.asList(blocks);
        }

        @Override
        public Iterator<byte[]> iterator() {
            return blocks.iterator();
        }

        @Override
        public void close() {
            closes.incrementAndGet();
        }
    }

    private static byte[] ascii(String text) {
        return text.getBytes(StandardCharsets.US_ASCII);
    }

    @Nested
    @DisplayName("A compliant application")
    class Compliant {

        @Test
        @DisplayName("passes through unchanged: same status, same headers, same blocks, one close")
        void compliantApplicationPassesThroughUnchanged() throws Exception {
            List<Header> headers = List.of(new Header("Content-Type", "text/plain"), new Header("Content-Length", "11"));
            CountingBody body = new CountingBody(ascii("hello"), new byte[0], ascii(" world"));
            Application app = lint(respond("200 OK", headers, body));

            Driver.Response response = Driver.run(app, Driver.environ());

            assertEquals("200 OK", response.status());
            assertSame(headers, response.headers());
            assertEquals("hello world", response.text());
            assertEquals(1, body.closes.get());
            assertEquals(List.of(), logger.messages());
        }

        @Test
        @DisplayName("S10: a Collection body stays a Collection of the same size, and Lint's body is closable")
        void collectionBodyStaysCollection() throws Exception {
            Iterable<byte[]> body = lint(respond("200 OK", TEXT, Bodies.utf8("one block")))
                    .call(Driver.environ(), Driver.ACCEPT);

            Collection<?> collection = assertInstanceOf(Collection.class, body);
            assertEquals(1, collection.size());
            assertInstanceOf(AutoCloseable.class, body);
        }

        @Test
        @DisplayName("a random-access List body stays one: its blocks can be looked at by index before the one checked iteration")
        void listBodyStaysRandomAccessList() throws Exception {
            Iterable<byte[]> body = lint(respond("200 OK", TEXT, new ArrayList<>(List.of(ascii("ab"), ascii("c")))))
                    .call(Driver.environ(), Driver.ACCEPT);

            List<?> list = assertInstanceOf(List.class, body);
            assertInstanceOf(RandomAccess.class, body);
            assertEquals(2, list.size());
            assertArrayEquals(ascii("ab"), (byte[]) list.get(0));
            Iterator<byte[]> blocks = body.iterator();
            assertArrayEquals(ascii("ab"), blocks.next());
            assertArrayEquals(ascii("c"), blocks.next());
            assertFalse(blocks.hasNext());
            ((AutoCloseable) body).close();
        }

        @Test
        @DisplayName("a Collection that is no random-access List is not turned into one")
        void sequentialCollectionIsNoList() throws Exception {
            Iterable<byte[]> body = lint(respond("200 OK", TEXT, new ArrayDeque<>(List.of(ascii("x")))))
                    .call(Driver.environ(), Driver.ACCEPT);

            assertInstanceOf(Collection.class, body);
            assertFalse(body instanceof List<?>);
        }

        @Test
        @DisplayName("A6: a list element that is no byte[] fails when looked at by index, as when iterated")
        @SuppressWarnings({"unchecked", "rawtypes"})
        void listElementThatIsNoArrayFailsByIndex() throws Exception {
            List raw = new ArrayList<>(List.of("text"));
            Iterable<byte[]> body = lint(respond("200 OK", TEXT, (Iterable<byte[]>) raw))
                    .call(Driver.environ(), Driver.ACCEPT);

            violation("A6", () -> ((List<?>) body).get(0));
        }

        @Test
        @DisplayName("A6: a streaming body is not turned into a Collection, and Lint's body is closable")
        void streamingBodyStaysStreaming() throws Exception {
            Iterable<byte[]> body = lint(respond("200 OK", TEXT, () -> List.of(ascii("x")).iterator()))
                    .call(Driver.environ(), Driver.ACCEPT);

            assertFalse(body instanceof Collection<?>);
            ((AutoCloseable) body).close();
        }

        @Test
        @DisplayName("A1: start may be called lazily, inside the body's iterator")
        void lazyStartInsideIteratorPasses() throws Exception {
            Application app = lint((environ, startResponse) -> () -> {
                startResponse.start("200 OK", TEXT);
                return List.of(ascii("late")).iterator();
            });

            assertEquals("late", Driver.run(app, Driver.environ()).text());
        }

        @Test
        @DisplayName("A5: a second start with excInfo replaces the first")
        void secondStartWithExcInfoPasses() throws Exception {
            Application app = lint((environ, startResponse) -> {
                startResponse.start("200 OK", TEXT);
                startResponse.start("500 Internal Server Error", TEXT, new IllegalStateException("boom"));
                return Bodies.utf8("error page");
            });

            assertEquals("500 Internal Server Error", Driver.run(app, Driver.environ()).status());
        }

        @Test
        @DisplayName("A11, S19: the write callable passes bytes through and counts toward Content-Length")
        void writeCallableCountsTowardContentLength() throws Exception {
            Application app = lint((environ, startResponse) -> {
                Write write = startResponse.start("200 OK", List.of(new Header("Content-Length", "6")));
                write.write(ascii("abc"));
                return List.of(ascii("def"));
            });

            assertEquals("abcdef", Driver.run(app, Driver.environ()).text());
        }

        @Test
        @DisplayName("A10: HEAD keeps its Content-Length with an empty body; 304 may carry Content-Length")
        void headAndNotModifiedKeepContentLength() throws Exception {
            Map<String, Object> head = Driver.environ();
            head.put(Environ.REQUEST_METHOD, "HEAD");
            List<Header> length = List.of(new Header("Content-Type", "text/plain"), new Header("Content-Length", "5"));

            Driver.run(lint(startOnly("200 OK", length)), head);
            Driver.run(lint(startOnly("304 Not Modified", List.of(new Header("Content-Length", "5")))), Driver.environ());

            assertEquals(List.of(), logger.messages());
        }

        @Test
        @DisplayName("E9: an https request with HTTPS=on passes")
        void httpsEnvironPasses() throws Exception {
            Map<String, Object> environ = Driver.environ();
            environ.put(Environ.WSGI_URL_SCHEME, "https");
            environ.put(Environ.HTTPS, "on");

            assertEquals("200 OK", Driver.run(lint(startOnly("200 OK", TEXT)), environ).status());
        }

        @Test
        @DisplayName("E11, E12: reading wsgi.input and writing wsgi.errors reach the server's streams")
        void inputAndErrorsPassThrough() throws Exception {
            Map<String, Object> environ = Driver.environ();
            environ.put(Environ.CONTENT_LENGTH, "5");
            environ.put(Environ.WSGI_INPUT, new ByteArrayInputStream(ascii("hello")));
            StringWriter log = new StringWriter();
            environ.put(Environ.WSGI_ERRORS, new PrintWriter(log));
            Application app = lint((env, startResponse) -> {
                byte[] input = Environ.input(env).readAllBytes();
                Environ.errors(env).println("read " + input.length);
                startResponse.start("200 OK", TEXT);
                return List.of(input);
            });

            assertEquals("hello", Driver.run(app, environ).text());
            assertEquals("read 5" + System.lineSeparator(), log.toString());
        }

        @Test
        @DisplayName("S20: a FileBody is returned as it is, so the server can still send it without copying")
        void fileBodyIsReturnedAsIs(@TempDir Path dir) throws Exception {
            Path file = Files.writeString(dir.resolve("f.txt"), "file!");
            FileBody fileBody = FileBody.of(file);
            Iterable<byte[]> body = lint(respond("200 OK", List.of(new Header("Content-Length", "5")), fileBody))
                    .call(Driver.environ(), Driver.ACCEPT);

            assertSame(fileBody, body);
            fileBody.close();
        }
    }

    @Nested
    @DisplayName("What the server gives: the environ (E1-E13) and the write callable (S19)")
    class ServerSide {

        static Stream<Arguments> badEnvirons() {
            return Stream.of(
                    Arguments.of("E1", Environ.REQUEST_METHOD, ABSENT),
                    Arguments.of("E1", Environ.REQUEST_METHOD, ""),
                    Arguments.of("E1", Environ.REQUEST_METHOD, "GE T"),
                    Arguments.of("E1", Environ.REQUEST_METHOD, 42),
                    Arguments.of("E2", Environ.SCRIPT_NAME, "/"),
                    Arguments.of("E2", Environ.SCRIPT_NAME, "app"),
                    Arguments.of("E2", Environ.SCRIPT_NAME, "/app/"),
                    Arguments.of("E2", Environ.SCRIPT_NAME, ABSENT),
                    Arguments.of("E3", Environ.PATH_INFO, "x"),
                    Arguments.of("E3", Environ.PATH_INFO, ABSENT),
                    Arguments.of("E4", Environ.QUERY_STRING, ABSENT),
                    Arguments.of("E5", Environ.REQUEST_URI, ABSENT),
                    Arguments.of("E5", Environ.REQUEST_URI, ""),
                    Arguments.of("E14", Environ.REQUEST_URI, "/caf\u00e9"),
                    Arguments.of("E15", Environ.REQUEST_URI, "/x%FFy"),
                    Arguments.of("E16", Environ.REQUEST_URI, "/a%2Fb"),
                    Arguments.of("E6", Environ.CONTENT_LENGTH, "12a"),
                    Arguments.of("E6", Environ.CONTENT_LENGTH, ""),
                    Arguments.of("E6", Environ.CONTENT_LENGTH, "-1"),
                    Arguments.of("E6", Environ.CONTENT_LENGTH, 12),
                    Arguments.of("E6", Environ.CONTENT_TYPE, 5),
                    Arguments.of("E6", "HTTP_CONTENT_TYPE", "text/plain"),
                    Arguments.of("E6", "HTTP_CONTENT_LENGTH", "3"),
                    Arguments.of("E7", Environ.SERVER_NAME, ABSENT),
                    Arguments.of("E7", Environ.SERVER_NAME, ""),
                    Arguments.of("E7", Environ.SERVER_PORT, "80a"),
                    Arguments.of("E7", Environ.SERVER_PORT, ABSENT),
                    Arguments.of("E7", Environ.SERVER_PROTOCOL, ABSENT),
                    Arguments.of("E8", "HTTP_X_COUNT", 5),
                    Arguments.of("E8", "HTTP_x-lower", "v"),
                    Arguments.of("E8", "HTTP_X_EURO", "\u20ac"),
                    Arguments.of("E9", Environ.REMOTE_ADDR, ABSENT),
                    Arguments.of("E9", Environ.REMOTE_ADDR, "[::1]"),
                    Arguments.of("E9", Environ.REMOTE_PORT, "port"),
                    Arguments.of("E9", Environ.WSGI_URL_SCHEME, "ftp"),
                    Arguments.of("E9", Environ.WSGI_URL_SCHEME, ABSENT),
                    Arguments.of("E9", Environ.HTTPS, "on"),
                    Arguments.of("E10", Environ.WSGI_VERSION, List.of(1, 1)),
                    Arguments.of("E10", Environ.WSGI_VERSION, new int[] {1, 0}),
                    Arguments.of("E10", Environ.WSGI_VERSION, ABSENT),
                    Arguments.of("E10", Environ.WSGI_MULTITHREAD, "true"),
                    Arguments.of("E10", Environ.WSGI_MULTIPROCESS, ABSENT),
                    Arguments.of("E10", Environ.WSGI_RUN_ONCE, ABSENT),
                    Arguments.of("E11", Environ.WSGI_INPUT, ABSENT),
                    Arguments.of("E11", Environ.WSGI_INPUT, "body"),
                    Arguments.of("E11", Environ.WSGI_INPUT_TERMINATED, Boolean.FALSE),
                    Arguments.of("E11", Environ.WSGI_INPUT_TERMINATED, ABSENT),
                    Arguments.of("E12", Environ.WSGI_ERRORS, ABSENT),
                    Arguments.of("E12", Environ.WSGI_ERRORS, System.err),
                    Arguments.of("E13", Environ.WSGI_FILE_WRAPPER, ABSENT));
        }

        @DisplayName("a bad environ is refused with its rule, before the application runs")
        @ParameterizedTest(name = "{0}: {1} = {2}")
        @MethodSource("badEnvirons")
        void badEnvironIsRefusedBeforeTheApplicationRuns(String rule, String key, Object value) {
            Map<String, Object> environ = Driver.environ();
            if (value == ABSENT) {
                environ.remove(key);
            } else {
                environ.put(key, value);
            }
            AtomicInteger calls = new AtomicInteger();
            Application app = lint((env, startResponse) -> {
                calls.incrementAndGet();
                startResponse.start("200 OK", TEXT);
                return List.of();
            });

            LintError e = violation(rule, () -> app.call(environ, Driver.ACCEPT));

            assertEquals(0, calls.get());
            assertTrue(e.getMessage().contains(key), "the message names the key: " + e.getMessage());
        }

        @Test
        @DisplayName("E9: an https request without HTTPS=on is refused")
        void httpsWithoutHttpsOnIsRefused() {
            Map<String, Object> environ = Driver.environ();
            environ.put(Environ.WSGI_URL_SCHEME, "https");

            violation("E9", () -> lint(startOnly("200 OK", TEXT)).call(environ, Driver.ACCEPT));
        }

        @Test
        @DisplayName("S19: a server whose start returns no write callable is caught")
        void serverStartWithoutWriteIsCaught() {
            Application app = lint(startOnly("200 OK", TEXT));

            violation("S19", () -> app.call(Driver.environ(), (status, headers, excInfo) -> null));
        }

        @Test
        @DisplayName("E7: a SERVER_PROTOCOL that is not HTTP/x is logged, not refused")
        void oddServerProtocolIsSoft() throws Exception {
            Map<String, Object> environ = Driver.environ();
            environ.put(Environ.SERVER_PROTOCOL, "SPDY/3");

            Driver.run(lint(startOnly("200 OK", TEXT)), environ);

            assertEquals(1, logger.messages().size(), logger.messages().toString());
            assertTrue(logger.messages().get(0).startsWith("E7: SERVER_PROTOCOL 'SPDY/3'"));
        }

        @Test
        @DisplayName("E11: a server whose wsgi.input reads past CONTENT_LENGTH is caught")
        void inputLongerThanContentLengthIsCaught() {
            Map<String, Object> environ = Driver.environ();
            environ.put(Environ.CONTENT_LENGTH, "3");
            environ.put(Environ.WSGI_INPUT, new ByteArrayInputStream(ascii("0123456789")));
            Application app = lint((env, startResponse) -> List.of(Environ.input(env).readAllBytes()));

            violation("E11", () -> app.call(environ, Driver.ACCEPT));
        }
    }

    @Nested
    @DisplayName("start: status and headers (A2-A5, A9, A10)")
    class Start {

        @DisplayName("A2: a malformed status is refused")
        @ParameterizedTest(name = "status \"{0}\"")
        @ValueSource(strings = {"200", "200OK", "20 OK", "2000 OK", "600 Too High", "099 Low", "abc OK",
                "200 OK\r\nX-Evil: 1", "200 O\u0001K", "200 \u20ac"})
        void malformedStatusIsRefused(String status) {
            Application app = lint(startOnly(status, TEXT));

            LintError e = violation("A2", () -> Driver.run(app, Driver.environ()));

            String shown = status.replace("\r", "\\r").replace("\n", "\\n");
            assertTrue(e.getMessage().contains("'" + shown + "'"), e.getMessage());
        }

        @Test
        @DisplayName("A2: the message names the status, as the house style asks")
        void statusMessageNamesTheStatus() {
            LintError e = violation("A2", () -> Driver.run(lint(startOnly("200", TEXT)), Driver.environ()));

            assertEquals("A2: status '200' must be three digits from 100 to 599, a space and a reason phrase",
                    e.getMessage());
        }

        @Test
        @DisplayName("A2: a null status is refused")
        void nullStatusIsRefused() {
            violation("A2", () -> Driver.run(lint(startOnly(null, TEXT)), Driver.environ()));
        }

        @Test
        @DisplayName("A2: a status without a reason phrase is logged, not refused")
        void statusWithoutReasonIsSoft() throws Exception {
            Driver.run(lint(startOnly("200 ", TEXT)), Driver.environ());

            assertEquals(List.of("A2: status '200 ' has no reason phrase"), logger.messages());
        }

        @Test
        @DisplayName("A3: null headers are refused")
        void nullHeadersAreRefused() {
            violation("A3", () -> Driver.run(lint(startOnly("200 OK", null)), Driver.environ()));
        }

        @Test
        @DisplayName("A3: a null element in the headers is refused")
        void nullHeaderElementIsRefused() {
            violation("A3", () -> Driver.run(lint(startOnly("200 OK", Arrays.asList((Header) null))),
                    Driver.environ()));
        }

        @Test
        @DisplayName("A3: a header list smuggling a non-Header (raw types) is refused")
        void nonHeaderElementIsRefused() {
            List<Object> raw = new ArrayList<>(List.of("Content-Type: text/plain"));
            @SuppressWarnings("unchecked")
            List<Header> headers = (List<Header>) (List<?>) raw;

            violation("A3", () -> Driver.run(lint(startOnly("200 OK", headers)), Driver.environ()));
        }

        @DisplayName("A3: a header name that is not a token is refused, naming it")
        @ParameterizedTest(name = "name \"{0}\"")
        @ValueSource(strings = {"X Y", "", "X:Y", "X\r\nY", "Caf\u00e9"})
        void headerNameThatIsNotATokenIsRefused(String name) {
            Application app = lint(startOnly("200 OK", List.of(new Header(name, "v"))));

            LintError e = violation("A3", () -> Driver.run(app, Driver.environ()));

            assertTrue(e.getMessage().contains("header name '" + name + "' is not a token"), e.getMessage());
        }

        @DisplayName("A3: a header value with CR, LF, NUL or above U+00FF is refused")
        @ParameterizedTest(name = "value \"{0}\"")
        @ValueSource(strings = {"a\rb", "a\nb", "a\u0000b", "\u20ac5"})
        void badHeaderValueIsRefused(String value) {
            Application app = lint(startOnly("200 OK", List.of(new Header("X-Thing", value))));

            LintError e = violation("A3", () -> Driver.run(app, Driver.environ()));

            assertTrue(e.getMessage().contains("'X-Thing'"), e.getMessage());
        }

        @DisplayName("A3: surrounding whitespace or another control character in a value is logged, not refused")
        @ParameterizedTest(name = "value \"{0}\"")
        @ValueSource(strings = {" padded", "padded\t", "bell\u0007"})
        void softHeaderValueProblemsAreLogged(String value) throws Exception {
            Driver.run(lint(startOnly("200 OK", List.of(new Header("X-Thing", value)))), Driver.environ());

            assertEquals(1, logger.messages().size(), logger.messages().toString());
            assertTrue(logger.messages().get(0).startsWith("A3: value of header 'X-Thing'"));
        }

        @Test
        @DisplayName("A3: a CGI-style Status header is logged, not refused")
        void statusHeaderIsSoft() throws Exception {
            Driver.run(lint(startOnly("200 OK", List.of(new Header("status", "404")))), Driver.environ());

            assertEquals(1, logger.messages().size(), logger.messages().toString());
            assertTrue(logger.messages().get(0).startsWith("A3: header 'Status'"), logger.messages().get(0));
        }

        @Test
        @DisplayName("A3: latin-1 values such as 'café' are fine")
        void latin1ValueIsFine() throws Exception {
            Driver.run(lint(startOnly("200 OK", List.of(new Header("X-Thing", "caf\u00e9")))), Driver.environ());

            assertEquals(List.of(), logger.messages());
        }

        @DisplayName("A4: hop-by-hop headers are refused, in any case")
        @ParameterizedTest(name = "{0}")
        @ValueSource(strings = {"Connection", "keep-alive", "Proxy-Authenticate", "Proxy-Authorization", "TE",
                "Trailer", "Trailers", "TRANSFER-ENCODING", "Upgrade"})
        void hopByHopHeaderIsRefused(String name) {
            Application app = lint(startOnly("200 OK", List.of(new Header(name, "x"))));

            LintError e = violation("A4", () -> Driver.run(app, Driver.environ()));

            assertTrue(e.getMessage().contains("'" + name + "'"), e.getMessage());
        }

        @Test
        @DisplayName("A5: a second start without excInfo is refused")
        void secondStartWithoutExcInfoIsRefused() {
            Application app = lint((environ, startResponse) -> {
                startResponse.start("200 OK", TEXT);
                startResponse.start("404 Not Found", TEXT);
                return List.of();
            });

            violation("A5", () -> Driver.run(app, Driver.environ()));
        }

        @Test
        @DisplayName("A5: a violation is an AssertionError, so an application's catch (Exception) cannot swallow it")
        void violationEscapesCatchException() {
            Application app = lint((environ, startResponse) -> {
                try {
                    startResponse.start("OK", TEXT);
                } catch (Exception e) {
                    startResponse.start("500 Internal Server Error", TEXT, e);
                }
                return List.of();
            });

            violation("A2", () -> Driver.run(app, Driver.environ()));
        }

        static Stream<Arguments> noBodyHeaders() {
            Header type = new Header("Content-Type", "text/plain");
            Header length = new Header("Content-Length", "0");
            return Stream.of(
                    Arguments.of("204 No Content", type),
                    Arguments.of("204 No Content", length),
                    Arguments.of("304 Not Modified", type));
        }

        @DisplayName("A2: a 1xx status is informational, never an application's final status")
        @ParameterizedTest(name = "{0}")
        @ValueSource(strings = {"100 Continue", "103 Early Hints", "199 Whatever"})
        void informationalStatusIsRefused(String status) {
            violation("A2", () -> Driver.run(lint(startOnly(status, List.of())), Driver.environ()));
        }

        @DisplayName("A9: 204 carries no Content-Type or Content-Length; 304 no Content-Type")
        @ParameterizedTest(name = "{0} with {1}")
        @MethodSource("noBodyHeaders")
        void noBodyStatusWithEntityHeaderIsRefused(String status, Header header) {
            violation("A9", () -> Driver.run(lint(startOnly(status, List.of(header))), Driver.environ()));
        }

        @DisplayName("A10: a Content-Length that is not digits is refused")
        @ParameterizedTest(name = "Content-Length \"{0}\"")
        @ValueSource(strings = {"", "abc", "-1", "1 ", "99999999999999999999"})
        void contentLengthNotDigitsIsRefused(String value) {
            Application app = lint(startOnly("200 OK", List.of(new Header("Content-Length", value))));

            violation("A10", () -> Driver.run(app, Driver.environ()));
        }

        @Test
        @DisplayName("A10: two different Content-Length headers are refused")
        void twoDifferentContentLengthsAreRefused() {
            Application app = lint(startOnly("200 OK",
                    List.of(new Header("Content-Length", "0"), new Header("content-length", "1"))));

            violation("A10", () -> Driver.run(app, Driver.environ()));
        }

        @Test
        @DisplayName("A10: the same Content-Length sent twice is logged, not refused (the engine accepts it)")
        void repeatedContentLengthIsSoft() throws Exception {
            Driver.run(lint(startOnly("200 OK",
                    List.of(new Header("Content-Length", "0"), new Header("content-length", "0")))), Driver.environ());

            assertEquals(List.of("A10: Content-Length is sent 2 times"), logger.messages());
        }
    }

    @Nested
    @DisplayName("The body (A1, A6, A9, A10) and the write callable (A11)")
    class Body {

        @Test
        @DisplayName("A6: a null body is refused")
        void nullBodyIsRefused() {
            violation("A6", () -> Driver.run(lint(respond("200 OK", TEXT, null)), Driver.environ()));
        }

        @Test
        @DisplayName("A6: a null block is refused")
        void nullBlockIsRefused() {
            Application app = lint(respond("200 OK", TEXT, Arrays.asList(ascii("a"), null)));

            violation("A6", () -> Driver.run(app, Driver.environ()));
        }

        @Test
        @DisplayName("A6: a block that is not a byte[] (raw types) is refused")
        void nonByteArrayBlockIsRefused() {
            @SuppressWarnings("unchecked")
            Iterable<byte[]> strings = (Iterable<byte[]>) (Iterable<?>) List.of("text");

            LintError e = violation("A6", () -> Driver.run(lint(respond("200 OK", TEXT, strings)), Driver.environ()));

            assertTrue(e.getMessage().contains("'text'"), e.getMessage());
        }

        @Test
        @DisplayName("A1: a non-empty block before start is refused")
        void blockBeforeStartIsRefused() {
            Application app = lint((environ, startResponse) -> List.of(ascii("too early")));

            violation("A1", () -> Driver.run(app, Driver.environ()));
        }

        @Test
        @DisplayName("A1: empty blocks before a lazy start are fine")
        void emptyBlocksBeforeStartAreFine() throws Exception {
            Application app = lint((environ, startResponse) -> () -> new Iterator<>() {
                private int step;

                @Override
                public boolean hasNext() {
                    return step < 2;
                }

                @Override
                public byte[] next() {
                    if (step++ == 0) {
                        return new byte[0];
                    }
                    startResponse.start("200 OK", TEXT);
                    return ascii("x");
                }
            });

            assertEquals("x", Driver.run(app, Driver.environ()).text());
        }

        @Test
        @DisplayName("A1: a body that ends without start ever being called is refused")
        void bodyEndingWithoutStartIsRefused() {
            Application app = lint((environ, startResponse) -> List.of());

            violation("A1", () -> Driver.run(app, Driver.environ()));
        }

        @Test
        @DisplayName("A1: a FileBody returned before start is refused")
        void fileBodyBeforeStartIsRefused(@TempDir Path dir) throws Exception {
            FileBody file = FileBody.of(Files.writeString(dir.resolve("f"), "x"));

            violation("A1", () -> lint((environ, startResponse) -> file).call(Driver.environ(), Driver.ACCEPT));

            assertFalse(file.channel().isOpen(), "Lint closes the file the server will never see");
        }

        @Test
        @DisplayName("A10: a body longer than its Content-Length is refused at the block that overflows")
        void bodyLongerThanContentLengthIsRefused() {
            CountingBody body = new CountingBody(ascii("abc"), ascii("def"));
            Application app = lint(respond("200 OK", List.of(new Header("Content-Length", "4")), body));

            LintError e = violation("A10", () -> Driver.run(app, Driver.environ()));

            assertTrue(e.getMessage().contains("6 bytes, more than Content-Length 4"), e.getMessage());
            assertEquals(1, body.closes.get(), "the server still closes the application's body");
        }

        @Test
        @DisplayName("A10: a body shorter than its Content-Length is refused at its end")
        void bodyShorterThanContentLengthIsRefused() {
            Application app = lint(respond("200 OK", List.of(new Header("Content-Length", "10")),
                    List.of(ascii("abc"))));

            LintError e = violation("A10", () -> Driver.run(app, Driver.environ()));

            assertTrue(e.getMessage().contains("3 bytes, fewer than Content-Length 10"), e.getMessage());
        }

        @Test
        @DisplayName("A10: a FileBody whose length differs from the declared Content-Length is refused")
        void fileBodyWithWrongContentLengthIsRefused(@TempDir Path dir) throws Exception {
            FileBody file = FileBody.of(Files.writeString(dir.resolve("f"), "12345"));
            Application app = lint(respond("200 OK", List.of(new Header("Content-Length", "4")), file));

            violation("A10", () -> app.call(Driver.environ(), Driver.ACCEPT));

            assertFalse(file.channel().isOpen(), "Lint closes the file the server will never see");
        }

        @Test
        @DisplayName("A9: a body for HEAD is logged once, not refused")
        void headWithBodyIsSoft() throws Exception {
            Map<String, Object> environ = Driver.environ();
            environ.put(Environ.REQUEST_METHOD, "HEAD");

            Driver.run(lint(respond("200 OK", TEXT, List.of(ascii("a"), ascii("b")))), environ);

            assertEquals(1, logger.messages().size(), logger.messages().toString());
            assertTrue(logger.messages().get(0).startsWith("A9: the response to HEAD /"), logger.messages().get(0));
        }

        @Test
        @DisplayName("A9: a body for 204 is logged, not refused")
        void noContentWithBodyIsSoft() throws Exception {
            Driver.run(lint(respond("204 No Content", List.of(), List.of(ascii("a")))), Driver.environ());

            assertTrue(logger.messages().get(0).startsWith("A9: "), logger.messages().toString());
        }

        @Test
        @DisplayName("A11: write after the application returned its body is refused")
        void writeAfterReturnIsRefused() {
            Application app = lint((environ, startResponse) -> {
                Write write = startResponse.start("200 OK", TEXT);
                return () -> {
                    try {
                        write.write(ascii("late"));
                    } catch (java.io.IOException e) {
                        throw new java.io.UncheckedIOException(e);
                    }
                    return List.<byte[]>of().iterator();
                };
            });

            violation("A11", () -> Driver.run(app, Driver.environ()));
        }

        @Test
        @DisplayName("A12: a thread that keeps the write callable past the end of the body is refused")
        void writeFromAnotherThreadAfterTheEndIsRefused() throws Exception {
            java.util.concurrent.atomic.AtomicReference<Write> leaked = new java.util.concurrent.atomic.AtomicReference<>();
            Application app = lint((environ, startResponse) -> {
                leaked.set(startResponse.start("200 OK", TEXT));
                return List.of();
            });
            Driver.run(app, Driver.environ());
            java.util.concurrent.atomic.AtomicReference<Throwable> seen = new java.util.concurrent.atomic.AtomicReference<>();
            Thread worker = new Thread(() -> {
                try {
                    leaked.get().write(ascii("too late"));
                } catch (Throwable t) {
                    seen.set(t);
                }
            });
            worker.start();
            worker.join();
            assertEquals("A11", assertInstanceOf(LintError.class, seen.get()).rule());
        }

        @Test
        @DisplayName("A11: write(null) is refused")
        void writeNullIsRefused() {
            Application app = lint((environ, startResponse) -> {
                startResponse.start("200 OK", TEXT).write(null);
                return List.of();
            });

            violation("A11", () -> Driver.run(app, Driver.environ()));
        }

        @Test
        @DisplayName("A1: start after the body has ended is refused")
        void startAfterEndIsRefused() throws Exception {
            AtomicReference<org.wsgi4j.StartResponse> kept = new AtomicReference<>();
            Application app = lint((environ, startResponse) -> {
                kept.set(startResponse);
                startResponse.start("200 OK", TEXT);
                return List.of();
            });
            Driver.run(app, Driver.environ());

            violation("A1", () -> kept.get().start("500 Oops", TEXT, new IllegalStateException()));
        }
    }

    @Nested
    @DisplayName("wsgi.input and wsgi.errors (A8, E12)")
    class Streams {

        @DisplayName("A8, E12: closing wsgi.input or wsgi.errors is refused; they belong to the server")
        @ParameterizedTest(name = "{0}: {1}.close()")
        @CsvSource({"A8, wsgi.input", "E12, wsgi.errors"})
        void closingAServerStreamIsRefused(String rule, String key) {
            Application app = lint((environ, startResponse) -> {
                ((AutoCloseable) environ.get(key)).close();
                return List.of();
            });

            violation(rule, () -> Driver.run(app, Driver.environ()));
        }

        @Test
        @DisplayName("A8: reading wsgi.input after the response ended is refused")
        void readingInputAfterEndIsRefused() throws Exception {
            AtomicReference<InputStream> kept = new AtomicReference<>();
            Application app = lint((environ, startResponse) -> {
                kept.set(Environ.input(environ));
                startResponse.start("200 OK", TEXT);
                return List.of();
            });
            Driver.run(app, Driver.environ());

            violation("A8", () -> kept.get().read());
            violation("A8", () -> kept.get().read(new byte[4]));
            violation("A8", () -> kept.get().skip(1));
        }
    }

    @Nested
    @DisplayName("close() of the body, seen from the server (S17)")
    class Close {

        @Test
        @DisplayName("S17: a server that closes the body twice is caught; the application's close runs once")
        void doubleCloseIsCaught() throws Exception {
            CountingBody body = new CountingBody(ascii("x"));
            Iterable<byte[]> linted = lint(respond("200 OK", TEXT, body)).call(Driver.environ(), Driver.ACCEPT);
            AutoCloseable closeable = (AutoCloseable) linted;
            linted.forEach(block -> { });
            closeable.close();

            violation("S17", closeable::close);

            assertEquals(1, body.closes.get());
        }

        @Test
        @DisplayName("S17: a server that iterates the body after closing it is caught")
        void iterationAfterCloseIsCaught() throws Exception {
            Iterable<byte[]> linted = lint(respond("200 OK", TEXT, List.of(ascii("x"))))
                    .call(Driver.environ(), Driver.ACCEPT);
            ((AutoCloseable) linted).close();

            violation("S17", linted::iterator);
        }

        @Test
        @DisplayName("A6: a server that iterates the body twice is caught")
        void secondIterationIsCaught() throws Exception {
            Iterable<byte[]> linted = lint(respond("200 OK", TEXT, List.of(ascii("x"))))
                    .call(Driver.environ(), Driver.ACCEPT);
            linted.forEach(block -> { });

            violation("A6", linted::iterator);
        }

        @Test
        @DisplayName("S17: a body the server never closes is logged once it is garbage collected")
        void unclosedBodyIsLoggedWhenCollected() throws Exception {
            iterateWithoutClosing(lint(respond("200 OK", TEXT, List.of(ascii("x")))));

            awaitCollectedWarning();

            assertTrue(logger.messages().contains("S17: the body of GET / was never closed by the server"),
                    logger.messages().toString());
        }

        @Test
        @DisplayName("S17: a FileBody the server never closes is logged once it is garbage collected")
        void unclosedFileBodyIsLoggedWhenCollected(@TempDir Path dir) throws Exception {
            Path file = Files.writeString(dir.resolve("f"), "x");
            iterateWithoutClosing(lint((environ, startResponse) -> {
                startResponse.start("200 OK", TEXT);
                return FileBody.of(file);
            }));

            awaitCollectedWarning();

            assertTrue(logger.messages().contains("S17: the FileBody of GET / was never closed"),
                    logger.messages().toString());
        }

        private void iterateWithoutClosing(Application app) throws Exception {
            app.call(Driver.environ(), Driver.ACCEPT).forEach(block -> { });
        }

        /** The Cleaner runs after a collection; ask for collections until it has (generous on a loaded machine). */
        private void awaitCollectedWarning() throws InterruptedException {
            boolean logged = false;
            for (int i = 0; i < 600 && !logged; i++) {
                System.gc();
                logged = logger.await("S17", 100);
            }
            assertTrue(logged, "no S17 warning: " + logger.messages());
        }

        @Test
        @DisplayName("S17: a closed body is never reported as unclosed")
        void closedBodyIsNotReported() throws Exception {
            Driver.run(lint(respond("200 OK", TEXT, List.of(ascii("x")))), Driver.environ());
            System.gc();

            assertFalse(logger.await("S17", 200), logger.messages().toString());
        }
    }
}
