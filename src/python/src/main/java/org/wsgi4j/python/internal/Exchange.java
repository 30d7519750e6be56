package org.wsgi4j.python.internal;

import java.io.IOException;
import java.io.InputStream;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.graalvm.polyglot.Value;
import org.wsgi4j.Header;
import org.wsgi4j.StartResponse;
import org.wsgi4j.Write;

/**
 * What the Python side of one request ({@code wsgi4j_gateway.Request}) calls back into: the body
 * stream, the error log, {@code start_response} and {@code write}. Public only so that GraalPy's
 * host access can call it; not an API.
 */
public final class Exchange {

    private static final int MAX_READ = 64 * 1024;

    private final InputStream input;
    private final PrintWriter errors;
    private final StartResponse startResponse;
    private byte[] buffer;
    private Write write;

    Exchange(InputStream input, PrintWriter errors, StartResponse startResponse) {
        this.input = input;
        this.errors = errors;
        this.startResponse = startResponse;
    }

    /**
     * Up to {@code max} bytes of the body as a latin-1 string (one character per byte), at least one
     * byte unless the body has ended; {@code ""} at the end.
     *
     * @param max the most bytes to return; 0 or less returns {@code ""} without reading
     * @return the bytes read, one latin-1 character each
     * @throws IOException if {@code wsgi.input} fails (client gone, body over a limit, timeout)
     */
    public String read(int max) throws IOException {
        if (max <= 0) {
            return "";
        }
        if (buffer == null) {
            buffer = new byte[MAX_READ];
        }
        int n;
        do {
            n = input.read(buffer, 0, Math.min(max, buffer.length));
        } while (n == 0);
        return n < 0 ? "" : new String(buffer, 0, n, StandardCharsets.ISO_8859_1);
    }

    /**
     * Writes to {@code wsgi.errors}.
     *
     * @param text what the application wrote, as given
     */
    public void error(String text) {
        errors.write(text);
    }

    /** Flushes {@code wsgi.errors} ({@code wsgi.errors.flush()}). */
    public void flushErrors() {
        errors.flush();
    }

    /**
     * {@code start_response}: {@code flatHeaders} is {@code [name, value, name, value, ...]} (the
     * Python side checked the types). Returns {@code true} when {@code excInfo} was given and the
     * headers were already sent: PEP 3333 then has {@code start_response} re-raise the
     * application's own exception, which the Python side does.
     *
     * @param status the status line, e.g. {@code "200 OK"}
     * @param flatHeaders a Python list of header names and values, alternating
     * @param excInfo whether the application passed {@code exc_info}
     * @return {@code true} if the Python side must re-raise the application's exception
     */
    public boolean start(String status, Value flatHeaders, boolean excInfo) {
        int size = (int) flatHeaders.getArraySize();
        List<Header> headers = new ArrayList<>(size / 2);
        for (int i = 0; i + 1 < size; i += 2) {
            headers.add(new Header(flatHeaders.getArrayElement(i).asString(), flatHeaders.getArrayElement(i + 1).asString()));
        }
        if (!excInfo) {
            write = startResponse.start(status, headers, null);
            return false;
        }
        ExcInfo marker = new ExcInfo();
        try {
            write = startResponse.start(status, headers, marker);
            return false;
        } catch (ExcInfo thrown) {
            if (thrown != marker) {
                throw thrown;
            }
            return true;
        }
    }

    /**
     * The {@code write} callable that {@code start_response} returned (PEP 3333).
     *
     * @param data a Python {@code bytes}
     * @throws IOException if the client is gone or the host cannot send
     * @throws IllegalStateException (Lint rule A11) if {@code start_response} was not called yet
     */
    public void write(Value data) throws IOException {
        if (write == null) {
            throw new IllegalStateException("A11: write() called before start_response");
        }
        write.write(Bytes.of(data));
    }

    /**
     * Stands for the Python exception passed as {@code exc_info}: the server rethrows it (S7) when the
     * headers are already out, and the Python side then raises the real one.
     */
    static final class ExcInfo extends RuntimeException {
        private static final long serialVersionUID = 1L;

        ExcInfo() {
            super("the exception the Python application passed as exc_info", null, false, false);
        }
    }
}
