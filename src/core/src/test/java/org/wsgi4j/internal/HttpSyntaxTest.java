package org.wsgi4j.internal;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Locale;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

class HttpSyntaxTest {

    static Stream<String> hopByHopNamesInEveryCase() {
        return HttpSyntax.HOP_BY_HOP.stream().flatMap(name -> Stream.of(name, name.toUpperCase(Locale.ROOT),
                Character.toUpperCase(name.charAt(0)) + name.substring(1)));
    }

    @ParameterizedTest(name = "A4/S4: {0} is hop-by-hop")
    @MethodSource("hopByHopNamesInEveryCase")
    void everyHopByHopNameIsRecognizedInAnyCase(String name) {
        assertTrue(HttpSyntax.isHopByHop(name));
    }

    @ParameterizedTest(name = "A4/S4: {0} is not hop-by-hop")
    @ValueSource(strings = {"Content-Type", "Content-Length", "Connectiox", "Keep-Alivf", "Trailerz", "Upgradf", "TF", "T",
        "", "Transfer-Encodinh", "Proxy-Authorizatioo", "X-Upgrade", "Connection-", "Connection-Connection-Connection-"
            + "Connection-Connection-Connection-Connection"})
    void otherNamesAreNotHopByHop(String name) {
        assertFalse(HttpSyntax.isHopByHop(name));
    }
}
