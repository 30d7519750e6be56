package org.wsgi4j.benchmarks;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;
import org.openjdk.jmh.infra.Blackhole;
import org.wsgi4j.uwsgi.internal.UwsgiParser;
import org.wsgi4j.uwsgi.internal.UwsgiVars;

/**
 * The uwsgi parser on the packet nginx sends for a typical browser GET: Debian's
 * {@code uwsgi_params} plus nine request headers (about 800 bytes). Throughput in bytes is
 * {@code ops/s x packetBytes} (printed at setup).
 *
 * <ul>
 *   <li>{@code parse}: header, vars block validated, offsets taken; what the selector thread does
 *   per request;</li>
 *   <li>{@code parseAndDecode}: the same, then every key and value made a String, as the environ
 *   side does.</li>
 * </ul>
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class UwsgiParserBenchmark {

    private static final UwsgiParser.Limits LIMITS = new UwsgiParser.Limits(0xFFFF, 512, 64L << 20);

    /** heap: as a test or a copy hands it; direct: as the listener reads it from the socket. */
    @Param({"heap", "direct"})
    public String buffer;

    private ByteBuffer packet;

    @Setup(Level.Trial)
    public void setUp() {
        byte[] bytes = nginxPacket();
        packet = buffer.equals("direct") ? ByteBuffer.allocateDirect(bytes.length).put(bytes).flip() : ByteBuffer.wrap(bytes);
        System.out.println("\npacketBytes=" + bytes.length);
    }

    @Benchmark
    public void parse(Blackhole hole) {
        Listener listener = new Listener(hole, false);
        new UwsgiParser(listener, LIMITS).parse(packet.duplicate());
        hole.consume(listener.vars);
    }

    @Benchmark
    public void parseAndDecode(Blackhole hole) {
        Listener listener = new Listener(hole, true);
        new UwsgiParser(listener, LIMITS).parse(packet.duplicate());
        hole.consume(listener.vars);
    }

    private static final class Listener implements UwsgiParser.Listener {
        private final Blackhole hole;
        private final boolean decode;
        UwsgiVars vars;

        Listener(Blackhole hole, boolean decode) {
            this.hole = hole;
            this.decode = decode;
        }

        @Override
        public boolean onVars(UwsgiVars vars, long contentLength) {
            this.vars = vars;
            if (decode) {
                for (int i = 0; i < vars.size(); i++) {
                    hole.consume(vars.key(i));
                    hole.consume(vars.value(i, StandardCharsets.ISO_8859_1));
                }
            }
            return true;
        }

        @Override
        public void onContent(ByteBuffer content) {
            hole.consume(content);
        }

        @Override
        public void onEnd() {
        }

        @Override
        public void onFailure(UwsgiParser.Failure failure, String reason) {
            throw new AssertionError(failure + ": " + reason);
        }
    }

    /** What nginx 1.22's uwsgi module sends with Debian's uwsgi_params for a browser's GET. */
    static byte[] nginxPacket() {
        String[][] vars = {
            {"QUERY_STRING", "page=2&sort=desc"},
            {"REQUEST_METHOD", "GET"},
            {"CONTENT_TYPE", ""},
            {"CONTENT_LENGTH", ""},
            {"REQUEST_URI", "/articles/2026/11/wsgi-on-the-jvm?page=2&sort=desc"},
            {"PATH_INFO", "/articles/2026/11/wsgi-on-the-jvm"},
            {"DOCUMENT_ROOT", "/usr/share/nginx/html"},
            {"SERVER_PROTOCOL", "HTTP/1.1"},
            {"REQUEST_SCHEME", "https"},
            {"HTTPS", "on"},
            {"REMOTE_ADDR", "203.0.113.54"},
            {"REMOTE_PORT", "51234"},
            {"SERVER_PORT", "443"},
            {"SERVER_NAME", "www.example.com"},
            {"HTTP_HOST", "www.example.com"},
            {"HTTP_USER_AGENT", "Mozilla/5.0 (X11; Linux x86_64; rv:133.0) Gecko/20100101 Firefox/133.0"},
            {"HTTP_ACCEPT", "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8"},
            {"HTTP_ACCEPT_LANGUAGE", "en-GB,en;q=0.7,de;q=0.3"},
            {"HTTP_ACCEPT_ENCODING", "gzip, deflate, br, zstd"},
            {"HTTP_REFERER", "https://www.example.com/articles/2026/11/"},
            {"HTTP_COOKIE", "session=7f3a9c2e41b84d0fa5e6c1d2b3a49587; theme=dark; consent=1"},
            {"HTTP_UPGRADE_INSECURE_REQUESTS", "1"},
            {"HTTP_SEC_FETCH_DEST", "document"},
        };
        ByteArrayOutputStream block = new ByteArrayOutputStream();
        for (String[] var : vars) {
            for (String part : var) {
                byte[] bytes = part.getBytes(StandardCharsets.ISO_8859_1);
                block.write(bytes.length & 0xFF);
                block.write(bytes.length >>> 8);
                block.writeBytes(bytes);
            }
        }
        byte[] varsBlock = block.toByteArray();
        ByteArrayOutputStream packet = new ByteArrayOutputStream();
        packet.write(0);
        packet.write(varsBlock.length & 0xFF);
        packet.write(varsBlock.length >>> 8);
        packet.write(0);
        packet.writeBytes(varsBlock);
        return packet.toByteArray();
    }
}
