package org.wsgi4j.jetty.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.text.MessageFormat;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.ResourceBundle;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.wsgi4j.Environ;
import org.wsgi4j.server.Result;

/**
 * The access log's queue and batches, against a real file: lines logged before the writer starts
 * stay queued, so the queue's limit is reached without racing the writer thread.
 */
class AccessLogTest {

    private static Path file(String name) throws Exception {
        Path log = Files.createDirectories(Path.of("target", "access-log-test")).resolve(name);
        Files.deleteIfExists(log);
        return log;
    }

    private static Map<String, Object> environ(String path) {
        Map<String, Object> environ = new HashMap<>();
        environ.put(Environ.REMOTE_ADDR, "203.0.113.9");
        environ.put(Environ.REQUEST_METHOD, "GET");
        environ.put(Environ.REQUEST_URI, path);
        environ.put(Environ.SERVER_PROTOCOL, "HTTP/1.1");
        environ.put("HTTP_USER_AGENT", "curl \"8\"");
        return environ;
    }

    private static AccessLog started(Path path) throws Exception {
        AccessLog log = AccessLog.to(path.toString(), AccessLog.DEFAULT_QUEUE_CAPACITY);
        log.start();
        return log;
    }

    private static final Result OK = new Result(200, 512, Result.Outcome.COMPLETE, null);

    @Test
    @DisplayName("a line has the combined format, the duration in microseconds and the mount, quotes escaped")
    void lineHasTheCombinedFormatDurationAndMount() throws Exception {
        Path path = file("format.log");
        AccessLog log = started(path);
        log.log(environ("/api/x?q=1"), OK, TimeUnit.MICROSECONDS.toNanos(1834), "/api");
        log.stop();
        List<String> lines = Files.readAllLines(path, StandardCharsets.UTF_8);
        assertEquals(1, lines.size(), lines.toString());
        assertTrue(lines.get(0).matches("203\\.0\\.113\\.9 - - \\[\\d{2}/\\w{3}/\\d{4}:\\d{2}:\\d{2}:\\d{2} [+-]\\d{4}] "
                + "\"GET /api/x\\?q=1 HTTP/1\\.1\" 200 512 \"-\" \"curl \\\\\"8\\\\\"\" 1834 /api"), lines.get(0));
    }

    @ParameterizedTest(name = "user agent {0} and mount {1}: ...{2}")
    @CsvSource(delimiter = '|', value = {
        "curl/8         | /api    | \"curl/8\" 1834 /api",
        "a b\\c         | /my app | \"a b\\\\c\" 1834 /my_app",
        "x\u0001y       | /       | \"x\\x01y\" 1834 /",
        "\u00e9t\u00e9  | /\u00e9 | \"\\xe9t\\xe9\" 1834 /\\xe9",
        "\u00ff\u0100   | /\u20ac | \"\\xff\\xc4\\x80\" 1834 /\\xe2\\x82\\xac",
        "a\ufffdb       | /\ud83d\ude00 | \"a\\xef\\xbf\\xbdb\" 1834 /\\xf0\\x9f\\x98\\x80",
        "\ud800x        | /\u07ff | \"\\xed\\xa0\\x80x\" 1834 /\\xdf\\xbf",
    })
    @DisplayName("quotes, backslashes, control and non-ASCII characters are escaped (a byte as itself, a wider character as its UTF-8 bytes); a field's spaces become _")
    void valuesAreEscapedSoALineStaysALine(String agent, String mount, String end) throws Exception {
        Path path = file("escape.log");
        AccessLog log = started(path);
        Map<String, Object> environ = environ("/");
        environ.put("HTTP_USER_AGENT", agent);
        log.log(environ, OK, TimeUnit.MICROSECONDS.toNanos(1834), mount);
        log.stop();
        List<String> lines = Files.readAllLines(path, StandardCharsets.UTF_8);
        assertEquals(1, lines.size(), lines.toString());
        assertTrue(lines.get(0).endsWith(" " + end), lines.get(0));
    }

