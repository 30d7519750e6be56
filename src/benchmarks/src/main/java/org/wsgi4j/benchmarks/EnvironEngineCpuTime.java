package org.wsgi4j.benchmarks;

import java.lang.management.ManagementFactory;
import java.util.Map;
import org.wsgi4j.middleware.Lint;
import org.wsgi4j.server.EngineOptions;
import org.wsgi4j.server.ResponseEngine;
import org.wsgi4j.server.Result;

/**
 * {@link EnvironEngineBenchmark#environAndEngine} (and its Lint variant) measured in CPU time and
 * bytes allocated by the thread rather than wall time, so that a machine shared with other jobs
 * does not divide the figure by its load. A cross-check of the JMH figures on a busy machine, not a
 * substitute for JMH on a quiet one.
 *
 * <pre>java -cp src/benchmarks/target/benchmarks.jar org.wsgi4j.benchmarks.EnvironEngineCpuTime [lint]</pre>
 */
public final class EnvironEngineCpuTime {

    private static int sink;

    private EnvironEngineCpuTime() {
    }

    public static void main(String[] args) {
        boolean lint = args.length > 0 && args[0].equals("lint");
        ResponseEngine engine = new ResponseEngine(lint ? Lint.wrap(EnvironEngineBenchmark.HELLO_APP)
                : EnvironEngineBenchmark.HELLO_APP, EngineOptions.defaults());
        EnvironEngineBenchmark.NoSink noSink = new EnvironEngineBenchmark.NoSink();
        com.sun.management.ThreadMXBean threads = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        long self = Thread.currentThread().getId();
        int n = lint ? 200_000 : 1_000_000;
        // Rounds 0-3 warm up; the last three are the figure.
        for (int round = 0; round < 7; round++) {
            long cpu = threads.getCurrentThreadCpuTime();
            long bytes = threads.getThreadAllocatedBytes(self);
            for (int i = 0; i < n; i++) {
                Map<String, Object> environ = EnvironEngineBenchmark.servletEnviron();
                Result result = engine.run(environ, noSink);
                sink += result.status();
            }
            long nanos = threads.getCurrentThreadCpuTime() - cpu;
            long allocated = threads.getThreadAllocatedBytes(self) - bytes;
            System.out.printf("round %d%s: %.1f ns CPU, %.0f bytes allocated per request%n",
                    round, lint ? " (Lint)" : "", (double) nanos / n, (double) allocated / n);
        }
        if (sink == 42) {
            System.out.println();
        }
    }
}
