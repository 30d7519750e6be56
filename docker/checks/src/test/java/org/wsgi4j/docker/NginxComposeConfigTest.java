package org.wsgi4j.docker;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * docker/nginx/compose.conf, the nginx of compose.yaml, checked by the real nginx ({@code nginx -t})
 * the way the container sees it: the files compose.yaml mounts, and its service names (which only
 * Docker's DNS resolves) replaced by 127.0.0.1. docker/nginx/wsgi4j-uwsgi.conf is exercised for real
 * by src/uwsgi's tests.
 */
class NginxComposeConfigTest {

    static final Path CONFIG = Checks.DOCKER.resolve("nginx/compose.conf");

    private static Checks.Result nginxTest(String name, String config) throws Exception {
        Path nginx = Checks.tool("nginx", "Debian: apt-get install nginx-light");
        Path dir = ComposeNginx.write(name, config, Map.of());
        return Checks.run(dir, List.of(nginx.toString(), "-t", "-p", dir.toString(), "-c", dir.resolve("nginx.conf").toString(),
                "-e", dir.resolve("error.log").toString()));
    }

    @Test
    void nginxAcceptsTheComposeConfig() throws Exception {
        Checks.Result result = nginxTest("nginx-compose", Checks.read(CONFIG));
        assertEquals(0, result.exitCode(), result::output);
    }

    /**
     * A broken copy must fail "nginx -t". The unresolvable upstream is why the check maps the
     * service names: outside compose's network nginx cannot resolve them.
     */
    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', textBlock = """
            a directive with a missing argument | uwsgi_buffers 8 64k;  | uwsgi_buffers 8;                              | uwsgi_buffers
            an upstream it cannot resolve       | server server:3031;   | server wsgi4j-no-such-host.invalid:3031;      | host not found
            a file compose does not mount       | /etc/nginx/wsgi4j/    | /etc/nginx/elsewhere/                         | No such file
            """)
    void nginxRefusesAConfigWith(String broken, String regex, String replacement, String expected) throws Exception {
        String original = Checks.read(CONFIG);
        String mutant = Checks.breaking(original, regex, replacement);
        assertNotEquals(original, mutant);
        Checks.Result result = nginxTest("nginx-compose-" + broken.replace(' ', '-'), mutant);
        assertNotEquals(0, result.exitCode(), result::output);
        assertTrue(result.output().contains(expected), () -> "expected '" + expected + "' in:\n" + result.output());
    }

    @Test
    void theUpstreamsAreTheComposeServicesOnTheirPorts() throws Exception {
        String config = Checks.read(CONFIG);
        JsonNode services = ComposeTest.config().path("services");
        assertTrue(config.contains("server server:3031;"), "the wsgi4j replicas: service 'server', uwsgi port 3031");
        assertTrue(services.path("server").path("environment").path("WSGI4J_UWSGI").asText().endsWith(":3031"));
        assertTrue(config.contains("server tomcat:8080;"), "Tomcat: service 'tomcat', port 8080");
    }

    @Test
    void everyPortComposePublishesIsOneNginxListensOn() throws Exception {
        String config = Checks.read(CONFIG);
        for (JsonNode port : ComposeTest.config().path("services").path("nginx").path("ports")) {
            int target = port.path("target").asInt();
            assertTrue(Pattern.compile("(?m)^\\s*listen " + target + ";").matcher(config).find(),
                    () -> "compose.yaml publishes nginx's port " + target + ", which compose.conf does not listen on");
        }
    }

    @Test
    void nginxPassesBodiesUpToTheServersLimitAndNoLarger() throws Exception {
        // Larger, and nginx would accept a body the replica then refuses with 413 only after the
        // upload; smaller, and nginx would refuse bodies the server was set up to take.
        long server = JvmMemoryTest.bytes(ServerReplica.imageEnv().get("WSGI4J_LIMIT_POST"));
        Matcher size = Pattern.compile("(?m)^\\s*client_max_body_size\\s+(\\S+);").matcher(Checks.read(CONFIG));
        int found = 0;
        while (size.find()) {
            found++;
            assertEquals(server, JvmMemoryTest.bytes(size.group(1)), () -> "client_max_body_size " + size.group(1));
        }
        assertTrue(found > 0, "compose.conf sets no client_max_body_size");
    }

    @Test
    void responsesAreBufferedUnlessTheyOptOut() throws IOException {
        // Buffering on, streaming responses opting out with X-Accel-Buffering: no (SPEC S13).
        String config = Checks.read(CONFIG);
        Matcher off = Pattern.compile("(?m)^\\s*(uwsgi|proxy)_buffering\\s+off").matcher(config);
        assertTrue(!off.find(), () -> "buffering turned off: " + off.group());
        assertTrue(config.contains("uwsgi_buffering on;") && config.contains("proxy_buffering on;"));
    }
}
