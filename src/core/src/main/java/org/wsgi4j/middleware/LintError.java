package org.wsgi4j.middleware;

import java.util.Objects;

/**
 * A hard violation of the wsgi4j contract found by {@link Lint}: by the application (an {@code A*}
 * rule), or by the server or middleware above it (an {@code E*} or {@code S*} rule).
 *
 * <p>It is an {@link AssertionError}, as in Python's {@code wsgiref.validate}, on purpose: a
 * violation is a bug in the code under test, not a condition to recover from. Applications that
 * catch {@code Exception} to render an error page (and call {@code start} again with
 * {@code excInfo}) do not swallow it, and test frameworks report it as a failed assertion. Servers
 * that catch {@code Throwable} at their error choke point still answer 500 or abort as for any
 * other error (S15, S16).
 *
 * <p>The message starts with the rule id ({@code "A2: status '200' must be ..."}), which
 * {@link #rule()} returns on its own.
 */
public final class LintError extends AssertionError {

    /** The serialized form's version. */
    private static final long serialVersionUID = 1L;

    /** The SPEC.md rule id, e.g. {@code "A2"}. */
    private final String rule;

    /**
     * A violation of {@code rule}; the message becomes {@code rule + ": " + message}.
     *
     * @param rule    the SPEC.md rule id, e.g. {@code "A2"}
     * @param message what broke it, naming the offending value
     */
    public LintError(String rule, String message) {
        super(Objects.requireNonNull(rule, "rule") + ": " + message);
        this.rule = rule;
    }

    /**
     * The SPEC.md rule id this violation breaks.
     *
     * @return the id, e.g. {@code "A2"}
     */
    public String rule() {
        return rule;
    }
}
