package org.wsgi4j.sample;

import com.fasterxml.jackson.core.JacksonException;
import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.io.InputStream;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.wsgi4j.Application;
import org.wsgi4j.Environ;
import org.wsgi4j.Header;
import org.wsgi4j.StartResponse;
import org.wsgi4j.servlet.Mount;

/**
 * A small JSON API over an in-memory store, meant to be mounted at {@code /api/notes}; it works
 * under any mount point because it dispatches on {@code PATH_INFO} and builds {@code Location}
 * from {@code SCRIPT_NAME} (SPEC E2/E3).
 *
 * <table>
 *   <caption>Routes (relative to the mount point)</caption>
 *   <tr><th>request</th><th>answer</th></tr>
 *   <tr><td>{@code GET ""} or {@code GET /}</td><td>200 {@code {"notes": [...]}}, oldest first</td></tr>
 *   <tr><td>{@code POST ""} with {@code {"text": "..."}}</td><td>201, the note, {@code Location: SCRIPT_NAME/id}</td></tr>
 *   <tr><td>{@code GET /{id}}</td><td>200 the note, 404 if there is none</td></tr>
 *   <tr><td>{@code DELETE /{id}}</td><td>204, 404 if there is none</td></tr>
 * </table>
 *
 * <p>Errors are JSON ({@code {"status": 400, "error": "..."}}): 400 for a body that is not a JSON
 * object or whose {@code text} is missing, not a string, blank or longer than
 * {@link Limits#maxTextLength} code points; 404 for an unknown path or id; 405 with {@code Allow}
 * for another method; 411 when the host neither terminates the input nor gives a length; 413 when
 * the body is longer than {@link Limits#maxBodyBytes} (refused from {@code CONTENT_LENGTH} before
 * reading, and by reading at most one byte more than the limit, since a chunked body has no
 * length); 415 unless the {@code Content-Type} is JSON.
 *
 * <p>A full store ({@link Limits#maxNotes}) answers <b>409 Conflict</b>: the client can resolve it
 * by deleting notes, which is what 409 means (RFC 9110 15.5.10). 507 Insufficient Storage would
 * say the server failed, and would show up in every 5xx error-rate alarm for what is a client's
 * own quota.
 *
 * <p>One instance serves concurrent requests; the store is guarded by its own lock, and the check
 * for a full store and the insert happen under it together.
 */
@Mount("/api/notes")
public final class NotesApi implements Application {

    /**
     * The store's bounds.
     *
     * @param maxNotes      how many notes the store holds at most; a create beyond it is a 409
     * @param maxTextLength the longest {@code text}, in Unicode code points; longer is a 400
     * @param maxBodyBytes  the largest request body, in bytes; larger is a 413
     */
    public record Limits(int maxNotes, int maxTextLength, int maxBodyBytes) {

        /** 100 notes of up to 1000 code points, in bodies of up to 8 KiB (room for 1000 escaped characters). */
        public static final Limits DEFAULTS = new Limits(100, 1000, 8192);

        public Limits {
            if (maxNotes < 1 || maxTextLength < 1 || maxBodyBytes < 1) {
                throw new IllegalArgumentException("limits must be positive, were maxNotes=" + maxNotes
                        + ", maxTextLength=" + maxTextLength + ", maxBodyBytes=" + maxBodyBytes);
            }
        }
    }

    /** One note as the API shows it; {@code created} is an ISO-8601 instant. */
    public record Note(long id, String text, String created) {
    }

    private static final Pattern ID = Pattern.compile("/([1-9][0-9]{0,17})");

    private final Limits limits;
    private final Map<Long, Note> notes = new LinkedHashMap<>();
    private long lastId;

    /** With {@link Limits#DEFAULTS}; the constructor a mount uses. */
    public NotesApi() {
        this(Limits.DEFAULTS);
    }

    public NotesApi(Limits limits) {
        this.limits = limits;
    }

