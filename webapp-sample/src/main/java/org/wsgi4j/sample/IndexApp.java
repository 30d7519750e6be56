package org.wsgi4j.sample;

import java.util.List;
import java.util.Map;
import org.wsgi4j.Application;
import org.wsgi4j.Environ;
import org.wsgi4j.StartResponse;
import org.wsgi4j.servlet.Mount;

/**
 * The sample's home page, meant to be mounted at {@code /}, the root of the WAR: an HTML page that
 * links to the other sample applications.
 *
 * <p>Mounted at the root, its {@code SCRIPT_NAME} is the deployment's context path (SPEC E2), so
 * every link is that context plus the documented mount point of the target ({@code /inspect},
 * {@code /api/notes}, {@code /stream/}, {@code /upload}, {@code /files/}); the page works
 * unchanged at {@code /} and at {@code /wsgi4j-sample}. As the root mount it also receives every
 * path nothing else claims: it serves {@code PATH_INFO} {@code ""} and {@code "/"} and answers
 * {@code 404} for the rest, and {@code 405} for methods other than GET and HEAD.
 */
@Mount("/")
public final class IndexApp implements Application {

    private record Link(String path, String title, String what) {
    }

    private static final List<Link> LINKS = List.of(
            new Link("/inspect", "Inspect", "how this request reached the application (HTML, or JSON with ?format=json)"),
            new Link("/api/notes", "Notes API", "a JSON API: GET the list, POST {\"text\": \"...\"}, GET/DELETE /api/notes/{id}"),
            new Link("/stream/", "Stream", "server-sent events arriving one by one"),
            new Link("/upload", "Upload", "stream a file of any size; the server answers its length and SHA-256"),
            new Link("/files/", "Files", "bundled files sent through wsgi.file_wrapper"));

    @Override
    public Iterable<byte[]> call(Map<String, Object> environ, StartResponse startResponse) throws Exception {
        if (!Responses.atMountPoint(environ)) {
            return Responses.text(startResponse, Responses.NOT_FOUND, "no page at '" + Environ.path(environ) + "'\n");
        }
        if (!Responses.isRead(Environ.requestMethod(environ))) {
            return Responses.text(startResponse, Responses.METHOD_NOT_ALLOWED, "the index answers GET and HEAD\n",
                    Responses.allow("GET, HEAD"));
        }
        String context = Environ.scriptName(environ);
        StringBuilder body = new StringBuilder("<p>A WAR made of plain wsgi4j applications. Context path: <code>")
                .append(Html.escape(context.isEmpty() ? "(root)" : context)).append("</code></p>\n<ul>\n");
        for (Link link : LINKS) {
            body.append("<li><a href=\"").append(Html.escape(Urls.encodePath(context + link.path()))).append("\">")
                    .append(Html.escape(link.title())).append("</a>: ").append(Html.escape(link.what()))
                    .append("</li>\n");
        }
        body.append("</ul>\n");
        return Responses.html(startResponse, Responses.OK, Html.page("wsgi4j sample", body.toString()));
    }
}
