package org.wsgi4j.servlet.internal;

import jakarta.servlet.ServletOutputStream;
import jakarta.servlet.http.HttpServletRequest;
import java.io.IOException;
import java.util.Enumeration;
import java.util.function.BiConsumer;
import org.wsgi4j.FileBody;
import org.wsgi4j.servlet.ResponseAbortedException;

/**
 * What the servlet bridge does differently per container, chosen once by {@link #detect} when the
 * servlet is initialised: the zero-copy file path (SPEC S20), a streamed block written and flushed
 * in one pass (SPEC S13), and the exception that aborts a committed response without the container
 * logging it a second time (SPEC S12, S16).
 *
 * <p>The container is recognised by the classes the web application can see. A Jetty web
 * application hides Jetty's server classes, so it gets the portable behaviour; an embedded Jetty
 * (wsgi4j-server) and every Tomcat show theirs.
 */
public interface Container {

    /**
     * Sends {@code body}'s region without copying it through the heap, or returns {@code false} to
     * have the engine send it as blocks.
     */
    boolean sendFile(HttpServletRequest request, ServletOutputStream out, FileBody body) throws IOException;

    /**
     * Writes {@code length} bytes of {@code data} from {@code offset} to {@code out} and flushes
     * everything written so far (SPEC S13); the default is {@code write} then {@code flush}.
     *
     * @throws IOException if the client went away (SPEC S18)
     */
    default void writeAndFlush(ServletOutputStream out, byte[] data, int offset, int length) throws IOException {
        out.write(data, offset, length);
        out.flush();
    }

    /**
     * Hands each request header field to {@code field}, name and value, in the order the request
     * carried them within each name; the default goes through {@code getHeaderNames} and
     * {@code getHeaders}, which sees what a filter's request wrapper changed.
     */
    default void headers(HttpServletRequest request, BiConsumer<String, String> field) {
        for (Enumeration<String> names = request.getHeaderNames(); names.hasMoreElements(); ) {
            String name = names.nextElement();
            for (Enumeration<String> values = request.getHeaders(name); values.hasMoreElements(); ) {
                field.accept(name, values.nextElement());
            }
        }
    }

    /**
     * The exception for the servlet to throw out of {@code service} after the engine aborted a
     * committed response: a {@link ResponseAbortedException} (containers answer an exception after
     * commit by closing the connection unfinished), marked so the container does not log what the
     * engine already logged.
     */
    IOException aborted(Throwable cause);

    /** The behaviour for the container whose classes {@code loader} sees. */
    static Container detect(ClassLoader loader) {
        if (isVisible(JettyContainer.HTTP_OUTPUT, loader)) {
            return new JettyContainer();
        }
        if (isVisible(TomcatContainer.CLOSE_NOW, loader)) {
            return new TomcatContainer(loader);
        }
        return new PortableContainer();
    }

    private static boolean isVisible(String className, ClassLoader loader) {
        try {
            Class.forName(className, false, loader);
            return true;
        } catch (ClassNotFoundException | LinkageError e) {
            return false;
        }
    }
}
