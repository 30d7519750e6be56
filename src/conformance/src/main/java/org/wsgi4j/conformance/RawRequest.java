package org.wsgi4j.conformance;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.wsgi4j.Header;

/**
 * One HTTP/1.1 request, written byte for byte as given: no normalisation, no added headers except
 * {@code Host} (first) and {@code Connection: close} (last), which {@link RawHttpConnection} adds
 * unless the request has them. Header values go out as ISO-8859-1 bytes, so a test can send any
 * byte from 0x00 to 0xFF.
 *
 * <p>Immutable; each {@code with*} method returns a new request.
 */
public record RawRequest(String method, String target, List<Header> headers, List<byte[]> chunks, boolean chunked) {

    /**
     * Copies the lists.
     *
     * @param method the request method
     * @param target the request target, sent as it is
     * @param headers the header lines, in order
     * @param chunks the body, in pieces
     * @param chunked whether the body is sent with chunked framing
     */
    public RawRequest {
        headers = List.copyOf(headers);
        chunks = List.copyOf(chunks);
    }

    /**
     * A GET without headers or body.
     *
     * @param target the request target, sent as it is
     * @return the request
     */
    public static RawRequest get(String target) {
        return new RawRequest("GET", target, List.of(), List.of(), false);
    }

    /**
     * A HEAD without headers or body.
     *
     * @param target the request target, sent as it is
     * @return the request
     */
    public static RawRequest head(String target) {
        return new RawRequest("HEAD", target, List.of(), List.of(), false);
    }

    /**
     * A POST with {@code body} and its {@code Content-Length}.
     *
     * @param target the request target, sent as it is
     * @param body the body
     * @return the request
     */
    public static RawRequest post(String target, byte[] body) {
        return new RawRequest("POST", target, List.of(new Header("Content-Length", Integer.toString(body.length))),
                List.of(body), false);
    }

    /**
     * A POST whose body is sent with {@code Transfer-Encoding: chunked}, one chunk per element.
     *
     * @param target the request target, sent as it is
     * @param chunks the body, one chunk per element
     * @return the request
     */
    public static RawRequest postChunked(String target, List<byte[]> chunks) {
        return new RawRequest("POST", target, List.of(new Header("Transfer-Encoding", "chunked")), chunks, true);
    }

    /**
     * This request with another method.
     *
     * @param newMethod the method, sent as it is
     * @return the new request
     */
    public RawRequest withMethod(String newMethod) {
        return new RawRequest(newMethod, target, headers, chunks, chunked);
    }

    /**
     * This request with one more header line (repeats allowed, in order).
     *
     * @param name the header name, sent as it is
     * @param value the header value, sent as it is
     * @return the new request
     */
    public RawRequest withHeader(String name, String value) {
        List<Header> more = new ArrayList<>(headers);
        more.add(new Header(name, value));
        return new RawRequest(method, target, more, chunks, chunked);
    }

    boolean hasHeader(String name) {
        return headers.stream().anyMatch(h -> h.is(name));
    }

    /**
     * The request's bytes.
     *
     * @return the request's bytes
     */
    public byte[] toBytes() {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.writeBytes((method + " " + target + " HTTP/1.1\r\n").getBytes(StandardCharsets.ISO_8859_1));
        for (Header header : headers) {
            out.writeBytes((header.name() + ": " + header.value() + "\r\n").getBytes(StandardCharsets.ISO_8859_1));
        }
        out.writeBytes("\r\n".getBytes(StandardCharsets.US_ASCII));
        for (byte[] chunk : chunks) {
            if (chunked) {
                if (chunk.length == 0) {
                    continue; // an empty chunk would end the body early
                }
                out.writeBytes((Integer.toHexString(chunk.length) + "\r\n").getBytes(StandardCharsets.US_ASCII));
                out.writeBytes(chunk);
                out.writeBytes("\r\n".getBytes(StandardCharsets.US_ASCII));
            } else {
                out.writeBytes(chunk);
            }
        }
        if (chunked) {
            out.writeBytes("0\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
        }
        return out.toByteArray();
    }
}
