package org.wsgi4j.servlet.internal;

import jakarta.servlet.ServletOutputStream;
import java.io.IOException;
import java.nio.MappedByteBuffer;
import java.nio.channels.FileChannel;
import org.eclipse.jetty.ee10.servlet.HttpOutput;
import org.wsgi4j.FileBody;

/**
 * Jetty's zero-copy file path (SPEC S20): the file region is memory-mapped and handed to
 * {@link HttpOutput#sendContent(java.nio.ByteBuffer)}, so its bytes never pass through the Java heap.
 * This class is touched only when {@link #AVAILABLE} says Jetty's servlet classes are visible, so the
 * bridge still loads in other containers (and in Jetty web applications, which hide server classes).
 */
final class JettyFiles {

    static final boolean AVAILABLE = isPresent();

    private JettyFiles() {
    }

    private static boolean isPresent() {
        try {
            Class.forName("org.eclipse.jetty.ee10.servlet.HttpOutput", false, JettyFiles.class.getClassLoader());
            return true;
        } catch (ClassNotFoundException | LinkageError e) {
            return false;
        }
    }

    static boolean send(ServletOutputStream out, FileBody body) throws IOException {
        // sendContent completes the output, so the region goes in one mapping; a MappedByteBuffer is
        // indexed by int, so larger regions take the engine's block path instead.
        if (!(out instanceof HttpOutput jetty) || body.count() > Integer.MAX_VALUE) {
            return false;
        }
        MappedByteBuffer region = body.channel().map(FileChannel.MapMode.READ_ONLY, body.position(), body.count());
        jetty.sendContent(region);
        return true;
    }
}
