package org.wsgi4j.spring;

import java.util.List;
import org.springframework.util.ClassUtils;

/**
 * The few Boot classes the tests need whose package differs between Boot 4.0 and 3.5 (the tests
 * compile against both lines); found by name, so each line's run uses its own.
 */
final class BootLine {

    private BootLine() {
    }

    static Class<?> dispatcherServletAutoConfiguration() {
        return first("org.springframework.boot.webmvc.autoconfigure.DispatcherServletAutoConfiguration",
                "org.springframework.boot.autoconfigure.web.servlet.DispatcherServletAutoConfiguration");
    }

    private static Class<?> first(String... names) {
        ClassLoader loader = BootLine.class.getClassLoader();
        for (String name : names) {
            if (ClassUtils.isPresent(name, loader)) {
                return ClassUtils.resolveClassName(name, loader);
            }
        }
        throw new IllegalStateException("none of " + List.of(names) + " is on the class path");
    }
}
