package org.wsgi4j.conformance.probes;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import org.wsgi4j.Bodies;
import org.wsgi4j.Environ;
import org.wsgi4j.Header;
import org.wsgi4j.StartResponse;
import org.wsgi4j.Write;

/**
 * Probes for the request and response bodies: echo, streaming, Content-Length handling, HEAD and
 * bodiless statuses, the write callable and file bodies. Called by
 * {@link org.wsgi4j.conformance.Probes} only.
 */
public final class BodyProbes {

    /** Bytes of the file that {@code /file} sends: more than one {@code FileBody} block. */
    public static final int FILE_SIZE = 200_000;

    /** The body {@code /head} declares and (for GET) sends. */
    public static final String HEAD_BODY = "hello, head";

    /** How long a stream waits at its gate before it gives up (and fails the response). */
    private static final long GATE_SECONDS = 60;

    /**
     * {@code /endless} stops on its own after this many blocks (about two minutes at one block per
     * {@link #pause}), so a host that never notices a gone client still ends the request.
     */
    private static final int ENDLESS_BLOCKS = 12_000;

    private BodyProbes() {
    }

    /**
     * {@code /echo}: reads the whole body and sends it back, with its length, SHA-256 and {@code CONTENT_LENGTH} (or {@code absent}) in {@code X-Echo-*} headers (SPEC E6, E11).
     *
     * @param environ the request's environ
     * @param startResponse the server's start_response
     * @return the body as read
     * @throws IOException if {@code wsgi.input} fails
     */
    public static Iterable<byte[]> echo(Map<String, Object> environ, StartResponse startResponse) throws IOException {
        byte[] body = Environ.input(environ).readAllBytes();
        startResponse.start("200 OK", List.of(
                new Header("Content-Type", "application/octet-stream"),
                new Header("X-Echo-Length", Integer.toString(body.length)),
                new Header("X-Echo-Sha256", sha256(body)),
                new Header("X-Echo-Content-Length", Environ.contentLength(environ).isPresent()
                        ? Long.toString(Environ.contentLength(environ).getAsLong()) : "absent")));
        return List.of(body);
    }

    /**
     * Block {@code i} (from 1) of {@code n}, as {@code /stream} sends it.
     *
     * @param i the block's number, from 1
     * @param n the number of blocks
     * @return the block's text, one ASCII line
     */
    public static String streamBlock(int i, int n) {
        return "block " + i + " of " + n + "\n";
    }

    /**
     * {@code /stream}: {@code n} blocks, each sent only after the client released the gate for the one before (SPEC S13).
     *
     * @param startResponse the server's start_response
     * @param query {@code n}: the number of blocks (default 3); {@code gate}: the gate the client releases after each block
     * @return the blocks
     * @throws NumberFormatException if {@code n} is not a number
     */
    public static Iterable<byte[]> stream(StartResponse startResponse, Map<String, String> query) {
        int n = Integer.parseInt(query.getOrDefault("n", "3"));
        String gate = query.get("gate");
        // A streaming response behind nginx asks it not to buffer (README: nginx in front); other
        // hosts pass the header on, and nginx removes it.
        startResponse.start("200 OK", List.of(new Header("Content-Type", "text/plain; charset=utf-8"),
                new Header("X-Accel-Buffering", "no")));
        return new Blocks(n, i -> {
            // S13: the client releases block i+1 only after it has received block i.
            if (i > 0 && gate != null && !passGate(gate)) {
                throw new IllegalStateException("gate '" + gate + "' was not released within "
                        + GATE_SECONDS + " s: block " + i + " did not reach the client?");
            }
            return streamBlock(i + 1, n).getBytes(StandardCharsets.US_ASCII);
        });
    }

    /**
     * {@code /length}: a one-block body without {@code Content-Length}, which the server computes (SPEC S10).
     *
     * @param startResponse the server's start_response
     * @return {@code "0123456789"} in one block
     */
    public static Iterable<byte[]> length(StartResponse startResponse) {
        startResponse.start("200 OK", List.of(new Header("Content-Type", "text/plain; charset=utf-8")));
        return Bodies.utf8("0123456789");
    }

