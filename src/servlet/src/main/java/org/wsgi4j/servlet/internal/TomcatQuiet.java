package org.wsgi4j.servlet.internal;

import java.io.IOException;
import java.lang.reflect.Constructor;
import java.util.Optional;

/**
 * Marks an abort as already logged, for Tomcat: its {@code StandardWrapperValve} logs an
 * {@code IOException} thrown out of a servlet at SEVERE with its stack trace, except
 * {@code org.apache.coyote.CloseNowException} ("close the connection now"), which it logs at debug
 * only. Either way its {@code ErrorReportValve} then closes the connection of the committed
 * response without finishing it (SPEC S16); the engine has already logged the failure once.
 *
 * <p>Tomcat's classes sit in its common class loader, visible to web applications (and on the
 * class path of an embedded Tomcat), but wsgi4j-servlet does not compile against them, so the
 * class is looked up by name; outside Tomcat nothing is marked.
 */
final class TomcatQuiet {

    private static final Optional<Constructor<? extends IOException>> CLOSE_NOW = closeNow();

    static final boolean AVAILABLE = CLOSE_NOW.isPresent();

    private TomcatQuiet() {
    }

    /** {@code aborted} wrapped in a {@code CloseNowException}; {@code aborted} itself outside Tomcat. */
    static IOException mark(IOException aborted) {
        if (CLOSE_NOW.isEmpty()) {
            return aborted;
        }
        try {
            return CLOSE_NOW.get().newInstance(aborted.getMessage(), aborted);
        } catch (ReflectiveOperationException e) {
            // The constructor was public when looked up; if it fails anyway, Tomcat logs the abort twice.
            return aborted;
        }
    }

    private static Optional<Constructor<? extends IOException>> closeNow() {
        try {
            return Optional.of(Class.forName("org.apache.coyote.CloseNowException", false,
                            TomcatQuiet.class.getClassLoader())
                    .asSubclass(IOException.class)
                    .getConstructor(String.class, Throwable.class));
        } catch (ClassNotFoundException | NoSuchMethodException | ClassCastException | LinkageError e) {
            return Optional.empty();
        }
    }
}
