package org.wsgi4j.uwsgi.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.System.Logger;
import java.util.ArrayList;
import java.util.List;
import java.util.ResourceBundle;
import java.util.function.Supplier;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

class RefusalLogTest {

    static final long SECOND = 1_000_000_000L;

    final List<String> lines = new ArrayList<>();
    final Logger logger = new Logger() {
        @Override
        public String getName() {
            return "test";
        }

        @Override
        public boolean isLoggable(Level level) {
            return true;
        }

        @Override
        public void log(Level level, ResourceBundle bundle, String message, Throwable thrown) {
            lines.add(message);
        }

        @Override
        public void log(Level level, ResourceBundle bundle, String format, Object... params) {
            lines.add(format);
        }

        @Override
        public void log(Level level, Supplier<String> message) {
            lines.add(message.get());
        }
    };

    static final Refusal TOO_LARGE = new Refusal.Answer(431, "vars block too large (maxVarsSize)", "maxVarsSize");
    static final Refusal JUNK = new Refusal.Close("MALFORMED_VARS", "empty key at offset 0");

    @Test
    @DisplayName("a flood of refusals writes one line per kind, then one summary per interval")
    void floodIsSummarised() {
        RefusalLog log = new RefusalLog(logger, 10 * SECOND);
        long start = System.nanoTime();
        for (int i = 0; i < 1000; i++) {
            log.refused("/10.0.0.1:1", TOO_LARGE, start + i);
            log.refused("/10.0.0.1:1", JUNK, start + i);
        }
        assertEquals(2, lines.size(), lines::toString);
        assertTrue(lines.get(0).contains("refused with 431: vars block too large (maxVarsSize)"), lines.get(0));
        assertTrue(lines.get(1).contains("refused (closed): empty key"), lines.get(1));

        log.tick(start + 11 * SECOND);
        assertEquals(3, lines.size(), lines::toString);
        assertTrue(lines.get(2).startsWith("1998 more uwsgi requests refused in the last 11 s"), lines.get(2));
        assertTrue(lines.get(2).contains("431 maxVarsSize x999") && lines.get(2).contains("MALFORMED_VARS x999"),
                lines.get(2));
    }

    @Test
    @DisplayName("a lone refusal is logged in full and leaves no summary behind")
    void loneRefusalHasNoSummary() {
        RefusalLog log = new RefusalLog(logger, 10 * SECOND);
        long start = System.nanoTime();
        log.refused("/10.0.0.1:1", JUNK, start);
        log.tick(start + 11 * SECOND);
        log.refused("/10.0.0.1:1", JUNK, start + 12 * SECOND);

        assertEquals(2, lines.size(), lines::toString);
        assertTrue(lines.stream().allMatch(line -> line.contains("empty key")), lines::toString);
    }
}
