package org.wsgi4j.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.System.Logger.Level;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.wsgi4j.testing.RecordingLogger;

class RateLimitedLoggerTest {

    private final RecordingLogger recorded = new RecordingLogger();

    private List<RecordingLogger.Entry> waitForSummary(int lines) throws InterruptedException {
        for (int i = 0; i < 100 && recorded.entries().size() < lines; i++) {
            Thread.sleep(50);
        }
        return recorded.entries();
    }

    @Test
    void aFloodOfWarningsIsCutToTheBudgetAndSummarised() throws Exception {
        System.Logger logger = RateLimitedLogger.wrap(recorded, 10, Duration.ofMillis(300));
        for (int i = 0; i < 10_000; i++) {
            logger.log(Level.WARNING, "uwsgi request from 10.0.0." + i % 250 + " refused: not a uwsgi packet");
        }
        List<RecordingLogger.Entry> entries = waitForSummary(11);
        assertEquals(11, entries.size(), entries.toString());
        assertEquals("9,990 more warnings in the last 300 ms not shown (at most 10 lines per interval)",
                entries.get(10).message());
    }

    @Test
    void theBudgetIsRenewedEachInterval() throws Exception {
        System.Logger logger = RateLimitedLogger.wrap(recorded, 2, Duration.ofMillis(200));
        for (int i = 0; i < 3; i++) {
            logger.log(Level.WARNING, "first burst");
        }
        waitForSummary(3);
        logger.log(Level.WARNING, "after the interval");
        List<RecordingLogger.Entry> entries = recorded.entries();
        assertEquals("after the interval", entries.get(entries.size() - 1).message());
    }

    @Test
    void debugLinesAreNeverCounted() {
        System.Logger logger = RateLimitedLogger.wrap(recorded, 1, Duration.ofSeconds(60));
        for (int i = 0; i < 5; i++) {
            logger.log(Level.DEBUG, "detail " + i);
        }
        logger.log(Level.WARNING, "still admitted");
        assertTrue(recorded.entries().stream().anyMatch(e -> e.message().equals("still admitted")));
    }
}
