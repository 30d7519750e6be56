package org.wsgi4j.conformance;

import java.util.Objects;

/**
 * One place where a {@link Host} serves the {@link Probes}, with the {@code SCRIPT_NAME} and
 * {@code PATH_INFO} the application must see there (SPEC E2, E3).
 *
 * <ul>
 *   <li>A <b>prefix</b> mount serves every path below {@code url} (a servlet path mapping
 *       {@code /probe/*}, a default mapping {@code /}, a uwsgi location): a request for
 *       {@code url + p} must see {@code SCRIPT_NAME = scriptName} and {@code PATH_INFO} = the
 *       decoded {@code p}. Probes are reached this way.</li>
 *   <li>An <b>exact</b> mount serves the one path {@code url} (an exact servlet mapping
 *       {@code /exact}, an extension mapping {@code *.x}, a prefix mapping's bare {@code /probe}):
 *       it must see exactly {@code scriptName} and {@code pathInfo}. The probes answer the environ
 *       there.</li>
 * </ul>
 *
 * @param description how the host mounted it, for test names ({@code "path mapping /probe/* in /ctx"})
 * @param url         the raw, percent-encoded request path of the mount ({@code ""} for the root)
 * @param scriptName  the expected decoded {@code SCRIPT_NAME}
 * @param pathInfo    the expected decoded {@code PATH_INFO} of an exact mount; null for a prefix mount
 */
public record HostMount(String description, String url, String scriptName, String pathInfo) {

    /**
     * Checks the mount.
     *
     * @param description how the host mounted it, for test names
     * @param url the raw, percent-encoded request path of the mount
     * @param scriptName the expected decoded {@code SCRIPT_NAME}
     * @param pathInfo the expected decoded {@code PATH_INFO} of an exact mount; null for a prefix mount
     * @throws NullPointerException if {@code description}, {@code url} or {@code scriptName} is {@code null}
     * @throws IllegalArgumentException if {@code url} is not empty and does not start with {@code /}, or a prefix mount's ends with {@code /}
     */
    public HostMount {
        Objects.requireNonNull(description, "description");
        Objects.requireNonNull(url, "url");
        Objects.requireNonNull(scriptName, "scriptName");
        if (!url.isEmpty() && !url.startsWith("/")) {
            throw new IllegalArgumentException("mount url '" + url + "' must be empty or start with '/'");
        }
        if (pathInfo == null && url.endsWith("/")) {
            throw new IllegalArgumentException("prefix mount url '" + url + "' must not end with '/'");
        }
    }

    /**
     * Every path below {@code urlPrefix} reaches the probes, with {@code SCRIPT_NAME = scriptName}.
     *
     * @param description how the host mounted it, for test names
     * @param urlPrefix the raw, percent-encoded request path of the mount ({@code ""} for the root)
     * @param scriptName the expected decoded {@code SCRIPT_NAME}
     * @return the mount
     */
    public static HostMount prefix(String description, String urlPrefix, String scriptName) {
        return new HostMount(description, urlPrefix, scriptName, null);
    }

    /**
     * Only {@code url} reaches the probes, with exactly this {@code SCRIPT_NAME} and {@code PATH_INFO}.
     *
     * @param description how the host mounted it, for test names
     * @param url the raw, percent-encoded request path of the mount
     * @param scriptName the expected decoded {@code SCRIPT_NAME}
     * @param pathInfo the expected decoded {@code PATH_INFO}
     * @return the mount
     */
    public static HostMount exact(String description, String url, String scriptName, String pathInfo) {
        return new HostMount(description, url, scriptName, Objects.requireNonNull(pathInfo, "pathInfo"));
    }

    /**
     * Whether every path below {@link #url()} reaches the probes.
     *
     * @return true for a prefix mount, false for an exact one
     */
    public boolean isPrefix() {
        return pathInfo == null;
    }

    /**
     * The request target for {@code rawPath} (percent-encoded, with any query) below a prefix mount.
     *
     * @param rawPath the percent-encoded path below the mount, with any query
     * @return {@link #url()} followed by {@code rawPath}
     * @throws IllegalStateException for an exact mount
     */
    public String target(String rawPath) {
        if (!isPrefix()) {
            throw new IllegalStateException("exact mount '" + description + "' serves only '" + url + "'");
        }
        return url + rawPath;
    }

    @Override
    public String toString() {
        return description;
    }
}
