package org.wsgi4j.uwsgi.internal;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.wsgi4j.uwsgi.UwsgiPacket;
import org.wsgi4j.uwsgi.internal.UwsgiParser.Failure;
import org.wsgi4j.uwsgi.internal.UwsgiParser.Limits;
import org.wsgi4j.uwsgi.internal.UwsgiParser.State;

class UwsgiParserTest {

    static final Limits LIMITS = new Limits(4096, 100, 1 << 20);

    static final byte[] BODY = "name=caf\u00e9&x=1".getBytes(StandardCharsets.UTF_8);

    static UwsgiPacket samplePacket() {
        return UwsgiPacket.request("POST", "/caf%C3%A9/x?q=%20")
                .var("HTTP_USER_AGENT", "t\u00e9st")
                .body(BODY);
    }

    static RecordingListener parseWhole(byte[] packet, Limits limits) {
        RecordingListener listener = new RecordingListener();
        UwsgiParser parser = new UwsgiParser(listener, limits);
        parser.parse(ByteBuffer.wrap(packet));
        parser.eof();
        return listener;
    }

    @Test
    @DisplayName("a packet built by the encoder parses back to the same vars and body (SPEC S22)")
    void roundTripsTheEncodersPacket() {
        UwsgiPacket packet = samplePacket();
        RecordingListener listener = parseWhole(packet.toBytes(), LIMITS);

        assertEquals(List.of(
                "header 0 " + packet.varsBlock().length + " 0",
                "REQUEST_METHOD=POST",
                "REQUEST_URI=/caf%C3%A9/x?q=%20",
                "PATH_INFO=/caf\u00c3\u00a9/x",
                "QUERY_STRING=q=%20",
                "SERVER_PROTOCOL=HTTP/1.1",
                "SERVER_NAME=localhost",
                "SERVER_PORT=80",
                "REMOTE_ADDR=127.0.0.1",
                "REMOTE_PORT=40000",
                "REQUEST_SCHEME=http",
                "HTTP_USER_AGENT=t\u00e9st",
                "CONTENT_LENGTH=" + BODY.length,
                "vars done, " + BODY.length + " body bytes",
                "end"), listener.events);
        assertArrayEquals(BODY, listener.body.toByteArray());
    }

    @Test
    @DisplayName("every var is latin-1, byte for character, the paths too: nothing is lost before UTF-8 is checked (SPEC S22, E15)")
    void everyVarIsLatin1ByteForCharacter() {
        byte[] utf8 = "/\u00fcber".getBytes(StandardCharsets.UTF_8);
        byte[] invalid = {'/', (byte) 0xFF, 'y'};
        RecordingListener listener = parseWhole(new UwsgiPacket()
                .var("PATH_INFO".getBytes(StandardCharsets.US_ASCII), utf8)
                .var("SCRIPT_NAME".getBytes(StandardCharsets.US_ASCII), invalid)
                .var("HTTP_X".getBytes(StandardCharsets.US_ASCII), utf8)
                .toBytes(), LIMITS);

        assertTrue(listener.events.contains("PATH_INFO=/\u00c3\u00bcber"), listener.events::toString);
        assertTrue(listener.events.contains("SCRIPT_NAME=/\u00ffy"), listener.events::toString);
        assertTrue(listener.events.contains("HTTP_X=/\u00c3\u00bcber"), listener.events::toString);
    }

    @Test
    @DisplayName("one byte at a time gives the same events as the whole packet")
    void byteByByteEqualsWhole() {
        byte[] packet = samplePacket().toBytes();
        RecordingListener whole = parseWhole(packet, LIMITS);

        RecordingListener listener = new RecordingListener();
        UwsgiParser parser = new UwsgiParser(listener, LIMITS);
        for (byte b : packet) {
            parser.parse(ByteBuffer.wrap(new byte[] {b}));
        }
        parser.eof();

        assertEquals(whole.events, listener.events);
        assertArrayEquals(BODY, listener.body.toByteArray());
    }

    @Test
    @DisplayName("a split at every offset gives the same events as the whole packet")
    void everySplitEqualsWhole() {
        byte[] packet = samplePacket().toBytes();
        RecordingListener whole = parseWhole(packet, LIMITS);
        for (int split = 0; split <= packet.length; split++) {
            RecordingListener listener = new RecordingListener();
            UwsgiParser parser = new UwsgiParser(listener, LIMITS);
            parser.parse(ByteBuffer.wrap(packet, 0, split));
            parser.parse(ByteBuffer.wrap(packet, split, packet.length - split));
            parser.eof();

            int at = split;
            assertEquals(whole.events, listener.events, () -> "split at " + at);
            assertArrayEquals(BODY, listener.body.toByteArray(), () -> "split at " + at);
        }
    }

