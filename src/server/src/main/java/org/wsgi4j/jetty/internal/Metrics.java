package org.wsgi4j.jetty.internal;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.distribution.CountAtBucket;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.time.Duration;
import java.time.Instant;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Supplier;
import org.eclipse.jetty.util.thread.QueuedThreadPool;

/**
 * The server's numbers, kept once in a Micrometer registry and shown two ways: JSON in the spirit
 * of uWSGI's stats server ({@link #json()}), and Prometheus text ({@link #prometheus()}). Request
 * durations go into Micrometer's percentile histogram: fixed buckets from 100 µs to 60 s, about four
 * per doubling, counted since the start ({@code wsgi4j_request_duration_seconds_bucket} for
 * Prometheus, where {@code histogram_quantile} over a {@code rate} gives any window); the JSON's
 * p50, p90 and p99 are estimated from those buckets, since the start, by linear interpolation
 * within the bucket (as {@code histogram_quantile} does), so within a bucket's width (about 20%) of the
 * exact value.
 *
 * <p>Per mount: requests by status class, exceptions (responses the application failed:
 * a 500 the server made or an aborted answer), body bytes received and sent, requests in flight,
 * request timeouts (harakiri), and the duration of each request. Thread-safe; recording never
 * blocks.
 */
public final class Metrics {

    private static final String[] STATUS_CLASSES = {"1xx", "2xx", "3xx", "4xx", "5xx"};
    private static final double[] PERCENTILES = {0.5, 0.9, 0.99};
    /** The duration histogram's range: its first bucket ends here ... */
    private static final Duration SHORTEST = Duration.ofNanos(100_000);
    /** ... and its last one here; longer requests count only in {@code +Inf} (and the max). */
    private static final Duration LONGEST = Duration.ofSeconds(60);

    /** What {@link #json()} shows beside the per-mount numbers. */
    public record Process(String version, Instant startTime, String threadMode, Supplier<List<String>> listeners,
                          Supplier<Boolean> draining) {
    }

    private final PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    // WAR mounts register while requests are counted: a servlet may init on its first request.
    private final Map<String, Mount> mounts = new ConcurrentHashMap<>();
    private final Process process;
    private final QueuedThreadPool pool;
    /** Whose dropped lines are counted; {@code null} without an access log (then 0 are). */
    private volatile AccessLog accessLog;
    private final ObjectMapper json = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    /**
     * One mount's meters, resolved once (when its observer is made) so that counting a request
     * looks nothing up.
     */
    public final class Mount {
        final String prefix;
        final Counter[] byClass = new Counter[STATUS_CLASSES.length];
        final Counter exceptions;
        final Counter harakiri;
        final Counter bytesIn;
        final Counter bytesOut;
        /** Striped: one shared counter incremented and decremented by every request bounces between the cores. */
        final LongAdder inFlight = new LongAdder();
        final Timer duration;

        Mount(String prefix) {
            this.prefix = prefix;
            for (int i = 0; i < STATUS_CLASSES.length; i++) {
                byClass[i] = Counter.builder("wsgi4j.requests").description("requests answered, by status class")
                        .tags("mount", prefix, "status", STATUS_CLASSES[i]).register(registry);
            }
            exceptions = Counter.builder("wsgi4j.exceptions")
                    .description("requests the application failed (a 500 made by the server, or an aborted answer)")
                    .tag("mount", prefix).register(registry);
            harakiri = Counter.builder("wsgi4j.harakiri").description("requests stopped by the request timeout")
                    .tag("mount", prefix).register(registry);
            bytesIn = Counter.builder("wsgi4j.bytes.received").baseUnit("bytes")
                    .description("request body bytes read by the application").tag("mount", prefix).register(registry);
            bytesOut = Counter.builder("wsgi4j.bytes.sent").baseUnit("bytes")
                    .description("response body bytes sent").tag("mount", prefix).register(registry);
            Gauge.builder("wsgi4j.requests.in.flight", inFlight, LongAdder::sum)
                    .description("requests being served").tag("mount", prefix).register(registry);
            // Buckets, not client-side percentiles: Micrometer's time-windowed percentiles write every
            // record into each HdrHistogram of a ring (1.7x this form's cost in MetricsTimerBenchmark).
            duration = Timer.builder("wsgi4j.request.duration").description("time from request to the end of the answer")
                    .tag("mount", prefix).publishPercentileHistogram().minimumExpectedValue(SHORTEST)
                    .maximumExpectedValue(LONGEST).register(registry);
        }

