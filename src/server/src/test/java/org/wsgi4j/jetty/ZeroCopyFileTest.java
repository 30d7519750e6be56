package org.wsgi4j.jetty;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.io.RandomAccessFile;
import java.lang.management.ManagementFactory;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.api.io.TempDir;
import org.wsgi4j.Bodies;
import org.wsgi4j.Environ;
import org.wsgi4j.Header;

/**
 * S20 on Jetty: a file body is sent without passing through the heap. The proof is the request
 * thread's own allocation counter (HotSpot's per-thread allocated bytes) across the whole send of a
 * 1 GiB file: a copy in blocks would allocate at least the file's size.
 */
class ZeroCopyFileTest {

    private static final long SIZE = 1L << 30;

    @TempDir
    Path dir;

    @ParameterizedTest(name = "--front-end {0}")
    @EnumSource(Settings.FrontEnd.class)
    @DisplayName("S20: a 1 GiB file body reaches the client while the request thread allocates almost nothing")
    void fileBodyIsNotCopiedThroughTheHeap(Settings.FrontEnd frontEnd) throws Exception {
        Path file = dir.resolve("big.bin");
        try (RandomAccessFile raf = new RandomAccessFile(file.toFile(), "rw")) {
            raf.setLength(SIZE); // sparse: costs no disk
            raf.seek(SIZE - 4);
            raf.write("END!".getBytes(StandardCharsets.US_ASCII));
        }
        com.sun.management.ThreadMXBean threads =
                (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        AtomicLong allocated = new AtomicLong(-1);
        Wsgi4jServer server = Wsgi4jServer.builder().set(Settings.FRONT_END, frontEnd).http("127.0.0.1", 0)
                .mount("/", (env, start) -> {
            long tid = Thread.currentThread().getId();
            long before = threads.getThreadAllocatedBytes(tid);
            start.start("200 OK", List.of(new Header("Content-Type", "application/octet-stream")));
            return Bodies.closing(Environ.fileWrapper(env).wrap(file),
                    () -> allocated.set(threads.getThreadAllocatedBytes(tid) - before));
        }).build().start();
        try (Socket socket = new Socket("127.0.0.1", server.port())) {
            socket.setSoTimeout(60_000);
            socket.getOutputStream().write("GET /big HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n"
                    .getBytes(StandardCharsets.US_ASCII));
            InputStream in = socket.getInputStream();
            String head = readHead(in);
            assertTrue(head.contains("Content-Length: " + SIZE), head);
            byte[] buffer = new byte[1 << 16];
            long received = 0;
            byte[] last4 = new byte[4];
            int n;
            while ((n = in.read(buffer)) >= 0) {
                received += n;
                if (n >= 4) {
                    System.arraycopy(buffer, n - 4, last4, 0, 4);
                }
            }
            assertEquals(SIZE, received);
            assertEquals("END!", new String(last4, StandardCharsets.US_ASCII));
        } finally {
            server.stop();
        }
        System.out.println("zero-copy: request thread allocated " + allocated.get() + " bytes for a " + SIZE + "-byte file");
        assertTrue(allocated.get() >= 0, "close() ran");
        assertTrue(allocated.get() < 16L << 20,
                "the request thread allocated " + allocated.get() + " bytes while sending " + SIZE);
    }

    private static String readHead(InputStream in) throws IOException {
        StringBuilder head = new StringBuilder();
        while (!head.toString().endsWith("\r\n\r\n")) {
            int c = in.read();
            if (c < 0) {
                break;
            }
            head.append((char) c);
        }
        return head.toString();
    }
}
