package org.wsgi4j.python;

import java.io.ByteArrayInputStream;
import java.io.File;
import java.io.InputStream;
import java.io.OutputStreamWriter;
import java.io.PrintWriter;
import java.lang.System.Logger;
import java.lang.System.Logger.Level;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Properties;
import java.util.function.Consumer;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.graalvm.polyglot.Context;
import org.graalvm.polyglot.Engine;
import org.graalvm.polyglot.HostAccess;
import org.graalvm.polyglot.PolyglotException;
import org.graalvm.polyglot.io.IOAccess;
import org.graalvm.python.embedding.GraalPyResources;
import org.graalvm.python.embedding.VirtualFileSystem;
import org.wsgi4j.Application;
import org.wsgi4j.Bodies;
import org.wsgi4j.Environ;
import org.wsgi4j.FileBody;
import org.wsgi4j.Header;
import org.wsgi4j.StartResponse;
import org.wsgi4j.python.internal.ContextPool;
import org.wsgi4j.python.internal.Gateway;
import org.wsgi4j.python.internal.Worker;

/**
 * A Python WSGI application (PEP 3333), Flask or any other, run in-process by GraalPy and served
 * as an ordinary {@link Application} by every wsgi4j host.
 *
 * <pre>{@code
 * PythonApplication app = PythonApplication.builder("hello:app")   // module:callable, like gunicorn
 *         .pythonPath(Path.of("/srv/app"), Path.of("/srv/site-packages"))
 *         .build();                                                // imports it now, in every context
 * }</pre>
 *
 * <p><b>Contexts.</b> Python code runs one thread at a time per interpreter, so the application is
 * imported into a pool of GraalPy contexts ({@link Builder#contexts}) sharing one {@code Engine}
 * (parsed code is shared between them). Each request takes a context for itself until its body is
 * closed; a request that finds every context busy waits up to the {@code contextWait} setting and
 * is then answered {@code 503 Service Unavailable} with {@code Retry-After}. All contexts are
 * created and the application imported when {@link Builder#build()} returns, so the first request
 * pays nothing; the first import runs alone (it fails fast on a broken application and warms the
 * engine), the others in parallel.
 *
 * <p><b>The border</b> (PEP 3333, exactly): environ values are {@code str} holding bytes as latin-1
 * characters; {@code SCRIPT_NAME} and {@code PATH_INFO}, which wsgi4j gives decoded (SPEC S22),
 * are re-encoded to UTF-8 bytes first, so a Python app sees what it would see under gunicorn.
 * {@code wsgi.version} is {@code (1, 0)}; {@code wsgi.input} is a file object over the request's
 * {@code InputStream} ({@code read(n)}, {@code read()}, {@code readline(size)}, {@code readlines},
 * iteration; read as asked, never copied whole); {@code wsgi.errors} writes to the host's log;
 * {@code wsgi.file_wrapper} bodies over a regular file become a {@link FileBody}, so the host's
 * zero-copy path sends them (S20). {@code start_response(status, headers, exc_info)} maps onto
 * {@link StartResponse} with PEP 3333's {@code exc_info} rule (after the headers went out it
 * re-raises the application's exception). The body is iterated lazily as the host asks for blocks,
 * and its {@code close()} is called once.
 *
 * <p><b>Errors.</b> A Python exception is written with its traceback to {@code wsgi.errors} and
 * reaches the host as a {@link PythonException} (500 before commit, an aborted response after).
 * An application that cannot be imported, calls {@code sys.exit()} while importing, or lacks the
 * callable stops {@link Builder#build()} with an {@link IllegalArgumentException} naming the module
 * and callable.
 *
 * <p>Close the application to free its contexts and engine. Thread-safe.
 */
public final class PythonApplication implements Application, AutoCloseable {

    /** Default of {@link Builder#contextWait}: how long a request waits for a free context. */
    public static final Duration DEFAULT_CONTEXT_WAIT = Duration.ofSeconds(10);
    /** The most contexts one application may have; each holds a whole interpreter (tens of MiB). */
    public static final int MAX_CONTEXTS = 256;
    /** GraalPy's resource folder for Python sources packed in a jar or WAR ({@code .../src}). */
    public static final String RESOURCE_DIRECTORY = "org.graalvm.python.vfs";

