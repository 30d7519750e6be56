package org.wsgi4j.spring.sample;

import java.util.List;
import java.util.Map;
import org.springframework.stereotype.Component;
import org.wsgi4j.Application;
import org.wsgi4j.Bodies;
import org.wsgi4j.Environ;
import org.wsgi4j.Header;
import org.wsgi4j.StartResponse;
import org.wsgi4j.servlet.Mount;

/**
 * A wsgi4j application, found by component scanning and served at {@code /wsgi} by the starter: it
 * answers how the request reached it.
 */
@Component
@Mount("/wsgi")
public class EchoApplication implements Application {

    @Override
    public Iterable<byte[]> call(Map<String, Object> environ, StartResponse startResponse) {
        startResponse.start("200 OK", List.of(new Header("Content-Type", "text/plain; charset=utf-8")));
        return Bodies.utf8("Hello from wsgi4j: " + environ.get(Environ.REQUEST_METHOD)
                + " SCRIPT_NAME=" + environ.get(Environ.SCRIPT_NAME)
                + " PATH_INFO=" + environ.get(Environ.PATH_INFO) + "\n");
    }
}
