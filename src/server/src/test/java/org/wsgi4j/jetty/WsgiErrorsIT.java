package org.wsgi4j.jetty;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.wsgi4j.conformance.Await;
import org.wsgi4j.conformance.RawHttpConnection;
import org.wsgi4j.conformance.RawRequest;

/**
 * wsgi.errors reaches the server's log on every front end (SPEC E12), one record per line: a line
 * begun while the application runs and ended while its body is iterated (under {@code --non-blocking},
 * on another thread) is one record, and a line a request leaves unfinished is logged when it ends, on
 * its own. On the servlet front end the lines go through {@code ServletContext.log}, which the
 * server's quiet Jetty logging once hid.
 */
class WsgiErrorsIT {

    private static final int REQUESTS = 20;
    private static final Pattern MARKER = Pattern.compile("(split|unfinished) \\d+");

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"servlet", "core", "core --non-blocking"})
    void eachLineOfEachRequestIsOneRecordOfTheLog(String frontEnd) throws Exception {
        List<String> args = new ArrayList<>(List.of("--http", "127.0.0.1:0", "--mount", "/=org.wsgi4j.jetty.ErrorsApp",
                "--front-end"));
        args.addAll(List.of(frontEnd.split(" ")));
        try (ServerProcess server = ServerProcess.start("wsgi-errors-" + frontEnd.replace(" --", "-"),
                args.toArray(String[]::new))) {
            InetSocketAddress address = new InetSocketAddress("127.0.0.1", server.port("http"));
            Set<String> expected = new TreeSet<>();
            for (int i = 0; i < REQUESTS; i++) {
                assertEquals(200, RawHttpConnection.exchange(address, RawRequest.get("/split/" + i)).status());
                assertEquals(200, RawHttpConnection.exchange(address, RawRequest.get("/unfinished/" + i)).status());
                expected.add("split " + i + " ended");
                expected.add("unfinished " + i);
            }
            Await.until("every request's wsgi.errors line in the log", Duration.ofSeconds(30),
                    () -> records(server.output()).size() >= expected.size());
            List<String> records = records(server.output());
            assertEquals(expected, new TreeSet<>(records), server.output());
            assertEquals(expected.size(), records.size(), server.output());
        }
    }

    /** The log's records that hold a marker, each reduced to what follows the log's own prefix. */
    private static List<String> records(String log) {
        List<String> records = new ArrayList<>();
        for (String line : log.split("\n")) {
            Matcher marker = MARKER.matcher(line);
            if (marker.find()) {
                // The record is the text from its first marker to the end of the line; a merged line keeps both.
                records.add(line.substring(marker.start()).strip());
            }
        }
        return records;
    }
}