    private static final Logger LOG = System.getLogger(PythonApplication.class.getName());
    /** Truffle's name for its runtime without a compiler ({@code Engine#getImplementationName()}). */
    private static final String INTERPRETED = "Interpreted";
    /** The GraalPy (and so the compiler) version this module was built with. */
    private static final String GRAALPY_VERSION = graalPyVersion();
    /** How the gateway's {@code StartFailure} (one sentence) reads in a PolyglotException's message. */
    private static final String START_FAILURE = "StartFailure: ";
    private static final Pattern DOTTED = Pattern.compile("[A-Za-z_][A-Za-z0-9_]*(\\.[A-Za-z_][A-Za-z0-9_]*)*");

    private final String name;
    private final Engine engine;
    private final ContextPool pool;
    private final Duration contextWait;

    private PythonApplication(String name, Engine engine, ContextPool pool, Duration contextWait) {
        this.name = name;
        this.engine = engine;
        this.pool = pool;
        this.contextWait = contextWait;
    }

    /**
     * Starts a builder for the application {@code spec}: {@code module:callable} as gunicorn takes it
     * ({@code hello:app}, {@code pkg.site:create_app.wsgi}), or {@code module} alone for the callable
     * {@code application} (mod_wsgi's default).
     *
     * @param spec {@code module:callable} or {@code module}
     * @return a builder with the defaults: no extra Python path, one context per processor,
     *     {@link #DEFAULT_CONTEXT_WAIT}, the interpreter allowed
     * @throws IllegalArgumentException if the spec is not dotted Python names around one colon
     */
    public static Builder builder(String spec) {
        return new Builder(spec);
    }

    /**
     * The application's name, for logs and messages.
     *
     * @return {@code module:callable}, with {@code :application} added when {@link #builder} was given
     *     a module alone
     */
    public String name() {
        return name;
    }

    /**
     * How many contexts (interpreters) serve this application.
     *
     * @return the number set by {@link Builder#contexts(int)}, 1 to {@value #MAX_CONTEXTS}
     */
    public int contexts() {
        return pool.size();
    }

    /**
     * Serves one request in a free context (PEP 3333 at the border, see the class comment). Every
     * context busy for longer than the {@code contextWait} setting: {@code 503 Service Unavailable}.
     */
    @Override
    public Iterable<byte[]> call(Map<String, Object> environ, StartResponse startResponse) throws Exception {
        Worker worker = pool.acquire(contextWait);
        if (worker == null) {
            startResponse.start("503 Service Unavailable", List.of(
                    new Header("Content-Type", "text/plain; charset=utf-8"),
                    new Header("Retry-After", "1")));
            return Bodies.utf8("503 Service Unavailable: all " + pool.size() + " Python contexts of '" + name
                    + "' stayed busy for " + contextWait.toMillis() + " ms\n");
        }
        return Gateway.call(worker, pool, environ, input(environ), errors(environ), startResponse);
    }

    /** Closes every context and the engine; requests still running are cancelled. */
    @Override
    public void close() {
        pool.close();
        engine.close(true);
    }

    @Override
    public String toString() {
        return "PythonApplication[" + name + ", " + pool.size() + " contexts]";
    }

    private static String graalPyVersion() {
        Properties build = new Properties();
        try (InputStream in = PythonApplication.class.getResourceAsStream("build.properties")) {
            if (in != null) {
                build.load(in);
            }
        } catch (java.io.IOException e) {
            // Only a message uses it.
        }
        return build.getProperty("graalpy.version", "<the GraalPy version>");
    }

    private static InputStream input(Map<String, Object> environ) {
        return environ.get(Environ.WSGI_INPUT) instanceof InputStream in ? in : new ByteArrayInputStream(new byte[0]);
    }

    private static PrintWriter errors(Map<String, Object> environ) {
        return environ.get(Environ.WSGI_ERRORS) instanceof PrintWriter w ? w
                : new PrintWriter(new OutputStreamWriter(System.err, StandardCharsets.UTF_8), true);
    }

    /** The settings of one {@link PythonApplication}; {@link #build()} imports it. */
    public static final class Builder {

        private final String spec;
        private final String module;
        private final String callable;
        private final List<Path> pythonPath = new ArrayList<>();
        private Class<?> resourceLoadingClass;
        private int contexts = Runtime.getRuntime().availableProcessors();
        private Duration contextWait = DEFAULT_CONTEXT_WAIT;
        private Consumer<Context.Builder> contextCustomizer = builder -> { };
        private boolean requireCompiler;

