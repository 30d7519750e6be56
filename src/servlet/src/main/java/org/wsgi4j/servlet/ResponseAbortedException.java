package org.wsgi4j.servlet;

import java.io.IOException;
import java.io.Serial;

/**
 * Thrown out of {@link GatewayServlet#service} when a committed response had to be cut short
 * (SPEC S12, S16). Containers answer an exception after commit by closing the connection without
 * completing the response, which is what makes the failure visible to the client. The cause has
 * already been logged by the response engine. On Tomcat the servlet throws it wrapped in Tomcat's
 * {@code org.apache.coyote.CloseNowException}, which Tomcat closes the connection for without
 * logging it a second time.
 */
public final class ResponseAbortedException extends IOException {

    @Serial
    private static final long serialVersionUID = 1L;

    /**
     * An abort for {@code cause}.
     *
     * @param cause the failure the engine logged: the application's exception (S16) or the S12 shortfall
     */
    public ResponseAbortedException(Throwable cause) {
        super("response aborted after commit: " + cause, cause);
    }
}
