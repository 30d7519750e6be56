package org.wsgi4j.uwsgi;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.Locale;

/** A minimal HTTP/1.1 client over a raw socket, so nothing is hidden by a client library. */
final class RawHttp {

    /** A parsed response; {@code complete} is false when a chunked body ended without its last chunk. */
    record Response(int status, String head, byte[] body, boolean complete) {
        String text() {
            return new String(body, StandardCharsets.UTF_8);
        }
    }

    private RawHttp() {
    }

    static Response get(int port, String target) throws IOException {
        return send(port, "GET " + target + " HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n", null);
    }

    static Response post(int port, String target, byte[] body) throws IOException {
        return send(port, "POST " + target + " HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n"
                + "Content-Type: application/octet-stream\r\nContent-Length: " + body.length + "\r\n\r\n", body);
    }

    static Response send(int port, String head, byte[] body) throws IOException {
        try (Socket socket = new Socket("127.0.0.1", port)) {
            socket.setSoTimeout(120_000);
            OutputStream out = socket.getOutputStream();
            out.write(head.getBytes(StandardCharsets.ISO_8859_1));
            if (body != null) {
                out.write(body);
            }
            out.flush();
            return read(socket.getInputStream());
        }
    }

    static Response read(InputStream in) throws IOException {
        ByteArrayOutputStream all = new ByteArrayOutputStream();
        try {
            in.transferTo(all);
        } catch (IOException reset) {
            // A reset ends the response like a close; completeness is judged from the framing.
        }
        byte[] bytes = all.toByteArray();
        String text = new String(bytes, StandardCharsets.ISO_8859_1);
        int end = text.indexOf("\r\n\r\n");
        if (end < 0) {
            throw new IOException("no complete response head in " + bytes.length + " bytes: " + text);
        }
        String head = text.substring(0, end + 2);
        int status = Integer.parseInt(head.substring(9, 12));
        byte[] rest = java.util.Arrays.copyOfRange(bytes, end + 4, bytes.length);
        if (head.toLowerCase(Locale.ROOT).contains("transfer-encoding: chunked")) {
            return dechunk(status, head, rest);
        }
        String length = header(head, "content-length");
        boolean complete = length == null || Long.parseLong(length) == rest.length;
        return new Response(status, head, rest, complete);
    }

    static String header(String head, String name) {
        for (String line : head.split("\r\n")) {
            int colon = line.indexOf(':');
            if (colon > 0 && line.substring(0, colon).trim().equalsIgnoreCase(name)) {
                return line.substring(colon + 1).trim();
            }
        }
        return null;
    }

    private static Response dechunk(int status, String head, byte[] chunked) {
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        int at = 0;
        while (true) {
            int lineEnd = indexOfCrlf(chunked, at);
            if (lineEnd < 0) {
                return new Response(status, head, body.toByteArray(), false);
            }
            String sizeLine = new String(chunked, at, lineEnd - at, StandardCharsets.ISO_8859_1);
            int size = Integer.parseInt(sizeLine.split(";")[0].trim(), 16);
            at = lineEnd + 2;
            if (size == 0) {
                return new Response(status, head, body.toByteArray(), true);
            }
            if (at + size + 2 > chunked.length) {
                body.write(chunked, at, Math.max(0, Math.min(size, chunked.length - at)));
                return new Response(status, head, body.toByteArray(), false);
            }
            body.write(chunked, at, size);
            at += size + 2;
        }
    }

    private static int indexOfCrlf(byte[] bytes, int from) {
        for (int i = from; i + 1 < bytes.length; i++) {
            if (bytes[i] == '\r' && bytes[i + 1] == '\n') {
                return i;
            }
        }
        return -1;
    }
}