    /**
     * {@code /too-many}: declares a {@code Content-Length} of 5 and produces 10 bytes (SPEC S11).
     *
     * @param startResponse the server's start_response
     * @return two blocks, 10 bytes
     */
    public static Iterable<byte[]> tooMany(StartResponse startResponse) {
        startResponse.start("200 OK", List.of(new Header("Content-Type", "text/plain; charset=utf-8"),
                new Header("Content-Length", "5")));
        return new Blocks(2, i -> (i == 0 ? "123" : "4567890").getBytes(StandardCharsets.US_ASCII));
    }

    /**
     * {@code /too-few}: declares a {@code Content-Length} of 10 and produces 5 bytes (SPEC S12).
     *
     * @param startResponse the server's start_response
     * @return one block, 5 bytes
     */
    public static Iterable<byte[]> tooFew(StartResponse startResponse) {
        startResponse.start("200 OK", List.of(new Header("Content-Type", "text/plain; charset=utf-8"),
                new Header("Content-Length", "10")));
        return new Blocks(1, i -> "12345".getBytes(StandardCharsets.US_ASCII));
    }

    /**
     * A body with its {@code Content-Length}, for {@code HEAD} requests (SPEC S14).
     *
     * @param startResponse the server's start_response
     * @return a body the server must not send to {@code HEAD}
     */
    public static Iterable<byte[]> head(StartResponse startResponse) {
        startResponse.start("200 OK", List.of(new Header("Content-Type", "text/plain; charset=utf-8"),
                new Header("Content-Length", Integer.toString(HEAD_BODY.length()))));
        return Bodies.utf8(HEAD_BODY);
    }

    /**
     * {@code 204} or {@code 304}, with a one-block body that the server must not send (S14) nor measure (S10).
     *
     * @param startResponse the server's start_response
     * @param code {@code 204}, {@code 304}, {@code 204-with-length} or {@code 103} (the last two are application errors, SPEC S23)
     * @return a one-block body
     * @throws IllegalArgumentException for another code
     */
    public static Iterable<byte[]> status(StartResponse startResponse, String code) {
        switch (code) {
            case "204" -> startResponse.start("204 No Content", List.of(new Header("X-Probe", "204")));
            case "304" -> startResponse.start("304 Not Modified", List.of(new Header("ETag", "\"probe\"")));
            // S23: both are application errors, answered 500 on every host.
            case "204-with-length" -> startResponse.start("204 No Content", List.of(new Header("Content-Length", "5")));
            case "103" -> startResponse.start("103 Early Hints", List.of(new Header("Link", "</style.css>; rel=preload")));
            default -> throw new IllegalArgumentException("status probe knows 204, 304, 204-with-length and 103, not '"
                    + code + "'");
        }
        return Bodies.utf8("this body must not be sent");
    }

    /**
     * Repeated and latin-1 response headers, in a known order (S22).
     *
     * @param startResponse the server's start_response
     * @return a short text body
     */
    public static Iterable<byte[]> headers(StartResponse startResponse) {
        startResponse.start("200 OK", List.of(new Header("Set-Cookie", "a=1; Path=/"),
                new Header("X-Latin", "caf\u00e9"), new Header("Set-Cookie", "b=2"),
                new Header("Content-Type", "text/plain; charset=utf-8")));
        return Bodies.utf8("headers\n");
    }

    /** The {@code Date} that {@code /host-fields} sends: RFC 9110's example, so no host's clock can match it. */
    public static final String PROBE_DATE = "Sun, 06 Nov 1994 08:49:37 GMT";

    /** The {@code Server} that {@code /host-fields} sends. */
    public static final String PROBE_SERVER = "wsgi4j-probe/1";