        /** A request reached the application under this mount. */
        public void started() {
            inFlight.increment();
        }

        /**
         * A request under this mount ended. Zero counts are not added: each add is a write to a shared cell.
         *
         * @param status    the status sent
         * @param failed    whether the application failed (500 by the server, or an aborted answer)
         * @param timedOut  whether the request timeout stopped it
         * @param bytesIn   request body bytes the application read
         * @param bytesOut  response body bytes sent
         * @param nanos     how long it took, in nanoseconds
         */
        public void completed(int status, boolean failed, boolean timedOut, long bytesIn, long bytesOut, long nanos) {
            inFlight.decrement();
            int statusClass = status / 100 - 1;
            if (statusClass >= 0 && statusClass < STATUS_CLASSES.length) {
                byClass[statusClass].increment();
            }
            if (failed) {
                exceptions.increment();
            }
            if (timedOut) {
                harakiri.increment();
            }
            if (bytesIn != 0) {
                this.bytesIn.increment(bytesIn);
            }
            if (bytesOut != 0) {
                this.bytesOut.increment(bytesOut);
            }
            duration.record(nanos, TimeUnit.NANOSECONDS);
        }
    }

    /**
     * @param mounts  the prefixes of the mounted applications, each counted on its own
     * @param process what the JSON shows about the process
     * @param pool    Jetty's thread pool, whose state is shown
     */
    public Metrics(List<String> mounts, Process process, QueuedThreadPool pool) {
        this.process = process;
        this.pool = pool;
        for (String mount : mounts) {
            this.mounts.put(mount, new Mount(mount));
        }
        Gauge.builder("wsgi4j.threads.busy", pool, QueuedThreadPool::getBusyThreads)
                .description("Jetty pool threads running a job").register(registry);
        Gauge.builder("wsgi4j.threads.idle", pool, QueuedThreadPool::getIdleThreads).register(registry);
        Gauge.builder("wsgi4j.threads.max", pool, QueuedThreadPool::getMaxThreads).register(registry);
        Gauge.builder("wsgi4j.threads.queued", pool, QueuedThreadPool::getQueueSize)
                .description("jobs waiting for a Jetty pool thread").register(registry);
        FunctionCounter.builder("wsgi4j.access.log.dropped", this, Metrics::droppedLines)
                .description("access log lines dropped because the log could not keep up (--access-log-queue)")
                .register(registry);
        Gauge.builder("wsgi4j.draining", () -> process.draining().get() ? 1 : 0)
                .description("1 while the server stops, finishing requests in flight").register(registry);
    }

    /**
     * Counts {@code mount} from now on, beside the mounted applications: a servlet of a deployed WAR
     * (context path + servlet prefix). Registering a known mount again changes nothing.
     *
     * @param mount the servlet's context path and prefix
     */
    public void register(String mount) {
        mounts.computeIfAbsent(mount, Mount::new);
    }

    /**
     * Counts the lines {@code log} drops ({@code access_log_dropped}, {@code wsgi4j_access_log_dropped_total}).
     *
     * @param log the server's access log
     */
    public void countDroppedLines(AccessLog log) {
        this.accessLog = log;
    }

    private double droppedLines() {
        AccessLog log = accessLog;
        return log == null ? 0 : log.droppedLines();
    }

    /**
     * The meters of {@code mount}, to count its requests with.
     *
     * @param mount a mount prefix (see {@link #register} for a WAR's)
     * @return its meters, or {@code null} for {@code null} or a prefix that is not counted
     */
    public Mount mount(String mount) {
        return mount == null ? null : mounts.get(mount);
    }

