package com.example;

import java.util.List;
import java.util.Map;
import org.wsgi4j.Application;
import org.wsgi4j.Bodies;
import org.wsgi4j.Environ;
import org.wsgi4j.Header;
import org.wsgi4j.StartResponse;

public class Hello implements Application {
    @Override
    public Iterable<byte[]> call(Map<String, Object> environ, StartResponse startResponse) {
        startResponse.start("200 OK", List.of(new Header("Content-Type", "text/plain; charset=utf-8")));
        return Bodies.utf8("Hello from " + Environ.path(environ) + "\n");
    }
}
