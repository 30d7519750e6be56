package org.wsgi4j.server;

import java.util.ArrayList;
import java.util.List;
import java.util.ResourceBundle;
import java.util.function.Predicate;

/** A System.Logger that keeps what it is told, so tests can assert on levels and counts. */
final class RecordingLogger implements System.Logger {
    record Entry(Level level, String message, Throwable thrown) { }

    final List<Entry> entries = new ArrayList<>();

    @Override
    public String getName() {
        return "test";
    }

    @Override
    public boolean isLoggable(Level level) {
        return true;
    }

    @Override
    public void log(Level level, ResourceBundle bundle, String msg, Throwable thrown) {
        entries.add(new Entry(level, msg, thrown));
    }

    @Override
    public void log(Level level, ResourceBundle bundle, String format, Object... params) {
        entries.add(new Entry(level, format, null));
    }

    long count(Level level, Predicate<String> message) {
        return entries.stream().filter(e -> e.level() == level && message.test(e.message())).count();
    }

    long count(Level level) {
        return count(level, m -> true);
    }
}