    /**
     * The duration below which {@code quantile} of the requests fell, from cumulative bucket counts:
     * interpolated linearly within the bucket holding that rank (from the bucket below's bound, 0 for
     * the first), as Prometheus' {@code histogram_quantile} does; past the last bucket, the max
     * (of Micrometer's window, so at least the last bucket's bound).
     *
     * @param buckets   cumulative counts at each upper bound, in nanoseconds, ascending
     * @param quantile  between 0 and 1
     * @param count     the requests recorded (those past the last bucket included)
     * @param maxMillis the longest duration recorded, in milliseconds
     * @return milliseconds; 0 when nothing was recorded
     */
    static double quantileMillis(CountAtBucket[] buckets, double quantile, long count, double maxMillis) {
        if (count == 0) {
            return 0;
        }
        double rank = quantile * count;
        double below = 0;
        double belowCount = 0;
        for (CountAtBucket bucket : buckets) {
            double upper = bucket.bucket(TimeUnit.MILLISECONDS);
            if (bucket.count() >= rank && bucket.count() > belowCount) {
                return below + (upper - below) * (rank - belowCount) / (bucket.count() - belowCount);
            }
            below = upper;
            belowCount = bucket.count();
        }
        return Math.max(maxMillis, below);
    }

    /**
     * The Prometheus text exposition format (version 0.0.4).
     *
     * @return the Prometheus text exposition format (version 0.0.4)
     */
    public String prometheus() {
        return registry.scrape();
    }

    /**
     * The JSON document of {@code GET /} on the stats port.
     *
     * @return the JSON document of {@code GET /} on the stats port
     */
    public String json() {
        ObjectNode root = json.createObjectNode();
        root.put("version", process.version());
        root.put("start_time", process.startTime().getEpochSecond());
        root.put("start_time_iso", process.startTime().toString());
        root.put("thread_mode", process.threadMode());
        root.put("draining", process.draining().get());
        ArrayNode listeners = root.putArray("listeners");
        process.listeners().get().forEach(listeners::add);
        long inFlight = 0;
        long harakiri = 0;
        ArrayNode mountNodes = root.putArray("mounts");
        for (Mount meters : mounts.values().stream().sorted(Comparator.comparing(m -> m.prefix)).toList()) {
            ObjectNode node = mountNodes.addObject();
            node.put("mount", meters.prefix);
            long requests = 0;
            ObjectNode statuses = json.createObjectNode();
            for (int i = 0; i < STATUS_CLASSES.length; i++) {
                long count = (long) meters.byClass[i].count();
                statuses.put(STATUS_CLASSES[i], count);
                requests += count;
            }
            node.put("requests", requests);
            node.set("status", statuses);
            node.put("exceptions", (long) meters.exceptions.count());
            node.put("harakiri", (long) meters.harakiri.count());
            node.put("bytes_in", (long) meters.bytesIn.count());
            node.put("bytes_out", (long) meters.bytesOut.count());
            node.put("in_flight", meters.inFlight.sum());
            ObjectNode latency = node.putObject("latency_ms");
            CountAtBucket[] buckets = meters.duration.takeSnapshot().histogramCounts();
            for (double percentile : PERCENTILES) {
                latency.put("p" + Math.round(percentile * 100), quantileMillis(buckets, percentile,
                        meters.duration.count(), meters.duration.max(TimeUnit.MILLISECONDS)));
            }
            latency.put("max", meters.duration.max(TimeUnit.MILLISECONDS));
            inFlight += meters.inFlight.sum();
            harakiri += (long) meters.harakiri.count();
        }
        root.put("in_flight", inFlight);
        root.put("harakiri_count", harakiri);
        root.put("access_log_dropped", (long) droppedLines());
        ObjectNode threads = root.putObject("threads");
        threads.put("mode", process.threadMode());
        threads.put("max", pool.getMaxThreads());
        threads.put("busy", pool.getBusyThreads());
        threads.put("idle", pool.getIdleThreads());
        threads.put("queued", pool.getQueueSize());
        try {
            return json.writeValueAsString(root) + "\n";
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException("cannot write the stats as JSON", e);
        }
    }
}
