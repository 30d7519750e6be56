package org.wsgi4j.tomcat;

import jakarta.servlet.http.HttpServletRequest;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import org.wsgi4j.Application;
import org.wsgi4j.Header;
import org.wsgi4j.StartResponse;
import org.wsgi4j.servlet.Mount;
import org.wsgi4j.servlet.ServletKeys;

/**
 * Answers {@code sendfile=true} when the container offers Tomcat's sendfile for this request (the
 * request attribute {@code org.apache.tomcat.sendfile.support}), else {@code sendfile=false}. The
 * integration tests ask it first, so that an intact file body proves the bridge's sendfile path
 * and not its copying fallback (SPEC S20).
 */
@Mount("/sendfile-support")
public final class SendfileSupport implements Application {

    @Override
    public Iterable<byte[]> call(Map<String, Object> environ, StartResponse startResponse) {
        HttpServletRequest request = (HttpServletRequest) environ.get(ServletKeys.REQUEST);
        boolean supported = Boolean.TRUE.equals(request.getAttribute("org.apache.tomcat.sendfile.support"));
        startResponse.start("200 OK", List.of(new Header("Content-Type", "text/plain")));
        return List.of(("sendfile=" + supported + "\n").getBytes(StandardCharsets.US_ASCII));
    }
}
