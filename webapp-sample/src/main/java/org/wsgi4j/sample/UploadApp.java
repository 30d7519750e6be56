package org.wsgi4j.sample;

import java.io.InputStream;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import org.wsgi4j.Application;
import org.wsgi4j.Environ;
import org.wsgi4j.StartResponse;
import org.wsgi4j.servlet.Mount;

/**
 * Streams a request body of any size, meant to be mounted at {@code /upload}: the check that large
 * and chunked uploads pass through every layer intact.
 *
 * <ul>
 *   <li>{@code POST} or {@code PUT} ({@code curl -T file} streams with PUT), at {@code ""} or
 *       {@code /}: reads {@code wsgi.input} to its end through one
 *       {@value #BUFFER_SIZE}-byte buffer (the body is never held in memory, whatever its size)
 *       and answers JSON: {@code bytes} received, their {@code sha256} (hex), the
 *       {@code declared_length} ({@code CONTENT_LENGTH}, {@code null} for a chunked body) and the
 *       {@code content_type}. Compare with {@code sha256sum} on the client.</li>
 *   <li>{@code GET}: a small HTML form that sends a chosen file with {@code fetch} and shows the
 *       answer.</li>
 * </ul>
 *
 * <p>Reading to end-of-stream relies on {@code wsgi.input_terminated} (SPEC E11); on a host without
 * it the body is read up to {@code CONTENT_LENGTH}, and without either the answer is 411. Other
 * paths are 404, other methods 405. An I/O error while reading (the client went away) escapes to
 * the server, which handles it (S15, S18).
 */
@Mount("/upload")
public final class UploadApp implements Application {

    static final int BUFFER_SIZE = 64 * 1024;

    @Override
    public Iterable<byte[]> call(Map<String, Object> environ, StartResponse startResponse) throws Exception {
        if (!Responses.atMountPoint(environ)) {
            return Responses.jsonError(startResponse, Responses.NOT_FOUND, "no resource at '" + Environ.path(environ) + "'");
        }
        String method = Environ.requestMethod(environ);
        if (Responses.isRead(method)) {
            return Responses.html(startResponse, Responses.OK, page(environ));
        }
        if (!method.equals("POST") && !method.equals("PUT")) {
            return Responses.jsonError(startResponse, Responses.METHOD_NOT_ALLOWED, method + " is not allowed here",
                    Responses.allow("GET, HEAD, POST, PUT"));
        }
        Optional<InputStream> input = RequestBodies.open(environ);
        if (input.isEmpty()) {
            return Responses.jsonError(startResponse, Responses.LENGTH_REQUIRED, "the request body has no known length");
        }
        MessageDigest sha256 = MessageDigest.getInstance("SHA-256");
        byte[] buffer = new byte[BUFFER_SIZE];
        long total = 0;
        for (int n; (n = input.get().read(buffer)) >= 0; ) {
            sha256.update(buffer, 0, n);
            total += n;
        }
        Map<String, Object> result = new LinkedHashMap<>();
        result.put("bytes", total);
        result.put("sha256", HexFormat.of().formatHex(sha256.digest()));
        OptionalLong declared = Environ.contentLength(environ);
        result.put("declared_length", declared.isPresent() ? Long.valueOf(declared.getAsLong()) : null);
        result.put("content_type", Environ.header(environ, "Content-Type").orElse(null));
        return Responses.json(startResponse, Responses.OK, result);
    }

    private static String page(Map<String, Object> environ) {
        String target = Urls.encodePath(Environ.scriptName(environ));
        String body = "<p>Choose a file of any size; it is streamed to <code>POST " + Html.escape(target)
                + "</code>, which answers its length and SHA-256 without keeping it. From a shell, "
                + "<code>curl -T big.iso URL</code> streams a file (with PUT), and "
                + "<code>curl -T - URL &lt; big.iso</code> sends it chunked.</p>\n"
                + "<form id=\"upload\" data-target=\"" + Html.escape(target) + "\">\n"
                + "<input type=\"file\" id=\"file\" required> <button>Upload</button>\n</form>\n"
                + "<pre id=\"result\" class=\"muted\">no upload yet</pre>\n"
                + "<script>\n"
                + "const form = document.getElementById('upload'), result = document.getElementById('result');\n"
                + "form.addEventListener('submit', async e => {\n"
                + "  e.preventDefault();\n"
                + "  const file = document.getElementById('file').files[0];\n"
                + "  result.textContent = 'sending ' + file.size + ' bytes...';\n"
                + "  try {\n"
                + "    const response = await fetch(form.dataset.target, { method: 'POST', body: file });\n"
                + "    result.textContent = response.status + ' ' + (await response.text()) + '\\nsent: ' + file.size + ' bytes';\n"
                + "  } catch (err) { result.textContent = 'failed: ' + err; }\n"
                + "});\n"
                + "</script>\n";
        return Html.page("Upload", body);
    }
}
