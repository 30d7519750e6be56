package org.wsgi4j.docker;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.file.Path;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * The heap is stated as a share of the container's memory limit, and the image, compose.yaml and
 * the Kubernetes Deployment say the same: without a limit and a share the JVM sizes its heap from
 * the host's RAM, whatever the container may use.
 */
class JvmMemoryTest {

    private static String imageEnv(String dockerfile, String name) throws IOException {
        Matcher env = Pattern.compile("(?m)^ENV " + name + "=\"([^\"]*)\"").matcher(Checks.read(Checks.DOCKER.resolve(dockerfile)));
        assertTrue(env.find(), () -> dockerfile + " sets no " + name);
        return env.group(1);
    }

    /** "1g", "1024m", "1Gi", "512Mi" in bytes. */
    static long bytes(String quantity) {
        Matcher matcher = Pattern.compile("(\\d+)([kKmMgG])?(i|b|B)?").matcher(quantity);
        assertTrue(matcher.matches(), () -> "not a memory size: '" + quantity + "'");
        int shift = switch (matcher.group(2) == null ? "" : matcher.group(2).toLowerCase()) {
            case "k" -> 10;
            case "m" -> 20;
            case "g" -> 30;
            default -> 0;
        };
        return Long.parseLong(matcher.group(1)) << shift;
    }

    private static JsonNode composeService(String name) throws Exception {
        return ComposeTest.config().path("services").path(name);
    }

    @Test
    void theServerHeapShareIsTheSameInTheImageComposeAndKubernetes() throws Exception {
        int image = Checks.jvmOption(imageEnv("server/Dockerfile", "JDK_JAVA_OPTIONS"), "MaxRAMPercentage");
        int compose = Checks.jvmOption(composeService("server").path("environment").path("JDK_JAVA_OPTIONS").asText(), "MaxRAMPercentage");
        int kubernetes = Checks.jvmOption(KubernetesTest.env("JDK_JAVA_OPTIONS"), "MaxRAMPercentage");
        assertEquals(image, compose, "compose.yaml's server");
        assertEquals(image, kubernetes, "k8s/deployment.yaml");
    }

    @Test
    void theTomcatHeapShareIsTheSameInTheImageAndCompose() throws Exception {
        int image = Checks.jvmOption(imageEnv("tomcat/Dockerfile", "JAVA_OPTS"), "MaxRAMPercentage");
        int compose = Checks.jvmOption(composeService("tomcat").path("environment").path("JAVA_OPTS").asText(), "MaxRAMPercentage");
        assertEquals(image, compose, "compose.yaml's tomcat");
    }

    @Test
    void everyJvmHasTheSameMemoryLimitInComposeAndKubernetes() throws Exception {
        long kubernetes = bytes(KubernetesTest.container().path("resources").path("limits").path("memory").asText());
        for (String service : new String[] {"server", "tomcat"}) {
            assertEquals(kubernetes, bytes(composeService(service).path("mem_limit").asText("0")),
                    () -> "compose.yaml's " + service + " mem_limit against the Deployment's memory limit");
        }
    }
}
