package org.wsgi4j.spring;

import java.io.IOException;
import java.io.InputStream;
import java.net.URI;

/**
 * Files of the wsgi4j-spring-boot jar (or its classes directory) itself, not the files of the same
 * name that Boot's jars also hold.
 */
final class OwnResources {

    private OwnResources() {
    }

    static InputStream open(String path) throws IOException {
        String location = Wsgi4jAutoConfiguration.class.getProtectionDomain().getCodeSource().getLocation().toString();
        return URI.create(location.endsWith(".jar") ? "jar:" + location + "!/" + path : location + path).toURL().openStream();
    }
}
