/**
 * Middleware that ships with wsgi4j: each class is an {@link org.wsgi4j.Application} that wraps or
 * routes to others.
 *
 * <ul>
 *   <li>{@link org.wsgi4j.middleware.UrlMap} serves several applications under path prefixes,
 *       shifting {@code SCRIPT_NAME} and {@code PATH_INFO} (SPEC.md M1-M5); hosts build one from
 *       their {@code --mount} options.</li>
 *   <li>{@link org.wsgi4j.middleware.Lint} checks both sides of every call against SPEC.md and
 *       throws {@link org.wsgi4j.middleware.LintError} naming the broken rule; use it in tests and
 *       during development.</li>
 * </ul>
 */
package org.wsgi4j.middleware;
