package org.wsgi4j.uwsgi;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.wsgi4j.Bodies;
import org.wsgi4j.Header;
import org.wsgi4j.conformance.Await;
import org.wsgi4j.conformance.RawHttpConnection;
import org.wsgi4j.conformance.RawRequest;
import org.wsgi4j.conformance.RawResponse;

/**
 * Slow and hostile peers must not take the workers: a thread is taken only by a request whose
 * head has fully arrived. The build runs this class on the JVM it runs on (Java 17 in CI) and, when
 * Temurin 25 is installed, once more on it (the {@code java21plus} profile of this module's POM).
 */
class HostilePeersTest {

    static final int HOSTILE = 500;

    UwsgiListener listener;
    NginxFixture nginx;
    final List<SocketChannel> hostile = new ArrayList<>();

    @AfterEach
    void stop() throws Exception {
        for (SocketChannel channel : hostile) {
            channel.close();
        }
        if (nginx != null) {
            nginx.close();
        }
        if (listener != null) {
            listener.stop();
        }
    }

    @ParameterizedTest(name = "threads = {0}")
    // 200: the platform-thread pool; 0: the default, virtual threads on Java 21+ (200 platform threads on 17).
    @ValueSource(ints = {200, 0})
    @DisplayName("500 connections that send a packet header and stall leave a request through nginx answered at once")
    void stalledHeadsDoNotTakeTheWorkers(int threads, @TempDir Path dir) throws Exception {
        listener = UwsgiListener.start(UwsgiConfig.builder().tcp("127.0.0.1", 0).threads(threads)
                // Long enough that no hostile connection is let go while the request is served.
                .headerTimeout(Duration.ofMinutes(10))
                .application((environ, startResponse) -> {
                    startResponse.start("200 OK", List.of(new Header("Content-Type", "text/plain")));
                    return Bodies.utf8("still here\n");
                })
                .build());
        nginx = NginxFixture.start(listener.address(), dir);
        for (int i = 0; i < HOSTILE; i++) {
            SocketChannel channel = SocketChannel.open(new InetSocketAddress("127.0.0.1", listener.port()));
            // A header promising 100 bytes of vars, which never come.
            channel.write(ByteBuffer.wrap(new byte[] {0, 100, 0, 0}));
            hostile.add(channel);
        }
        Await.until("the listener to hold all " + HOSTILE + " hostile connections", Duration.ofSeconds(60),
                () -> listener.queued() >= HOSTILE);

        long start = System.nanoTime();
        RawResponse response = RawHttpConnection.exchange(new InetSocketAddress("127.0.0.1", nginx.httpPort()),
                RawRequest.get("/"));
        long millis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);

        assertEquals(200, response.status(), nginx.errorLog());
        assertEquals("still here\n", response.bodyText());
        assertEquals(HOSTILE, listener.queued(), "the request was answered while every hostile connection was"
                + " still held (" + millis + " ms on Java " + Runtime.version().feature() + ")");
    }
}
