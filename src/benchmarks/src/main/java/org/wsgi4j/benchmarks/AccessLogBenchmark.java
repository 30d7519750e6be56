package org.wsgi4j.benchmarks;

import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Threads;
import org.openjdk.jmh.annotations.Warmup;
import org.wsgi4j.Environ;
import org.wsgi4j.jetty.internal.AccessLog;
import org.wsgi4j.server.Result;

/**
 * What the access log ({@code --access-log}) costs per request: one {@link AccessLog#log} call (the
 * line formatted and queued) for a hello request as wrk sends it (no Referer, a short User-Agent),
 * while the log's own thread writes the batches to {@code /dev/null}. Two threads log at once, as two
 * cores serving requests do. Run with {@code -prof gc} for the bytes allocated per line: they do not
 * depend on the machine's load, the nanoseconds do (the writer thread shares the cores). The queue
 * holds 10,000 lines (the default); the writer to {@code /dev/null} keeps it from filling.
 *
 * <p>The same benchmark measures an earlier {@code AccessLog} with its classes first on the class
 * path: {@code java -cp OTHER/src/server/target/classes:src/benchmarks/target/benchmarks.jar
 * org.openjdk.jmh.Main AccessLogBenchmark -prof gc}.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
@Threads(2)
public class AccessLogBenchmark {

    private static final Result OK = new Result(200, 14, Result.Outcome.COMPLETE, null);

    private AccessLog log;
    private Map<String, Object> environ;

    @Setup
    public void setUp() throws Exception {
        log = AccessLog.to("/dev/null", AccessLog.DEFAULT_QUEUE_CAPACITY);
        log.start();
        environ = new HashMap<>();
        environ.put(Environ.REMOTE_ADDR, "127.0.0.1");
        environ.put(Environ.REQUEST_METHOD, "GET");
        environ.put(Environ.REQUEST_URI, "/");
        environ.put(Environ.SERVER_PROTOCOL, "HTTP/1.1");
        environ.put("HTTP_USER_AGENT", "wrk/4.1.0");
    }

    @TearDown
    public void tearDown() throws Exception {
        log.stop();
    }

    @Benchmark
    public void line() {
        log.log(environ, OK, 1_834_000, "/");
    }
}
