package org.wsgi4j.internal;

import java.io.PrintWriter;
import java.io.Writer;
import java.lang.System.Logger;
import java.lang.System.Logger.Level;
import java.util.Objects;
import java.util.function.Consumer;

/**
 * {@code wsgi.errors} for one request (SPEC E12): each line the application writes goes to
 * {@code sink} as one call, without its line break, so it lands in the host's log as one record with
 * the host's timestamps. A front end makes one per request ({@link #forRequest}): a line is the
 * request's own whichever threads wrote its parts (an answer handed from Jetty's selector to a pool
 * thread, say), and a line one request left unfinished never prefixes the next request's. The
 * response engine flushes it when the request ends, so an unfinished last line is logged then.
 */
public final class LineWriter extends Writer {

    private final Consumer<String> sink;
    /** Made on the first character: most requests never write to wsgi.errors. */
    private StringBuilder line;

    /**
     * A writer that hands each line to {@code sink}.
     *
     * @param sink takes one line at a time, without its line break; it may be shared by every request
     */
    public LineWriter(Consumer<String> sink) {
        this.sink = Objects.requireNonNull(sink, "sink");
    }

    /**
     * The sink that logs each line to {@code logger} at {@code level}, for {@link #forRequest}.
     *
     * @param logger the host's log
     * @param level  the level of each line
     * @return the sink, to be shared by every request
     */
    public static Consumer<String> toLogger(Logger logger, Level level) {
        Objects.requireNonNull(logger, "logger");
        Objects.requireNonNull(level, "level");
        return text -> logger.log(level, text);
    }

    /**
     * A request's {@code wsgi.errors}: {@code new LineWriter(sink).printWriter()}.
     *
     * @param sink where the request's lines go, shared by every request
     * @return the writer for one request's environ
     */
    public static PrintWriter forRequest(Consumer<String> sink) {
        return new LineWriter(sink).printWriter();
    }

    /**
     * A {@code PrintWriter} over this writer for the environ. A line goes out at its line break, a
     * partial line at {@code flush}; applications may not close it (E12), so its {@code close} only
     * flushes. Its methods lock this writer (the {@code PrintWriter}'s lock), so threads writing to
     * one request's {@code wsgi.errors} at once do not corrupt a line.
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
        synchronized (lock) {
            for (int i = offset; i < offset + length; i++) {
                char c = buffer[i];
                if (c == '\n') {
                    emit();
                } else if (c != '\r') {
                    if (line == null) {
                        line = new StringBuilder();
                    }
                    line.append(c);
                }
            }
        }
    }

    @Override
    public void flush() {
        synchronized (lock) {
            if (line != null && line.length() > 0) {
                emit();
            }
        }
    }

    /** Applications must not close wsgi.errors (E12); a close only flushes. */
    @Override
    public void close() {
        flush();
    }

    private void emit() {
        sink.accept(line == null ? "" : line.toString());
        if (line != null) {
            line.setLength(0);
        }
    }
}
