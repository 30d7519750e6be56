package org.wsgi4j.benchmarks;

import io.micrometer.core.instrument.Timer;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
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
import org.openjdk.jmh.annotations.Threads;
import org.openjdk.jmh.annotations.Warmup;

/**
 * What recording one request's duration costs in each form of Micrometer {@link Timer} the stats
 * server could keep ({@code --stats}: {@code org.wsgi4j.jetty.internal.Metrics}), in a
 * {@link PrometheusMeterRegistry} as the server has. Two threads record at once, as two cores
 * serving requests do. Run with {@code -prof gc} for the bytes each record allocates.
 *
 * <ul>
 *   <li>{@code percentiles2m}: client-side percentiles 0.5, 0.9, 0.99 over a two-minute window
 *   (Micrometer's {@code TimeWindowPercentileHistogram}, a ring of three HdrHistograms, each record
 *   written to all three);</li>
 *   <li>{@code percentiles2mOneBuffer}: the same with a ring of one (the window then empties at once
 *   every two minutes);</li>
 *   <li>{@code histogram}: {@code publishPercentileHistogram} between 100 µs and 60 s: Prometheus
 *   buckets, cumulative since the start (one fixed-boundary histogram, a binary search and an
 *   atomic increment per record);</li>
 *   <li>{@code plain}: count, total and max only (the floor every form pays).</li>
 * </ul>
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
@Threads(2)
public class MetricsTimerBenchmark {

    @Param({"percentiles2m", "percentiles2mOneBuffer", "histogram", "plain"})
    public String form;

    private Timer timer;

    @Setup
    public void setUp() {
        Timer.Builder builder = Timer.builder("wsgi4j.request.duration").tag("mount", "/");
        builder = switch (form) {
            case "percentiles2m" -> builder.publishPercentiles(0.5, 0.9, 0.99)
                    .distributionStatisticExpiry(Duration.ofMinutes(2));
            case "percentiles2mOneBuffer" -> builder.publishPercentiles(0.5, 0.9, 0.99)
                    .distributionStatisticExpiry(Duration.ofMinutes(2)).distributionStatisticBufferLength(1);
            case "histogram" -> builder.publishPercentileHistogram()
                    .minimumExpectedValue(Duration.ofNanos(100_000)).maximumExpectedValue(Duration.ofSeconds(60));
            case "plain" -> builder;
            default -> throw new IllegalArgumentException(form);
        };
        timer = builder.register(new PrometheusMeterRegistry(PrometheusConfig.DEFAULT));
    }

    /** Durations spread as hello's are (tens of microseconds, now and then a millisecond), without a shared counter. */
    @State(Scope.Thread)
    public static class Durations {
        long next = 17;

        long take() {
            next = next * 6364136223846793005L + 1442695040888963407L;
            long r = (next >>> 33) & 1023;
            return r == 0 ? 1_200_000 : 20_000 + r * 40;
        }
    }

    @Benchmark
    public void record(Durations durations) {
        timer.record(durations.take(), TimeUnit.NANOSECONDS);
    }
}
