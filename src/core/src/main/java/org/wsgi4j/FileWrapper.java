package org.wsgi4j;

import java.io.IOException;
import java.nio.file.Path;

/**
 * {@code wsgi.file_wrapper}: turns a file into a response body that the server may send without
 * copying it through the heap (sendfile, a mapped buffer). Applications call it and return the
 * result as their body:
 *
 * <pre>{@code
 * startResponse.start("200 OK", List.of(new Header("Content-Type", "application/pdf")));
 * return Environ.fileWrapper(environ).wrap(Path.of("report.pdf"));
 * }</pre>
 *
 * <p>The returned {@link FileBody} is an ordinary {@code Iterable<byte[]>} too, so middleware that
 * iterates it still works; only a server that recognises it sends it the fast way. If the
 * application sets no {@code Content-Length}, the server sets the file's length.
 *
 * @see FileBody
 */
@FunctionalInterface
public interface FileWrapper {

    /** The wrapper every environ falls back to: a {@link FileBody} of the whole file. */
    FileWrapper DEFAULT = FileBody::of;

    /**
     * Opens {@code file} as a body.
     *
     * @param file the file to send, whole
     * @return a body the server may send without copying (SPEC S20); it closes it (S17)
     * @throws IOException if the file cannot be opened (the application may answer 404 instead)
     */
    FileBody wrap(Path file) throws IOException;
}
