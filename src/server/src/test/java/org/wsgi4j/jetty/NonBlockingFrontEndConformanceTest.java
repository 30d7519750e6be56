package org.wsgi4j.jetty;

import org.wsgi4j.conformance.ConformanceSuite;
import org.wsgi4j.conformance.Host;

/**
 * The conformance suite on the embedded server with {@code --front-end core --non-blocking}: the
 * probes and prefixes of {@link CoreFrontEndConformanceTest}, with the requests without a body run on
 * Jetty's selector thread and written without waiting; the environ and every answer must be the same.
 */
class NonBlockingFrontEndConformanceTest extends ConformanceSuite {

    @Override
    protected Host startHost() throws Exception {
        return CoreFrontEndConformanceTest.startHost(true);
    }
}
