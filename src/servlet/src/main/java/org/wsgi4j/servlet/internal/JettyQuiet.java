package org.wsgi4j.servlet.internal;

import org.eclipse.jetty.io.QuietException;

/**
 * Marks an abort as already logged, for Jetty: its {@code ServletChannel} logs an exception thrown
 * out of a servlet at WARN unless a {@link QuietException} is in the cause chain. The response
 * engine has logged the failure once (SPEC S16); Jetty still aborts the connection either way.
 * Touched only when Jetty's classes are visible (see {@link JettyFiles#AVAILABLE}).
 */
final class JettyQuiet {

    private JettyQuiet() {
    }

    static Throwable mark(Throwable cause) {
        return new QuietException.Exception(cause);
    }
}
