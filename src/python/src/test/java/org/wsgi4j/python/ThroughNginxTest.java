package org.wsgi4j.python;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.wsgi4j.conformance.RawHttpConnection;
import org.wsgi4j.conformance.RawRequest;
import org.wsgi4j.conformance.RawResponse;
import org.wsgi4j.jetty.Wsgi4jServer;
import org.wsgi4j.uwsgi.NginxFixture;

/**
 * The validated border probes behind real nginx, over the uwsgi protocol, with the shipped nginx
 * configuration: nginx's {@code uwsgi_params} environ reaches the Python app as PEP 3333 wants it.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ThroughNginxTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    private Wsgi4jServer server;
    private NginxFixture nginx;
    private InetSocketAddress address;

    @BeforeAll
    void start() throws Exception {
        NginxFixture.requireBinary();
        server = Wsgi4jServer.builder().uwsgi("127.0.0.1", 0).mount("/", TestApps.border()).build().start();
        Path dir = Path.of("target", "nginx-python").toAbsolutePath();
        nginx = NginxFixture.start(server.uwsgiListeners().get(0).address(), dir, List.of("/app"));
        address = new InetSocketAddress("127.0.0.1", nginx.httpPort());
    }

    @AfterAll
    void stop() throws Exception {
        if (nginx != null) {
            nginx.close();
        }
        if (server != null) {
            server.stop();
        }
    }

    private RawResponse send(RawRequest request) throws Exception {
        RawResponse response = RawHttpConnection.exchange(address, request);
        return response;
    }

    @Test
    @DisplayName("the environ passes the validator; paths are bytes as latin-1, CGI keys are str")
    void environPassesTheValidator() throws Exception {
        RawResponse response = send(RawRequest.get("/environ/caf%C3%A9?q=%C3%A9"));
        assertEquals(200, response.status(), response.describe() + nginx.errorLog());
        JsonNode environ = JSON.readTree(response.body());

        assertEquals(new String("/environ/café".getBytes(StandardCharsets.UTF_8), StandardCharsets.ISO_8859_1),
                environ.get("PATH_INFO").asText());
        assertEquals("q=%C3%A9", environ.get("QUERY_STRING").asText());
        environ.get("types").fields().forEachRemaining(field -> {
            if (!field.getKey().contains(".")) {
                assertEquals("str", field.getValue().asText(), field.getKey());
            }
        });
    }

    @Test
    @DisplayName("SCRIPT_NAME from nginx's uwsgi_param reaches the app as bytes as latin-1")
    void scriptNameFromNginx() throws Exception {
        RawResponse response = send(RawRequest.get("/app/path"));

        assertEquals("'/app' '/path'", response.bodyText(), response.describe());
    }

    @Test
    @DisplayName("a body read line by line through wsgi.input arrives whole")
    void inputThroughNginx() throws Exception {
        RawResponse response = send(RawRequest.post("/input/readline", "one\ntwo\nthree".getBytes(StandardCharsets.UTF_8)));

        assertEquals(200, response.status(), response.describe());
        assertEquals("[\"one\\n\",\"two\\n\",\"three\"]", JSON.readTree(response.body()).toString());
    }

    @Test
    @DisplayName("a streamed body arrives whole; a Python exception is a 500 without details")
    void streamAndErrorThroughNginx() throws Exception {
        assertEquals("block 0\nblock 1\nblock 2\n", send(RawRequest.get("/stream")).bodyText());

        RawResponse error = send(RawRequest.get("/error"));
        assertEquals(500, error.status(), error.describe());
        assertFalse(error.bodyText().contains("boom"), error.describe());
        assertTrue(error.header("Content-Type").orElse("").startsWith("text/plain"), error.describe());
    }
}
