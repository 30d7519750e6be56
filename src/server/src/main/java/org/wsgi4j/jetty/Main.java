package org.wsgi4j.jetty;

import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.net.MalformedURLException;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import org.wsgi4j.Application;
import org.wsgi4j.Applications;

/**
 * The {@code wsgi4j-server} command line, in the spirit of uWSGI:
 *
 * <pre>
 * java -jar wsgi4j-server.jar --http :8080 --mount /=com.example.App --mount /api=com.example.Api::app --classpath app.jar
 * </pre>
 *
 * <p>Exit status: 0 after a clean stop, 1 when the server cannot start, 2 for a bad flag (the
 * message names it).
 */
public final class Main {

    /** The flags: one table drives the parser and {@code --help} (and the README's table). */
    enum Flag {
        HTTP("--http", "[HOST]:PORT", "listen for HTTP on HOST (default: every interface) and PORT"),
        UWSGI("--uwsgi", "ADDRESS", "listen for the uwsgi protocol (nginx uwsgi_pass) on HOST:PORT or unix:/PATH; "
                + "repeatable; serves the --mount applications"),
        UWSGI_ALLOW("--uwsgi-allow", "CIDRS", "TCP peers allowed on the uwsgi port, comma-separated "
                + "(default 127.0.0.0/8,::1/128): a uwsgi peer can claim any REMOTE_ADDR or HTTPS"),
        MOUNT("--mount", "PREFIX=SPEC", "serve the application SPEC (com.example.App or com.example.Apps::member) "
                + "under PREFIX; repeatable; without any, the demo application is mounted at /"),
        WAR("--war", "[CONTEXT=]PATH", "deploy the web application PATH (a .war file or a directory) at CONTEXT "
                + "(default /); repeatable; its @Mount applications register as in Tomcat"),
        CLASSPATH("--classpath", "PATHS", "jars and class directories holding the applications, separated by '"
                + File.pathSeparator + "' or ','; loaded in their own class loader"),
        THREADS("--threads", "N", "the most request threads (default " + ServerConfig.DEFAULT_MAX_THREADS + ")"),
        VIRTUAL_THREADS("--virtual-threads", null, "run requests on virtual threads (Java 21 or later)"),
        DEBUG("--debug", null, "show stack traces in 500 answers (never in production)"),
        HELP("--help", null, "print this help and exit"),
        VERSION("--version", null, "print the version and exit");

        final String name;
        final String argument;
        final String help;

        Flag(String name, String argument, String help) {
            this.name = name;
            this.argument = argument;
            this.help = help;
        }

        static Flag of(String name) {
            for (Flag flag : values()) {
                if (flag.name.equals(name)) {
                    return flag;
                }
            }
            return null;
        }
    }

    /** A bad command line; the message names the flag. */
    static final class UsageException extends Exception {
        private static final long serialVersionUID = 1L;

        UsageException(String message) {
            super(message);
        }
    }

    /** What the command line asked for. */
    record Options(String host, int port, List<String> uwsgi, List<String> uwsgiAllow, List<String[]> mounts, List<String[]> wars, List<Path> classpath, int threads,
                   boolean virtualThreads, boolean debug, boolean help, boolean version) {
    }

    private Main() {
    }

    public static void main(String[] args) {
        int status = run(args, System.out, System.err);
        if (status != 0) {
            System.exit(status);
        }
    }

