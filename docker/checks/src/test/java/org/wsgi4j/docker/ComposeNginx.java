package org.wsgi4j.docker;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * docker/nginx/compose.conf made runnable outside compose: the paths compose.yaml mounts into the
 * nginx container become the host paths they come from, and "server SERVICE:PORT;" (a name only
 * Docker's DNS resolves) becomes the given addresses, or 127.0.0.1:PORT.
 */
final class ComposeNginx {

    private ComposeNginx() {
    }

    static String render(String config, Map<String, List<String>> upstreams) throws Exception {
        JsonNode compose = ComposeTest.config();
        for (JsonNode volume : compose.path("services").path("nginx").path("volumes")) {
            String[] parts = volume.asText().split(":");
            if (!parts[1].equals("/etc/nginx/conf.d/default.conf")) {
                config = config.replace(parts[1], parts[0]);
            }
        }
        List<String> services = new ArrayList<>();
        compose.path("services").fieldNames().forEachRemaining(services::add);
        for (String service : services) {
            Matcher server = Pattern.compile("(?m)^(\\s*)server\\s+" + Pattern.quote(service) + ":(\\d+);").matcher(config);
            StringBuilder out = new StringBuilder();
            while (server.find()) {
                List<String> addresses = upstreams.getOrDefault(service, List.of("127.0.0.1:" + server.group(2)));
                StringBuilder lines = new StringBuilder();
                for (String address : addresses) {
                    lines.append(lines.length() == 0 ? "" : "\n").append(server.group(1)).append("server ").append(address).append(';');
                }
                server.appendReplacement(out, Matcher.quoteReplacement(lines.toString()));
            }
            server.appendTail(out);
            config = out.toString();
        }
        return config;
    }

    /**
     * Writes WORK/{@code name}/nginx.conf (the http {} block around the rendered config, every file
     * nginx writes in that directory) and returns the directory.
     */
    static Path write(String name, String config, Map<String, List<String>> upstreams) throws Exception {
        Path dir = Checks.WORK.resolve(name).toAbsolutePath();
        Files.createDirectories(dir);
        Files.writeString(dir.resolve("default.conf"), render(config, upstreams));
        String main;
        try (InputStream in = ComposeNginx.class.getResourceAsStream("/nginx-check.conf")) {
            main = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
        // A root master would run its workers as "nobody", who cannot read the checkout's files.
        String user = "root".equals(System.getProperty("user.name")) ? "user root;" : "";
        Files.writeString(dir.resolve("nginx.conf"), main.replace("{{DIR}}", dir.toString()).replace("{{USER}}", user));
        return dir;
    }
}