        private Builder(String spec) {
            Objects.requireNonNull(spec, "spec");
            String trimmed = spec.strip();
            int colon = trimmed.indexOf(':');
            this.module = colon < 0 ? trimmed : trimmed.substring(0, colon);
            this.callable = colon < 0 ? "application" : trimmed.substring(colon + 1);
            if (!DOTTED.matcher(module).matches() || !DOTTED.matcher(callable).matches()) {
                throw new IllegalArgumentException("Python application '" + spec
                        + "' must be 'module:callable' (dotted Python names, e.g. 'hello:app') or 'module'");
            }
            this.spec = module + ":" + callable;
        }

        /**
         * Folders searched for modules, in order, before the standard library (Python's
         * {@code sys.path}, like {@code PYTHONPATH}): the application's folder, a folder of
         * packages (Flask and its dependencies), ...
         *
         * @param folders directories, made absolute; added after those of earlier calls
         * @return this builder
         * @throws IllegalArgumentException if one is not a directory
         */
        public Builder pythonPath(Path... folders) {
            for (Path folder : folders) {
                if (!Files.isDirectory(folder)) {
                    throw new IllegalArgumentException("Python path entry '" + folder + "' of '" + spec
                            + "' is not a directory");
                }
                pythonPath.add(folder.toAbsolutePath().normalize());
            }
            return this;
        }

        /**
         * Python sources packed as resources, read through GraalPy's virtual file system: the
         * folder {@value #RESOURCE_DIRECTORY}{@code /src} seen by {@code resourceLoadingClass}'s class
         * loader (in a WAR: {@code WEB-INF/classes/org.graalvm.python.vfs/src}), listed in
         * {@value #RESOURCE_DIRECTORY}{@code /fileslist.txt} (the graalpy-maven-plugin writes it; one
         * {@code /org.graalvm.python.vfs/...} path per line, folders ending in {@code /}). It comes
         * first on the Python path; host folders from {@link #pythonPath} are still readable.
         *
         * @param resourceLoadingClass a class whose class loader sees the resources
         * @return this builder
         * @throws NullPointerException if {@code resourceLoadingClass} is null
         */
        public Builder resources(Class<?> resourceLoadingClass) {
            this.resourceLoadingClass = Objects.requireNonNull(resourceLoadingClass, "resourceLoadingClass");
            return this;
        }

        /**
         * How many contexts (interpreters) serve requests at once; default: the number of
         * processors, since a context runs on one core at a time and each one costs its own import
         * of the application (seconds for Flask without the JIT) and its own heap. 1 to
         * {@value #MAX_CONTEXTS}.
         *
         * @param contexts the number of contexts
         * @return this builder
         * @throws IllegalArgumentException if {@code contexts} is under 1 or over {@value #MAX_CONTEXTS}
         */
        public Builder contexts(int contexts) {
            if (contexts < 1 || contexts > MAX_CONTEXTS) {
                throw new IllegalArgumentException("'contexts' of '" + spec + "' must be 1 to " + MAX_CONTEXTS
                        + ", was " + contexts);
            }
            this.contexts = contexts;
            return this;
        }

        /**
         * How long a request waits for a free context before it is answered 503; default
         * {@link #DEFAULT_CONTEXT_WAIT}; zero answers 503 at once when every context is busy.
         *
         * @param wait the longest wait
         * @return this builder
         * @throws IllegalArgumentException if {@code wait} is null or negative
         */
        public Builder contextWait(Duration wait) {
            if (wait == null || wait.isNegative()) {
                throw new IllegalArgumentException("'contextWait' of '" + spec + "' must be zero or more, was " + wait);
            }
            this.contextWait = wait;
            return this;
        }

        /**
         * With {@code true}, {@link #build()} refuses to start when GraalPy would run without its JIT
         * compiler (the JVM was started without the Graal compiler on the upgrade module path, see the
         * README), instead of starting ten times slower. Default {@code false}: the interpreter is
         * used where the JIT is not available.
         *
         * @param requireCompiler whether running interpreted stops {@link #build()}
         * @return this builder
         */
        public Builder requireCompiler(boolean requireCompiler) {
            this.requireCompiler = requireCompiler;
            return this;
        }

        /**
         * Last word on every context's settings (GraalPy options, I/O, host access): called for each
         * context after wsgi4j's own settings, before the application is imported.
         *
         * @param customizer receives each context's builder
         * @return this builder
         * @throws NullPointerException if {@code customizer} is null
         */
        public Builder contextCustomizer(Consumer<Context.Builder> customizer) {
            this.contextCustomizer = Objects.requireNonNull(customizer, "customizer");
            return this;
        }

