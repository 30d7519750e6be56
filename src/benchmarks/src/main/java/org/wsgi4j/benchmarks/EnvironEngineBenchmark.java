package org.wsgi4j.benchmarks;

import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.io.PrintWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;
import org.wsgi4j.Application;
import org.wsgi4j.Environ;
import org.wsgi4j.Header;
import org.wsgi4j.middleware.Lint;
import org.wsgi4j.middleware.ProxyHeaders;
import org.wsgi4j.server.EngineOptions;
import org.wsgi4j.server.EnvironBuilder;
import org.wsgi4j.server.ResponseEngine;
import org.wsgi4j.server.ResponseHead;
import org.wsgi4j.server.ResponseSink;
import org.wsgi4j.server.Result;

/**
 * The per-request work of wsgi4j's core for a browser's GET with 10 request headers: building the
 * environ ({@link EnvironBuilder}) and running the response engine ({@link ResponseEngine}) with the
 * harness's hello application into a sink that moves no bytes. Run with {@code -prof gc}:
 * {@code gc.alloc.rate.norm} is the bytes allocated per request, which load does not change.
 *
 * <ul>
 *   <li>{@code environServlet}: the builder called as the servlet bridge calls it
 *   ({@code ServletEnviron}: {@code header(name, value)} per header, the two {@code wsgi4j.servlet.*}
 *   keys);</li>
 *   <li>{@code environUwsgi}: the builder called as the uwsgi listener calls it ({@code UwsgiEnviron}:
 *   {@code cgi(key, value)} per var nginx sent);</li>
 *   <li>{@code engine}: the engine alone, on an environ built once;</li>
 *   <li>{@code environAndEngine}: both, as one request of the servlet bridge (the goal: under 1 KiB);</li>
 *   <li>{@code engineLint}, {@code environAndEngineLint}: the same with the application wrapped in
 *   {@link Lint}, for Lint's overhead;</li>
 *   <li>{@code environAndEngineProxyHeaders}: the same with the application wrapped in
 *   {@link ProxyHeaders} trusting nobody, as wsgi4j-server wraps every mount by default (the
 *   request has no forwarding header to remove).</li>
 * </ul>
 *
 * The strings a container or the uwsgi parser would hand over (header names and values, the
 * addresses) are constants here: they are the front end's allocation, not the core's. The hello
 * application allocates nothing of its own but the one-element body list, as {@code BenchApp} does.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class EnvironEngineBenchmark {

    /** A browser's GET: Firefox 133's headers for a page it follows a link to. */
    static final String[][] HEADERS = {
        {"Host", "www.example.com"},
        {"User-Agent", "Mozilla/5.0 (X11; Linux x86_64; rv:133.0) Gecko/20100101 Firefox/133.0"},
        {"Accept", "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8"},
        {"Accept-Language", "en-GB,en;q=0.7,de;q=0.3"},
        {"Accept-Encoding", "gzip, deflate, br, zstd"},
        {"Referer", "https://www.example.com/articles/2026/11/"},
        {"Cookie", "session=7f3a9c2e41b84d0fa5e6c1d2b3a49587; theme=dark; consent=1"},
        {"Upgrade-Insecure-Requests", "1"},
        {"Sec-Fetch-Dest", "document"},
        {"Priority", "u=0, i"},
    };

    /** The same request as nginx sends it: one HTTP_* var per header, then what uwsgi_params adds. */
    static final String[][] UWSGI_VARS = uwsgiVars();

    static final byte[] HELLO = "Hello, World!\n".getBytes(StandardCharsets.US_ASCII);
    static final List<Header> HELLO_HEADERS = List.of(new Header("Content-Type", "text/plain"),
            new Header("Content-Length", Integer.toString(HELLO.length)));

    /** The hello path of {@code BenchApp} (src/server tests), the harness's W1, with its two environ reads. */
    static final Application HELLO_APP = (environ, startResponse) -> {
        if (!Environ.pathInfo(environ).startsWith("/") || Environ.requestMethod(environ).isEmpty()) {
            throw new AssertionError("the hello request is a GET of a path");
        }
        startResponse.start("200 OK", HELLO_HEADERS);
        return Collections.singletonList(HELLO);
    };

    static final InputStream INPUT = new ByteArrayInputStream(new byte[0]);
    static final PrintWriter ERRORS = new PrintWriter(Writer.nullWriter());
    static final Object SERVLET_REQUEST = new Object();
    static final Object SERVLET_RESPONSE = new Object();

    private final ResponseEngine plain = new ResponseEngine(HELLO_APP, EngineOptions.defaults());
    private final ResponseEngine linted = new ResponseEngine(Lint.wrap(HELLO_APP), EngineOptions.defaults());
    private final ResponseEngine proxied = new ResponseEngine(ProxyHeaders.wrap(HELLO_APP, List.of()),
            EngineOptions.defaults());
    private final NoSink sink = new NoSink();
    private Map<String, Object> environ;

    @Setup(Level.Trial)
    public void setUp() {
        environ = servletEnviron();
    }

    @Benchmark
    public Map<String, Object> environServlet() {
        return servletEnviron();
    }

    @Benchmark
    public Map<String, Object> environUwsgi() {
        EnvironBuilder builder = new EnvironBuilder();
        for (String[] var : UWSGI_VARS) {
            builder.cgi(var[0], var[1]);
        }
        return builder.method("GET")
                .scriptName("")
                .pathInfo("/articles/2026/11/wsgi-on-the-jvm")
                .queryString("page=2&sort=desc")
                .scheme("https")
                .input(INPUT)
                .errors(ERRORS)
                .flags(true, false, false)
                .remote("203.0.113.54", 51234)
                .localAddress("192.0.2.10")
                .build();
    }

    @Benchmark
    public Result engine() {
        resetEnviron();
        return plain.run(environ, sink);
    }

    @Benchmark
    public Result engineLint() {
        resetEnviron();
        return linted.run(environ, sink);
    }

    @Benchmark
    public Result environAndEngine() {
        return plain.run(servletEnviron(), sink);
    }

    @Benchmark
    public Result environAndEngineLint() {
        return linted.run(servletEnviron(), sink);
    }

    @Benchmark
    public Result environAndEngineProxyHeaders() {
        return proxied.run(servletEnviron(), sink);
    }

    /** Lint replaces wsgi.input and wsgi.errors with checking wrappers; put the originals back. */
    private void resetEnviron() {
        environ.put(Environ.WSGI_INPUT, INPUT);
        environ.put(Environ.WSGI_ERRORS, ERRORS);
    }

    private static String[][] uwsgiVars() {
        List<String[]> vars = new ArrayList<>();
        for (String[] header : HEADERS) {
            vars.add(new String[] {Environ.headerKey(header[0]), header[1]});
        }
        vars.add(new String[] {"REQUEST_URI", "/articles/2026/11/wsgi-on-the-jvm?page=2&sort=desc"});
        vars.add(new String[] {"REMOTE_PORT", "51234"});
        vars.add(new String[] {"SERVER_PORT", "443"});
        vars.add(new String[] {"SERVER_PROTOCOL", "HTTP/1.1"});
        return vars.toArray(new String[0][]);
    }

    /** What {@code ServletEnviron.build} asks of the builder for this request. */
    static Map<String, Object> servletEnviron() {
        EnvironBuilder env = new EnvironBuilder();
        env.method("GET")
                .queryString("page=2&sort=desc")
                .requestUri("/articles/2026/11/wsgi-on-the-jvm?page=2&sort=desc")
                .server("www.example.com", 443, "HTTP/1.1")
                .remote("203.0.113.54", 51234)
                .localAddress("192.0.2.10")
                .scheme("https")
                .input(INPUT)
                .errors(ERRORS)
                .flags(true, false, false)
                .put("wsgi4j.servlet.request", SERVLET_REQUEST)
                .put("wsgi4j.servlet.response", SERVLET_RESPONSE)
                .scriptName("")
                .pathInfo("/articles/2026/11/wsgi-on-the-jvm");
        for (String[] header : HEADERS) {
            env.header(header[0], header[1]);
        }
        return env.build();
    }

    /** Moves no bytes: what is left is the core's own work. */
    static final class NoSink implements ResponseSink {
        private ResponseHead head;

        @Override
        public void sendHead(ResponseHead head) {
            this.head = head;
        }

        @Override
        public void sendBlock(byte[] data, int offset, int length) {
        }

        @Override
        public void flush() {
        }

        @Override
        public void complete() {
        }

        @Override
        public void abort(Throwable cause) {
            throw new AssertionError("the hello request was aborted", cause);
        }

        @Override
        public boolean isCommitted() {
            return false;
        }
    }
}
