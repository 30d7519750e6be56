package org.wsgi4j;

import java.util.Map;

/**
 * Loads applications written in another language, for {@link Applications#load} specs of the form
 * {@code scheme:rest} ({@code python:hello:app}). Implementations live in their own modules (for
 * {@code python}: {@code wsgi4j-python}) and are found with {@link java.util.ServiceLoader} on the
 * class loader given to {@code Applications.load}, so {@code wsgi4j-core} depends on none of them.
 *
 * <p>A provider is registered in {@code META-INF/services/org.wsgi4j.ApplicationLoader} and needs a
 * public no-argument constructor. Providers are asked once per spec, at start-up.
 */
public interface ApplicationLoader {

    /**
     * The scheme this loader handles, without the colon: letters, digits, {@code +} or
     * {@code -}, starting with a letter (RFC 3986's scheme syntax without the dot, which would make it
     * look like a class name), e.g. {@code "python"}; compared ignoring case.
     *
     * @return the scheme
     */
    String scheme();

    /**
     * Loads the application named by {@code spec}.
     *
     * @param spec        the whole spec, scheme included ({@code "python:hello:app"}), stripped of
     *                    surrounding whitespace
     * @param classLoader the class loader {@code Applications.load} was given; where the loader looks
     *                    for the application's resources
     * @param options     the host's settings for loaders, keyed {@code scheme.name}
     *                    ({@code python.path}); a loader reads its own and ignores the others
     * @return the application; never {@code null}
     * @throws IllegalArgumentException if the application cannot be loaded or an option of this scheme
     *                                  is wrong; the message names the spec and the reason
     */
    Application load(String spec, ClassLoader classLoader, Map<String, String> options);
}
