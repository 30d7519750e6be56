package org.wsgi4j.testing;

import java.text.MessageFormat;
import java.util.ArrayList;
import java.util.List;
import java.util.ResourceBundle;
import java.util.function.Predicate;

/** A {@link System.Logger} that keeps what it is told, so tests can assert on levels, counts and messages. */
public final class RecordingLogger implements System.Logger {

    /** One logged call. */
    public record Entry(Level level, String message, Throwable thrown) {
    }

    private final List<Entry> entries = new ArrayList<>();

    @Override
    public String getName() {
        return "test";
    }

    @Override
    public boolean isLoggable(Level level) {
        return true;
    }

    @Override
    public synchronized void log(Level level, ResourceBundle bundle, String msg, Throwable thrown) {
        entries.add(new Entry(level, msg, thrown));
        notifyAll();
    }

    @Override
    public void log(Level level, ResourceBundle bundle, String format, Object... params) {
        log(level, bundle, params == null || params.length == 0 ? format : MessageFormat.format(format, params),
                (Throwable) null);
    }

    public synchronized List<Entry> entries() {
        return List.copyOf(entries);
    }

    public synchronized List<String> messages() {
        return entries.stream().map(Entry::message).toList();
    }

    public synchronized long count(Level level, Predicate<String> message) {
        return entries.stream().filter(e -> e.level() == level && message.test(e.message())).count();
    }

    public long count(Level level) {
        return count(level, m -> true);
    }

    /** Waits up to {@code millis} for a message starting with {@code prefix}. */
    public synchronized boolean await(String prefix, long millis) throws InterruptedException {
        long deadline = System.nanoTime() + millis * 1_000_000;
        while (entries.stream().noneMatch(e -> e.message().startsWith(prefix))) {
            long left = (deadline - System.nanoTime()) / 1_000_000;
            if (left <= 0) {
                return false;
            }
            wait(left);
        }
        return true;
    }
}
