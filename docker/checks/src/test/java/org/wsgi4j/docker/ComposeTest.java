package org.wsgi4j.docker;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * docker/compose.yaml as Debian's docker-compose reads it ({@code docker-compose config}): valid,
 * and set up as the README says (nginx in front, health checks gating the start, nothing but
 * nginx published, one network, a stop that leaves time for the drain).
 */
class ComposeTest {

    static final Path COMPOSE = Checks.DOCKER.resolve("compose.yaml");
    private static JsonNode config;

    /** The file as docker-compose resolves it (variables substituted, defaults filled in). */
    static JsonNode config() throws Exception {
        if (config == null) {
            Checks.Result result = compose(COMPOSE);
            assertEquals(0, result.exitCode(), () -> "docker-compose config refused docker/compose.yaml:\n" + result.output());
            config = Checks.yaml(result.output());
        }
        return config;
    }

    private static Checks.Result compose(Path file) throws Exception {
        Path tool = Checks.tool("docker-compose", "Debian: apt-get install docker-compose");
        return Checks.run(file.getParent(), List.of(tool.toString(), "-f", file.toString(), "config"));
    }

    @BeforeAll
    static void readConfig() throws Exception {
        config();
    }

    private static JsonNode service(String name) {
        JsonNode service = config.path("services").path(name);
        assertFalse(service.isMissingNode(), () -> "compose.yaml has no service '" + name + "'");
        return service;
    }

    /** A compose duration ("30s", "1m", "1m30s") in seconds. */
    static long seconds(String duration) {
        Matcher part = Pattern.compile("(\\d+)(h|m|s)").matcher(duration);
        long seconds = 0;
        int end = 0;
        while (part.find() && part.start() == end) {
            seconds += Long.parseLong(part.group(1)) * Map.of("h", 3600, "m", 60, "s", 1).get(part.group(2));
            end = part.end();
        }
        assertEquals(duration.length(), end, () -> "not a duration in whole seconds: '" + duration + "'");
        return seconds;
    }

    @Test
    void dockerComposeRefusesABrokenFile() throws Exception {
        String original = Checks.read(COMPOSE);
        String broken = Checks.breaking(original, "condition: service_healthy", "condition: when_healthy");
        assertNotEquals(original, broken);
        Checks.Result result = compose(Checks.write("compose-broken/compose.yaml", broken));
        assertNotEquals(0, result.exitCode(), result::output);
        assertTrue(result.output().contains("when_healthy"), result::output);
    }

    @Test
    void everyPulledImageIsPinned() {
        // The same rule as lint-dockerfile.js for FROM: a digest, or a tag starting MAJOR.MINOR.
        config.path("services").properties().forEach(service -> {
            if (service.getValue().has("build")) {
                return;
            }
            String image = service.getValue().path("image").asText();
            assertTrue(image.contains("@sha256:") || image.matches("[^:]+:v?\\d+\\.\\d+.*"),
                    () -> "service '" + service.getKey() + "' runs image '" + image + "', not pinned to a version");
        });
    }

    @Test
    void everyServiceHasAHealthCheck() {
        config.path("services").properties().forEach(service ->
                assertTrue(service.getValue().path("healthcheck").path("test").isArray(),
                        () -> "service '" + service.getKey() + "' has no healthcheck test"));
    }

    @Test
    void nginxStartsOnlyOnceTheApplicationsAreHealthy() {
        JsonNode dependsOn = service("nginx").path("depends_on");
        for (String application : List.of("server", "tomcat")) {
            assertEquals("service_healthy", dependsOn.path(application).path("condition").asText(),
                    () -> "nginx must wait for '" + application + "' to be healthy: " + dependsOn);
        }
    }

    @Test
    void onlyNginxPublishesPorts() {
        config.path("services").properties().forEach(service -> {
            if (!service.getKey().equals("nginx")) {
                assertTrue(service.getValue().path("ports").isMissingNode(),
                        () -> "'" + service.getKey() + "' publishes " + service.getValue().path("ports")
                                + ": the replicas of a scaled service cannot share a host port, and stats stays inside");
            }
        });
    }

    @Test
    void theStatsPortIsNeverPublished() {
        config.path("services").properties().forEach(service -> {
            for (JsonNode port : service.getValue().path("ports")) {
                assertNotEquals(9191, port.path("target").asInt(), () -> service.getKey() + " publishes the stats port");
                assertNotEquals(9191, port.path("published").asInt(), () -> service.getKey() + " publishes the stats port");
            }
        });
    }

    @Test
    void everyServiceIsOnTheOneNetwork() {
        List<String> networks = new ArrayList<>();
        config.path("networks").fieldNames().forEachRemaining(networks::add);
        assertEquals(1, networks.size(), () -> "networks: " + networks);
        config.path("services").properties().forEach(service ->
                assertTrue(service.getValue().path("networks").has(networks.get(0)),
                        () -> "'" + service.getKey() + "' is not on network '" + networks.get(0) + "'"));
    }

    @Test
    void theUwsgiListenerAcceptsTheNetworkItServes() {
        String subnet = config.path("networks").elements().next().path("ipam").path("config").path(0).path("subnet").asText();
        assertEquals(subnet, service("server").path("environment").path("WSGI4J_UWSGI_ALLOW").asText());
    }

    @Test
    void theServerStopsSlowerThanItDrains() {
        long drain = service("server").path("environment").path("WSGI4J_GRACEFUL_TIMEOUT").asLong();
        long grace = seconds(service("server").path("stop_grace_period").asText("10s"));
        assertTrue(drain > 0, "WSGI4J_GRACEFUL_TIMEOUT is not set for 'server'");
        assertTrue(grace > drain, () -> "stop_grace_period " + grace + " s must outlast the graceful timeout " + drain
                + " s, or Docker kills a replica in the middle of its drain");
    }
}
