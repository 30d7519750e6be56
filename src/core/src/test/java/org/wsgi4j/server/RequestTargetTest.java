package org.wsgi4j.server;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class RequestTargetTest {

    @ParameterizedTest(name = "{0} is served")
    @ValueSource(strings = {"/", "*", "/a/b/", "/a%20b", "/caf%C3%A9", "/%E2%82%AC", "/a+b", "/a;p=1/b", "/a%3Fb",
            "/a/./b", "/a/../b", "/.well-known/x", "/a.b/..c", "/?q=%FF%25%2F", "/?q=a//b",
            "http://example.com/abs?q=1", "http://example.com"})
    void targetIsServed(String target) {
        assertDoesNotThrow(() -> RequestTarget.check(target));
    }

    @ParameterizedTest(name = "{0} is refused by {1}")
    @CsvSource({
            "'/?q=caf\u00e9', E14", "'/q?e=\u00e2\u0082\u00ac', E14", "'/?q=\ufffd', E14", "'/a b', E14", "'/a\u007fb', E14",
            "/x%FFy, E15", "/%C0%AF, E15", "/%E2%82, E15", "/%ED%A0%80, E15", "/x%00y, E15", "/x%0Ay, E15",
            "/x%zz, E15", "/x%2, E15",
            "/x%2Fy, E16", "/x%2fy, E16", "/100%25, E16", "//a//b, E16", "/app//x, E16", "/a%41//b, E16", "/a//%41, E16", "/a/, E-none",
            "/a/%2e%2e/c, E16", "/a/%2E/c, E16", "/a/.%2e, E16", "/%2e%2e, E16"})
    void targetIsRefusedByItsRule(String target, String rule) {
        if (rule.equals("E-none")) {
            assertDoesNotThrow(() -> RequestTarget.check(target));
            return;
        }
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> RequestTarget.check(target));
        assertTrue(e.getMessage().startsWith(rule + ": "), e.getMessage());
    }

    @ParameterizedTest(name = "bytes of {0} decode strictly")
    @CsvSource({"'/caf\u00c3\u00a9', '/caf\u00e9'", "'/\u00e2\u0082\u00ac', '/\u20ac'", "/plain, /plain"})
    void decodeUtf8GivesTheCharacters(String bytes, String decoded) {
        assertEquals(decoded, RequestTarget.decodeUtf8(bytes, "PATH_INFO"));
        byte[] buffer = inBuffer(bytes);
        assertEquals(decoded, RequestTarget.decodeUtf8(buffer, 3, bytes.length(), "PATH_INFO"));
    }

    @ParameterizedTest(name = "bytes of {0} are refused")
    @ValueSource(strings = {"/x\u00ffy", "/\u00c0\u00af", "/\u00ed\u00a0\u0080", "/x\u0000y"})
    void decodeUtf8RefusesWhatItCannotDecodeExactly(String bytes) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> RequestTarget.decodeUtf8(bytes, "PATH_INFO"));
        assertTrue(e.getMessage().startsWith("E15: PATH_INFO "), e.getMessage());
        IllegalArgumentException fromBytes = assertThrows(IllegalArgumentException.class,
                () -> RequestTarget.decodeUtf8(inBuffer(bytes), 3, bytes.length(), "PATH_INFO"));
        assertEquals(e.getMessage(), fromBytes.getMessage());
    }

    @Test
    void decodeUtf8ReadsOnlyItsRangeOfTheBuffer() {
        byte[] buffer = "\u00ff\u00ff/ok\u00ff".getBytes(StandardCharsets.ISO_8859_1);
        assertEquals("/ok", RequestTarget.decodeUtf8(buffer, 2, 3, "PATH_INFO"));
        assertEquals("", RequestTarget.decodeUtf8(buffer, 5, 0, "PATH_INFO"));
        assertThrows(IndexOutOfBoundsException.class, () -> RequestTarget.decodeUtf8(buffer, 4, 3, "PATH_INFO"));
    }

    /** {@code bytes} (one byte per character) at offset 3 of a buffer, between bytes that are not UTF-8. */
    private static byte[] inBuffer(String bytes) {
        return ("\u00ff\u00ff\u00ff" + bytes + "\u00ff").getBytes(StandardCharsets.ISO_8859_1);
    }
}
