package org.wsgi4j.jetty;

import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.net.MalformedURLException;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.stream.Collectors;
import org.wsgi4j.Application;
import org.wsgi4j.Applications;

/**
 * The {@code wsgi4j-server} command line, in the spirit of uWSGI:
 *
 * <pre>
 * java -jar wsgi4j-server.jar --http :8080 --mount /=com.example.App --mount /api=com.example.Api::app --classpath app.jar
 * </pre>
 *
 * <p>Every setting of the {@link Settings} table is a flag, a {@code WSGI4J_*} environment variable
 * and a key of the {@code --config} file. On SIGTERM (or SIGINT) the server stops accepting on
 * every listener at once, answers 503 on {@code /health}, lets requests in flight finish within
 * {@code --graceful-timeout}, and exits.
 *
 * <p>Exit status: 0 after a clean stop (SIGTERM included), 1 when the server cannot start (a port
 * in use, an application failing to initialise), 2 for a bad setting (the message names it and its
 * source).
 */
public final class Main {

    private Main() {
    }

    /**
     * Runs the server until it is stopped, then halts the JVM with the exit status: 0 after a clean stop, 1
     * when the server cannot start, 2 for a bad setting.
     *
     * @param args the command line: flags as {@code --help} lists them
     */
    public static void main(String[] args) {
        // Jetty's INFO lines (versions, handler states) bury the server's own; -Dorg.eclipse.jetty.LEVEL=INFO brings them back.
        if (System.getProperty("org.eclipse.jetty.LEVEL") == null) {
            System.setProperty("org.eclipse.jetty.LEVEL", "WARN");
        }
        int status = run(args, System.getenv(), System.out, System.err);
        // A SIGTERM runs the shutdown hook, which stops the server and lets join() return; halting
        // with the status here keeps the JVM's 143 from replacing our 0.
        Runtime.getRuntime().halt(status);
    }

