package org.wsgi4j.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.PrintWriter;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;

/** wsgi.errors' lines (SPEC E12): one record per line, each request's lines its own. */
class LineWriterTest {

    private final List<String> log = new CopyOnWriteArrayList<>();

    @Test
    void eachLineIsOneRecordWithoutItsLineBreak() {
        PrintWriter errors = LineWriter.forRequest(log::add);
        errors.print("first\r\nsec");
        errors.print("ond\n\nthird");
        assertEquals(List.of("first", "second", ""), log);
    }

    @Test
    void anUnfinishedLineIsLoggedAtFlushAndCloseOnlyFlushes() {
        PrintWriter errors = LineWriter.forRequest(log::add);
        errors.print("unfinished");
        errors.flush();
        errors.flush();
        errors.print("after");
        errors.close();
        errors.println(" still open");
        assertEquals(List.of("unfinished", "after", " still open"), log);
    }

    @Test
    void twoRequestsOnOneThreadNeverMergeTheirLines() {
        PrintWriter first = LineWriter.forRequest(log::add);
        PrintWriter second = LineWriter.forRequest(log::add);
        first.print("left unfinished by the first");
        second.println("the second's line");
        first.flush();
        assertEquals(List.of("the second's line", "left unfinished by the first"), log);
    }

    @Test
    void aLineWrittenInPartsOnTwoThreadsIsOneLine() throws InterruptedException {
        PrintWriter errors = LineWriter.forRequest(log::add);
        errors.print("begun on the selector, ");
        Thread pool = new Thread(() -> errors.println("ended on a pool thread"));
        pool.start();
        pool.join();
        assertEquals(List.of("begun on the selector, ended on a pool thread"), log);
    }
}
