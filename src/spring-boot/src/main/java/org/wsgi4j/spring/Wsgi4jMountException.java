package org.wsgi4j.spring;

/**
 * A mount or {@code wsgi4j.*} setting the starter cannot serve; stops the start. The message names the beans and properties
 * involved; {@link #action()} says what to change. Boot reports both through
 * {@link Wsgi4jMountFailureAnalyzer} ("APPLICATION FAILED TO START").
 */
public class Wsgi4jMountException extends IllegalStateException {

    /** Serial form version. */
    private static final long serialVersionUID = 1L;

    /** What to change so that the application starts. */
    private final String action;

    Wsgi4jMountException(String description, String action) {
        this(description, action, null);
    }

    Wsgi4jMountException(String description, String action, Throwable cause) {
        super("wsgi4j: " + description, cause);
        this.action = action;
    }

    /**
     * What to change so that the application starts; Boot prints it under "Action".
     *
     * @return one sentence naming the bean or property to change
     */
    public String action() {
        return action;
    }
}
