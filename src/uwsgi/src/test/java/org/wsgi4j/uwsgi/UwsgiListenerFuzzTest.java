package org.wsgi4j.uwsgi;

import static org.junit.jupiter.api.Assertions.assertTrue;

import com.code_intelligence.jazzer.api.BugDetectors;
import com.code_intelligence.jazzer.api.SilentCloseable;
import com.code_intelligence.jazzer.junit.FuzzTest;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.wsgi4j.Environ;
import org.wsgi4j.Header;

/**
 * Jazzer sends arbitrary bytes to a running listener over a real socket: whatever arrives, the
 * listener answers once or closes, within its timeouts, and keeps serving. Regression mode replays
 * {@code UwsgiListenerFuzzTestInputs/}; the {@code fuzz-listener} surefire execution fuzzes.
 */
class UwsgiListenerFuzzTest {

    static UwsgiListener listener;

    @BeforeAll
    static void start() throws IOException {
        listener = UwsgiListener.start(UwsgiConfig.builder()
                .tcp("127.0.0.1", 0)
                .maxVarsSize(1024)
                .maxVars(16)
                .maxBodySize(4096)
                .headerTimeout(Duration.ofSeconds(5))
                .bodyTimeout(Duration.ofSeconds(5))
                .application((environ, startResponse) -> {
                    byte[] body = Environ.input(environ).readAllBytes();
                    startResponse.start("200 OK", List.of(new Header("Content-Type", "application/octet-stream")));
                    return List.of(body);
                })
                .build());
    }

    @AfterAll
    static void stop() {
        listener.stop();
    }

    @FuzzTest(maxDuration = "10s")
    void anyBytesGetOneAnswerOrACloseAndNeverAHang(byte[] input) throws IOException {
        // Jazzer's SSRF detector flags every connection; this one goes to the listener under test only.
        try (SilentCloseable allowed = BugDetectors.allowNetworkConnections((host, port) -> port == listener.port());
             Socket socket = new Socket("127.0.0.1", listener.port())) {
            socket.setSoTimeout(60_000);
            try {
                socket.getOutputStream().write(input);
                socket.shutdownOutput();
            } catch (IOException refusedEarly) {
                // The listener may refuse and close before all of the input is written.
            }
            ByteArrayOutputStream response = new ByteArrayOutputStream();
            try {
                socket.getInputStream().transferTo(response);
            } catch (SocketTimeoutException e) {
                throw new AssertionError("the listener neither answered nor closed within 60 s", e);
            } catch (IOException reset) {
                // A reset is a legitimate way to refuse.
            }
            String text = response.toString(StandardCharsets.ISO_8859_1);
            assertTrue(text.isEmpty() || text.startsWith("HTTP/1.1 "), text);
            // A refusal's reason may quote the peer's bytes ("HTTP/1.1 " among them), so "one answer"
            // means: nothing after the body its Content-Length frames.
            int headEnd = text.indexOf("\r\n\r\n");
            Matcher length = Pattern.compile("\r\nContent-Length: (\\d+)\r\n").matcher(text);
            boolean framed = headEnd > 0 && length.find() && length.start() < headEnd;
            assertTrue(text.isEmpty() || text.startsWith("HTTP/1.1 200")
                            || (framed ? text.length() == headEnd + 4 + Integer.parseInt(length.group(1))
                                    : text.indexOf("HTTP/1.1 ", 1) < 0),
                    () -> "one request per connection, one answer: " + text);
        }
    }
}
