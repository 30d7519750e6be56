package org.wsgi4j.conformance;

import static org.junit.jupiter.api.Assertions.assertAll;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;
import org.wsgi4j.Environ;
import org.wsgi4j.Header;
import org.wsgi4j.conformance.EnvironDump.Entry;
import org.wsgi4j.conformance.probes.BodyProbes;
import org.wsgi4j.conformance.probes.FailureProbes;

/**
 * The conformance suite: the same raw HTTP/1.1 requests, sent to the {@link Probes} through a
 * host, and the exact answers SPEC.md requires. A host's test is a subclass that starts the host:
 *
 * <pre>{@code
 * class EmbeddedJettyConformanceTest extends ConformanceSuite {
 *     @Override
 *     protected Host startHost() throws Exception {
 *         Wsgi4jServer server = Wsgi4jServer.builder().http(0).mount("/probe", Probes.application()).build().start();
 *         return new Host() { ... };   // address(), mounts(), close() -> server.stop()
 *     }
 * }
 * }</pre>
 *
 * <p>The suite starts the host once before its first test and closes it after the last
 * ({@code PER_CLASS} lifecycle). Each test names the rule it checks. Requests go to the first
 * prefix mount, except the mount and path tests, which cover every mount the host declares.
 * Nothing here sleeps to synchronise: streaming waits at a server-side gate, and close() counts are
 * awaited on the server.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
public abstract class ConformanceSuite {

    /** How long the server may take to notice a client that went away and close the body. */
    private static final int CLOSE_WAIT_SECONDS = 30;

    private Host host;

    /**
     * Starts the host with the probes mounted; called once, before the first test.
     *
     * @return the running host, closed after the suite's last test
     * @throws Exception anything: the suite's tests then fail with it
     */
    protected abstract Host startHost() throws Exception;

    @BeforeAll
    final void startTheHost() throws Exception {
        host = startHost();
        assertTrue(host.mounts().stream().anyMatch(HostMount::isPrefix),
                "a host must declare at least one prefix mount, declared " + host.mounts());
    }

    @AfterAll
    final void closeTheHost() throws Exception {
        if (host != null) {
            host.close();
        }
    }

    /**
     * The running host, for subclasses that add host-specific tests.
     *
     * @return the running host, for subclasses that add host-specific tests
     */
    protected final Host host() {
        return host;
    }

    @Nested
    @DisplayName("the environ: E1-E13")
    class TheEnviron {

        @Test
        @DisplayName("E1, E4, E5, E7, E9: request line, server and peer keys are set from the request")
        void requestLineServerAndPeerKeysAreSet() throws IOException {
            Map<String, Entry> environ;
            int clientPort;
            try (RawHttpConnection connection = RawHttpConnection.open(host.address(), host.tls())) {
                clientPort = connection.localPort();
                connection.send(RawRequest.get(target("/environ")));
                environ = parse(connection.readResponse());
            }
            Optional<String> remotePort = optionalString(environ, "REMOTE_PORT");
            assertAll(
                    () -> assertEquals("GET", string(environ, "REQUEST_METHOD")),
                    () -> assertEquals("", string(environ, "QUERY_STRING"), "E4: present and empty without '?'"),
                    () -> assertEquals(target("/environ"), string(environ, "REQUEST_URI")),
                    () -> assertEquals("HTTP/1.1", string(environ, "SERVER_PROTOCOL")),
                    () -> assertEquals(host.address().getHostString(), string(environ, "SERVER_NAME")),
                    () -> assertEquals(Integer.toString(host.address().getPort()), string(environ, "SERVER_PORT")),
                    () -> assertEquals("127.0.0.1", string(environ, "REMOTE_ADDR")),
                    () -> remotePort.ifPresent(port -> assertEquals(Integer.toString(clientPort), port,
                            "E9: REMOTE_PORT, when known, is the client's port")),
                    () -> assertEquals(host.tls() ? "https" : "http", string(environ, "wsgi.url_scheme")),
                    () -> {
                        if (host.tls()) {
                            assertEquals("on", string(environ, "HTTPS"), "E9: HTTPS is on for https");
                        } else {
                            assertNull(environ.get("HTTPS"), "E9: HTTPS only for https");
                        }
                    });
        }

        @Test
        @DisplayName("E10-E13: the wsgi.* keys have their contract types and values")
        void wsgiKeysHaveTheirContractTypesAndValues() throws IOException {
            Map<String, Entry> environ = environ(RawRequest.get(target("/environ")));
            assertAll(
                    () -> assertEquals(new Entry("List", "[1, 0]"), environ.get("wsgi.version")),
                    () -> assertEquals("InputStream", type(environ, "wsgi.input")),
                    () -> assertEquals(new Entry("Boolean", "true"), environ.get("wsgi.input_terminated")),
                    () -> assertEquals("PrintWriter", type(environ, "wsgi.errors")),
                    () -> assertEquals(new Entry("Boolean", "true"), environ.get("wsgi.multithread")),
                    () -> assertEquals("Boolean", type(environ, "wsgi.multiprocess")),
                    () -> assertEquals(new Entry("Boolean", "false"), environ.get("wsgi.run_once")),
                    () -> assertEquals("FileWrapper", type(environ, "wsgi.file_wrapper")));
        }

        @Test
        @DisplayName("E1: the request method is passed as received")
        void requestMethodIsPassedAsReceived() throws IOException {
            Map<String, Entry> environ = environ(RawRequest.post(target("/environ"), new byte[0]).withMethod("PATCH"));
            assertEquals("PATCH", string(environ, "REQUEST_METHOD"));
        }

        @Test
        @DisplayName("E6: a request without a body has neither CONTENT_TYPE nor CONTENT_LENGTH")
        void requestWithoutBodyHasNoContentKeys() throws IOException {
            Map<String, Entry> environ = environ(RawRequest.get(target("/environ")));
            assertAll(
                    () -> assertNull(environ.get("CONTENT_TYPE")),
                    () -> assertNull(environ.get("CONTENT_LENGTH")));
        }

        @Test
        @DisplayName("E6: Content-Type and Content-Length are CONTENT_* keys, never HTTP_*")
        void contentTypeAndLengthAreCgiKeysNotHttpKeys() throws IOException {
            Map<String, Entry> environ = environ(RawRequest.post(target("/environ"), "abc".getBytes(StandardCharsets.US_ASCII))
                    .withHeader("Content-Type", "text/plain; charset=utf-8"));
            assertAll(
                    () -> assertEquals("text/plain; charset=utf-8", string(environ, "CONTENT_TYPE")),
                    () -> assertEquals("3", string(environ, "CONTENT_LENGTH")),
                    () -> assertNull(environ.get("HTTP_CONTENT_TYPE")),
                    () -> assertNull(environ.get("HTTP_CONTENT_LENGTH")));
        }

        @Test
        @DisplayName("E8: header names are upper-cased with '-' as '_' under HTTP_")
        void headerNamesBecomeHttpKeys() throws IOException {
            Map<String, Entry> environ = environ(RawRequest.get(target("/environ")).withHeader("x-lower-Case", "v 1"));
            assertAll(
                    () -> assertEquals("v 1", string(environ, "HTTP_X_LOWER_CASE")),
                    () -> assertEquals(host.address().getHostString() + ":" + host.address().getPort(),
                            string(environ, "HTTP_HOST")));
        }

        @Test
        @DisplayName("E8: a repeated header is joined in order with ', '")
        void repeatedHeadersAreJoinedWithCommaInOrder() throws IOException {
            Map<String, Entry> environ = environ(RawRequest.get(target("/environ"))
                    .withHeader("X-Multi", "first").withHeader("X-Other", "o").withHeader("X-Multi", "second"));
            assertEquals("first, second", string(environ, "HTTP_X_MULTI"));
        }

        @Test
        @DisplayName("E8: Cookie headers are joined with '; '")
        void cookieHeadersAreJoinedWithSemicolon() throws IOException {
            Map<String, Entry> environ = environ(RawRequest.get(target("/environ"))
                    .withHeader("Cookie", "a=1").withHeader("Cookie", "b=2"));
            assertEquals("a=1; b=2", string(environ, "HTTP_COOKIE"));
        }

        @Test
        @DisplayName("E8: header names containing '_' are dropped")
        void headerNamesWithUnderscoresAreDropped() throws IOException {
            Map<String, Entry> environ = environ(RawRequest.get(target("/environ"))
                    .withHeader("X_Spoof", "dropped").withHeader("X-Spoof", "kept").withHeader("X_Only", "dropped"));
            assertAll(
                    () -> assertEquals("kept", string(environ, "HTTP_X_SPOOF")),
                    () -> assertNull(environ.get("HTTP_X_ONLY")));
        }

        @Test
        @DisplayName("E8, S22: header values are decoded as ISO-8859-1, byte for character")
        void headerValuesAreLatin1() throws IOException {
            Map<String, Entry> environ = environ(RawRequest.get(target("/environ")).withHeader("X-Latin", "caf\u00e9"));
            assertEquals("caf\u00e9", string(environ, "HTTP_X_LATIN"));
        }
    }

    @Nested
    @DisplayName("mounts and paths: E2-E5, S22")
    class MountsAndPaths {

        @TestFactory
        @DisplayName("E2, E3, E5: every mount sees its SCRIPT_NAME and PATH_INFO")
        Stream<DynamicTest> everyMountSeesItsScriptNameAndPathInfo() {
            List<DynamicTest> tests = new ArrayList<>();
            for (HostMount mount : host.mounts()) {
                if (mount.isPrefix()) {
                    tests.add(pathTest(mount, "/environ/x%20y?m=1", "/environ/x y"));
                    tests.add(pathTest(mount, "/", "/"));
                } else {
                    tests.add(DynamicTest.dynamicTest(mount.description() + ": " + mount.url(), () -> {
                        Map<String, Entry> environ = environ(RawRequest.get(mount.url() + "?m=1"));
                        assertScriptNameAndPathInfo(mount, mount.pathInfo(), environ);
                        assertEquals(mount.url() + "?m=1", string(environ, "REQUEST_URI"));
                        assertEquals("m=1", string(environ, "QUERY_STRING"));
                    }));
                }
            }
            return tests.stream();
        }

        @TestFactory
        @DisplayName("E3, E5, S22: paths are percent-decoded as UTF-8; REQUEST_URI keeps the raw bytes")
        Stream<DynamicTest> pathsArePercentDecodedAsUtf8() {
            boolean strips = host.quirks().contains(Host.Quirk.STRIPS_PATH_PARAMETERS);
            return host.mounts().stream().filter(HostMount::isPrefix).flatMap(mount -> Stream.of(
                    pathTest(mount, "/environ", "/environ"),
                    pathTest(mount, "/environ/dir/", "/environ/dir/"),
                    pathTest(mount, "/environ/a%20b", "/environ/a b"),
                    pathTest(mount, "/environ/caf%C3%A9", "/environ/caf\u00e9"),
                    pathTest(mount, "/environ/%E2%82%AC", "/environ/\u20ac"),
                    pathTest(mount, "/environ/a+b", "/environ/a+b"),
                    pathTest(mount, "/environ/%7Euser", "/environ/~user"),
                    pathTest(mount, "/environ/a%3Fb", "/environ/a?b"),
                    pathTest(mount, "/environ/a;p=1/b", strips ? "/environ/a/b" : "/environ/a;p=1/b"),
                    pathTest(mount, "/environ/a/../b", "/environ/b"),
                    pathTest(mount, "/environ/./x", "/environ/x")));
        }

        @ParameterizedTest(name = "E4, E5: the query string ''{0}'' is passed exactly as received")
        @ValueSource(strings = {"", "a=1", "a=%20b&c=%C3%A9", "x=a+b&x=c", "flag", "path=/a/b?c&e=", "q=%FF%25%2F", "a//b"})
        void queryStringIsPassedRaw(String query) throws IOException {
            String target = target("/environ") + (query.isEmpty() ? "" : "?" + query);
            Map<String, Entry> environ = environ(RawRequest.get(target));
            assertEquals(query, string(environ, "QUERY_STRING"));
            assertEquals(target, string(environ, "REQUEST_URI"));
            assertEquals("/environ", string(environ, "PATH_INFO"));
        }
    }

    /** Request targets E14-E16 refuse, below a mount: raw bytes, bad escapes and UTF-8, ambiguous paths. */
    static List<String> oddTargets() {
        return List.of("/?q=caf\u00e9", "/q?e=\u00e2\u0082\u00ac", "/caf\u00e9",
                "/x%FFy", "/app/%FF", "/app/%FE", "/%C0%AF", "/%ED%A0%80", "/%E2%82", "/x%00y", "/x%0Ay", "/x%zz",
                "//a//b", "/app//x", "/a/%2e%2e/c", "/a/.%2E/c", "/a/%2e/c", "/x%2Fy", "/x%2fy", "/100%25");
    }

    @Nested
    @DisplayName("odd input: nothing lost, nothing guessed (E3, E5, E7-E9, E14-E16)")
    class OddInput {

        @ParameterizedTest(name = "E14-E16: {0} below the mount is refused with 400")
        @MethodSource("org.wsgi4j.conformance.ConformanceSuite#oddTargets")
        void oddTargetIsRefused(String rawPath) throws IOException {
            RawResponse response = exchange(RawRequest.get(target(rawPath)));
            assertEquals(400, response.status(), response.describe());
        }

        @Test
        @DisplayName("E14-E16: wsgi4j's refusals are one answer on every host: text/plain, the rule, a Content-Length")
        void refusalsByWsgi4jAreTheSameAnswerEverywhere() throws IOException {
            int byWsgi4j = 0;
            for (String rawPath : oddTargets()) {
                RawResponse response = exchange(RawRequest.get(target(rawPath)));
                if (!response.bodyText().matches("E1[456]: [^\n]*\n")) {
                    continue;  // the host's own refusal ("400 (host)" in SPEC's table)
                }
                byWsgi4j++;
                assertAll(response.describe(),
                        () -> assertEquals(400, response.status()),
                        // Servlet containers may re-serialise it (SPEC: "Content-Type spelling").
                        () -> assertEquals("text/plain;charset=utf-8",
                                response.header("Content-Type").orElse("").replace(" ", "").toLowerCase(Locale.ROOT)),
                        () -> assertEquals(Optional.of(Integer.toString(response.body().length)),
                                response.header("Content-Length")));
            }
            assertTrue(byWsgi4j > 0, "no odd target was refused by wsgi4j itself on this host (SPEC's table has some "
                    + "on every host)");
        }

        @TestFactory
        @DisplayName("E14-E16: below every prefix mount, an odd path is refused with 400")
        Stream<DynamicTest> oddPathBelowEveryMountIsRefused() {
            return host.mounts().stream().filter(HostMount::isPrefix).flatMap(mount -> Stream.of(
                    "/environ/a%2Fb", "/environ/100%25", "/environ//x", "/environ/%2e%2e/x", "/environ/x%FFy",
                    "/environ/caf\u00e9", "/environ?q=caf\u00e9").map(raw ->
                    DynamicTest.dynamicTest(mount.description() + ": " + raw, () -> {
                        RawResponse response = exchange(RawRequest.get(mount.target(raw)));
                        assertEquals(400, response.status(), response.describe());
                    })));
        }

        @TestFactory
        @DisplayName("E3: a path that continues a mount's prefix without '/' never gets that SCRIPT_NAME")
        Stream<DynamicTest> prefixIsAppliedOnlyAtASegmentBoundary() {
            return host.mounts().stream().filter(mount -> mount.isPrefix() && !mount.url().isEmpty())
                    .flatMap(mount -> Stream.of("ple", "lication/environ").map(tail ->
                    DynamicTest.dynamicTest(mount.description() + ": " + mount.url() + tail, () -> {
                        RawResponse response = exchange(RawRequest.get(mount.url() + tail));
                        if (response.status() == 200) {
                            String scriptName = string(parse(response), "SCRIPT_NAME");
                            assertNotEquals(mount.scriptName(), scriptName, response.describe());
                        } else {
                            assertTrue(response.status() == 400 || response.status() == 404, response.describe());
                        }
                    })));
        }

        @TestFactory
        @DisplayName("E3: a path parameter on a mount's last segment is removed by servlet hosts, never served under that mount by the others")
        Stream<DynamicTest> pathParameterAfterAMountsPrefix() {
            boolean strips = host.quirks().contains(Host.Quirk.STRIPS_PATH_PARAMETERS);
            return host.mounts().stream().filter(mount -> mount.isPrefix() && !mount.url().isEmpty())
                    .map(mount -> DynamicTest.dynamicTest(mount.description() + ": " + mount.url() + ";v=1/x", () -> {
                        RawResponse response = exchange(RawRequest.get(mount.url() + ";v=1/x"));
                        if (strips) {
                            assertScriptNameAndPathInfo(mount, "/x", parse(response));
                        } else if (response.status() == 200) {
                            assertNotEquals(mount.scriptName(), string(parse(response), "SCRIPT_NAME"), response.describe());
                        } else {
                            assertTrue(response.status() == 400 || response.status() == 404, response.describe());
                        }
                    }));
        }

        @ParameterizedTest(name = "E6: Content-Type {0} reaches the application byte for byte")
        @ValueSource(strings = {"text/plain; charset=UTF-8", "TEXT/HTML;Charset=ISO-8859-1",
                "application/x-www-form-urlencoded; charset=utf-8"})
        void contentTypeKeepsItsSpelling(String value) throws IOException {
            // Jetty's parser caches common Content-Type values, each in one spelling.
            Map<String, Entry> environ = environ(RawRequest.post(target("/environ"), "abc".getBytes(StandardCharsets.US_ASCII))
                    .withHeader("Content-Type", value));
            assertEquals(value, string(environ, "CONTENT_TYPE"));
        }

        @ParameterizedTest(name = "E8: {0}: {1} reaches the application byte for byte")
        @CsvSource({"Cache-Control, No-Cache", "Accept-Encoding, 'GZIP, Deflate'", "Pragma, NO-CACHE",
                "Accept-Language, EN-us", "Accept, Text/HTML"})
        void headerValueKeepsItsCase(String name, String value) throws IOException {
            Map<String, Entry> environ = environ(RawRequest.get(target("/environ")).withHeader(name, value));
            assertEquals(value, string(environ, Environ.headerKey(name)));
        }

        @ParameterizedTest(name = "E8: a singleton field {0} sent twice keeps its last value")
        @ValueSource(strings = {"User-Agent", "Referer", "Range", "Authorization", "If-Modified-Since"})
        void singletonFieldKeepsItsLastValue(String name) throws IOException {
            RawResponse response = exchange(RawRequest.get(target("/environ"))
                    .withHeader(name, "first").withHeader(name, "second"));
            if (host.quirks().contains(Host.Quirk.REFUSES_REPEATED_UNIQUE_FIELDS)
                    && (name.equals("Authorization") || name.equals("If-Modified-Since"))) {
                assertEquals(400, response.status(), response.describe());
                return;
            }
            assertEquals("second", string(parse(response), Environ.headerKey(name)));
        }

        @Test
        @DisplayName("E8: two Host fields are refused with 400")
        void twoHostFieldsAreRefused() throws IOException {
            String hostHeader = host.address().getHostString() + ":" + host.address().getPort();
            RawResponse response = exchange(RawRequest.get(target("/environ"))
                    .withHeader("Host", hostHeader).withHeader("Host", "example.test"));
            assertEquals(400, response.status(), response.describe());
        }

        @ParameterizedTest(name = "E5: the absolute-form target http://{0}/... gives REQUEST_URI in origin form")
        @ValueSource(strings = {"", "example.com"})
        void absoluteFormTargetGivesOriginForm(String authority) throws IOException {
            String own = host.address().getHostString() + ":" + host.address().getPort();
            RawRequest request = RawRequest.get("http://" + (authority.isEmpty() ? own : authority)
                    + target("/environ/abs?q=1"));
            if (!authority.isEmpty() && host.quirks().contains(Host.Quirk.REFUSES_MISMATCHED_AUTHORITY)) {
                assertEquals(400, exchange(request).status());
                return;
            }
            Map<String, Entry> environ = environ(request);
            assertAll(
                    () -> assertEquals(target("/environ/abs?q=1"), string(environ, "REQUEST_URI")),
                    () -> assertEquals("/environ/abs", string(environ, "PATH_INFO")),
                    () -> assertEquals("q=1", string(environ, "QUERY_STRING")));
            if (authority.isEmpty()) {
                assertEquals(host.address().getHostString(), string(environ, "SERVER_NAME"));
            }
        }

        @Test
        @DisplayName("E7: an empty Host gives SERVER_NAME the address the request arrived on (or 400 where declared)")
        void emptyHostGivesTheListeningAddressAsServerName() throws IOException {
            RawRequest request = RawRequest.get(target("/environ")).withHeader("Host", "");
            if (host.quirks().contains(Host.Quirk.REFUSES_EMPTY_HOST)) {
                assertEquals(400, exchange(request).status());
                return;
            }
            Map<String, Entry> environ = environ(request);
            assertAll(
                    () -> assertEquals(host.address().getHostString(), string(environ, "SERVER_NAME")),
                    () -> assertEquals("", string(environ, "HTTP_HOST")));
        }

        @Test
        @DisplayName("E5: OPTIONS * is answered by the host itself, as its quirk says, never by the application")
        void optionsAsteriskIsAnsweredByTheHost() throws IOException {
            RawResponse response = exchange(RawRequest.get("*").withMethod("OPTIONS"));
            Set<Host.Quirk> quirks = host.quirks();
            int expected = quirks.contains(Host.Quirk.OPTIONS_ASTERISK_200) ? 200
                    : quirks.contains(Host.Quirk.OPTIONS_ASTERISK_400) ? 400 : 404;
            assertAll(response.describe(),
                    () -> assertEquals(expected, response.status()),
                    () -> assertTrue(response.complete()),
                    () -> assertFalse(response.bodyText().contains("REQUEST_METHOD"), "the application must not run"));
        }

        @Test
        @DisplayName("E9: REMOTE_ADDR over IPv6 is ::1, without brackets")
        void ipv6RemoteAddrHasNoBrackets() throws IOException {
            InetSocketAddress ipv6 = new InetSocketAddress("::1", host.address().getPort());
            RawResponse response;
            try (RawHttpConnection connection = RawHttpConnection.open(ipv6)) {
                connection.send(RawRequest.get(target("/environ")));
                response = connection.readResponse();
            } catch (java.net.ConnectException notListening) {
                Assumptions.abort("the host does not listen on [::1]:" + ipv6.getPort());
                return;
            }
            assertEquals("::1", string(parse(response), "REMOTE_ADDR"));
        }
    }

    @Nested
    @DisplayName("request bodies: E6, E11, S21")
    class RequestBodies {

        @Test
        @DisplayName("E11: a Content-Length body is read to its end, exactly")
        void contentLengthBodyIsReadToItsEnd() throws IOException {
            byte[] body = pattern(100_000);
            RawResponse response = exchange(RawRequest.post(target("/echo"), body));
            assertEchoed(body, response);
            assertEquals(Optional.of("100000"), response.header("X-Echo-Content-Length"));
        }

        @Test
        @DisplayName("E6, E11: a chunked upload is read to its end, without CONTENT_LENGTH")
        void chunkedUploadIsReadToItsEnd() throws IOException {
            byte[] body = pattern(70_000);
            List<byte[]> chunks = List.of(slice(body, 0, 1), slice(body, 1, 40_000), slice(body, 40_000, 70_000));
            RawResponse response = exchange(RawRequest.postChunked(target("/echo"), chunks));
            assertEchoed(body, response);
            assertEquals(Optional.of(host.quirks().contains(Host.Quirk.BUFFERS_REQUEST_BODIES) ? "70000" : "absent"),
                    response.header("X-Echo-Content-Length"));
        }

        @Test
        @DisplayName("E11: an empty body reads as end of stream")
        void emptyBodyReadsAsEndOfStream() throws IOException {
            assertEchoed(new byte[0], exchange(RawRequest.post(target("/echo"), new byte[0])));
            assertEchoed(new byte[0], exchange(RawRequest.get(target("/echo"))));
        }

        @Test
        @DisplayName("E11: wsgi.input ends with the body, so a pipelined request after it is served intact")
        void inputEndsWithTheBodyBeforeAPipelinedRequest() throws IOException {
            byte[] body = pattern(5_000);
            try (RawHttpConnection connection = RawHttpConnection.open(host.address(), host.tls())) {
                connection.send(RawRequest.post(target("/echo"), body).withHeader("Connection", "keep-alive"));
                connection.send(RawRequest.postChunked(target("/echo"), List.of(slice(body, 0, 10), slice(body, 10, 5_000)))
                        .withHeader("Connection", "keep-alive"));
                connection.send(RawRequest.get(target("/environ/third?n=3")));
                assertEchoed(body, connection.readResponse());
                assertEchoed(body, connection.readResponse());
                assertEquals("n=3", string(parse(connection.readResponse()), "QUERY_STRING"));
            }
        }

        @Test
        @DisplayName("E11: a body the application leaves unread does not spill into the next request")
        void unreadBodyDoesNotSpillIntoTheNextRequest() throws IOException {
            org.junit.jupiter.api.Assumptions.assumeFalse(host.quirks().contains(Host.Quirk.MAY_CLOSE_AFTER_UNREAD_BODY),
                    "the host may close instead of reading an unread body that has not arrived yet");
            try (RawHttpConnection connection = RawHttpConnection.open(host.address(), host.tls())) {
                connection.send(RawRequest.post(target("/environ/first"), pattern(20_000))
                        .withHeader("Connection", "keep-alive"));
                connection.send(RawRequest.get(target("/environ/second")));
                assertEquals("/environ/first", string(parse(connection.readResponse()), "PATH_INFO"));
                assertEquals("/environ/second", string(parse(connection.readResponse()), "PATH_INFO"));
            }
        }

        @Test
        @DisplayName("S21: Expect: 100-continue is answered when the application reads the body")
        void continueIsSentWhenTheApplicationReads() throws IOException {
            byte[] body = pattern(1_000);
            try (RawHttpConnection connection = RawHttpConnection.open(host.address(), host.tls())) {
                // Keep-alive, so the answer is read by its framing: Boot 3.5's Jetty 12.0 now and then
                // left a 'Connection: close' exchange with 100 Continue open (the close rule itself is
                // checked by the other tests).
                connection.send(expectContinue("/echo", body.length).withHeader("Connection", "keep-alive"));
                assertEquals(100, connection.readInterim().status());
                connection.sendBytes(body);
                assertEchoed(body, connection.readResponse());
            }
        }

        @Test
        @DisplayName("S21: no 100 Continue goes out for a body the application does not read")
        void continueIsNotSentForAnUnreadBody() throws IOException {
            try (RawHttpConnection connection = RawHttpConnection.open(host.address(), host.tls())) {
                connection.send(expectContinue("/environ", 1_000));
                if (host.quirks().contains(Host.Quirk.BUFFERS_REQUEST_BODIES)) {
                    assertEquals(100, connection.readInterim().status());
                    connection.sendBytes(pattern(1_000));
                }
                RawHttpConnection.Head head = connection.readHead();
                assertEquals(List.of(), head.interim(), "interim responses before the final one");
                assertEquals(200, head.status());
            }
        }
    }

    @Nested
    @DisplayName("response bodies: S8-S14, S19, S20, S22, S24")
    class ResponseBodies {

        @Test
        @DisplayName("S10: a one-block body gets a computed Content-Length")
        void oneBlockBodyGetsAComputedContentLength() throws IOException {
            RawResponse response = get("/length");
            assertComplete(response, 200, "0123456789");
            assertEquals(Optional.of("10"), response.header("Content-Length"), response.describe());
        }

        @Test
        @DisplayName("S11: bytes beyond the declared Content-Length are dropped")
        void tooManyBytesAreCutAtContentLength() throws IOException {
            RawResponse response = get("/too-many");
            assertComplete(response, 200, "12345");
            assertEquals(RawResponse.Framing.CONTENT_LENGTH, response.framing());
        }

        @Test
        @DisplayName("S12: a body shorter than its Content-Length leaves the response visibly incomplete")
        void tooFewBytesLeaveTheResponseIncomplete() throws IOException {
            RawResponse response = getKeepAlive("/too-few");
            assertEquals(200, response.status(), response.describe());
            assertBroken(response, "12345");
        }

        @Test
        @DisplayName("S13: each block reaches the client before the next one is produced")
        void blocksReachTheClientBeforeTheNextIsProduced() throws IOException {
            String gate = newId();
            try (RawHttpConnection connection = RawHttpConnection.open(host.address(), host.tls())) {
                String stream = target("/stream?n=3&gate=" + gate);
                connection.send(host.quirks().contains(Host.Quirk.BLOCKING_NEEDS_A_BODY)
                        ? RawRequest.post(stream, new byte[] {'x'}) : RawRequest.get(stream));
                assertEquals(200, connection.readHead().status());
                for (int i = 1; i <= 3; i++) {
                    if (i > 1) {
                        assertComplete(get("/release?gate=" + gate), 200, "released\n");
                    }
                    String block = BodyProbes.streamBlock(i, 3);
                    assertEquals(block, new String(connection.readBody(block.length()), StandardCharsets.US_ASCII),
                            "block " + i + " must arrive while the probe waits for the client to release block " + (i + 1));
                }
                assertComplete(connection.readResponse(), 200,
                        BodyProbes.streamBlock(1, 3) + BodyProbes.streamBlock(2, 3) + BodyProbes.streamBlock(3, 3));
            }
        }

        @Test
        @DisplayName("S14: a HEAD response keeps its headers and Content-Length but sends no body; the body is still closed")
        void headSendsHeadersButNoBody() throws IOException {
            assertComplete(get("/head"), 200, BodyProbes.HEAD_BODY);
            String id = newId();
            RawResponse response = exchange(RawRequest.head(target("/head?track=" + id)));
            assertComplete(response, 200, "");
            assertEquals(Optional.of(Integer.toString(BodyProbes.HEAD_BODY.length())), response.header("Content-Length"));
            assertClosedOnce(id);
        }

        @ParameterizedTest(name = "S14, S10, A9: a {0} sends no body and gets no Content-Length")
        @CsvSource({"204, X-Probe, 204", "304, ETag, '\"probe\"'"})
        void bodilessStatusSendsNoBodyAndNoLength(int status, String header, String value) throws IOException {
            RawResponse response = get("/status/" + status);
            assertComplete(response, status, "");
            assertAll(
                    () -> assertEquals(Optional.of(value), response.header(header)),
                    () -> assertEquals(Optional.empty(), response.header("Content-Length")),
                    () -> assertEquals(Optional.empty(), response.header("Transfer-Encoding")));
        }

        @ParameterizedTest(name = "S23: /status/{0} is an application error: a plain 500, the same on every host")
        @ValueSource(strings = {"204-with-length", "103"})
        void bodilessStatusMisuseIs500(String probe) throws IOException {
            try (RawHttpConnection connection = RawHttpConnection.open(host.address(), host.tls())) {
                connection.send(RawRequest.get(target("/status/" + probe)));
                RawHttpConnection.Head head = connection.readHead();
                assertAll(head.toString(),
                        () -> assertEquals(500, head.status()),
                        () -> assertEquals(List.of(), head.interim(), "no 1xx goes out before the 500"));
            }
            RawResponse response = get("/status/" + probe);
            assertComplete(response, 500, response.bodyText());
            assertTrue(response.header("Content-Type").orElse("").startsWith("text/plain"), response.describe());
        }

        @Test
        @DisplayName("S22: repeated response headers go out in order, values as ISO-8859-1 bytes")
        void responseHeadersGoOutInOrderAsLatin1() throws IOException {
            RawResponse response = get("/headers");
            assertComplete(response, 200, "headers\n");
            assertAll(
                    () -> assertEquals(List.of("a=1; Path=/", "b=2"), response.headers("Set-Cookie")),
                    () -> assertEquals(List.of("caf\u00e9"), response.headers("X-Latin"), "the raw client reads latin-1"));
        }

        @Test
        @DisplayName("S24: the application's Date and Server are the only ones sent")
        void applicationDateAndServerReplaceTheHosts() throws IOException {
            RawResponse response = get("/host-fields");
            assertComplete(response, 200, "host-fields\n");
            assertAll(
                    () -> assertEquals(List.of(BodyProbes.PROBE_DATE), response.headers("Date"), response.describe()),
                    () -> assertEquals(List.of(BodyProbes.PROBE_SERVER), response.headers("Server"), response.describe()));
        }

        @Test
        @DisplayName("S24: without the application's Date the host sends exactly one")
        void hostSendsOneDateWhenTheApplicationSetsNone() throws IOException {
            RawResponse response = get("/headers");
            assertComplete(response, 200, "headers\n");
            assertEquals(1, response.headers("Date").size(), response.describe());
        }

        @Test
        @DisplayName("S19: the write callable sends its data before the returned body")
        void writeCallableSendsBeforeTheBody() throws IOException {
            assertComplete(get("/write"), 200, "one\ntwo\nthree\n");
        }

        @Test
        @DisplayName("S20: a file body is sent whole, with the file's length as Content-Length")
        void fileBodyIsSentWithItsLength() throws IOException {
            RawResponse response = get("/file");
            assertTrue(response.complete() && response.trailing().length == 0, response.describe());
            assertEquals(200, response.status());
            assertEquals(Optional.of(Integer.toString(BodyProbes.FILE_SIZE)), response.header("Content-Length"));
            assertArrayEquals(BodyProbes.fileContent(), response.body());
        }
    }

    @Nested
    @DisplayName("errors and close(): S6, S7, S15-S18")
    class ErrorsAndClose {

        @Test
        @DisplayName("S6: start with excInfo before commit replaces the status and headers")
        void excInfoBeforeCommitReplacesStatusAndHeaders() throws IOException {
            RawResponse response = get("/excinfo-before");
            assertComplete(response, 503, "replaced\n");
            assertEquals(List.of("replaced"), response.headers("X-Probe"));
            assertTrue(response.header("Content-Type").orElse("").startsWith("text/plain"), response.describe());
        }

        @Test
        @DisplayName("S7, S16: start with excInfo after commit rethrows and breaks the response")
        void excInfoAfterCommitBreaksTheResponse() throws IOException {
            RawResponse response = getKeepAlive("/excinfo-after");
            assertEquals(200, response.status(), response.describe());
            assertBrokenWithoutLength(response, FailureProbes.FIRST_BLOCK);
        }

        @Test
        @DisplayName("S15: an error before commit answers a plain-text 500 without the stack trace")
        void errorBeforeCommitAnswersPlain500() throws IOException {
            RawResponse response = get("/error-before");
            assertTrue(response.complete() && response.trailing().length == 0, response.describe());
            assertAll(
                    () -> assertEquals(500, response.status()),
                    () -> assertTrue(response.header("Content-Type").orElse("").startsWith("text/plain"),
                            response.describe()),
                    () -> assertEquals(List.of(), response.headers("X-Probe"), "S15: the pending headers are discarded"),
                    () -> assertFalse(response.bodyText().contains(FailureProbes.SECRET), response.describe()),
                    () -> assertFalse(response.bodyText().contains("\tat "), response.describe()));
        }

        @Test
        @DisplayName("S16, S17: an error after commit breaks a chunked response, and the body is closed once")
        void errorAfterCommitBreaksTheResponse() throws IOException {
            String id = newId();
            RawResponse response = getKeepAlive("/error-after?track=" + id);
            assertEquals(200, response.status(), response.describe());
            assertBrokenWithoutLength(response, FailureProbes.FIRST_BLOCK);
            assertClosedOnce(id);
        }

        @Test
        @DisplayName("S16: an error after commit cuts a Content-Length response short")
        void errorAfterCommitCutsAContentLengthResponseShort() throws IOException {
            RawResponse response = getKeepAlive("/error-after?length=100");
            assertEquals(200, response.status(), response.describe());
            assertEquals(Optional.of("100"), response.header("Content-Length"), response.describe());
            assertBroken(response, FailureProbes.FIRST_BLOCK);
        }

        @Test
        @DisplayName("S17: the body is closed exactly once after a complete response")
        void bodyIsClosedOnceAfterACompleteResponse() throws IOException {
            String id = newId();
            assertComplete(get("/stream?n=2&track=" + id), 200, BodyProbes.streamBlock(1, 2) + BodyProbes.streamBlock(2, 2));
            assertClosedOnce(id);
        }

        @Test
        @DisplayName("S17, S18: the body is closed exactly once when the client disconnects mid-stream")
        void bodyIsClosedOnceWhenTheClientDisconnects() throws IOException {
            String id = newId();
            try (RawHttpConnection connection = RawHttpConnection.open(host.address(), host.tls())) {
                connection.send(RawRequest.get(target("/endless?track=" + id)));
                assertEquals(200, connection.readHead().status());
                assertEquals(1000, connection.readBody(1000).length);
                connection.abort();
            }
            assertClosedOnce(id);
        }
    }

    // ---- helpers -------------------------------------------------------------------------------

    private String target(String rawPath) {
        return primary().target(rawPath);
    }

    private HostMount primary() {
        return host.mounts().stream().filter(HostMount::isPrefix).findFirst().orElseThrow();
    }

    private RawResponse get(String rawPath) throws IOException {
        return exchange(RawRequest.get(target(rawPath)));
    }

    /**
     * A GET without {@code Connection: close}: a server may delimit the body of a response to
     * {@code Connection: close} by closing the connection (Jetty does), and then a broken response
     * looks complete. S12 and S16 are about responses the client can check, so those tests ask to
     * keep the connection.
     */
    private RawResponse getKeepAlive(String rawPath) throws IOException {
        return exchange(RawRequest.get(target(rawPath)).withHeader("Connection", "keep-alive"));
    }

    /** A POST that declares {@code length} body bytes and holds them back until {@code 100 Continue}. */
    private RawRequest expectContinue(String rawPath, int length) {
        return new RawRequest("POST", target(rawPath), List.of(new Header("Content-Length",
                Integer.toString(length)), new Header("Expect", "100-continue")), List.of(), false);
    }

    private RawResponse exchange(RawRequest request) throws IOException {
        return RawHttpConnection.exchange(host.address(), host.tls(), request);
    }

    private Map<String, Entry> environ(RawRequest request) throws IOException {
        return parse(exchange(request));
    }

    private static Map<String, Entry> parse(RawResponse response) {
        assertTrue(response.status() == 200 && response.complete(), "environ probe: " + response.describe());
        return EnvironDump.parse(response.bodyText());
    }

    private DynamicTest pathTest(HostMount mount, String rawPath, String pathInfo) {
        return DynamicTest.dynamicTest(mount.description() + ": " + rawPath, () -> {
            Map<String, Entry> environ = environ(RawRequest.get(mount.target(rawPath)));
            assertScriptNameAndPathInfo(mount, pathInfo, environ);
            assertAll(
                    () -> assertEquals(mount.target(rawPath), string(environ, "REQUEST_URI")),
                    () -> assertEquals(host.address().getHostString(), string(environ, "SERVER_NAME"), "E7"),
                    () -> assertEquals(host.address().getHostString() + ":" + host.address().getPort(),
                            string(environ, "HTTP_HOST"), "E8"));
        });
    }

    private static void assertScriptNameAndPathInfo(HostMount mount, String pathInfo, Map<String, Entry> environ) {
        String scriptName = string(environ, "SCRIPT_NAME");
        assertAll(
                () -> assertEquals(mount.scriptName(), scriptName, "SCRIPT_NAME"),
                () -> assertEquals(pathInfo, string(environ, "PATH_INFO"), "PATH_INFO"),
                () -> assertTrue(scriptName.isEmpty() || scriptName.startsWith("/") && !scriptName.endsWith("/"),
                        "E2: SCRIPT_NAME '" + scriptName + "' is '' or starts and does not end with '/'"));
    }

    private static String string(Map<String, Entry> environ, String key) {
        Entry entry = environ.get(key);
        assertNotNull(entry, () -> "environ has no '" + key + "': " + environ.keySet());
        assertEquals("String", entry.type(), () -> "type of '" + key + "'");
        return entry.value();
    }

    private static Optional<String> optionalString(Map<String, Entry> environ, String key) {
        return environ.containsKey(key) ? Optional.of(string(environ, key)) : Optional.empty();
    }

    private static String type(Map<String, Entry> environ, String key) {
        Entry entry = environ.get(key);
        assertNotNull(entry, () -> "environ has no '" + key + "': " + environ.keySet());
        return entry.type();
    }

    private static void assertComplete(RawResponse response, int status, String body) {
        assertAll(response.describe(),
                () -> assertEquals(status, response.status(), "status"),
                () -> assertTrue(response.complete(), "the response must be complete"),
                () -> assertEquals("", new String(response.trailing(), StandardCharsets.ISO_8859_1),
                        "bytes after the end of the response"),
                () -> assertEquals(body, response.bodyText(), "body"));
    }

    /** S12, S16: the client can tell the response is broken, and got at most {@code sent}. */
    private static void assertBroken(RawResponse response, String sent) {
        assertNotEquals(RawResponse.Framing.CLOSE, response.framing(),
                "a close-delimited body cannot show that it is broken: " + response.describe());
        assertFalse(response.complete(), "the response must be visibly incomplete: " + response.describe());
        assertTrue(sent.startsWith(response.bodyText()), "received more than was sent: " + response.describe());
    }

    /**
     * S16 for a body without Content-Length: visibly broken, or, on a host that cannot mark it
     * ({@link Host.Quirk#ABORT_WITHOUT_LENGTH_LOOKS_COMPLETE}), ended after exactly {@code sent}.
     */
    private void assertBrokenWithoutLength(RawResponse response, String sent) {
        if (!host.quirks().contains(Host.Quirk.ABORT_WITHOUT_LENGTH_LOOKS_COMPLETE)) {
            assertBroken(response, sent);
            return;
        }
        assertAll(response.describe(),
                () -> assertEquals(Optional.empty(), response.header("Content-Length"), "the probe declared none"),
                () -> assertTrue(response.complete(), "the quirk says the front end ends it cleanly"),
                () -> assertEquals(sent, response.bodyText(), "the bytes sent before the failure, nothing after"));
    }

    private static void assertEchoed(byte[] sent, RawResponse response) {
        assertTrue(response.status() == 200 && response.complete(), response.describe());
        assertAll(
                () -> assertEquals(Optional.of(Integer.toString(sent.length)), response.header("X-Echo-Length")),
                () -> assertEquals(Optional.of(BodyProbes.sha256(sent)), response.header("X-Echo-Sha256")),
                () -> assertArrayEquals(sent, response.body()));
    }

    /** S17: waits on the server (not here) for the first close() of bodies tagged {@code id}. */
    private void assertClosedOnce(String id) throws IOException {
        RawResponse response = get("/closed?id=" + id + "&wait=" + CLOSE_WAIT_SECONDS);
        assertComplete(response, 200, "closed=1\n");
    }

    private static String newId() {
        return UUID.randomUUID().toString();
    }

    private static byte[] pattern(int size) {
        byte[] bytes = new byte[size];
        for (int i = 0; i < size; i++) {
            bytes[i] = (byte) (i % 253);
        }
        return bytes;
    }

    private static byte[] slice(byte[] bytes, int from, int to) {
        byte[] slice = new byte[to - from];
        System.arraycopy(bytes, from, slice, 0, slice.length);
        return slice;
    }
}