    @Test
    @DisplayName("lines logged while the server runs are all written, in order, by the time it stops")
    void everyLineIsWrittenByStop() throws Exception {
        Path path = file("order.log");
        AccessLog log = started(path);
        for (int i = 0; i < 25_000; i++) {
            log.log(environ("/" + i), OK, 1000, "/");
            if (i % 1000 == 0) {
                // Slower than the writer on average, so the queue never fills and nothing is dropped.
                Thread.sleep(AccessLog.LINGER_MILLIS * 5);
            }
        }
        log.stop();
        List<String> lines = Files.readAllLines(path, StandardCharsets.UTF_8);
        assertEquals(25_000, lines.size());
        for (int i = 0; i < lines.size(); i++) {
            assertTrue(lines.get(i).contains("\"GET /" + i + " HTTP/1.1\""), lines.get(i));
        }
    }

    /** A server log that keeps what it is told, as the JDK's System.Logger receives it. */
    private static final class ServerLog implements System.Logger {
        final List<String> warnings = new CopyOnWriteArrayList<>();

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
            warnings.add(level + " " + message);
        }

        @Override
        public void log(Level level, ResourceBundle bundle, String format, Object... params) {
            warnings.add(level + " " + (params == null ? format : MessageFormat.format(format, params)));
        }
    }

    @ParameterizedTest(name = "capacity {0}, {1} lines queued: {2} dropped")
    @CsvSource({"10000, 9999, 0", "10000, 10000, 0", "10000, 10001, 1", "3, 2, 0", "3, 3, 0", "3, 4, 1", "3, 6, 3"})
    @DisplayName("past the queue's capacity (--access-log-queue, default 10,000) lines are dropped and counted; the server's log says how many, the access log only has lines")
    void linesPastTheQueuesCapacityAreDroppedAndCounted(int capacity, int queued, int dropped) throws Exception {
        Path path = file("capacity-" + capacity + "-" + queued + ".log");
        ServerLog serverLog = new ServerLog();
        AccessLog log = AccessLog.to(path.toString(), capacity, serverLog);
        for (int i = 0; i < queued; i++) {
            log.log(environ("/" + i), OK, 1000, "/");
        }
        log.start();
        log.stop();
        List<String> lines = Files.readAllLines(path, StandardCharsets.UTF_8);
        int kept = queued - dropped;
        assertEquals(kept, lines.size());
        for (int i = 0; i < kept; i++) {
            assertTrue(lines.get(i).contains("\"GET /" + i + " HTTP/1.1\""), lines.get(i));
        }
        assertEquals(dropped, log.droppedLines());
        assertEquals(dropped == 0 ? List.of() : List.of("WARNING " + dropped + " access log lines dropped (" + dropped
                + " since the start): the file could not keep up with the requests (--access-log-queue " + capacity
                + " lines)"), serverLog.warnings);
    }

    @Test
    @DisplayName("a yyyy_mm_dd in the file name is the day's date (GMT), as with Jetty's RequestLogWriter: the log rotates daily")
    void aDateInTheNameRotatesTheFileDaily() throws Exception {
        Path dir = Files.createDirectories(Path.of("target", "access-log-test", "rollover"));
        String today = LocalDate.now(ZoneOffset.UTC).format(
                DateTimeFormatter.ofPattern("yyyy_MM_dd"));
        Path dated = dir.resolve("access." + today + ".log");
        Files.deleteIfExists(dated);
        AccessLog log = AccessLog.to(dir.resolve("access.yyyy_mm_dd.log").toString(), AccessLog.DEFAULT_QUEUE_CAPACITY);
        log.start();
        log.log(environ("/dated"), OK, 1000, "/");
        log.stop();
        List<String> lines = Files.readAllLines(dated, StandardCharsets.UTF_8);
        assertEquals(1, lines.size(), lines.toString());
        assertTrue(lines.get(0).contains("\"GET /dated HTTP/1.1\""), lines.get(0));
    }

    @Test
    @DisplayName("the queue's default is the --access-log-queue setting's default, 10,000 lines")
    void theDefaultCapacityIsTheSettingsDefault() {
        assertEquals(10_000, AccessLog.DEFAULT_QUEUE_CAPACITY);
        assertEquals(AccessLog.DEFAULT_QUEUE_CAPACITY, org.wsgi4j.jetty.Settings.ACCESS_LOG_QUEUE.defaultValue());
    }
}
