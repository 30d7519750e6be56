package org.wsgi4j;

import java.lang.reflect.Constructor;
import java.lang.reflect.Field;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.ServiceConfigurationError;
import java.util.ServiceLoader;
import java.util.regex.Pattern;

/**
 * Turns a spec string into an {@link Application}, the way gunicorn takes {@code module:app}.
 * Every host (the servlet's {@code application} init parameter, the server's {@code --mount}) uses
 * this one method, so a spec means the same thing everywhere:
 *
 * <ul>
 *   <li>{@code com.example.App}: a public class implementing {@link Application} with a public
 *       no-argument constructor; one instance is made.</li>
 *   <li>{@code com.example.Apps::hello}: a public static field {@code hello} of type
 *       {@code Application}, or, if there is no such field, a public static no-argument method
 *       {@code hello()} returning one.</li>
 *   <li>{@code scheme:rest}, e.g. {@code python:hello:app}: an application in another language,
 *       loaded by the {@link ApplicationLoader} for {@code scheme} found with
 *       {@link ServiceLoader} on the given class loader ({@code python}: module
 *       {@code wsgi4j-python}). A Java class name never holds a single colon, so the two forms
 *       cannot be confused.</li>
 * </ul>
 *
 * <p>Loading happens once, at start-up; every failure throws {@link IllegalArgumentException}
 * whose message names the spec string and the reason.
 */
public final class Applications {

    /**
     * A scheme (RFC 3986's syntax without the dot, so that {@code com.example.Apps:x} is not taken for
     * one), then one colon that is not the first of {@code ::}.
     */
    private static final Pattern SCHEME = Pattern.compile("([A-Za-z][A-Za-z0-9+-]*):(?!:).*", Pattern.DOTALL);
    /** The artifact that provides each scheme wsgi4j knows of, for the "add this" message. */
    private static final String PYTHON_ARTIFACT = "org.wsgi4j:wsgi4j-python";

    private Applications() {
    }

    /**
     * Loads {@code spec} with the thread's context class loader (or this class's loader).
     *
     * @param spec a class name, {@code Class::member} or {@code scheme:rest}; surrounding whitespace ignored
     * @return the application
     * @throws IllegalArgumentException as {@link #load(String, ClassLoader)}
     */
    public static Application load(String spec) {
        ClassLoader loader = Thread.currentThread().getContextClassLoader();
        return load(spec, loader != null ? loader : Applications.class.getClassLoader());
    }

    /**
     * Loads {@code spec} from {@code classLoader}.
     *
     * @param spec        a class name, {@code Class::member} or {@code scheme:rest}; surrounding whitespace ignored
     * @param classLoader where the class, or the scheme's {@link ApplicationLoader}, is looked up
     * @return the application
     * @throws IllegalArgumentException if the spec is malformed, names no class or member, or names
     *                                  something that is not an {@code Application}
     */
    public static Application load(String spec, ClassLoader classLoader) {
        return load(spec, classLoader, Map.of());
    }

    /**
     * Loads {@code spec} from {@code classLoader}, handing {@code options} to the
     * {@link ApplicationLoader} of a {@code scheme:} spec (class-name specs take none). Hosts pass
     * their settings for loaders here, e.g. the server's {@code --python-path} as {@code python.path}.
     *
     * @param spec        a class name, {@code Class::member} or {@code scheme:rest}; surrounding whitespace ignored
     * @param classLoader where the class, or the scheme's {@link ApplicationLoader}, is looked up
     * @param options     the host's settings for loaders, keyed {@code scheme.name}
     * @return the application
     * @throws IllegalArgumentException as {@link #load(String, ClassLoader)}, or when no loader handles the scheme
     */
    public static Application load(String spec, ClassLoader classLoader, Map<String, String> options) {
        if (spec == null || spec.isBlank()) {
            throw new IllegalArgumentException("application spec '" + spec + "' is empty");
        }
        String trimmed = spec.strip();
        var scheme = SCHEME.matcher(trimmed);
        if (scheme.matches()) {
            return fromLoader(spec, trimmed, scheme.group(1), classLoader, options);
        }
        int sep = trimmed.indexOf("::");
        String className = sep < 0 ? trimmed : trimmed.substring(0, sep);
        String member = sep < 0 ? null : trimmed.substring(sep + 2);
        if (className.isEmpty() || (member != null && member.isEmpty())) {
            throw new IllegalArgumentException("application spec '" + spec
                    + "' must be 'com.example.App' or 'com.example.Apps::member'");
        }
        Class<?> type;
        try {
            type = Class.forName(className, true, classLoader);
        } catch (ExceptionInInitializerError e) {
            // Its own toString() omits the cause, which is the only useful part.
            throw new IllegalArgumentException("application spec '" + spec + "': class '" + className
                    + "' was found but initialising it failed: " + e.getCause(), e.getCause());
        } catch (ClassNotFoundException | LinkageError e) {
            throw new IllegalArgumentException("application spec '" + spec + "': class '" + className
                    + "' cannot be loaded (" + e + ")", e);
        }
        return member == null ? instantiate(spec, type) : fromMember(spec, type, member);
    }

