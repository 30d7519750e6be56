package org.wsgi4j.uwsgi;

import java.io.ByteArrayOutputStream;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Test encoder: builds uwsgi request packets the way nginx's ngx_http_uwsgi_module does, and lets
 * tests break them on purpose (raw vars bytes, a wrong size, another modifier).
 */
public final class UwsgiPacket {

    private final List<byte[]> pairs = new ArrayList<>();
    private int modifier1;
    private int modifier2;
    private byte[] body = new byte[0];
    private byte[] rawVars;

    public static UwsgiPacket request(String method, String requestUri) {
        int q = requestUri.indexOf('?');
        return new UwsgiPacket()
                .var("REQUEST_METHOD", method)
                .var("REQUEST_URI", requestUri)
                .var("PATH_INFO", percentDecode(q < 0 ? requestUri : requestUri.substring(0, q)))
                .var("QUERY_STRING", q < 0 ? "" : requestUri.substring(q + 1))
                .var("SERVER_PROTOCOL", "HTTP/1.1")
                .var("SERVER_NAME", "localhost")
                .var("SERVER_PORT", "80")
                .var("REMOTE_ADDR", "127.0.0.1")
                .var("REMOTE_PORT", "40000")
                .var("REQUEST_SCHEME", "http");
    }

    /** A var with latin-1 key and value, except PATH_INFO/SCRIPT_NAME in UTF-8 as nginx sends them. */
    public UwsgiPacket var(String key, String value) {
        Charset valueCharset = key.equals("PATH_INFO") || key.equals("SCRIPT_NAME")
                ? StandardCharsets.UTF_8 : StandardCharsets.ISO_8859_1;
        return var(key.getBytes(StandardCharsets.ISO_8859_1), value.getBytes(valueCharset));
    }

    public UwsgiPacket var(byte[] key, byte[] value) {
        ByteArrayOutputStream pair = new ByteArrayOutputStream();
        u16(pair, key.length);
        pair.writeBytes(key);
        u16(pair, value.length);
        pair.writeBytes(value);
        pairs.add(pair.toByteArray());
        return this;
    }

    public UwsgiPacket vars(Map<String, String> vars) {
        vars.forEach(this::var);
        return this;
    }

    /** Sets the body and CONTENT_LENGTH to its length. */
    public UwsgiPacket body(byte[] body) {
        this.body = body;
        return var("CONTENT_LENGTH", Integer.toString(body.length));
    }

    /** Sets the body bytes without touching CONTENT_LENGTH (for mismatches). */
    public UwsgiPacket rawBody(byte[] body) {
        this.body = body;
        return this;
    }

    /** Replaces the vars block with these bytes; the header's size is their length. */
    public UwsgiPacket rawVars(byte[] vars) {
        this.rawVars = vars;
        return this;
    }

    public UwsgiPacket modifiers(int modifier1, int modifier2) {
        this.modifier1 = modifier1;
        this.modifier2 = modifier2;
        return this;
    }

    public byte[] varsBlock() {
        if (rawVars != null) {
            return rawVars;
        }
        ByteArrayOutputStream block = new ByteArrayOutputStream();
        pairs.forEach(block::writeBytes);
        return block.toByteArray();
    }

    public byte[] toBytes() {
        byte[] vars = varsBlock();
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.write(modifier1);
        u16(out, vars.length);
        out.write(modifier2);
        out.writeBytes(vars);
        out.writeBytes(body);
        return out.toByteArray();
    }

    /** As nginx's $document_uri: %XX decoded to bytes, read as UTF-8; '+' stays '+' in a path. */
    static String percentDecode(String path) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        for (int i = 0; i < path.length(); i++) {
            char c = path.charAt(i);
            if (c == '%' && i + 2 < path.length()) {
                bytes.write(Integer.parseInt(path.substring(i + 1, i + 3), 16));
                i += 2;
            } else {
                bytes.write(c);
            }
        }
        return bytes.toString(StandardCharsets.UTF_8);
    }

    private static void u16(ByteArrayOutputStream out, int value) {
        if (value < 0 || value > 0xFFFF) {
            throw new IllegalArgumentException("length " + value + " does not fit a u16");
        }
        out.write(value & 0xFF);
        out.write(value >>> 8);
    }
}
