package com.example;

import java.util.List;
import org.wsgi4j.Application;
import org.wsgi4j.Bodies;
import org.wsgi4j.Header;

/** The README's {@code com.example.Api::app}. */
public final class Api {

    public static final Application app = (environ, startResponse) -> {
        startResponse.start("200 OK", List.of(new Header("Content-Type", "application/json")));
        return Bodies.utf8("{\"ok\":true}");
    };

    private Api() {
    }
}
