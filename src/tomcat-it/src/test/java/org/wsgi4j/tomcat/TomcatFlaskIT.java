package org.wsgi4j.tomcat;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.TestInstance;
import org.wsgi4j.python.FlaskChecks;
import org.wsgi4j.python.FlaskPackages;

/**
 * An unmodified Flask application inside the real Tomcat 11: a web application whose
 * {@code WEB-INF/lib} holds wsgi4j, wsgi4j-python and GraalPy, whose {@code WEB-INF/classes} holds
 * the Python sources (the app and Debian's Flask) in GraalPy's resource layout, and whose
 * {@code web.xml} mounts {@code python:flask_app:app} with the ordinary {@code GatewayServlet}.
 * Deployed exploded (the layout of the WAR, without zipping 160 MB of jars to unzip them again).
 * Runs the {@link FlaskChecks} there.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class TomcatFlaskIT extends FlaskChecks {

    private static final String CONTEXT = "/flask";
    private static final String VFS = "org.graalvm.python.vfs";

    private TomcatServer tomcat;
    private InetSocketAddress address;

    @BeforeAll
    void start() throws Exception {
        Path bases = Path.of(TomcatSuite.property("wsgi4j.tomcat.bases"));
        Path webapp = webapp(bases.resolve("flask-webapp"));
        Path home = Path.of(TomcatSuite.property("wsgi4j.tomcat11.home"));
        tomcat = TomcatServer.start("tomcat-flask", new TomcatServer.Layout(home, bases.resolve("tomcat-flask"),
                Map.of(CONTEXT.substring(1), webapp), Map.of()),
                // GraalPy needs more than the probes' 256 MiB, and its interpreter wants C2.
                "-Xmx1g -XX:TieredStopAtLevel=4"
                        + " -Dpolyglot.engine.userResourceCache=" + TomcatSuite.property("wsgi4j.python.cache")
                        + " -Dpolyglot.engine.WarnInterpreterOnly=false -Dwsgi4j.python.contexts=2");
        address = tomcat.address();
    }

    @AfterAll
    void stop() {
        if (tomcat != null) {
            tomcat.close();
        }
    }

    @Override
    protected InetSocketAddress address() {
        return address;
    }

    @Override
    protected String mountPath() {
        return CONTEXT;
    }

    @Override
    protected int streamedLines() {
        return 20;
    }

    /** The exploded web application; rebuilt each run. */
    private static Path webapp(Path dir) throws IOException {
        TomcatServer.deleteRecursively(dir);
        Path lib = Files.createDirectories(dir.resolve("WEB-INF/lib"));
        try (Stream<Path> jars = Files.list(Path.of(TomcatSuite.property("wsgi4j.python.lib")))) {
            for (Path jar : jars.toList()) {
                Files.copy(jar, lib.resolve(jar.getFileName()));
            }
        }
        Path src = Files.createDirectories(dir.resolve("WEB-INF/classes").resolve(VFS).resolve("src"));
        FlaskPackages.copyTo(src);
        try (InputStream app = TomcatFlaskIT.class.getResourceAsStream("/python/flask_app.py")) {
            Files.copy(app, src.resolve("flask_app.py"), StandardCopyOption.REPLACE_EXISTING);
        }
        writeFilesList(dir.resolve("WEB-INF/classes"));
        Files.createDirectories(dir.resolve("META-INF"));
        // Only wsgi4j's jars can hold @Mount classes or initializers; scanning GraalPy's 150 MB for them costs
        // minutes. GraalPy reads its resources once, to extract them: caching them would only evict the rest.
        Files.writeString(dir.resolve("META-INF/context.xml"), """
                <Context>
                  <Resources cachingAllowed="false"/>
                  <JarScanner>
                    <JarScanFilter defaultPluggabilityScan="false" pluggabilityScan="wsgi4j-*.jar" defaultTldScan="false"/>
                  </JarScanner>
                </Context>
                """);
        Files.writeString(dir.resolve("WEB-INF/web.xml"), """
                <?xml version="1.0" encoding="UTF-8"?>
                <web-app xmlns="https://jakarta.ee/xml/ns/jakartaee" version="6.0">
                  <servlet>
                    <servlet-name>flask</servlet-name>
                    <servlet-class>org.wsgi4j.servlet.GatewayServlet</servlet-class>
                    <init-param>
                      <param-name>application</param-name>
                      <param-value>python:flask_app:app</param-value>
                    </init-param>
                    <load-on-startup>1</load-on-startup>
                    <async-supported>true</async-supported>
                  </servlet>
                  <servlet-mapping>
                    <servlet-name>flask</servlet-name>
                    <url-pattern>/</url-pattern>
                  </servlet-mapping>
                </web-app>
                """);
        return dir;
    }

    /**
     * GraalPy's {@code fileslist.txt}: every file and folder under {@code org.graalvm.python.vfs/}, as
     * an absolute resource path, folders ending in {@code /} (what the graalpy-maven-plugin writes).
     */
    private static void writeFilesList(Path classes) throws IOException {
        List<String> entries = new ArrayList<>();
        Path root = classes.resolve(VFS);
        try (Stream<Path> files = Files.walk(root)) {
            for (Path file : files.sorted().toList()) {
                String name = "/" + classes.relativize(file).toString().replace('\\', '/');
                entries.add(Files.isDirectory(file) ? name + "/" : name);
            }
        }
        Files.write(root.resolve("fileslist.txt"), entries);
    }
}