    /** Runs the command line; returns the exit status once the server has stopped (or failed). */
    static int run(String[] args, PrintStream out, PrintStream err) {
        Options options;
        Wsgi4jServer server;
        try {
            options = parse(args);
            if (options.help()) {
                out.print(help());
                return 0;
            }
            if (options.version()) {
                out.println("wsgi4j-server " + version());
                return 0;
            }
            server = build(options, err).build();
        } catch (UsageException e) {
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
            err.println("wsgi4j-server: cannot start: " + e);
            return 1;
        }
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            try {
                server.stop();
            } catch (Exception e) {
                err.println("wsgi4j-server: stop failed: " + e);
            }
        }, "wsgi4j-shutdown"));
        if (options.port() >= 0) {
            err.println("wsgi4j-server " + version() + ": listening on http://"
                    + (options.host() == null ? "0.0.0.0" : options.host()) + ":" + server.port());
        }
        server.uwsgiListeners().forEach(listener ->
                err.println("wsgi4j-server " + version() + ": listening for uwsgi on " + listener.address()));
        try {
            server.join();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return 0;
    }

    static Options parse(String[] args) throws UsageException {
        String host = null;
        int port = -1;
        List<String> uwsgi = new ArrayList<>();
        List<String> uwsgiAllow = new ArrayList<>();
        List<String[]> mounts = new ArrayList<>();
        List<String[]> wars = new ArrayList<>();
        List<Path> classpath = new ArrayList<>();
        int threads = ServerConfig.DEFAULT_MAX_THREADS;
        boolean virtualThreads = false;
        boolean debug = false;
        boolean help = false;
        boolean version = false;
        for (int i = 0; i < args.length; i++) {
            String arg = args[i];
            String value = null;
            int eq = arg.indexOf('=');
            if (arg.startsWith("--") && eq > 0 && Flag.of(arg.substring(0, eq)) != null) {
                value = arg.substring(eq + 1);
                arg = arg.substring(0, eq);
            }
            Flag flag = Flag.of(arg);
            if (flag == null) {
                throw new UsageException("unknown option '" + args[i] + "'");
            }
            if (flag.argument != null && value == null) {
                if (i + 1 >= args.length) {
                    throw new UsageException(flag.name + " needs " + flag.argument);
                }
                value = args[++i];
            } else if (flag.argument == null && value != null) {
                throw new UsageException(flag.name + " takes no value");
            }
            switch (flag) {
                case HTTP -> {
                    int colon = value.lastIndexOf(':');
                    if (colon < 0) {
                        throw new UsageException("--http '" + value + "' must be [HOST]:PORT, e.g. :8080");
                    }
                    host = colon == 0 ? null : value.substring(0, colon);
                    port = number(flag, value.substring(colon + 1), 0, 65535);
                }
                case UWSGI -> {
                    if (!value.startsWith("unix:") && value.lastIndexOf(':') <= 0) {
                        throw new UsageException("--uwsgi '" + value + "' must be HOST:PORT or unix:/PATH");
                    }
                    if (!value.startsWith("unix:")) {
                        number(flag, value.substring(value.lastIndexOf(':') + 1), 0, 65535);
                    }
                    uwsgi.add(value);
                }
                case UWSGI_ALLOW -> {
                    for (String cidr : value.split(",")) {
                        if (!cidr.isBlank()) {
                            uwsgiAllow.add(cidr.strip());
                        }
                    }
                }
                case MOUNT -> {
                    int sep = value.indexOf('=');
                    if (sep <= 0 || sep == value.length() - 1) {
                        throw new UsageException("--mount '" + value + "' must be PREFIX=SPEC, e.g. /=com.example.App");
                    }
                    mounts.add(new String[] {value.substring(0, sep), value.substring(sep + 1)});
                }
                case WAR -> {
                    int sep = value.indexOf('=');
                    String context = sep > 0 && value.startsWith("/") ? value.substring(0, sep) : "/";
                    String path = sep > 0 && value.startsWith("/") ? value.substring(sep + 1) : value;
                    wars.add(new String[] {context, path});
                }
                case CLASSPATH -> {
                    for (String entry : value.split("[" + File.pathSeparator + ",]")) {
                        if (entry.isBlank()) {
                            continue;
                        }
                        Path path = Path.of(entry);
                        if (!Files.exists(path)) {
                            throw new UsageException("--classpath: '" + entry + "' does not exist");
                        }
                        classpath.add(path);
                    }
                }
                case THREADS -> threads = number(flag, value, 2, 100_000);
                case VIRTUAL_THREADS -> virtualThreads = true;
                case DEBUG -> debug = true;
                case HELP -> help = true;
                case VERSION -> version = true;
            }
        }
        if (port < 0 && uwsgi.isEmpty() && !help && !version) {
            throw new UsageException("--http or --uwsgi is required, e.g. --http :8080");
        }
        return new Options(host, port, uwsgi, uwsgiAllow, mounts, wars, classpath, threads, virtualThreads, debug, help, version);
    }

    private static int number(Flag flag, String text, int min, int max) throws UsageException {
        try {
            int n = Integer.parseInt(text);
            if (n >= min && n <= max) {
                return n;
            }
        } catch (NumberFormatException e) {
            // reported below with the range
        }
        throw new UsageException(flag.name + " '" + text + "' must be a number from " + min + " to " + max);
    }

    static Wsgi4jServer.Builder build(Options options, PrintStream err) throws UsageException {
        ClassLoader loader = classLoader(options.classpath());
        Wsgi4jServer.Builder builder = Wsgi4jServer.builder()
                .threads(options.threads())
                .virtualThreads(options.virtualThreads())
                .debug(options.debug());
        if (options.port() >= 0) {
            builder.http(options.host(), options.port());
        }
        for (String address : options.uwsgi()) {
            if (address.startsWith("unix:")) {
                builder.uwsgi(Path.of(address.substring("unix:".length())));
            } else {
                int colon = address.lastIndexOf(':');
                builder.uwsgi(address.substring(0, colon), Integer.parseInt(address.substring(colon + 1)));
            }
        }
        if (!options.uwsgiAllow().isEmpty()) {
            builder.uwsgiAllow(options.uwsgiAllow());
        }
        for (String[] war : options.wars()) {
            builder.war(war[0], Path.of(war[1]));
            err.println("wsgi4j-server: deploying " + war[1] + " at " + war[0]);
        }
        if (options.mounts().isEmpty() && options.wars().isEmpty()) {
            err.println("wsgi4j-server: no --mount or --war given; serving the demo application at /");
            builder.mount("/", new DemoApp());
        }
        Thread thread = Thread.currentThread();
        ClassLoader previous = thread.getContextClassLoader();
        thread.setContextClassLoader(loader);
        try {
            for (String[] mount : options.mounts()) {
                Application app;
                try {
                    app = Applications.load(mount[1], loader);
                } catch (IllegalArgumentException e) {
                    throw new UsageException("--mount " + mount[0] + "=" + mount[1] + ": " + e.getMessage());
                }
                builder.mount(mount[0], app);
                err.println("wsgi4j-server: mounted " + mount[1] + " at " + mount[0]);
            }
        } finally {
            thread.setContextClassLoader(previous);
        }
        return builder;
    }

    private static ClassLoader classLoader(List<Path> classpath) throws UsageException {
        if (classpath.isEmpty()) {
            return Main.class.getClassLoader();
        }
        URL[] urls = new URL[classpath.size()];
        for (int i = 0; i < urls.length; i++) {
            try {
                urls[i] = classpath.get(i).toUri().toURL();
            } catch (MalformedURLException e) {
                throw new UsageException("--classpath: '" + classpath.get(i) + "' is not a usable path");
            }
        }
        return new URLClassLoader("wsgi4j-applications", urls, Main.class.getClassLoader());
    }

    static String help() {
        StringBuilder text = new StringBuilder("Usage: java -jar wsgi4j-server.jar --http [HOST]:PORT [options]\n\n");
        for (Flag flag : Flag.values()) {
            String left = flag.name + (flag.argument == null ? "" : " " + flag.argument);
            text.append(String.format("  %-24s %s%n", left, flag.help));
        }
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
