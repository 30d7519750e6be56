package org.wsgi4j.tomcat;

import java.util.Map;
import org.wsgi4j.Application;
import org.wsgi4j.StartResponse;
import org.wsgi4j.conformance.Probes;
import org.wsgi4j.servlet.Mount;

/**
 * The conformance probes, mounted the zero-configuration way: {@code MountInitializer} finds this
 * class in {@code WEB-INF/classes} and maps it at {@code /probe/*}. {@link Probes} is final and
 * carries no annotation (it belongs to every host), hence this wrapper.
 */
@Mount("/probe")
public final class MountedProbes implements Application {

    private final Application probes = Probes.application();

    @Override
    public Iterable<byte[]> call(Map<String, Object> environ, StartResponse startResponse) throws Exception {
        return probes.call(environ, startResponse);
    }
}
