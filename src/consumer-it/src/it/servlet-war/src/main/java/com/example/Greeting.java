package com.example;

import java.util.List;
import java.util.Map;
import org.wsgi4j.Application;
import org.wsgi4j.Bodies;
import org.wsgi4j.Environ;
import org.wsgi4j.Header;
import org.wsgi4j.StartResponse;
import org.wsgi4j.servlet.Mount;

@Mount("/greet")
public class Greeting implements Application {
    @Override
    public Iterable<byte[]> call(Map<String, Object> environ, StartResponse startResponse) {
        startResponse.start("200 OK", List.of(new Header("Content-Type", "text/plain; charset=utf-8")));
        return Bodies.utf8("SCRIPT_NAME=" + environ.get(Environ.SCRIPT_NAME) + " PATH_INFO=" + environ.get(Environ.PATH_INFO));
    }
}
