package org.wsgi4j.server;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class AddressBlocksTest {

    @ParameterizedTest
    @CsvSource({
            "0.0.0.0, 0, 0, 0, 0",
            "127.0.0.1, 127, 0, 0, 1",
            "203.0.113.9, 203, 0, 113, 9",
            "255.255.255.255, 255, 255, 255, 255",
    })
    void literalIpv4IsParsed(String text, int a, int b, int c, int d) {
        assertArrayEquals(new byte[] {(byte) a, (byte) b, (byte) c, (byte) d}, AddressBlocks.literal(text));
    }

    /** Each of these used to reach InetAddress.getByName, which looks a name up in DNS. */
    @ParameterizedTest
    @ValueSource(strings = {"1.2.3.4a", "198..100.7", "256.1.1.1", "1.2.3", "1.2.3.4.5", "1.2.3.", ".1.2.3",
            "01.2.3.4", "1.2.3.0004", "1234.1.1.1", "a.b.c.d", "localhost", "example.com", "", "[]", "1.2.3.-4"})
    void anythingElseIsNotALiteralAndIsNeverLookedUp(String text) {
        assertNull(AddressBlocks.literal(text));
    }

    /** An IPv4-mapped IPv6 address comes back as its IPv4 address, as InetAddress gives it. */
    @ParameterizedTest
    @CsvSource({"::1, 16", "[::1], 16", "2001:db8::7, 16", "::ffff:192.0.2.1, 4"})
    void literalIpv6IsParsed(String text, int length) {
        byte[] address = AddressBlocks.literal(text);
        assertEquals(length, address == null ? 0 : address.length, text);
    }

    @ParameterizedTest
    @ValueSource(strings = {"::g", "1:2", "fe80::1%eth0", "[::1"})
    void malformedIpv6IsNotALiteral(String text) {
        assertNull(AddressBlocks.literal(text));
    }
}
