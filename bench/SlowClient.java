import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicLongArray;

/**
 * bench/slow.sh's load generator: N kept-alive HTTP/1.1 connections, each asking for PATH again as
 * soon as its answer is in (a closed loop, as wrk's), measured only once every connection is open
 * and has been answered once. wrk opens all its connections in its first instant and measures from
 * there: with 10,000 of them the accept queue (net.core.somaxconn) overflows, refused SYNs are
 * retried after 1, 3, 7 s, and those seconds are counted as the server's latency.
 *
 * <p>Usage (Java 21+, as a source file): {@code java bench/SlowClient.java HOST PORT PATH CONNECTIONS
 * SECONDS [TIMEOUT_SECONDS [RAMP_LIMIT_SECONDS]]}. One virtual thread per connection, blocking
 * sockets. Prints a {@code ramp:} line when the measured window begins, then wrk's lines that
 * bench/slow.sh reads ({@code N requests in}, {@code Requests/sec:}, {@code 50%}, {@code 99%},
 * {@code Socket errors:}, {@code Non-2xx}) and {@code client CPU:}, its own CPU time in the window.
 */
public final class SlowClient {

    /** Latency histogram: one bucket per millisecond up to the timeout. */
    private static AtomicLongArray histogram;
    private static final AtomicLong REQUESTS = new AtomicLong();
    private static final AtomicLong CONNECT_ERRORS = new AtomicLong();
    private static final AtomicLong READ_ERRORS = new AtomicLong();
    private static final AtomicLong WRITE_ERRORS = new AtomicLong();
    private static final AtomicLong TIMEOUTS = new AtomicLong();
    private static final AtomicLong NON_2XX = new AtomicLong();
    private static volatile boolean measuring;
    private static volatile boolean stopping;

