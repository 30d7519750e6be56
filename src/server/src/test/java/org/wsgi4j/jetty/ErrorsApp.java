package org.wsgi4j.jetty;

import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import org.wsgi4j.Application;
import org.wsgi4j.Environ;
import org.wsgi4j.Header;
import org.wsgi4j.StartResponse;

/**
 * For tests of wsgi.errors (SPEC E12) on a server process. {@code /split/N} begins the line
 * {@code split N ended} while the application runs and ends it while its body is iterated (a lazy
 * body: with {@code --non-blocking}, on another thread than the call); {@code /unfinished/N} writes
 * {@code unfinished N} with no line break and never flushes. Both answer {@code ok}.
 */
public final class ErrorsApp implements Application {

    @Override
    public Iterable<byte[]> call(Map<String, Object> environ, StartResponse startResponse) {
        PrintWriter errors = (PrintWriter) environ.get(Environ.WSGI_ERRORS);
        String path = Environ.path(environ);
        String[] parts = path.split("/");
        byte[] body = "ok\n".getBytes(StandardCharsets.US_ASCII);
        startResponse.start("200 OK", List.of(new Header("Content-Type", "text/plain"),
                new Header("Content-Length", Integer.toString(body.length))));
        if (parts[1].equals("unfinished")) {
            errors.print("unfinished " + parts[2]);
            return List.of(body);
        }
        errors.print("split " + parts[2]);
        return () -> new Iterator<>() {
            boolean sent;

            @Override
            public boolean hasNext() {
                return !sent;
            }

            @Override
            public byte[] next() {
                sent = true;
                errors.println(" ended");
                return body;
            }
        };
    }
}
