package com.example;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import org.eclipse.jetty.server.Server;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.wsgi4j.jetty.Wsgi4jServer;

class MainTest {

    private static Wsgi4jServer server;

    @BeforeAll
    static void start() throws Exception {
        server = Main.start(0);
    }

    @AfterAll
    static void stop() throws Exception {
        server.stop();
    }

    @Test
    void helloAnswersAtTheRoot() throws IOException {
        String response = get("/x");

        assertTrue(response.startsWith("HTTP/1.1 200 "), response);
        assertTrue(response.endsWith("\r\n\r\nHello from /x\n"), response);
    }

    @Test
    void apiLoadedBySpecAnswersUnderItsPrefix() throws IOException {
        String response = get("/api/");

        assertTrue(response.startsWith("HTTP/1.1 200 "), response);
        assertTrue(response.endsWith("\r\n\r\n{\"ok\":true}"), response);
    }

    @Test
    void wsgi4jAndJettyRunAsNamedModules() {
        assertEquals("org.wsgi4j.jetty", Wsgi4jServer.class.getModule().getName());
        assertEquals("org.eclipse.jetty.server", Server.class.getModule().getName());
    }

    @Test
    void jettyComesFromItsOwnJarNotFromAShadedOne() {
        String wsgi4j = Wsgi4jServer.class.getProtectionDomain().getCodeSource().getLocation().getPath();
        String jetty = Server.class.getProtectionDomain().getCodeSource().getLocation().getPath();

        assertTrue(wsgi4j.endsWith("/wsgi4j-server-" + System.getProperty("wsgi4j.version") + ".jar"), wsgi4j);
        assertTrue(jetty.endsWith("/jetty-server-" + System.getProperty("jetty.version") + ".jar"), jetty);
    }

    private static String get(String path) throws IOException {
        try (Socket socket = new Socket("127.0.0.1", server.port())) {
            OutputStream out = socket.getOutputStream();
            out.write(("GET " + path + " HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n")
                    .getBytes(StandardCharsets.US_ASCII));
            out.flush();
            InputStream in = socket.getInputStream();
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }
}