    public static void main(String[] args) throws Exception {
        if (args.length < 5) {
            System.err.println("usage: java SlowClient.java HOST PORT PATH CONNECTIONS SECONDS [TIMEOUT_S [RAMP_LIMIT_S]]");
            System.exit(2);
        }
        InetSocketAddress address = new InetSocketAddress(args[0], Integer.parseInt(args[1]));
        byte[] request = ("GET " + args[2] + " HTTP/1.1\r\nHost: " + args[0] + ":" + args[1] + "\r\n\r\n")
                .getBytes(StandardCharsets.US_ASCII);
        int connections = Integer.parseInt(args[3]);
        int seconds = Integer.parseInt(args[4]);
        int timeoutMillis = 1000 * (args.length > 5 ? Integer.parseInt(args[5]) : 10);
        int rampLimit = args.length > 6 ? Integer.parseInt(args[6]) : 60;
        histogram = new AtomicLongArray(timeoutMillis + 1);

        CountDownLatch ready = new CountDownLatch(connections);
        List<Thread> threads = new ArrayList<>(connections);
        long rampStart = System.nanoTime();
        for (int i = 0; i < connections; i++) {
            threads.add(Thread.ofVirtual().start(() -> run(address, request, timeoutMillis, ready)));
        }
        boolean all = ready.await(rampLimit, TimeUnit.SECONDS);
        long rampMillis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - rampStart);
        System.out.printf("ramp: %d of %d connections open and answered once in %d ms%n",
                connections - ready.getCount(), connections, rampMillis);
        System.out.flush();
        com.sun.management.OperatingSystemMXBean os =
                (com.sun.management.OperatingSystemMXBean) java.lang.management.ManagementFactory.getOperatingSystemMXBean();
        long cpuStart = os.getProcessCpuTime();
        measuring = true;
        long start = System.nanoTime();
        Thread.sleep(seconds * 1000L);
        measuring = false;
        double elapsed = (System.nanoTime() - start) / 1e9;
        long cpu = os.getProcessCpuTime() - cpuStart;
        stopping = true;
        long requests = REQUESTS.get();
        System.out.printf("  %d requests in %.2fs%n", requests, elapsed);
        System.out.printf("  %d%% %dms%n", 50, percentile(0.50));
        System.out.printf("  %d%% %dms%n", 99, percentile(0.99));
        if (CONNECT_ERRORS.get() + READ_ERRORS.get() + WRITE_ERRORS.get() + TIMEOUTS.get() > 0) {
            System.out.printf("  Socket errors: connect %d, read %d, write %d, timeout %d%n", CONNECT_ERRORS.get(),
                    READ_ERRORS.get(), WRITE_ERRORS.get(), TIMEOUTS.get());
        }
        if (NON_2XX.get() > 0) {
            System.out.printf("  Non-2xx or 3xx responses: %d%n", NON_2XX.get());
        }
        System.out.printf("Requests/sec: %.2f%n", requests / elapsed);
        System.out.printf("client CPU: %.2f s%n", cpu / 1e9);
        System.out.flush();
        // the connections' threads are virtual (daemon): exiting closes their sockets
        System.exit(0);
    }

    private static long percentile(double p) {
        long total = 0;
        for (int i = 0; i < histogram.length(); i++) {
            total += histogram.get(i);
        }
        long rank = (long) Math.ceil(p * total);
        long seen = 0;
        for (int i = 0; i < histogram.length(); i++) {
            seen += histogram.get(i);
            if (seen >= rank && seen > 0) {
                return i;
            }
        }
        return 0;
    }

    /** One connection: connect (retrying until the ramp is over), then ask and read in a loop. */
    private static void run(InetSocketAddress address, byte[] request, int timeoutMillis, CountDownLatch ready) {
        boolean counted = false;
        while (!stopping) {
            try (Socket socket = new Socket()) {
                socket.setTcpNoDelay(true);
                socket.connect(address, timeoutMillis);
                socket.setSoTimeout(timeoutMillis);
                OutputStream out = socket.getOutputStream();
                InputStream in = new BufferedInputStream(socket.getInputStream(), 1024);
                while (!stopping) {
                    long sent = System.nanoTime();
                    boolean inWindow = measuring;
                    try {
                        out.write(request);
                        out.flush();
                    } catch (IOException e) {
                        count(inWindow, WRITE_ERRORS);
                        break;
                    }
                    int status = readResponse(in);
                    long millis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - sent);
                    if (!counted) {
                        ready.countDown();
                        counted = true;
                    }
                    if (inWindow && measuring) {
                        REQUESTS.incrementAndGet();
                        histogram.incrementAndGet((int) Math.min(millis, histogram.length() - 1));
                        if (status < 200 || status >= 400) {
                            NON_2XX.incrementAndGet();
                        }
                    }
                }
            } catch (SocketTimeoutException e) {
                count(measuring, TIMEOUTS);
            } catch (IOException e) {
                count(measuring, counted ? READ_ERRORS : CONNECT_ERRORS);
            }
        }
    }

    private static void count(boolean inWindow, AtomicLong counter) {
        if (inWindow) {
            counter.incrementAndGet();
        }
    }

    /** Reads one response (status line, headers, a Content-Length body); answers its status. */
    private static int readResponse(InputStream in) throws IOException {
        String statusLine = line(in);
        int status = Integer.parseInt(statusLine.substring(9, 12));
        long length = 0;
        for (String header = line(in); !header.isEmpty(); header = line(in)) {
            int colon = header.indexOf(':');
            if (colon > 0 && header.substring(0, colon).equalsIgnoreCase("Content-Length")) {
                length = Long.parseLong(header.substring(colon + 1).trim());
            }
        }
        for (long left = length; left > 0; left--) {
            if (in.read() < 0) {
                throw new IOException("closed in the body");
            }
        }
        return status;
    }

    private static String line(InputStream in) throws IOException {
        StringBuilder line = new StringBuilder(64);
        int b;
        while ((b = in.read()) != '\n') {
            if (b < 0) {
                throw new IOException("closed in the head");
            }
            if (b != '\r') {
                line.append((char) b);
            }
        }
        return line.toString();
    }
}
