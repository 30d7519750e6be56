package org.wsgi4j.python;

/**
 * A Python exception that escaped the application (or its body's iterator, or {@code close()}),
 * carried to the host as a Java exception: the message is Python's one-line summary
 * ({@code "ValueError: boom"}) and the stack trace holds the Python frames. The full traceback was
 * written to the request's {@code wsgi.errors} before this was thrown. The server turns it into a
 * 500 before the response is committed (SPEC S15) or an aborted response after (S16).
 */
public final class PythonException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    /**
     * A Python error as the host sees it.
     *
     * @param message Python's one-line summary, e.g. {@code "ValueError: boom"}
     * @param stackTrace the Python frames (file, function, line) and the Java frames it went through
     */
    public PythonException(String message, StackTraceElement[] stackTrace) {
        super(message, null, false, true);
        setStackTrace(stackTrace);
    }
}
