package org.wsgi4j.jetty;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import org.wsgi4j.Application;
import org.wsgi4j.Environ;
import org.wsgi4j.Header;
import org.wsgi4j.StartResponse;

/**
 * For tests that start the server as a process: {@code /sleep/MILLIS} answers after sleeping that
 * long ({@code slept MILLIS}); anything else answers at once ({@code fast}).
 */
public final class SlowApp implements Application {

    @Override
    public Iterable<byte[]> call(Map<String, Object> environ, StartResponse startResponse) throws Exception {
        String path = Environ.path(environ);
        String text = "fast\n";
        if (path.startsWith("/sleep/")) {
            long millis = Long.parseLong(path.substring("/sleep/".length()));
            Thread.sleep(millis);
            text = "slept " + millis + "\n";
        }
        byte[] body = text.getBytes(StandardCharsets.US_ASCII);
        startResponse.start("200 OK", List.of(new Header("Content-Type", "text/plain"),
                new Header("Content-Length", Integer.toString(body.length))));
        return List.of(body);
    }
}
