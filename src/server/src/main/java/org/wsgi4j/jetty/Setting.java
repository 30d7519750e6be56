package org.wsgi4j.jetty;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.function.Consumer;
import java.util.function.Function;

/**
 * One row of the settings table ({@link Settings}): a name, the value's type, its default, its
 * unit and one line of documentation. The command line ({@code --NAME}), the environment
 * ({@code WSGI4J_NAME}), the properties file ({@code NAME = value}), {@code --help} and the
 * README's table are all derived from these rows, so they cannot drift apart.
 *
 * @param <T> the type of the value, e.g. {@code Integer} for {@code --threads}, {@code List<String>}
 *            for a repeatable setting
 */
public final class Setting<T> {

    /** Turns the text of one occurrence into a value; throws {@link IllegalArgumentException} saying what is wrong. */
    @FunctionalInterface
    interface Parser<T> {
        T parse(String text);
    }

    /**
     * A value type: how text becomes a value, and the rule every value obeys however it was made
     * (parsed, or given to the builder). Both throw {@link IllegalArgumentException} saying what is wrong.
     */
    record Type<T>(Parser<T> parser, Consumer<T> check) {

        static <T> Type<T> of(Parser<T> parser) {
            return new Type<>(parser, value -> { });
        }
    }

    private final String name;
    private final String metavar;
    private final String unit;
    private final String doc;
    private final T defaultValue;
    private final String defaultText;
    private final Type<T> type;
    private final boolean repeatable;
    private final boolean cliOnly;
    private final List<String> aliases;

    private Setting(Row<T> row) {
        this.name = row.name;
        this.metavar = row.metavar;
        this.unit = row.unit;
        this.doc = row.doc;
        this.defaultValue = row.defaultValue;
        this.defaultText = row.defaultText;
        this.type = row.type;
        this.repeatable = row.repeatable;
        this.cliOnly = row.cliOnly;
        this.aliases = List.copyOf(row.aliases);
    }

    /**
     * The setting's name, the key in a {@code --config} properties file.
     *
     * @return lower case words joined by {@code -}, without leading dashes: {@code graceful-timeout}
     */
    public String name() {
        return name;
    }

    /**
     * The command-line flag; messages about a wrong value name the setting by it.
     *
     * @return {@code --} and the {@link #name()}: {@code --graceful-timeout}
     */
    public String flag() {
        return "--" + name;
    }

    /**
     * Other flags that set this setting, accepted on the command line and as property keys.
     *
     * @return the flags with their dashes, e.g. {@code [--request-timeout]} for {@code --harakiri};
     *     empty for most
     */
    public List<String> aliases() {
        return aliases.stream().map(alias -> "--" + alias).toList();
    }

    /**
     * The environment variable: {@code WSGI4J_} and the name upper-cased with {@code -} as {@code _},
     * e.g. {@code WSGI4J_GRACEFUL_TIMEOUT}.
     *
     * @return the variable name
     */
    public String environmentVariable() {
        return "WSGI4J_" + name.toUpperCase(Locale.ROOT).replace('-', '_');
    }

    /**
     * How {@code --help} and the README show the value.
     *
     * @return a placeholder such as {@code N} or {@code [HOST]:PORT}; {@code null} for a switch
     */
    public String metavar() {
        return metavar;
    }

    /**
     * Whether the setting is a boolean switch, which the command line takes without a value.
     *
     * @return {@code true} if {@code --debug}, {@code --no-debug} and {@code --debug=false} are the
     *     ways to give it
     */
    public boolean isSwitch() {
        return metavar == null;
    }

    /**
     * The unit the value is written in, for the documentation.
     *
     * @return {@code "bytes"}, {@code "bytes/s"} or {@code "seconds"}; {@code ""} for a count or a
     *     value without a unit
     */
    public String unit() {
        return unit;
    }

    /**
     * What the setting does, as {@code --help} and the README's table print it.
     *
     * @return one sentence, without the default
     */
    public String doc() {
        return doc;
    }

    /**
     * The default, as {@code --help} and the README print it.
     *
     * @return text such as {@code 16k}, {@code off} or {@code on with Java 21+, off with 17}
     */
    public String defaultText() {
        return defaultText;
    }

    /**
     * The value {@link Settings#get} gives when no source and no builder call set one.
     *
     * @return the default, of the setting's value type ({@link java.util.Optional#empty()} for an
     *     optional setting that is off)
     */
    public T defaultValue() {
        return defaultValue;
    }

    /**
     * Whether the setting is a list: the flag may be given more than once (the values add up), and
     * each source takes a comma-separated list.
     *
     * @return {@code true} for a list setting such as {@code --mount}
     */
    public boolean isRepeatable() {
        return repeatable;
    }

    /** Whether only the command line and the environment may set it (not the properties file). */
    boolean isCliOnly() {
        return cliOnly;
    }

    /**
     * Parses the text of one occurrence.
     *
     * @throws IllegalArgumentException saying what is wrong with the text, without naming its source
     */
    T parse(String text) {
        return check(type.parser().parse(text.strip()));
    }

    /**
     * Checks a typed value (from the builder, or just parsed).
     *
     * @throws IllegalArgumentException saying what is wrong, without naming its source
     */
    T check(T value) {
        Objects.requireNonNull(value, name);
        type.check().accept(value);
        return value;
    }

    /** Two occurrences on one source: lists add up, anything else the last one wins. */
    @SuppressWarnings("unchecked")
    T merge(T earlier, T later) {
        if (repeatable) {
            List<Object> both = new ArrayList<>((List<Object>) earlier);
            both.addAll((List<Object>) later);
            return (T) List.copyOf(both);
        }
        return later;
    }

    @Override
    public String toString() {
        return flag();
    }

    /** Starts a row: the name without dashes, the placeholder ({@code null} for a switch), one line of doc. */
    static <T> Row<T> row(String name, String metavar, String doc, Type<T> type) {
        return new Row<>(name, metavar, doc, type);
    }

    /** A row under construction; {@link #defaultValue} finishes it. */
    static final class Row<T> {
        private final String name;
        private final String metavar;
        private final String doc;
        private final Type<T> type;
        private String unit = "";
        private boolean repeatable;
        private boolean cliOnly;
        private final List<String> aliases = new ArrayList<>();
        private T defaultValue;
        private String defaultText;

        private Row(String name, String metavar, String doc, Type<T> type) {
            this.name = name;
            this.metavar = metavar;
            this.doc = doc;
            this.type = type;
        }

        Row<T> unit(String unit) {
            this.unit = unit;
            return this;
        }

        Row<T> repeatable() {
            this.repeatable = true;
            return this;
        }

        Row<T> cliOnly() {
            this.cliOnly = true;
            return this;
        }

        Row<T> alias(String alias) {
            aliases.add(alias);
            return this;
        }

        /** Finishes the row with its default and the way the documentation shows it. */
        Setting<T> defaultValue(T value, String text) {
            this.defaultValue = value;
            this.defaultText = text;
            return new Setting<>(this);
        }

        /** Finishes the row with a default the documentation shows as {@code show(value)}. */
        Setting<T> defaultValue(T value, Function<T, String> show) {
            return defaultValue(value, show.apply(value));
        }
    }
}