    @Test
    @DisplayName("bytes after the declared body are left in the buffer, not parsed (one request per connection)")
    void bytesAfterTheBodyAreLeftUnread() {
        byte[] packet = samplePacket().toBytes();
        ByteBuffer buffer = ByteBuffer.allocate(packet.length + 3).put(packet).put(new byte[] {1, 2, 3}).flip();
        RecordingListener listener = new RecordingListener();
        UwsgiParser parser = new UwsgiParser(listener, LIMITS);
        parser.parse(buffer);

        assertEquals(State.END, parser.state());
        assertEquals(3, buffer.remaining());
        assertArrayEquals(BODY, listener.body.toByteArray());
    }

    @Test
    @DisplayName("a listener that stops at the head leaves the body in the buffer, and parsing resumes from there")
    void stoppingAtTheHeadLeavesTheBodyUnparsed() {
        byte[] packet = samplePacket().toBytes();
        ByteBuffer buffer = ByteBuffer.wrap(packet);
        RecordingListener listener = new RecordingListener() {
            @Override
            public boolean onVars(UwsgiVars vars, long contentLength) {
                super.onVars(vars, contentLength);
                return true;
            }
        };
        UwsgiParser parser = new UwsgiParser(listener, LIMITS);
        parser.parse(buffer);

        assertEquals(State.BODY, parser.state());
        assertEquals(BODY.length, buffer.remaining());
        assertEquals(0, listener.body.size());

        parser.parse(buffer);
        assertEquals(State.END, parser.state());
        assertArrayEquals(BODY, listener.body.toByteArray());
    }

    @Test
    @DisplayName("an empty CONTENT_LENGTH, as nginx sends for a GET, means no body (SPEC E6, E11)")
    void emptyContentLengthMeansNoBody() {
        RecordingListener listener = parseWhole(
                UwsgiPacket.request("GET", "/").var("CONTENT_LENGTH", "").toBytes(), LIMITS);

        assertNull(listener.failure);
        assertEquals(List.of("vars done, 0 body bytes", "end"),
                listener.events.subList(listener.events.size() - 2, listener.events.size()));
    }

    @Test
    @DisplayName("an empty vars block is a complete request without vars")
    void emptyVarsBlockIsAccepted() {
        RecordingListener listener = parseWhole(new byte[] {0, 0, 0, 0}, LIMITS);

        assertEquals(List.of("header 0 0 0", "vars done, 0 body bytes", "end"), listener.events);
    }

    @Test
    @DisplayName("the vars limit holds at its boundary: one under and at the limit pass, one over fails")
    void varsSizeLimitBoundary() {
        for (int size : new int[] {99, 100, 101}) {
            byte[] value = new byte[size - 2 - 1 - 2];
            Arrays.fill(value, (byte) 'v');
            byte[] packet = new UwsgiPacket().var("K".getBytes(StandardCharsets.US_ASCII), value).toBytes();
            RecordingListener listener = parseWhole(packet, new Limits(100, 10, 0));
            assertEquals(size > 100 ? Failure.VARS_TOO_LARGE : null, listener.failure, "size " + size);
        }
    }

    @Test
    @DisplayName("the vars count limit holds at its boundary")
    void varsCountLimitBoundary() {
        for (int count : new int[] {9, 10, 11}) {
            UwsgiPacket packet = new UwsgiPacket();
            for (int i = 0; i < count; i++) {
                packet.var("K" + i, "v");
            }
            RecordingListener listener = parseWhole(packet.toBytes(), new Limits(4096, 10, 0));
            assertEquals(count > 10 ? Failure.TOO_MANY_VARS : null, listener.failure, "count " + count);
        }
    }

    @Test
    @DisplayName("the body limit holds at its boundary, and over it the answer is 413")
    void bodySizeLimitBoundary() {
        for (int length : new int[] {9, 10, 11}) {
            byte[] packet = UwsgiPacket.request("POST", "/").body(new byte[length]).toBytes();
            RecordingListener listener = parseWhole(packet, new Limits(4096, 100, 10));
            assertEquals(length > 10 ? Failure.BODY_TOO_LARGE : null, listener.failure, "length " + length);
        }
        assertEquals(413, ((Refusal.Answer) Refusal.of(Failure.BODY_TOO_LARGE, "")).status());
    }

    @Test
    @DisplayName("a refused packet reports no var at all: the request never half-exists")
    void refusedPacketReportsNoVar() {
        byte[] packet = UwsgiPacket.request("GET", "/").var("", "x").toBytes();
        RecordingListener listener = parseWhole(packet, LIMITS);

        assertEquals(List.of("header 0 " + (packet.length - 4) + " 0", "failure MALFORMED_VARS"), listener.events);
    }

