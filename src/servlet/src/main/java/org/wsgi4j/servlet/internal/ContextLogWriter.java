package org.wsgi4j.servlet.internal;

import jakarta.servlet.ServletContext;
import java.io.PrintWriter;
import java.io.Writer;

/**
 * {@code wsgi.errors} for the servlet bridge (SPEC E12): text goes to {@link ServletContext#log},
 * one call per line, so it lands in the container's log with its timestamps. Shared by all requests
 * of a servlet; each thread assembles its own line.
 */
public final class ContextLogWriter extends Writer {

    private final ServletContext context;
    private final ThreadLocal<StringBuilder> line = ThreadLocal.withInitial(StringBuilder::new);

    public ContextLogWriter(ServletContext context) {
        this.context = context;
    }

    /** A PrintWriter over this writer that applications may not close (close only flushes). */
    public PrintWriter printWriter() {
        return new PrintWriter(this, false) {
            @Override
            public void close() {
                flush();
            }
        };
    }

    @Override
    public void write(char[] buffer, int offset, int length) {
        StringBuilder current = line.get();
        for (int i = offset; i < offset + length; i++) {
            char c = buffer[i];
            if (c == '\n') {
                emit(current);
            } else if (c != '\r') {
                current.append(c);
            }
        }
    }

    @Override
    public void flush() {
        StringBuilder current = line.get();
        if (current.length() > 0) {
            emit(current);
        }
    }

    @Override
    public void close() {
        flush();
    }

    private void emit(StringBuilder current) {
        context.log(current.toString());
        current.setLength(0);
    }
}
