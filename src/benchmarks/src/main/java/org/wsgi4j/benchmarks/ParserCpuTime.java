package org.wsgi4j.benchmarks;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.ByteBuffer;
import org.wsgi4j.uwsgi.internal.UwsgiParser;
import org.wsgi4j.uwsgi.internal.UwsgiVars;

/**
 * The {@link UwsgiParserBenchmark#parse} loop measured in CPU time of the thread rather than wall
 * time, so that a machine shared with other jobs does not divide the figure by its load (JMH's
 * throughput is wall time). Not a substitute for JMH on a quiet machine; a cross-check on a busy one.
 *
 * <pre>java -cp src/benchmarks/target/benchmarks.jar org.wsgi4j.benchmarks.ParserCpuTime</pre>
 */
public final class ParserCpuTime {

    private static int sink;

    private ParserCpuTime() {
    }

    public static void main(String[] args) {
        byte[] bytes = UwsgiParserBenchmark.nginxPacket();
        ByteBuffer packet = ByteBuffer.allocateDirect(bytes.length).put(bytes).flip();
        UwsgiParser.Limits limits = new UwsgiParser.Limits(0xFFFF, 512, 64L << 20);
        UwsgiParser.Listener listener = new UwsgiParser.Listener() {
            @Override
            public boolean onVars(UwsgiVars vars, long contentLength) {
                sink += vars.size();
                return true;
            }

            @Override
            public void onContent(ByteBuffer content) {
            }

            @Override
            public void onEnd() {
            }

            @Override
            public void onFailure(UwsgiParser.Failure failure, String reason) {
                throw new AssertionError(failure + ": " + reason);
            }
        };
        ThreadMXBean threads = ManagementFactory.getThreadMXBean();
        int n = 3_000_000;
        // Rounds 0-2 warm up; the last three are the figure.
        for (int round = 0; round < 6; round++) {
            long start = threads.getCurrentThreadCpuTime();
            for (int i = 0; i < n; i++) {
                new UwsgiParser(listener, limits).parse(packet.duplicate());
            }
            long nanos = threads.getCurrentThreadCpuTime() - start;
            System.out.printf("round %d: %.1f ns CPU per parse, %.2f GB/s per core (%d-byte packet)%n",
                    round, (double) nanos / n, (double) bytes.length * n / nanos, bytes.length);
        }
        if (sink == 42) {
            System.out.println();
        }
    }
}
