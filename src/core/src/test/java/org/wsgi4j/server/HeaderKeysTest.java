package org.wsgi4j.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.wsgi4j.Environ;

/** The shared keys of well-known headers are exactly the keys {@link Environ#headerKey} makes (SPEC E8). */
class HeaderKeysTest {

    @ParameterizedTest
    @ValueSource(strings = {"Host", "host", "HOST", "hOsT", "User-Agent", "user-agent", "Sec-Fetch-Dest",
        "Content-Type", "content-length", "X-Forwarded-For", "x-real-ip", "Priority", "DNT", "dnt", "TE",
        "X-Unknown-Thing", "Hosts", "Hos", "X", "Accept-", "-Accept"})
    void everyNameGetsTheKeyEnvironHeaderKeyGives(String name) {
        assertEquals(Environ.headerKey(name), HeaderKeys.of(name));
    }

    @Test
    void aKnownNameInAnyCaseSharesOneKey() {
        assertSame(HeaderKeys.of("Accept-Language"), HeaderKeys.of("ACCEPT-LANGUAGE"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"Ho\u017Ft", "\u212Aeep-Alive", "Ho\u0131t"})
    void nonAsciiLettersAreNeverFoldedOntoAKnownName(String name) {
        // String.equalsIgnoreCase would match long s with s and the Kelvin sign with k.
        assertEquals(Environ.headerKey(name), HeaderKeys.of(name));
    }
}
