package org.wsgi4j.conformance;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Collections;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;

/**
 * Builds small exploded web applications for deployment tests: the wsgi4j jars taken from a built
 * WAR, plus a {@code web.xml}, so every container is handed the same broken configuration.
 */
public final class ExplodedWebapp {

    private ExplodedWebapp() {
    }

    /**
     * A {@code web.xml} with one {@code GatewayServlet} named {@code servletName}, mapped to
     * {@code /*}, whose {@code application} init parameter is {@code spec}, without
     * {@code load-on-startup} (as most hand-written ones are).
     *
     * @param servletName the servlet's name
     * @param spec the application spec, as {@code Applications.load} takes it
     * @return the {@code web.xml} text
     */
    public static String gatewayWebXml(String servletName, String spec) {
        return """
                <?xml version="1.0" encoding="UTF-8"?>
                <web-app xmlns="https://jakarta.ee/xml/ns/jakartaee" version="6.0">
                  <servlet>
                    <servlet-name>%1$s</servlet-name>
                    <servlet-class>org.wsgi4j.servlet.GatewayServlet</servlet-class>
                    <init-param>
                      <param-name>application</param-name>
                      <param-value>%2$s</param-value>
                    </init-param>
                  </servlet>
                  <servlet-mapping>
                    <servlet-name>%1$s</servlet-name>
                    <url-pattern>/*</url-pattern>
                  </servlet-mapping>
                </web-app>
                """.formatted(servletName, spec);
    }

    /**
     * Writes {@code webXml} (unless null) to {@code dir/WEB-INF/web.xml} and copies the
     * {@code wsgi4j-core} and {@code wsgi4j-servlet} jars of {@code war} to {@code dir/WEB-INF/lib}.
     *
     * @param dir the web application's directory
     * @param war the WAR whose {@code WEB-INF/lib} jars are copied
     * @param webXml the {@code web.xml} text, or {@code null} to write none
     * @throws IOException if a file cannot be read or written
     * @return {@code dir}
     */
    public static Path write(Path dir, Path war, String webXml) throws IOException {
        Path lib = Files.createDirectories(dir.resolve("WEB-INF/lib"));
        if (webXml != null) {
            Files.writeString(dir.resolve("WEB-INF/web.xml"), webXml);
        }
        try (ZipFile zip = new ZipFile(war.toFile())) {
            for (ZipEntry entry : Collections.list(zip.entries())) {
                String name = entry.getName();
                if (name.startsWith("WEB-INF/lib/wsgi4j-core-") || name.startsWith("WEB-INF/lib/wsgi4j-servlet-")) {
                    try (InputStream in = zip.getInputStream(entry)) {
                        Files.copy(in, lib.resolve(name.substring("WEB-INF/lib/".length())),
                                StandardCopyOption.REPLACE_EXISTING);
                    }
                }
            }
        }
        return dir;
    }
}
