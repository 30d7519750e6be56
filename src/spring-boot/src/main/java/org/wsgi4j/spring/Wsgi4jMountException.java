package org.wsgi4j.spring;

/**
 * A mount or {@code wsgi4j.*} setting the starter cannot serve; stops the start. The message names the beans and properties
 * involved; {@link #action()} says what to change. Boot reports both through
 * {@link Wsgi4jMountFailureAnalyzer} ("APPLICATION FAILED TO START").
 */
public class Wsgi4jMountException extends IllegalStateException {

    private static final long serialVersionUID = 1L;

    private final String action;

    Wsgi4jMountException(String description, String action) {
        this(description, action, null);
    }

    Wsgi4jMountException(String description, String action, Throwable cause) {
        super("wsgi4j: " + description, cause);
        this.action = action;
    }

    /** What to change so that the application starts. */
    public String action() {
        return action;
    }
}