        /**
         * Creates the engine and the contexts and imports the application into each.
         *
         * @return the application, ready to serve; {@link PythonApplication#close()} releases it
         * @throws IllegalArgumentException naming the module and callable when the import fails, calls
         *                                  {@code sys.exit()}, or the callable is missing or not callable
         * @throws IllegalStateException    when {@link #requireCompiler} is set and the JVM cannot compile
         */
        public PythonApplication build() {
            long started = System.nanoTime();
            Engine engine = Engine.newBuilder("python").build();
            if (requireCompiler && INTERPRETED.equals(engine.getImplementationName())) {
                engine.close();
                throw new IllegalStateException("Python application '" + spec + "' requires the JIT, but this JVM ("
                        + System.getProperty("java.vm.name") + " " + Runtime.version() + ") runs GraalPy interpreted: "
                        + "start it on a JDK with JVMCI (21 or later) with -XX:+UnlockExperimentalVMOptions "
                        + "-XX:+EnableJVMCI --upgrade-module-path=<org.graalvm.compiler:compiler:" + GRAALPY_VERSION
                        + " and its truffle-compiler, collections and word jars>");
            }
            ContextPool pool;
            try {
                pool = ContextPool.start(contexts, () -> startWorker(engine), this::startFailure);
            } catch (RuntimeException | Error e) {
                engine.close(true);
                throw e;
            }
            LOG.log(Level.INFO, () -> "Python application '" + spec + "': " + contexts + " contexts of GraalPy (Python "
                    + engine.getLanguages().get("python").getVersion() + ", " + engine.getImplementationName()
                    + ") ready in " + Duration.ofNanos(System.nanoTime() - started).toMillis() + " ms");
            return new PythonApplication(spec, engine, pool, contextWait);
        }

        private Worker startWorker(Engine engine) {
            Context.Builder builder;
            String path = pythonPath.stream().map(Path::toString).collect(Collectors.joining(File.pathSeparator));
            if (resourceLoadingClass != null) {
                VirtualFileSystem vfs = VirtualFileSystem.newBuilder()
                        .resourceDirectory(RESOURCE_DIRECTORY)
                        .resourceLoadingClass(resourceLoadingClass)
                        .build();
                String src = vfs.getMountPoint() + File.separator + "src";
                builder = GraalPyResources.contextBuilder(vfs)
                        .option("python.PythonPath", path.isEmpty() ? src : src + File.pathSeparator + path);
            } else {
                builder = Context.newBuilder("python")
                        .allowIO(IOAccess.ALL)
                        .allowCreateThread(true)
                        .option("python.PythonPath", path)
                        .option("python.PosixModuleBackend", "java")
                        .option("python.DontWriteBytecodeFlag", "true")
                        .option("python.CheckHashPycsMode", "never");
            }
            builder.engine(engine)
                    .allowHostAccess(HostAccess.ALL)
                    // C extensions need GraalPy's native layer; Flask's are optional (MarkupSafe falls back).
                    .allowNativeAccess(false);
            contextCustomizer.accept(builder);
            return Worker.start(builder.build(), module, callable);
        }

        private RuntimeException startFailure(RuntimeException e) {
            String prefix = "Python application '" + spec + "': ";
            if (!(e instanceof PolyglotException p)) {
                return new IllegalArgumentException(prefix + "cannot start a context: " + e, e);
            }
            if (p.isExit()) {
                return new IllegalArgumentException(prefix + "importing module '" + module + "' called sys.exit("
                        + p.getExitStatus() + ")", p);
            }
            String where = "\nPython path: " + (resourceLoadingClass != null ? RESOURCE_DIRECTORY + "/src (resources)" : "")
                    + (resourceLoadingClass != null && !pythonPath.isEmpty() ? ", " : "")
                    + pythonPath.stream().map(Path::toString).collect(Collectors.joining(", "));
            String message = p.getMessage() == null ? "" : p.getMessage();
            if (p.isGuestException() && message.startsWith(START_FAILURE)) {
                return new IllegalArgumentException(prefix + message.substring(START_FAILURE.length())
                        + (message.contains("importing module") && !message.contains("sys.exit(") ? where : ""), p);
            }
            return new IllegalArgumentException(prefix + "starting it failed: " + message + where, p);
        }
    }
}