    @Override
    public Iterable<byte[]> call(Map<String, Object> environ, StartResponse startResponse) throws Exception {
        String path = Environ.pathInfo(environ);
        String method = Environ.requestMethod(environ);
        if (Responses.atMountPoint(environ)) {
            if (Responses.isRead(method)) {
                return Responses.json(startResponse, Responses.OK, Map.of("notes", list()));
            }
            if (method.equals("POST")) {
                return create(environ, startResponse);
            }
            return Responses.jsonError(startResponse, Responses.METHOD_NOT_ALLOWED,
                    method + " is not allowed on the note list", Responses.allow("GET, HEAD, POST"));
        }
        Matcher match = ID.matcher(path);
        if (!match.matches()) {
            return Responses.jsonError(startResponse, Responses.NOT_FOUND, "no resource at '" + Environ.path(environ) + "'");
        }
        long key = Long.parseLong(match.group(1));
        if (Responses.isRead(method)) {
            Optional<Note> note = find(key);
            return note.isPresent()
                    ? Responses.json(startResponse, Responses.OK, note.get())
                    : Responses.jsonError(startResponse, Responses.NOT_FOUND, "no note " + key);
        }
        if (method.equals("DELETE")) {
            if (!remove(key)) {
                return Responses.jsonError(startResponse, Responses.NOT_FOUND, "no note " + key);
            }
            startResponse.start(Responses.NO_CONTENT, List.of());
            return List.of();
        }
        return Responses.jsonError(startResponse, Responses.METHOD_NOT_ALLOWED,
                method + " is not allowed on a note", Responses.allow("GET, HEAD, DELETE"));
    }

    private Iterable<byte[]> create(Map<String, Object> environ, StartResponse startResponse) throws IOException {
        String contentType = Environ.header(environ, "Content-Type").orElse("");
        if (!isJson(contentType)) {
            return Responses.jsonError(startResponse, Responses.UNSUPPORTED_MEDIA_TYPE,
                    "Content-Type must be application/json, was '" + contentType + "'");
        }
        OptionalLong declared = Environ.contentLength(environ);
        if (declared.isPresent() && declared.getAsLong() > limits.maxBodyBytes()) {
            return tooLarge(startResponse);
        }
        Optional<InputStream> input = RequestBodies.open(environ);
        if (input.isEmpty()) {
            return Responses.jsonError(startResponse, Responses.LENGTH_REQUIRED, "the request body has no known length");
        }
        byte[] body = input.get().readNBytes(limits.maxBodyBytes() + 1);
        if (body.length > limits.maxBodyBytes()) {
            return tooLarge(startResponse);
        }
        String text;
        try {
            text = text(Responses.JSON.readTree(body));
        } catch (JacksonException e) {
            return Responses.jsonError(startResponse, Responses.BAD_REQUEST, "the body is not valid JSON: "
                    + e.getOriginalMessage());
        } catch (IllegalArgumentException e) {
            return Responses.jsonError(startResponse, Responses.BAD_REQUEST, e.getMessage());
        }
        Optional<Note> note = add(text);
        if (note.isEmpty()) {
            return Responses.jsonError(startResponse, Responses.CONFLICT, "the store is full ("
                    + limits.maxNotes() + " notes); delete one first");
        }
        String location = Urls.encodePath(Environ.scriptName(environ) + "/" + note.get().id());
        return Responses.json(startResponse, Responses.CREATED, note.get(), new Header("Location", location));
    }

    private Iterable<byte[]> tooLarge(StartResponse startResponse) throws IOException {
        return Responses.jsonError(startResponse, Responses.CONTENT_TOO_LARGE,
                "the body is larger than " + limits.maxBodyBytes() + " bytes");
    }

    /** The validated {@code text} of a create request; the exception message is the 400's. */
    private String text(JsonNode body) {
        if (body == null || !body.isObject()) {
            throw new IllegalArgumentException("the body must be a JSON object like {\"text\": \"...\"}");
        }
        JsonNode text = body.get("text");
        if (text == null || text.isNull()) {
            throw new IllegalArgumentException("'text' is missing");
        }
        if (!text.isTextual()) {
            throw new IllegalArgumentException("'text' must be a string, was " + text.getNodeType().toString().toLowerCase(Locale.ROOT));
        }
        String value = text.textValue();
        if (value.isBlank()) {
            throw new IllegalArgumentException("'text' is blank");
        }
        int length = value.codePointCount(0, value.length());
        if (length > limits.maxTextLength()) {
            throw new IllegalArgumentException("'text' is " + length + " characters long, the limit is "
                    + limits.maxTextLength());
        }
        return value;
    }

    /** {@code application/json} or a {@code +json} type, with any parameters (RFC 6839). */
    private static boolean isJson(String contentType) {
        String type = contentType.split(";", 2)[0].strip().toLowerCase(Locale.ROOT);
        return type.equals("application/json") || (type.startsWith("application/") && type.endsWith("+json"));
    }

    private synchronized List<Note> list() {
        return new ArrayList<>(notes.values());
    }

    private synchronized Optional<Note> find(long id) {
        return Optional.ofNullable(notes.get(id));
    }

    private synchronized Optional<Note> add(String text) {
        if (notes.size() >= limits.maxNotes()) {
            return Optional.empty();
        }
        Note note = new Note(++lastId, text, Instant.now().toString());
        notes.put(note.id(), note);
        return Optional.of(note);
    }

    private synchronized boolean remove(long id) {
        return notes.remove(id) != null;
    }
}
