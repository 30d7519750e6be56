package org.wsgi4j.benchmarks;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;
import org.eclipse.jetty.http.HttpField;
import org.eclipse.jetty.http.HttpParser;
import org.eclipse.jetty.http.HttpVersion;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;
import org.openjdk.jmh.infra.Blackhole;

/**
 * What wsgi4j-server's {@code --header-cache-size} trades: Jetty's HTTP parser parsing request after
 * request on one kept-alive connection, its header cache of {@code cacheSize} bytes (0: off, the
 * server's default; 1024: Jetty's), case-sensitive as the server sets it. The cache costs about
 * 100 bytes of heap per byte of its size on every kept-alive connection; {@code -prof gc} shows
 * what it saves per request ({@code gc.alloc.rate.norm}). Requests: {@code wrk}, the load
 * generator's (request line and Host), and {@code browser}, a browser's six header lines.
 * Run: {@code java -jar src/benchmarks/target/benchmarks.jar JettyHeaderCacheBenchmark -prof gc}.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 3, time = 1)
@Fork(1)
public class JettyHeaderCacheBenchmark {

    private static final String WRK = "GET /slow HTTP/1.1\r\nHost: 127.0.0.1:18160\r\n\r\n";
    private static final String BROWSER = "GET / HTTP/1.1\r\nHost: 127.0.0.1:18160\r\n"
            + "User-Agent: Mozilla/5.0 (X11; Linux x86_64; rv:128.0) Gecko/20100101 Firefox/128.0\r\n"
            + "Accept: text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8\r\n"
            + "Accept-Language: en-US,en;q=0.5\r\nAccept-Encoding: gzip, deflate, br\r\n"
            + "Connection: keep-alive\r\n\r\n";

    @Param({"0", "256", "1024"})
    public int cacheSize;

    @Param({"wrk", "browser"})
    public String request;

    private HttpParser parser;
    private Handler handler;
    private byte[] bytes;
    private ByteBuffer buffer;

    /** Hands what the parser found to the blackhole, as a connection's request would take it. */
    private static final class Handler implements HttpParser.RequestHandler {
        Blackhole blackhole;

        @Override
        public void startRequest(String method, String uri, HttpVersion version) {
            blackhole.consume(uri);
        }

        @Override
        public void parsedHeader(HttpField field) {
            blackhole.consume(field);
        }

        @Override
        public boolean headerComplete() {
            return false;
        }

        @Override
        public boolean content(ByteBuffer content) {
            return false;
        }

        @Override
        public boolean contentComplete() {
            return false;
        }

        @Override
        public boolean messageComplete() {
            return true;
        }

        @Override
        public void earlyEOF() {
            // a whole request is always there
        }
    }

    @Setup
    public void setup() {
        handler = new Handler();
        parser = new HttpParser(handler, 16 * 1024);
        parser.setHeaderCacheSize(cacheSize);
        parser.setHeaderCacheCaseSensitive(true);
        bytes = (request.equals("wrk") ? WRK : BROWSER).getBytes(StandardCharsets.US_ASCII);
        buffer = ByteBuffer.allocate(bytes.length);
    }

    @Benchmark
    public void parseOneRequest(Blackhole blackhole) {
        handler.blackhole = blackhole;
        buffer.clear();
        buffer.put(bytes).flip();
        while (buffer.hasRemaining() && !parser.parseNext(buffer)) {
            // parseNext returns true at the end of the message
        }
        parser.reset();
    }
}
