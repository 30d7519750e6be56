package org.wsgi4j.docker;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * docker/k8s: valid against the Kubernetes API schemas (docker/checks/validate-k8s.js, offline),
 * and wired as the README says: probes on /health, a grace period that covers preStop and the
 * drain, non-root, resources, and a Service, PodDisruptionBudget and autoscaler that find the pods.
 */
class KubernetesTest {

    static final Path K8S = Checks.DOCKER.resolve("k8s");
    private static final Map<String, JsonNode> BY_KIND = new HashMap<>();

    static List<Path> manifests() throws IOException {
        try (Stream<Path> files = Files.list(K8S)) {
            return files.filter(f -> f.toString().endsWith(".yaml")).sorted().toList();
        }
    }

    /** The manifest of {@code kind} in docker/k8s. */
    static synchronized JsonNode kind(String kind) {
        if (BY_KIND.isEmpty()) {
            try {
                for (Path manifest : manifests()) {
                    for (JsonNode document : Checks.yamlDocuments(manifest)) {
                        BY_KIND.put(document.path("kind").asText(), document);
                    }
                }
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        JsonNode document = BY_KIND.get(kind);
        assertTrue(document != null, () -> "docker/k8s has no " + kind);
        return document;
    }

    static JsonNode container() {
        JsonNode containers = kind("Deployment").path("spec").path("template").path("spec").path("containers");
        assertEquals(1, containers.size(), "the Deployment runs one container");
        return containers.path(0);
    }

    static String env(String name) {
        for (JsonNode variable : container().path("env")) {
            if (variable.path("name").asText().equals(name)) {
                return variable.path("value").asText();
            }
        }
        throw new AssertionError("the Deployment's container sets no " + name);
    }

    private static int containerPort(String name) {
        for (JsonNode port : container().path("ports")) {
            if (port.path("name").asText().equals(name)) {
                return port.path("containerPort").asInt();
            }
        }
        throw new AssertionError("the container has no port named " + name);
    }

    @Test
    void everyManifestMatchesTheKubernetesSchemas() throws Exception {
        List<Path> manifests = manifests();
        assertEquals(4, manifests.size(), () -> "deployment, service, pdb, hpa: " + manifests);
        Checks.Result result = Checks.node("validate-k8s.js", manifests);
        assertEquals(0, result.exitCode(), result::output);
    }

    /** Each kind of mistake, made once in a copy of deployment.yaml: the validator must refuse it. */
    @Nested
    class TheValidatorRefuses {

        @ParameterizedTest(name = "{0}")
        @CsvSource(delimiter = '|', textBlock = """
                a string where an integer goes | periodSeconds: 5          | periodSeconds: five        | periodSeconds must be integer
                a container without a name     | '- name: server'          | '- nameless: server'       | containers/0 must have required property name
                an unknown kind                | ^kind: Deployment         | kind: Deploymnet           | unknown apiVersion 'apps/v1' and kind 'Deploymnet'
                an unknown API version         | ^apiVersion: apps/v1      | apiVersion: apps/v2        | unknown apiVersion 'apps/v2'
                a value outside its enum       | 'type: RuntimeDefault'    | 'type: Default'            | seccompProfile/type must be equal to one of the allowed values
                """)
        void aManifestWith(String broken, String regex, String replacement, String expected) throws Exception {
            String original = Checks.read(K8S.resolve("deployment.yaml"));
            String mutant = Checks.breaking(original, regex, replacement);
            assertNotEquals(original, mutant);
            Path file = Checks.write("k8s/" + broken.replace(' ', '-') + ".yaml", mutant);
            Checks.Result result = Checks.node("validate-k8s.js", List.of(file));
            assertEquals(1, result.exitCode(), () -> "the validator passed " + broken + ":\n" + result.output());
            assertTrue(result.output().contains(expected), () -> "expected '" + expected + "' in:\n" + result.output());
        }
    }

    @Test
    void everyProbeAsksHealthOnTheStatsPort() {
        assertEquals(9191, containerPort("stats"));
        assertTrue(env("WSGI4J_STATS").endsWith(":9191"), "WSGI4J_STATS listens on the stats port");
        assertFalse(env("WSGI4J_STATS").startsWith("127.") || env("WSGI4J_STATS").startsWith(":"),
                "the kubelet probes the pod's address: stats must listen on every interface (0.0.0.0:9191)");
        for (String probe : List.of("readinessProbe", "livenessProbe", "startupProbe")) {
            JsonNode get = container().path(probe).path("httpGet");
            assertEquals("/health", get.path("path").asText(), probe);
            assertEquals("stats", get.path("port").asText(), probe);
        }
    }

    @Test
    void theGracePeriodCoversPreStopAndTheDrain() {
        JsonNode preStop = container().path("lifecycle").path("preStop").path("exec").path("command");
        assertEquals("sleep", preStop.path(0).asText(), "preStop sleeps while the endpoint removal spreads");
        int sleep = preStop.path(1).asInt();
        int drain = Integer.parseInt(env("WSGI4J_GRACEFUL_TIMEOUT"));
        int grace = kind("Deployment").path("spec").path("template").path("spec").path("terminationGracePeriodSeconds").asInt(30);
        assertTrue(sleep > 0 && drain > 0);
        assertTrue(grace > sleep + drain, () -> "terminationGracePeriodSeconds " + grace + " must exceed preStop " + sleep
                + " s + WSGI4J_GRACEFUL_TIMEOUT " + drain + " s, or the kubelet kills the pod while it drains");
    }

    @Test
    void kubernetesInjectsNoWsgi4jVariablesOfItsOwn() {
        // Service links name every Service's variables after it: wsgi4j-server -> WSGI4J_SERVER_*,
        // which the server refuses as unknown settings.
        String service = kind("Service").path("metadata").path("name").asText();
        boolean clash = service.toUpperCase().replace('-', '_').startsWith("WSGI4J_");
        assertTrue(!clash || !kind("Deployment").path("spec").path("template").path("spec").path("enableServiceLinks").asBoolean(true),
                () -> "Service '" + service + "' would inject WSGI4J_* variables: set enableServiceLinks: false");
    }

    @Test
    void livenessDoesNotRestartADrainingPod() {
        JsonNode liveness = container().path("livenessProbe");
        int window = liveness.path("failureThreshold").asInt(3) * liveness.path("periodSeconds").asInt(10);
        int drain = Integer.parseInt(env("WSGI4J_GRACEFUL_TIMEOUT"));
        assertTrue(window > drain, () -> "/health answers 503 while draining: a liveness window of " + window
                + " s would restart the pod before its " + drain + " s drain ends");
    }

    @Test
    void thePodRunsAsTheImagesNonRootUser() throws IOException {
        JsonNode pod = kind("Deployment").path("spec").path("template").path("spec").path("securityContext");
        assertTrue(pod.path("runAsNonRoot").asBoolean(), "runAsNonRoot");
        String imageUser = Checks.read(Checks.DOCKER.resolve("server/Dockerfile")).lines()
                .filter(line -> line.startsWith("USER ")).reduce((a, b) -> b).orElseThrow().substring(5).split(":")[0];
        assertEquals(imageUser, pod.path("runAsUser").asText(), "the uid of docker/server/Dockerfile's USER");
        JsonNode container = container().path("securityContext");
        assertFalse(container.path("allowPrivilegeEscalation").asBoolean(true), "allowPrivilegeEscalation");
        assertEquals("ALL", container.path("capabilities").path("drop").path(0).asText(), "capabilities dropped");
    }

    @Test
    void theContainerRequestsResourcesAndLimitsMemory() {
        JsonNode resources = container().path("resources");
        assertTrue(resources.path("requests").has("cpu"), "a CPU request (the autoscaler's 100%)");
        assertTrue(resources.path("requests").has("memory"), "a memory request");
        assertTrue(resources.path("limits").has("memory"), "a memory limit (the heap is a share of it)");
    }

    @Test
    void theServiceSelectsThePodsAndLeavesStatsOut() {
        JsonNode service = kind("Service");
        JsonNode podLabels = kind("Deployment").path("spec").path("template").path("metadata").path("labels");
        service.path("spec").path("selector").properties().forEach(label ->
                assertEquals(label.getValue(), podLabels.path(label.getKey()), () -> "selector " + label));
        for (JsonNode port : service.path("spec").path("ports")) {
            assertNotEquals("stats", port.path("targetPort").asText());
            assertNotEquals(9191, port.path("port").asInt());
        }
    }

    @Test
    void theDisruptionBudgetCoversThePods() {
        JsonNode podLabels = kind("Deployment").path("spec").path("template").path("metadata").path("labels");
        kind("PodDisruptionBudget").path("spec").path("selector").path("matchLabels").properties().forEach(label ->
                assertEquals(label.getValue(), podLabels.path(label.getKey()), () -> "matchLabels " + label));
    }

    @Test
    void theAutoscalerOwnsTheReplicaCount() {
        JsonNode deployment = kind("Deployment");
        JsonNode target = kind("HorizontalPodAutoscaler").path("spec").path("scaleTargetRef");
        assertEquals("Deployment", target.path("kind").asText());
        assertEquals(deployment.path("metadata").path("name"), target.path("name"));
        assertTrue(deployment.path("spec").path("replicas").isMissingNode(),
                "spec.replicas would reset the autoscaler's count on every apply");
        assertTrue(kind("HorizontalPodAutoscaler").path("spec").path("minReplicas").asInt() >= 2,
                "at least two pods, so a drain or a disruption leaves one serving");
    }
}
