package org.wsgi4j.jetty.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.eclipse.jetty.util.thread.QueuedThreadPool;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.wsgi4j.Environ;
import org.wsgi4j.server.Result;

/** The request durations the stats show: percentiles estimated from the histogram's buckets, since the start. */
class MetricsTest {

    private static Metrics metrics() {
        return new Metrics(List.of("/"), new Metrics.Process("test", Instant.now(), "platform", List::of, () -> false),
                new QueuedThreadPool());
    }

    private static void record(Metrics metrics, int requests, long millis) {
        for (int i = 0; i < requests; i++) {
            Metrics.Mount mount = metrics.mount("/");
            mount.started();
            mount.completed(200, false, false, 0, 2, TimeUnit.MILLISECONDS.toNanos(millis));
        }
    }

    private static JsonNode latency(Metrics metrics) throws Exception {
        return new ObjectMapper().readTree(metrics.json()).get("mounts").get(0).get("latency_ms");
    }

    /** Within a bucket's width of {@code expected}: the buckets are about four per doubling. */
    private static void assertNear(double expected, double actual, String what) {
        assertTrue(actual >= expected * 0.8 && actual <= expected * 1.2, what + ": " + actual + " ms, not about " + expected);
    }

    @Test
    @DisplayName("p50, p90 and p99 fall in the buckets of the durations at those ranks")
    void percentilesComeFromTheBucketsOfTheirRanks() throws Exception {
        Metrics metrics = metrics();
        record(metrics, 800, 2);
        record(metrics, 150, 40);
        record(metrics, 50, 900);
        JsonNode latency = latency(metrics);
        assertNear(2, latency.get("p50").asDouble(), "p50");
        assertNear(40, latency.get("p90").asDouble(), "p90");
        assertNear(900, latency.get("p99").asDouble(), "p99");
        assertEquals(900, latency.get("max").asDouble(), 0.001);
    }

    @Test
    @DisplayName("with no request yet the percentiles are 0")
    void percentilesAreZeroBeforeTheFirstRequest() throws Exception {
        JsonNode latency = latency(metrics());
        assertEquals(0, latency.get("p50").asDouble());
        assertEquals(0, latency.get("p99").asDouble());
    }

    @Test
    @DisplayName("a request longer than the last bucket (60 s) makes p99 at least that bound, or the max")
    void requestsPastTheLastBucketShowTheMax() throws Exception {
        Metrics metrics = metrics();
        record(metrics, 98, 1);
        record(metrics, 2, 90_000);
        assertEquals(90_000, latency(metrics).get("p99").asDouble(), 0.001);
    }

    @Test
    @DisplayName("Prometheus gets the cumulative buckets of the duration, the +Inf one counting every request")
    void prometheusGetsTheBuckets() {
        Metrics metrics = metrics();
        record(metrics, 3, 2);
        String text = metrics.prometheus();
        assertTrue(text.contains("wsgi4j_request_duration_seconds_bucket{mount=\"/\",le=\"+Inf\"} 3"), text);
        assertTrue(text.contains("wsgi4j_request_duration_seconds_count{mount=\"/\"} 3"), text);
    }

    @Test
    @DisplayName("a path outside every prefix (uwsgi, core front end) has no meters")
    void noMetersOutsideTheMounts() {
        Metrics metrics = metrics();
        assertNull(metrics.mount(null));
        assertNull(metrics.mount("/elsewhere"));
    }

    @Test
    @DisplayName("lines the access log dropped are counted in the JSON and for Prometheus")
    void droppedAccessLogLinesAreCounted() throws Exception {
        Metrics metrics = metrics();
        assertEquals(0, new ObjectMapper().readTree(metrics.json()).get("access_log_dropped").asLong());
        AccessLog log = AccessLog.to(Files.createDirectories(Path.of("target", "metrics-test")).resolve("dropped.log")
                .toString(), 1);
        metrics.countDroppedLines(log);
        for (int i = 0; i < 3; i++) {
            log.log(Map.of(Environ.SCRIPT_NAME, "", Environ.PATH_INFO, "/"), new Result(200, 0, Result.Outcome.COMPLETE, null), 1000, "/");
        }
        assertEquals(2, new ObjectMapper().readTree(metrics.json()).get("access_log_dropped").asLong());
        assertTrue(metrics.prometheus().contains("wsgi4j_access_log_dropped_total 2.0"), metrics.prometheus());
    }
}
