package org.wsgi4j.middleware;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Collections;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.wsgi4j.Application;
import org.wsgi4j.Environ;
import org.wsgi4j.Header;
import org.wsgi4j.StartResponse;

/**
 * Serves several applications under path prefixes, as uWSGI's {@code --mount} and Rack's
 * {@code URLMap} do (SPEC.md section 5, rules M1-M5).
 *
 * <pre>{@code
 * Application site = UrlMap.builder()
 *         .mount("/api", api)
 *         .mount("/", home)
 *         .build();
 * }</pre>
 *
 * <p>For each request the longest prefix that matches the decoded {@code PATH_INFO} at a
 * {@code /} boundary wins (M2, M3): {@code /api} serves {@code /api}, {@code /api/} and
 * {@code /api/x}, never {@code /apix}. The matched prefix moves from {@code PATH_INFO} to the end
 * of {@code SCRIPT_NAME} (M4), so an application mounted under a servlet context {@code /ctx} at
 * {@code /api} sees {@code SCRIPT_NAME} {@code /ctx/api}. The root mount {@code "/"} gets the
 * environ unchanged. Without a match and without a root mount the answer is {@code 404 Not Found}
 * (M5).
 *
 * <p>Instances are immutable and thread-safe; a bad or duplicate prefix is refused by
 * {@link Builder#mount} with an {@link IllegalArgumentException} naming it (M1).
 */
public final class UrlMap implements Application {

    /** Cloned per response: blocks are plain arrays that middleware further out could change. */
    private static final byte[] NOT_FOUND = "Not Found\n".getBytes(StandardCharsets.US_ASCII);
    private static final List<Header> NOT_FOUND_HEADERS = List.of(
            new Header("Content-Type", "text/plain; charset=utf-8"),
            new Header("Content-Length", Integer.toString(NOT_FOUND.length)));

    /** Non-root prefixes, longest first, so the first match is the longest one (M3). */
    private final String[] prefixes;
    private final Application[] applications;
    private final Application root;
    private final List<String> mounted;

    private UrlMap(Map<String, Application> mounts) {
        String[] sorted = mounts.keySet().stream()
                .filter(prefix -> !prefix.equals("/"))
                .sorted(Comparator.comparingInt(String::length).reversed().thenComparing(Comparator.naturalOrder()))
                .toArray(String[]::new);
        this.prefixes = sorted;
        this.applications = Arrays.stream(sorted).map(mounts::get).toArray(Application[]::new);
        this.root = mounts.get("/");
        this.mounted = List.copyOf(mounts.keySet());
    }

    /**
     * A builder; add mounts with {@link Builder#mount} and finish with {@link Builder#build}.
     *
     * @return an empty builder
     */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * A mount of every entry of {@code mounts} (prefix to application), as hosts read them from
     * their configuration ({@code --mount /api=com.example.Api}).
     *
     * @param mounts prefix to application, in the order the map iterates
     * @return the mount
     * @throws IllegalArgumentException if a prefix breaks M1
     */
    public static UrlMap of(Map<String, ? extends Application> mounts) {
        Builder builder = builder();
        mounts.forEach(builder::mount);
        return builder.build();
    }

    /**
     * Checks M1, for every host that takes prefixes (the server's {@code --mount}, {@code @Mount} in
     * a WAR), so a prefix means the same everywhere.
     *
     * @param prefix the prefix to check
     * @return {@code prefix}
     * @throws IllegalArgumentException naming the prefix if it is not {@code "/"}, or a path that
     *                                  starts with {@code /} and does not end with one
     */
    public static String checkPrefix(String prefix) {
        Objects.requireNonNull(prefix, "prefix");
        if (!prefix.equals("/") && (!prefix.startsWith("/") || prefix.endsWith("/"))) {
            throw new IllegalArgumentException("M1: mount prefix '" + prefix
                    + "' must be '/' or start with '/' and not end with '/'");
        }
        return prefix;
    }

    /**
     * The mounted prefixes in the order they were added, {@code "/"} included; for hosts to log.
     *
     * @return an immutable list
     */
    public List<String> prefixes() {
        return mounted;
    }

    @Override
    public Iterable<byte[]> call(Map<String, Object> environ, StartResponse startResponse) throws Exception {
        // Plain instanceof rather than Environ's Optional accessors: this runs on every request.
        String path = environ.get(Environ.PATH_INFO) instanceof String value ? value : "";
        for (int i = 0; i < prefixes.length; i++) {
            String prefix = prefixes[i];
            String rest = Environ.pathBelow(prefix, path);
            if (rest != null) {
                String scriptName = environ.get(Environ.SCRIPT_NAME) instanceof String value ? value : "";
                environ.put(Environ.SCRIPT_NAME, scriptName.concat(prefix));
                environ.put(Environ.PATH_INFO, rest);
                return applications[i].call(environ, startResponse);
            }
        }
        if (root != null) {
            return root.call(environ, startResponse);
        }
        startResponse.start("404 Not Found", NOT_FOUND_HEADERS);
        return List.of(NOT_FOUND.clone());
    }

    @Override
    public String toString() {
        return "UrlMap" + mounted;
    }

    /**
     * Collects prefixes and applications for a {@link UrlMap}. Not thread-safe; each
     * {@link #build()} takes a snapshot, so a builder may be reused.
     */
    public static final class Builder {

        private final Map<String, Application> mounts = new LinkedHashMap<>();

        private Builder() {
        }

        /**
         * Serves {@code application} under {@code prefix}.
         *
         * @param prefix {@code "/"} for the root, otherwise a path that starts with {@code /} and
         *               does not end with {@code /}, e.g. {@code "/api"}
         * @param application what serves requests under {@code prefix}
         * @return this builder
         * @throws IllegalArgumentException if the prefix breaks M1 or is already mounted
         */
        public Builder mount(String prefix, Application application) {
            checkPrefix(prefix);
            Objects.requireNonNull(application, () -> "application for prefix '" + prefix + "'");
            if (mounts.putIfAbsent(prefix, application) != null) {
                throw new IllegalArgumentException("mount prefix '" + prefix + "' is mounted twice");
            }
            return this;
        }

        /**
         * The mount; with no prefixes it answers 404 to everything.
         *
         * @return an immutable mount of what was added so far
         */
        public UrlMap build() {
            return new UrlMap(Collections.unmodifiableMap(new LinkedHashMap<>(mounts)));
        }
    }
}