    private static Application fromLoader(String spec, String trimmed, String scheme, ClassLoader classLoader,
                                          Map<String, String> options) {
        List<String> known = new ArrayList<>();
        try {
            for (ApplicationLoader loader : ServiceLoader.load(ApplicationLoader.class, classLoader)) {
                if (loader.scheme().equalsIgnoreCase(scheme)) {
                    Application application = loader.load(trimmed, classLoader, Map.copyOf(options));
                    if (application == null) {
                        throw new IllegalArgumentException("application spec '" + spec + "': "
                                + loader.getClass().getName() + " returned null");
                    }
                    return application;
                }
                known.add(loader.scheme());
            }
        } catch (ServiceConfigurationError e) {
            throw new IllegalArgumentException("application spec '" + spec + "': an ApplicationLoader on the "
                    + "class path cannot be loaded (" + e.getMessage() + ")", e);
        }
        String hint = "python".equalsIgnoreCase(scheme)
                ? "add " + PYTHON_ARTIFACT + " (and its GraalPy dependencies) to the class path"
                : "no module on the class path handles it";
        throw new IllegalArgumentException("application spec '" + spec + "': unknown scheme '" + scheme + ":' ("
                + hint + "; schemes available: " + (known.isEmpty() ? "none" : String.join(", ", known)) + ")");
    }

    private static Application instantiate(String spec, Class<?> type) {
        if (!Application.class.isAssignableFrom(type)) {
            throw new IllegalArgumentException("application spec '" + spec + "': " + type.getName()
                    + " does not implement " + Application.class.getName());
        }
        if (Modifier.isAbstract(type.getModifiers())) {
            throw new IllegalArgumentException("application spec '" + spec + "': " + type.getName()
                    + " is abstract");
        }
        Constructor<?> constructor;
        try {
            constructor = type.getConstructor();
        } catch (NoSuchMethodException e) {
            throw new IllegalArgumentException("application spec '" + spec + "': " + type.getName()
                    + " has no public no-argument constructor", e);
        }
        try {
            return (Application) constructor.newInstance();
        } catch (InvocationTargetException e) {
            throw new IllegalArgumentException("application spec '" + spec + "': constructor of "
                    + type.getName() + " threw " + e.getCause(), e.getCause());
        } catch (ReflectiveOperationException e) {
            throw new IllegalArgumentException("application spec '" + spec + "': cannot instantiate "
                    + type.getName() + " (" + e + ")", e);
        }
    }

    private static Application fromMember(String spec, Class<?> type, String member) {
        Object value;
        try {
            Field field = type.getField(member);
            if (!Modifier.isStatic(field.getModifiers())) {
                throw new IllegalArgumentException("application spec '" + spec + "': field '" + member
                        + "' of " + type.getName() + " is not static");
            }
            value = field.get(null);
        } catch (NoSuchFieldException e) {
            value = invokeFactory(spec, type, member);
        } catch (IllegalAccessException e) {
            throw new IllegalArgumentException("application spec '" + spec + "': field '" + member
                    + "' of " + type.getName() + " is not accessible", e);
        }
        if (value == null) {
            throw new IllegalArgumentException("application spec '" + spec + "': '" + member + "' of "
                    + type.getName() + " is null");
        }
        if (!(value instanceof Application application)) {
            throw new IllegalArgumentException("application spec '" + spec + "': '" + member + "' of "
                    + type.getName() + " is a " + value.getClass().getName() + ", not an "
                    + Application.class.getName());
        }
        return application;
    }

    private static Object invokeFactory(String spec, Class<?> type, String member) {
        Method method;
        try {
            method = type.getMethod(member);
        } catch (NoSuchMethodException e) {
            throw new IllegalArgumentException("application spec '" + spec + "': " + type.getName()
                    + " has no public static field or no-argument method '" + member + "'", e);
        }
        if (!Modifier.isStatic(method.getModifiers())) {
            throw new IllegalArgumentException("application spec '" + spec + "': method '" + member
                    + "()' of " + type.getName() + " is not static");
        }
        try {
            return method.invoke(null);
        } catch (InvocationTargetException e) {
            throw new IllegalArgumentException("application spec '" + spec + "': " + type.getName() + "."
                    + member + "() threw " + e.getCause(), e.getCause());
        } catch (IllegalAccessException e) {
            throw new IllegalArgumentException("application spec '" + spec + "': method '" + member
                    + "()' of " + type.getName() + " is not accessible", e);
        }
    }
}
