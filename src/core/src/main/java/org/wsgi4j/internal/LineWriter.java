package org.wsgi4j.internal;

import java.io.PrintWriter;
import java.io.Writer;
import java.lang.System.Logger;
import java.lang.System.Logger.Level;
import java.util.Objects;
import java.util.function.Consumer;

/**
 * {@code wsgi.errors} for a front end (SPEC E12): each line the application writes goes to
 * {@code sink} as one call, without its line break, so it lands in the host's log as one record with
 * the host's timestamps. A writer may be shared by concurrent requests: each thread assembles its own
 * line, so lines never interleave.
 */
public final class LineWriter extends Writer {

    private final Consumer<String> sink;
    private final ThreadLocal<StringBuilder> line = ThreadLocal.withInitial(StringBuilder::new);

    /**
     * A writer that hands each line to {@code sink}.
     *
     * @param sink takes one line at a time, without its line break
     */
    public LineWriter(Consumer<String> sink) {
        this.sink = Objects.requireNonNull(sink, "sink");
    }

    /**
     * Lines logged to {@code logger} at {@code level}.
     *
     * @param logger the host's log
     * @param level  the level of each line
     * @return the writer
     */
    public static LineWriter toLogger(Logger logger, Level level) {
        return new LineWriter(text -> logger.log(level, text));
    }

    /**
     * A {@code PrintWriter} over this writer for the environ. A line goes out at its line break, a
     * partial line at {@code flush}; applications may not close it (E12), so its {@code close} only
     * flushes.
     *
     * @return the writer for {@code wsgi.errors}
     */
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

    /** Applications must not close wsgi.errors (E12); a close only flushes. */
    @Override
    public void close() {
        flush();
    }

    private void emit(StringBuilder current) {
        sink.accept(current.toString());
        current.setLength(0);
    }
}
