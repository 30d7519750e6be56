package org.wsgi4j.servlet.internal;

import jakarta.servlet.ServletOutputStream;
import jakarta.servlet.http.HttpServletRequest;
import java.io.IOException;
import java.lang.reflect.Constructor;
import org.wsgi4j.FileBody;
import org.wsgi4j.servlet.ResponseAbortedException;

/**
 * Tomcat 10.1 and 11. Tomcat's classes sit in its common class loader, visible to web applications,
 * but wsgi4j-servlet does not compile against them: they are reached by name.
 */
final class TomcatContainer implements Container {

    static final String CLOSE_NOW = "org.apache.coyote.CloseNowException";

    private static final String SENDFILE_SUPPORT = "org.apache.tomcat.sendfile.support";
    private static final String SENDFILE_FILENAME = "org.apache.tomcat.sendfile.filename";
    private static final String SENDFILE_START = "org.apache.tomcat.sendfile.start";
    private static final String SENDFILE_END = "org.apache.tomcat.sendfile.end";

    /** {@code CloseNowException(String, Throwable)}, or null if this Tomcat lacks it. */
    private final Constructor<? extends IOException> closeNow;

    TomcatContainer(ClassLoader loader) {
        this.closeNow = closeNow(loader);
    }

    /**
     * Tomcat sends the file itself after {@code service} returns, reading it by name with
     * sendfile(2), when the connector supports it for this request.
     */
    @Override
    public boolean sendFile(HttpServletRequest request, ServletOutputStream out, FileBody body) {
        if (!Boolean.TRUE.equals(request.getAttribute(SENDFILE_SUPPORT))) {
            return false;
        }
        request.setAttribute(SENDFILE_FILENAME, body.path().toAbsolutePath().toString());
        request.setAttribute(SENDFILE_START, body.position());
        request.setAttribute(SENDFILE_END, body.position() + body.count());
        return true;
    }

    /**
     * Tomcat's {@code StandardWrapperValve} logs an {@code IOException} thrown out of a servlet at
     * SEVERE with its stack trace, except {@code CloseNowException} ("close the connection now"),
     * which it logs at debug only. Either way its {@code ErrorReportValve} then closes the
     * connection of the committed response without finishing it.
     */
    @Override
    public IOException aborted(Throwable cause) {
        ResponseAbortedException aborted = new ResponseAbortedException(cause);
        if (closeNow == null) {
            return aborted;
        }
        try {
            return closeNow.newInstance(aborted.getMessage(), aborted);
        } catch (ReflectiveOperationException e) {
            // The constructor was public when looked up; if it fails anyway, Tomcat logs the abort twice.
            return aborted;
        }
    }

    private static Constructor<? extends IOException> closeNow(ClassLoader loader) {
        try {
            return Class.forName(CLOSE_NOW, false, loader)
                    .asSubclass(IOException.class)
                    .getConstructor(String.class, Throwable.class);
        } catch (ClassNotFoundException | NoSuchMethodException | ClassCastException | LinkageError e) {
            return null;
        }
    }
}
