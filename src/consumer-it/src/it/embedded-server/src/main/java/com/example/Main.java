package com.example;

import org.wsgi4j.Applications;
import org.wsgi4j.jetty.Wsgi4jServer;

/** README "From your own main", with the port as an argument so the test can ask for any free port. */
public final class Main {

    private Main() {
    }

    public static Wsgi4jServer start(int port) throws Exception {
        Wsgi4jServer server = Wsgi4jServer.builder()
                .http(port)                                  // 0: any free port, see server.port()
                .mount("/", new Hello())
                .mount("/api", Applications.load("com.example.Api::app"))
                .customizer(jetty -> { /* the raw Jetty Server, for anything else */ })
                .build()
                .start();
        return server;
    }

    public static void main(String[] args) throws Exception {
        start(8080).join();
    }
}
