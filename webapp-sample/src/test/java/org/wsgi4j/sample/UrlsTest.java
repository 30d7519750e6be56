package org.wsgi4j.sample;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.Map;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

class UrlsTest {

    @Test
    @DisplayName("encodePath keeps pchars and '/', and percent-encodes UTF-8 bytes of everything else (S22)")
    void encodePathKeepsPcharsAndEncodesTheRest() {
        assertEquals("/a-b._~!$&'()*+,;=:@/c", Urls.encodePath("/a-b._~!$&'()*+,;=:@/c"));
        assertEquals("/my%20app/caf%C3%A9/%3F%23%25%22%3C%3E", Urls.encodePath("/my app/café/?#%\"<>"));
        assertEquals("", Urls.encodePath(""));
    }

    @Test
    @DisplayName("query decodes form-style, and the first of repeated names wins")
    void queryDecodesAndFirstWins() {
        assertEquals(Map.of("a", "1 2", "b", "", "c", "é"), Urls.query("a=1+2&b&a=3&&c=%C3%A9"));
        assertEquals(Map.of(), Urls.query(""));
    }

    @Test
    @DisplayName("a malformed percent-escape is an IllegalArgumentException")
    void malformedEscapeIsRefused() {
        assertThrows(IllegalArgumentException.class, () -> Urls.query("a=%zz"));
    }
}