    /**
     * {@code /host-fields}: a response that sets the singleton fields a host may add itself,
     * {@code Date} ({@link #PROBE_DATE}) and {@code Server} ({@link #PROBE_SERVER}) (SPEC S24).
     *
     * @param startResponse the server's start_response
     * @return a short text body
     */
    public static Iterable<byte[]> hostFields(StartResponse startResponse) {
        startResponse.start("200 OK", List.of(new Header("Date", PROBE_DATE), new Header("Server", PROBE_SERVER),
                new Header("Content-Type", "text/plain; charset=utf-8")));
        return Bodies.utf8("host-fields\n");
    }

    /**
     * {@code /write}: a body partly sent with the write callable (SPEC A11, S19).
     *
     * @param startResponse the server's start_response
     * @return the last block, after two written with {@code write} (one empty write between them)
     * @throws IOException if {@code write} fails
     */
    public static Iterable<byte[]> write(StartResponse startResponse) throws IOException {
        Write write = startResponse.start("200 OK", List.of(new Header("Content-Type", "text/plain; charset=utf-8")));
        write.write("one\n".getBytes(StandardCharsets.US_ASCII));
        write.write(new byte[0]);
        write.write("two\n".getBytes(StandardCharsets.US_ASCII));
        return Bodies.utf8("three\n");
    }

    /**
     * {@code /file}: a file of {@link #FILE_SIZE} bytes through {@code wsgi.file_wrapper} (SPEC E13, S20).
     *
     * @param environ the request's environ
     * @param startResponse the server's start_response
     * @return the file's body from {@code wsgi.file_wrapper}
     * @throws IOException if the file cannot be opened
     */
    public static Iterable<byte[]> file(Map<String, Object> environ, StartResponse startResponse) throws IOException {
        startResponse.start("200 OK", List.of(new Header("Content-Type", "application/octet-stream")));
        return Environ.fileWrapper(environ).wrap(FileHolder.FILE);
    }

    /**
     * The content of the file {@code /file} sends: {@link #FILE_SIZE} bytes of a fixed pattern.
     *
     * @return the content of the file {@code /file} sends: {@link #FILE_SIZE} bytes of a fixed pattern
     */
    public static byte[] fileContent() {
        byte[] content = new byte[FILE_SIZE];
        for (int i = 0; i < content.length; i++) {
            content[i] = (byte) (i * 31 + i / 251);
        }
        return content;
    }

    /**
     * {@code /endless}: a long body sent slowly, for a client that goes away (SPEC S18).
     *
     * @param startResponse the server's start_response
     * @return a long body of 1000-byte blocks with pauses between them
     */
    public static Iterable<byte[]> endless(StartResponse startResponse) {
        startResponse.start("200 OK", List.of(new Header("Content-Type", "text/plain; charset=utf-8")));
        byte[] block = "tick\n".repeat(200).getBytes(StandardCharsets.US_ASCII);
        return new Blocks(ENDLESS_BLOCKS, i -> {
            if (i > 0) {
                pause();
            }
            return block;
        });
    }

    /**
     * Lowercase hex SHA-256 of {@code data}.
     *
     * @param data the bytes
     * @return 64 lowercase hex digits
     */
    public static String sha256(byte[] data) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(data));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JDK has SHA-256", e);
        }
    }

    private static boolean passGate(String gate) {
        try {
            return ProbeRegistry.pass(gate, GATE_SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted at gate '" + gate + "'", e);
        }
    }

    /** Paces {@code /endless}; not synchronisation: the probe only needs to stay cheap while it waits. */
    private static void pause() {
        try {
            Thread.sleep(10);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while streaming", e);
        }
    }

    /** Created on first use, so hosts that never ask for {@code /file} write no temporary file. */
    private static final class FileHolder {
        static final Path FILE = create();

        private static Path create() {
            try {
                Path file = Files.createTempFile("wsgi4j-probe-", ".bin");
                file.toFile().deleteOnExit();
                return Files.write(file, fileContent());
            } catch (IOException e) {
                throw new UncheckedIOException("cannot write the /file probe's temporary file", e);
            }
        }
    }
}
