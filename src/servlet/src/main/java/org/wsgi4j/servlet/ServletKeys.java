package org.wsgi4j.servlet;

/**
 * The environ keys the servlet bridge adds beyond SPEC section 2 (the {@code wsgi4j.*} server
 * extensions), for applications that need the container.
 */
public final class ServletKeys {

    /**
     * The {@code jakarta.servlet.http.HttpServletRequest} of this request. Reading its parameters
     * ({@code getParameter*}) consumes a form body that {@code wsgi.input} would then not see.
     */
    public static final String REQUEST = "wsgi4j.servlet.request";

    /**
     * The {@code jakarta.servlet.http.HttpServletResponse} of this request. Writing to it directly
     * bypasses every rule of SPEC section 4; use with care.
     */
    public static final String RESPONSE = "wsgi4j.servlet.response";

    private ServletKeys() {
    }
}
