package org.wsgi4j.tomcat.bad;

import java.util.List;
import java.util.Map;
import org.wsgi4j.Application;
import org.wsgi4j.StartResponse;

/**
 * An application that answers an empty 200; the badly mounted classes in this package extend it.
 * They only need to be found by {@code MountInitializer} and refused, never to serve.
 */
public class EmptyApplication implements Application {

    @Override
    public Iterable<byte[]> call(Map<String, Object> environ, StartResponse startResponse) {
        startResponse.start("200 OK", List.of());
        return List.of();
    }
}
