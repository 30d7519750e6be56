package org.wsgi4j.jetty;

import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.IdentityHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.TreeMap;
import java.util.regex.Pattern;

/**
 * Reads the {@link Settings} from the three sources a person uses, strongest first: the command
 * line, the environment ({@code WSGI4J_*}), a properties file ({@code --config FILE}). A bad value
 * is reported with its source, the way the person wrote it: {@code WSGI4J_THREADS=abc: not a number},
 * {@code --threads=abc: not a number}, {@code /etc/wsgi4j.properties: threads=abc: not a number}.
 */
final class SettingSources {

    /**
     * What Kubernetes injects for a Service named {@code wsgi4j} or {@code wsgi4j-...} (service
     * links): {@code WSGI4J_SERVICE_HOST}, {@code WSGI4J_SERVER_PORT_8080_TCP_ADDR}... Never a
     * setting, so not refused as an unknown one.
     */
    private static final Pattern KUBERNETES_SERVICE_LINK = Pattern.compile(
            "WSGI4J(_[A-Z0-9_]+)?_(SERVICE_HOST|SERVICE_PORT(_[A-Z0-9_]+)?|PORT(_[0-9]+_(TCP|UDP|SCTP)(_PROTO|_PORT|_ADDR)?)?)");

    /** A bad command line, environment or file; the message names the source and the setting. */
    static final class UsageException extends Exception {
        private static final long serialVersionUID = 1L;

        UsageException(String message) {
            super(message);
        }
    }

    /** The command line's words that are not settings. */
    enum Action { SERVE, HELP, VERSION }

    /** What the sources say: the settings, and whether the command line asked for help or the version. */
    record Result(Settings settings, Action action) {
    }

    /** A value one source gives, and where it was written (a repeatable setting's every occurrence, joined by {@code ", "}). */
    private record Given(Object value, String where) {
    }

    private SettingSources() {
    }

    /**
     * Reads the command line, then the environment, then the file the one or the other names.
     *
     * @param args        the command line
     * @param environment the process environment (only {@code WSGI4J_*} variables are read)
     * @throws UsageException naming the source and the setting of the first bad value
     */
    static Result read(String[] args, Map<String, String> environment) throws UsageException {
        Action action = Action.SERVE;
        Map<Setting<?>, Given> cli = new IdentityHashMap<>();
        for (int i = 0; i < args.length; i++) {
            String arg = args[i];
            if (arg.equals("--help") || arg.equals("-h")) {
                action = Action.HELP;
                continue;
            }
            if (arg.equals("--version")) {
                action = action == Action.HELP ? action : Action.VERSION;
                continue;
            }
            if (!arg.startsWith("--")) {
                throw new UsageException("unexpected argument '" + arg + "': settings are flags, e.g. --http :8080");
            }
            int eq = arg.indexOf('=');
            String name = arg.substring(2, eq < 0 ? arg.length() : eq);
            String value = eq < 0 ? null : arg.substring(eq + 1);
            Setting<?> setting = Settings.byName(name);
            if (setting == null && name.startsWith("no-") && value == null) {
                Setting<?> negated = Settings.byName(name.substring(3));
                if (negated != null && negated.isSwitch()) {
                    put(cli, negated, "false", "--" + name);
                    continue;
                }
            }
            if (setting == null) {
                throw new UsageException("unknown option '" + (eq < 0 ? arg : arg.substring(0, eq)) + "'");
            }
            if (setting.isSwitch()) {
                put(cli, setting, value == null ? "true" : value, arg);
                continue;
            }
            if (value == null) {
                if (i + 1 >= args.length) {
                    throw new UsageException("--" + name + " needs " + setting.metavar());
                }
                value = args[++i];
            }
            put(cli, setting, value, "--" + name + "=" + value);
        }

        Map<Setting<?>, Given> env = new IdentityHashMap<>();
        for (Map.Entry<String, String> variable : new TreeMap<>(environment).entrySet()) {
            if (!variable.getKey().startsWith("WSGI4J_") || KUBERNETES_SERVICE_LINK.matcher(variable.getKey()).matches()) {
                continue;
            }
            Setting<?> setting = byVariable(variable.getKey());
            String where = variable.getKey() + "=" + variable.getValue();
            if (setting == null) {
                throw new UsageException(where + ": no such setting (see --help for the WSGI4J_* variables)");
            }
            put(env, setting, variable.getValue(), where);
        }

        Map<Setting<?>, Given> file = new IdentityHashMap<>();
        Given configGiven = cli.getOrDefault(Settings.CONFIG, env.get(Settings.CONFIG));
        @SuppressWarnings("unchecked")
        Optional<Path> config = configGiven == null ? Optional.empty() : (Optional<Path>) configGiven.value();
        if (config.isPresent()) {
            readFile(config.get(), file);
        }

        Map<Setting<?>, Given> strongest = new IdentityHashMap<>(file);
        strongest.putAll(env);
        strongest.putAll(cli);
        Settings settings = Settings.defaults();
        for (Map.Entry<Setting<?>, Given> entry : strongest.entrySet()) {
            settings = with(settings, entry.getKey(), entry.getValue());
        }
        return new Result(settings, action);
    }

    private static void readFile(Path path, Map<Setting<?>, Given> values) throws UsageException {
        Properties properties = new Properties();
        try (Reader reader = Files.newBufferedReader(path, StandardCharsets.UTF_8)) {
            properties.load(reader);
        } catch (IOException e) {
            throw new UsageException("--config " + path + ": cannot be read (" + e.getMessage() + ")");
        } catch (IllegalArgumentException e) {
            throw new UsageException("--config " + path + ": not a properties file (" + e.getMessage() + ")");
        }
        for (String key : new TreeMap<>(toMap(properties)).keySet()) {
            String value = properties.getProperty(key);
            String where = path + ": " + key + "=" + value;
            Setting<?> setting = Settings.byName(key);
            if (setting == null) {
                throw new UsageException(where + ": no such setting (see --help; names are the flags without --)");
            }
            if (setting.isCliOnly()) {
                throw new UsageException(where + ": '" + key + "' is read from the command line or the "
                        + "environment only");
            }
            put(values, setting, value, where);
        }
    }

    private static Map<String, String> toMap(Properties properties) {
        Map<String, String> map = new TreeMap<>();
        for (String name : properties.stringPropertyNames()) {
            map.put(name, properties.getProperty(name));
        }
        return map;
    }

    private static Setting<?> byVariable(String variable) {
        for (Setting<?> setting : Settings.ALL) {
            if (setting.environmentVariable().equals(variable)) {
                return setting;
            }
        }
        return null;
    }

    private static <T> void put(Map<Setting<?>, Given> values, Setting<T> setting, String text, String where)
            throws UsageException {
        T value;
        try {
            value = setting.parse(text);
        } catch (IllegalArgumentException e) {
            // SPEC rule ids ("M1: ...") are for library users; a person at the command line reads the sentence.
            throw new UsageException(where + ": " + e.getMessage().replaceFirst("^[A-Z]{1,2}\\d+: ", ""));
        }
        Given earlier = values.get(setting);
        @SuppressWarnings("unchecked")
        Given given = earlier == null ? new Given(value, where)
                : new Given(setting.merge((T) earlier.value(), value),
                        setting.isRepeatable() ? earlier.where() + ", " + where : where);
        values.put(setting, given);
    }

    @SuppressWarnings("unchecked")
    private static <T> Settings with(Settings settings, Setting<T> setting, Given given) {
        return settings.with(setting, (T) given.value(), given.where());
    }
}
