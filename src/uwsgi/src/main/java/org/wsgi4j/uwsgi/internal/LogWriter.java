package org.wsgi4j.uwsgi.internal;

import java.io.Writer;
import java.lang.System.Logger;
import java.lang.System.Logger.Level;

/** {@code wsgi.errors} (SPEC E12): each line the application writes becomes one log record. */
final class LogWriter extends Writer {

    private final Logger logger;
    private final StringBuilder line = new StringBuilder();

    LogWriter(Logger logger) {
        this.logger = logger;
    }

    @Override
    public synchronized void write(char[] chars, int offset, int length) {
        for (int i = offset; i < offset + length; i++) {
            if (chars[i] == '\n') {
                emit();
            } else if (chars[i] != '\r') {
                line.append(chars[i]);
            }
        }
    }

    @Override
    public synchronized void flush() {
        if (line.length() > 0) {
            emit();
        }
    }

    /** Applications must not close wsgi.errors (E12); a close only flushes. */
    @Override
    public void close() {
        flush();
    }

    private void emit() {
        logger.log(Level.WARNING, line.toString());
        line.setLength(0);
    }
}