    /** Runs the command line; returns the exit status once the server has stopped (or failed). */
    static int run(String[] args, Map<String, String> environment, PrintStream out, PrintStream err) {
        Wsgi4jServer server;
        try {
            SettingSources.Result read = SettingSources.read(args, environment);
            if (read.action() == SettingSources.Action.HELP) {
                out.print(help());
                return 0;
            }
            if (read.action() == SettingSources.Action.VERSION) {
                out.println("wsgi4j-server " + version());
                return 0;
            }
            List<String> notes = new ArrayList<>();
            server = build(read.settings(), notes).build();
            notes.forEach(err::println);
        } catch (SettingSources.UsageException e) {
            err.println("wsgi4j-server: " + e.getMessage());
            err.println("Try 'wsgi4j-server --help'.");
            return 2;
        } catch (IllegalArgumentException | IllegalStateException e) {
            err.println("wsgi4j-server: " + e.getMessage());
            return 2;
        }
        try {
            server.start();
        } catch (Exception e) {
            err.println("wsgi4j-server: cannot start: " + e.getMessage());
            return 1;
        }
        Thread main = Thread.currentThread();
        Thread hook = new Thread(() -> {
            try {
                server.stop();
                main.join();
            } catch (Exception e) {
                err.println("wsgi4j-server: stop failed: " + e);
            }
        }, "wsgi4j-shutdown");
        Runtime.getRuntime().addShutdownHook(hook);
        for (String listener : server.listeners()) {
            err.println("wsgi4j-server " + version() + ": listening on " + listener);
        }
        try {
            server.join();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return 0;
    }

    /**
     * Turns the settings into a builder: checks their combination ({@link ServerConfig#check}) before
     * anything is loaded, then loads the {@code --mount} applications from {@code --classpath}, or
     * mounts the demo application when nothing is mounted.
     *
     * @param notes receives the lines to print once the server is built (what is deployed and mounted)
     * @throws SettingSources.UsageException when a mount cannot be loaded
     * @throws IllegalArgumentException naming the settings of a bad combination
     */
    static Wsgi4jServer.Builder build(Settings settings, List<String> notes) throws SettingSources.UsageException {
        List<Settings.MountSpec> mounts = settings.get(Settings.MOUNT);
        boolean demo = mounts.isEmpty() && settings.get(Settings.WAR).isEmpty();
        ServerConfig.check(settings, demo ? List.of("/") : mounts.stream().map(Settings.MountSpec::prefix).toList());
        ClassLoader loader = classLoader(settings.get(Settings.CLASSPATH));
        Wsgi4jServer.Builder builder = Wsgi4jServer.builder().settings(settings);
        for (Settings.War war : settings.get(Settings.WAR)) {
            notes.add("wsgi4j-server: deploying " + war.path() + " at " + war.contextPath());
        }
        if (demo) {
            notes.add("wsgi4j-server: no --mount or --war given; serving the demo application at /");
            builder.mount("/", new DemoApp());
        }
        Thread thread = Thread.currentThread();
        ClassLoader previous = thread.getContextClassLoader();
        thread.setContextClassLoader(loader);
        try {
            for (Settings.MountSpec mount : mounts) {
                Application app;
                try {
                    app = Applications.load(mount.spec(), loader, loaderOptions(settings));
                } catch (IllegalArgumentException e) {
                    throw new SettingSources.UsageException("--mount " + mount.prefix() + "=" + mount.spec() + ": "
                            + e.getMessage());
                }
                builder.mount(mount.prefix(), app);
                notes.add("wsgi4j-server: mounted " + mount.spec() + " at " + mount.prefix());
            }
        } finally {
            thread.setContextClassLoader(previous);
        }
        return builder;
    }

    /** The settings that {@code scheme:} mounts read ({@link org.wsgi4j.ApplicationLoader}), e.g. python.path. */
    static Map<String, String> loaderOptions(Settings settings) {
        Map<String, String> options = new HashMap<>();
        List<Path> pythonPath = settings.get(Settings.PYTHON_PATH);
        if (!pythonPath.isEmpty()) {
            options.put("python.path", pythonPath.stream().map(path -> path.toAbsolutePath().toString())
                    .collect(Collectors.joining(File.pathSeparator)));
        }
        options.put("python.jit", Boolean.toString(settings.get(Settings.PYTHON_JIT)));
        return options;
    }

    private static ClassLoader classLoader(List<Path> classpath) throws SettingSources.UsageException {
        if (classpath.isEmpty()) {
            return Main.class.getClassLoader();
        }
        URL[] urls = new URL[classpath.size()];
        for (int i = 0; i < urls.length; i++) {
            try {
                urls[i] = classpath.get(i).toUri().toURL();
            } catch (MalformedURLException e) {
                throw new SettingSources.UsageException("--classpath: '" + classpath.get(i) + "' is not a usable path");
            }
        }
        return new URLClassLoader("wsgi4j-applications", urls, Main.class.getClassLoader());
    }

    static String help() {
        StringBuilder text = new StringBuilder("""
                Usage: java -jar wsgi4j-server.jar [SETTING]...
                Serves WSGI applications over HTTP, HTTPS and the uwsgi protocol; at least one listener \
                (--http, --https, --uwsgi).
                Each setting is also an environment variable (WSGI4J_THREADS=8) and a key of the --config file \
                (threads = 8); a flag wins over the environment, which wins over the file.

                """);
        for (Setting<?> setting : Settings.ALL) {
            String left = setting.flag() + (setting.isSwitch() ? "" : " " + setting.metavar());
            String unit = setting.unit().isEmpty() ? "" : " " + setting.unit();
            String defaultText = Character.isDigit(setting.defaultText().charAt(0))
                    ? setting.defaultText() + unit : setting.defaultText();
            text.append(String.format("  %-30s %s%s (default: %s)%n", left, setting.doc(),
                    setting.isRepeatable() ? "; repeatable" : "", defaultText));
            for (String alias : setting.aliases()) {
                text.append(String.format("  %-30s the same as %s%n", alias, setting.flag()));
            }
        }
        text.append(String.format("  %-30s %s%n", "--help", "print this help and exit"));
        text.append(String.format("  %-30s %s%n", "--version", "print the version and exit"));
        return text.toString();
    }

    static String version() {
        try (InputStream in = Main.class.getResourceAsStream("version.properties")) {
            Properties properties = new Properties();
            if (in != null) {
                properties.load(in);
            }
            return properties.getProperty("version", "unknown");
        } catch (IOException e) {
            return "unknown";
        }
    }
}
