package org.wsgi4j.server;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import java.util.OptionalLong;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.wsgi4j.Header;

class ResponseHeadTest {

    private static List<Boolean> replaced(Header... headers) {
        ResponseHead head = new ResponseHead(200, "OK", List.of(headers), OptionalLong.empty());
        return IntStream.range(0, headers.length).mapToObj(head::replacesHostField).toList();
    }

    @Test
    void theFirstDateAndServerReplaceTheHostsAnyCase() {
        assertEquals(List.of(false, true, true),
                replaced(new Header("X-Other", "1"), new Header("date", "d"), new Header("SERVER", "s")));
    }

    @Test
    void aSecondDateOrServerIsAddedAsGiven() {
        assertEquals(List.of(true, true, false, false), replaced(new Header("Date", "d1"), new Header("Server", "s1"),
                new Header("Date", "d2"), new Header("server", "s2")));
    }

    @Test
    void otherFieldsAreAlwaysAdded() {
        assertEquals(List.of(false, false), replaced(new Header("Set-Cookie", "a=1"), new Header("Content-Type", "x/y")));
    }
}
