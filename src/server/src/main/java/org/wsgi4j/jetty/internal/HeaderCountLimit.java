package org.wsgi4j.jetty.internal;

import org.eclipse.jetty.http.HttpStatus;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;

/**
 * Answers 431 to an HTTP request with more header fields than the limit
 * ({@code --limit-request-fields}); Jetty limits the headers' total size only. Each field line
 * counts, so a header repeated on several lines counts as many.
 */
public final class HeaderCountLimit extends Handler.Wrapper {

    private final int maxFields;

    public HeaderCountLimit(int maxFields, Handler handler) {
        super(handler);
        this.maxFields = maxFields;
    }

    @Override
    public boolean handle(Request request, Response response, Callback callback) throws Exception {
        int fields = request.getHeaders().size();
        if (fields > maxFields) {
            Response.writeError(request, response, callback, HttpStatus.REQUEST_HEADER_FIELDS_TOO_LARGE_431,
                    fields + " header fields, more than the limit of " + maxFields + " (--limit-request-fields)");
            return true;
        }
        return super.handle(request, response, callback);
    }
}
