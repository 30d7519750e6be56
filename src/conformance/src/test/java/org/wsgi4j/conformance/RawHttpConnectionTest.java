package org.wsgi4j.conformance;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The raw client tells a complete response from a broken one: the whole suite's S12/S16 checks
 * rest on it. Each case is a canned server answer written to a real socket, then closed.
 */
class RawHttpConnectionTest {

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
        "chunked, terminated                 | HTTP/1.1 200 OK\\r\\nTransfer-Encoding: chunked\\r\\n\\r\\n3\\r\\nabc\\r\\n0\\r\\n\\r\\n | CHUNKED        | true  | abc | ''",
        "chunked, no terminating chunk       | HTTP/1.1 200 OK\\r\\nTransfer-Encoding: chunked\\r\\n\\r\\n3\\r\\nabc\\r\\n              | CHUNKED        | false | abc | ''",
        "chunked, cut inside a chunk         | HTTP/1.1 200 OK\\r\\nTransfer-Encoding: chunked\\r\\n\\r\\n5\\r\\nabc                     | CHUNKED        | false | abc | ''",
        "chunked, with extension and trailer | HTTP/1.1 200 OK\\r\\nTransfer-Encoding: chunked\\r\\n\\r\\n3;x=y\\r\\nabc\\r\\n0\\r\\nT: 1\\r\\n\\r\\n | CHUNKED | true | abc | ''",
        "Content-Length, whole               | HTTP/1.1 200 OK\\r\\nContent-Length: 3\\r\\n\\r\\nabc                                   | CONTENT_LENGTH | true  | abc | ''",
        "Content-Length, cut short           | HTTP/1.1 200 OK\\r\\nContent-Length: 9\\r\\n\\r\\nabc                                   | CONTENT_LENGTH | false | abc | ''",
        "Content-Length, bytes after the end | HTTP/1.1 200 OK\\r\\nContent-Length: 2\\r\\n\\r\\nabc                                   | CONTENT_LENGTH | true  | ab  | c",
        "close-delimited                     | HTTP/1.1 200 OK\\r\\n\\r\\nabc                                                        | CLOSE          | true  | abc | ''",
        "204 with a body sent anyway         | HTTP/1.1 204 No Content\\r\\n\\r\\nabc                                                | NONE           | true  | ''  | abc",
        "interim 100 skipped                 | HTTP/1.1 100 Continue\\r\\n\\r\\nHTTP/1.1 200 OK\\r\\nContent-Length: 1\\r\\n\\r\\na    | CONTENT_LENGTH | true  | a   | ''",
    })
    void framingAndCompletenessAreReadFromTheWire(String name, String answer, RawResponse.Framing framing,
                                                  boolean complete, String body, String trailing) throws Exception {
        try (ServerSocket server = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            CompletableFuture<String> served = CompletableFuture.supplyAsync(() -> answer(server, answer));
            RawResponse response = RawHttpConnection.exchange(
                    new InetSocketAddress("127.0.0.1", server.getLocalPort()), RawRequest.get("/"));
            served.get();
            assertEquals(framing, response.framing(), response.describe());
            assertEquals(complete, response.complete(), response.describe());
            assertEquals(body, response.bodyText(), response.describe());
            assertEquals(trailing, new String(response.trailing(), StandardCharsets.ISO_8859_1), response.describe());
        }
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
        "a field written twice | GET /x HTTP/1.1\\r\\nHost: a\\r\\nHost: b\\r\\nConnection: close\\r\\n\\r\\n",
        "a bare LF line        | GET /x HTTP/1.1\\r\\nHost: a\\nX: y\\r\\nConnection: close\\r\\n\\r\\n",
        "no Host at all        | GET /x HTTP/1.1\\r\\nConnection: close\\r\\n\\r\\n",
    })
    void aRawRequestGoesOutByteForByte(String name, String request) throws Exception {
        byte[] bytes = request.replace("\\r", "\r").replace("\\n", "\n").getBytes(StandardCharsets.ISO_8859_1);
        try (ServerSocket server = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            CompletableFuture<String> received = CompletableFuture.supplyAsync(
                    () -> answer(server, "HTTP/1.1 200 OK\\r\\nContent-Length: 2\\r\\n\\r\\nok"));
            RawResponse response = RawHttpConnection.exchange(
                    new InetSocketAddress("127.0.0.1", server.getLocalPort()), bytes);
            assertEquals(new String(bytes, StandardCharsets.ISO_8859_1), received.get());
            assertEquals("ok", response.bodyText(), response.describe());
        }
    }

    @Test
    void aRawRequestWithoutConnectionCloseLeavesTheConnectionOpenAfterAFramedResponse() throws Exception {
        try (ServerSocket server = new ServerSocket(0, 1, InetAddress.getLoopbackAddress());
             RawHttpConnection connection = RawHttpConnection.open(
                     new InetSocketAddress("127.0.0.1", server.getLocalPort()))) {
            try (Socket peer = server.accept()) {
                connection.sendRequest("GET / HTTP/1.1\r\nHost: a\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
                peer.getOutputStream().write("HTTP/1.1 200 OK\r\nContent-Length: 1\r\n\r\na"
                        .getBytes(StandardCharsets.US_ASCII));
                // The peer stays open: reading up to the close would wait for the client's timeout.
                RawResponse response = connection.readResponse();
                assertEquals("a", response.bodyText(), response.describe());
                assertEquals(true, response.complete(), response.describe());
            }
        }
    }

    private static String answer(ServerSocket server, String answer) {
        try (Socket socket = server.accept()) {
            InputStream in = socket.getInputStream();
            StringBuilder head = new StringBuilder();
            byte[] end = "\r\n\r\n".getBytes(StandardCharsets.US_ASCII);
            for (int matched = 0, b; matched < end.length && (b = in.read()) >= 0; ) {
                head.append((char) b);
                matched = b == end[matched] ? matched + 1 : b == end[0] ? 1 : 0;
            }
            socket.getOutputStream().write(answer.replace("\\r\\n", "\r\n").getBytes(StandardCharsets.ISO_8859_1));
            return head.toString();
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}
