package org.wsgi4j.jetty;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Collections;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import org.wsgi4j.Application;
import org.wsgi4j.Environ;
import org.wsgi4j.Header;
import org.wsgi4j.StartResponse;

/**
 * The benchmark harness's workloads (../shared/bench: W1 hello, W2 echo, W3 stream), answering
 * exactly like its apps/wsgi_app.py. Run with
 * {@code --classpath src/server/target/test-classes --mount /=org.wsgi4j.jetty.BenchApp}.
 * {@code GET /slow} is bench/slow.sh's application: it holds its thread for 200 ms (a sleep standing
 * for a slow database or upstream call), then answers 5 bytes.
 */
public final class BenchApp implements Application {

    private static final byte[] HELLO = "Hello, World!\n".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] CHUNK = new byte[16384];
    private static final int CHUNKS = 64;
    private static final List<Header> HELLO_HEADERS = List.of(new Header("Content-Type", "text/plain"),
            new Header("Content-Length", Integer.toString(HELLO.length)));
    private static final List<Header> STREAM_HEADERS = List.of(new Header("Content-Type", "application/octet-stream"));
    private static final byte[] SLOW = "slow\n".getBytes(StandardCharsets.US_ASCII);
    private static final long SLOW_MILLIS = 200;
    private static final List<Header> SLOW_HEADERS = List.of(new Header("Content-Type", "text/plain"),
            new Header("Content-Length", Integer.toString(SLOW.length)));
    private static final List<Header> NOT_FOUND = List.of(new Header("Content-Type", "text/plain"),
            new Header("Content-Length", "10"));

    static {
        Arrays.fill(CHUNK, (byte) 'x');
    }

    @Override
    public Iterable<byte[]> call(Map<String, Object> environ, StartResponse startResponse) throws IOException {
        String path = Environ.pathInfo(environ);
        String method = Environ.requestMethod(environ);
        if (path.isEmpty() || path.equals("/")) {
            startResponse.start("200 OK", HELLO_HEADERS);
            return Collections.singletonList(HELLO);
        }
        if (path.equals("/echo") && method.equals("POST")) {
            int length = (int) Environ.contentLength(environ).orElse(0);
            byte[] body = new byte[length];
            InputStream in = Environ.input(environ);
            int read = 0;
            while (read < length) {
                int n = in.read(body, read, length - read);
                if (n < 0) {
                    break;
                }
                read += n;
            }
            startResponse.start("200 OK", List.of(new Header("Content-Type", "application/octet-stream"),
                    new Header("Content-Length", Integer.toString(read))));
            return Collections.singletonList(read == length ? body : Arrays.copyOf(body, read));
        }
        if (path.equals("/stream")) {
            startResponse.start("200 OK", STREAM_HEADERS);
            return () -> new Iterator<>() {
                private int sent;

                @Override
                public boolean hasNext() {
                    return sent < CHUNKS;
                }

                @Override
                public byte[] next() {
                    sent++;
                    return CHUNK;
                }
            };
        }
        if (path.equals("/slow")) {
            try {
                Thread.sleep(SLOW_MILLIS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IOException("interrupted while sleeping for /slow", e);
            }
            startResponse.start("200 OK", SLOW_HEADERS);
            return Collections.singletonList(SLOW);
        }
        startResponse.start("404 Not Found", NOT_FOUND);
        return Collections.singletonList("not found\n".getBytes(StandardCharsets.US_ASCII));
    }
}
