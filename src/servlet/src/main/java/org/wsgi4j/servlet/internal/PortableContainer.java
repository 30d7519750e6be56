package org.wsgi4j.servlet.internal;

import jakarta.servlet.ServletOutputStream;
import jakarta.servlet.http.HttpServletRequest;
import java.io.IOException;
import org.wsgi4j.FileBody;
import org.wsgi4j.servlet.ResponseAbortedException;

/** Any other container: files go as blocks, an abort is a plain {@link ResponseAbortedException}. */
final class PortableContainer implements Container {

    @Override
    public boolean sendFile(HttpServletRequest request, ServletOutputStream out, FileBody body) {
        return false;
    }

    @Override
    public IOException aborted(Throwable cause) {
        return new ResponseAbortedException(cause);
    }
}
