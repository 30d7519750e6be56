package com.example;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.net.HttpURLConnection;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.eclipse.jetty.util.Jetty;
import org.junit.jupiter.api.Test;
import org.wsgi4j.Bodies;
import org.wsgi4j.Header;
import org.wsgi4j.jetty.Wsgi4jServer;

class PinnedJettyTest {

    @Test
    void theServerRunsOnThePinnedJetty() throws Exception {
        Wsgi4jServer server = Wsgi4jServer.builder()
                .http(0)
                .mount("/", (environ, startResponse) -> {
                    startResponse.start("200 OK", List.of(new Header("Content-Type", "text/plain")));
                    return Bodies.utf8(Jetty.VERSION);
                })
                .build()
                .start();
        try {
            HttpURLConnection connection = (HttpURLConnection) URI.create("http://127.0.0.1:" + server.port() + "/")
                    .toURL().openConnection();

            assertEquals(200, connection.getResponseCode());
            String pinned = System.getProperty("jetty.version");
            assertEquals(pinned, new String(connection.getInputStream().readAllBytes(), StandardCharsets.UTF_8));
            assertEquals(pinned, Jetty.VERSION);
        } finally {
            server.stop();
        }
    }
}