    @Test
    @DisplayName("Limits refuses a vars size the u16 header cannot express")
    void limitsRefuseImpossibleVarsSize() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> new Limits(65536, 1, 0));
        assertTrue(e.getMessage().contains("'maxVarsSize'"), e.getMessage());
    }

    static Stream<Arguments> malformed() {
        byte[] okBody = UwsgiPacket.request("POST", "/").body(new byte[5]).toBytes();
        return Stream.of(
                Arguments.of("nothing at all", new byte[0], Failure.TRUNCATED, "before any byte"),
                Arguments.of("truncated header", new byte[] {0, 10}, Failure.TRUNCATED, "2 of 4 header bytes"),
                Arguments.of("truncated vars", Arrays.copyOf(UwsgiPacket.request("GET", "/").toBytes(), 20),
                        Failure.TRUNCATED, "16 of"),
                Arguments.of("body shorter than declared", Arrays.copyOf(okBody, okBody.length - 2),
                        Failure.TRUNCATED, "3 of 5 bytes"),
                Arguments.of("empty key", new UwsgiPacket().var("", "x").toBytes(),
                        Failure.MALFORMED_VARS, "empty key at offset 0"),
                Arguments.of("key length past the block", new UwsgiPacket().rawVars(new byte[] {9, 0, 'A'}).toBytes(),
                        Failure.MALFORMED_VARS, "key of 9 bytes"),
                Arguments.of("value length past the block",
                        new UwsgiPacket().rawVars(new byte[] {1, 0, 'A', 5, 0, 'x'}).toBytes(),
                        Failure.MALFORMED_VARS, "value of 5 bytes"),
                Arguments.of("half a key length", new UwsgiPacket().rawVars(new byte[] {1, 0, 'A', 0, 0, 7}).toBytes(),
                        Failure.MALFORMED_VARS, "key length at offset 5"),
                Arguments.of("overlong vars block", new byte[] {0, (byte) 0xFF, (byte) 0xFF, 0},
                        Failure.VARS_TOO_LARGE, "65535 bytes"),
                Arguments.of("too many vars", manyVars(101), Failure.TOO_MANY_VARS, "more than 100 vars"),
                Arguments.of("CONTENT_LENGTH with a sign", new UwsgiPacket().var("CONTENT_LENGTH", "+5").toBytes(),
                        Failure.BAD_CONTENT_LENGTH, "'+5'"),
                Arguments.of("CONTENT_LENGTH with a space", new UwsgiPacket().var("CONTENT_LENGTH", "5 ").toBytes(),
                        Failure.BAD_CONTENT_LENGTH, "'5 '"),
                Arguments.of("CONTENT_LENGTH given twice",
                        new UwsgiPacket().var("CONTENT_LENGTH", "5").var("CONTENT_LENGTH", "6").toBytes(),
                        Failure.BAD_CONTENT_LENGTH, "twice"),
                Arguments.of("CONTENT_LENGTH beyond a long",
                        new UwsgiPacket().var("CONTENT_LENGTH", "99999999999999999999999").toBytes(),
                        Failure.BODY_TOO_LARGE, "over the limit"),
                Arguments.of("HTTP spoken to the uwsgi port", "GET / HTTP/1.1\r\n\r\n".getBytes(StandardCharsets.US_ASCII),
                        Failure.HTTP_ON_UWSGI_PORT, "point nginx's uwsgi_pass here"),
                Arguments.of("HTTP POST spoken to the uwsgi port", "POST /x HTTP/1.1\r\n".getBytes(StandardCharsets.US_ASCII),
                        Failure.HTTP_ON_UWSGI_PORT, "--http"),
                Arguments.of("another modifier1", new UwsgiPacket().modifiers(5, 0).toBytes(),
                        Failure.UNSUPPORTED_MODIFIER, "modifier1 5"));
    }

    static byte[] manyVars(int count) {
        UwsgiPacket packet = new UwsgiPacket();
        for (int i = 0; i < count; i++) {
            packet.var("K" + i, "");
        }
        return packet.toBytes();
    }

    @ParameterizedTest(name = "{0} fails with {2}")
    @MethodSource("malformed")
    @DisplayName("malformed packets are refused with a reason naming the problem")
    void malformedPacketsAreRefused(String what, byte[] packet, Failure expected, String reasonPart) {
        RecordingListener whole = parseWhole(packet, LIMITS);
        assertEquals(expected, whole.failure, what);
        assertTrue(whole.reason.contains(reasonPart), () -> what + ": " + whole.reason);
        assertTrue(whole.events.stream().noneMatch(e -> e.startsWith("vars done")) || expected == Failure.TRUNCATED,
                () -> what + " must fail before the request is handed on: " + whole.events);

        RecordingListener bytewise = new RecordingListener();
        UwsgiParser parser = new UwsgiParser(bytewise, LIMITS);
        for (byte b : packet) {
            parser.parse(ByteBuffer.wrap(new byte[] {b}));
        }
        parser.eof();
        assertEquals(whole.events, bytewise.events, what);
        assertEquals(State.FAILED, parser.state(), what);
    }
}
