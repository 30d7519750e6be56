package org.wsgi4j.server;

import java.util.AbstractMap;
import java.util.AbstractSet;
import java.util.Arrays;
import java.util.ConcurrentModificationException;
import java.util.Iterator;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.Objects;
import java.util.Set;
import java.util.function.BiConsumer;
import org.wsgi4j.Environ;

/**
 * The environ {@link EnvironBuilder} hands over: a mutable {@code Map<String, Object>} with the
 * whole {@link Map} contract (null values and keys, {@code equals}/{@code hashCode} with any other
 * map, views that write through, fail-fast iterators), laid out for one request's 30-odd keys
 * rather than for thousands: the keys of SPEC section 2's table have fixed slots, and every other
 * key (the {@code HTTP_*} headers, extensions) sits in two parallel arrays in insertion order. A
 * request so allocates three small arrays instead of a hash table with one node per key (issue 15:
 * bytes per request). {@link EnvironBuilder} writes the table's keys by slot, without a lookup of
 * the key's name, and {@link #keySet()} walks the keys without an entry object per key.
 *
 * <p>Iteration gives the table's keys in the table's order, then the others in the order they were
 * first put. Like {@link java.util.HashMap}, it is not safe for concurrent modification: one
 * request's thread owns it (SPEC section 2).
 */
final class EnvironMap extends AbstractMap<String, Object> {

    /** The keys with a slot, in SPEC section 2's order. */
    private static final String[] KNOWN = {
        Environ.REQUEST_METHOD, Environ.SCRIPT_NAME, Environ.PATH_INFO, Environ.QUERY_STRING, Environ.REQUEST_URI,
        Environ.CONTENT_TYPE, Environ.CONTENT_LENGTH, Environ.SERVER_NAME, Environ.SERVER_PORT,
        Environ.SERVER_PROTOCOL, Environ.REMOTE_ADDR, Environ.REMOTE_PORT, Environ.HTTPS, Environ.WSGI_VERSION,
        Environ.WSGI_URL_SCHEME, Environ.WSGI_INPUT, Environ.WSGI_INPUT_TERMINATED, Environ.WSGI_ERRORS,
        Environ.WSGI_MULTITHREAD, Environ.WSGI_MULTIPROCESS, Environ.WSGI_RUN_ONCE, Environ.WSGI_FILE_WRAPPER,
    };

    // The slots of KNOWN's keys, for EnvironBuilder's writes: a slot by index costs no key lookup.
    static final int REQUEST_METHOD = 0;
    static final int SCRIPT_NAME = 1;
    static final int PATH_INFO = 2;
    static final int QUERY_STRING = 3;
    static final int REQUEST_URI = 4;
    static final int CONTENT_TYPE = 5;
    static final int CONTENT_LENGTH = 6;
    static final int SERVER_NAME = 7;
    static final int SERVER_PORT = 8;
    static final int SERVER_PROTOCOL = 9;
    static final int REMOTE_ADDR = 10;
    static final int REMOTE_PORT = 11;
    static final int HTTPS = 12;
    static final int WSGI_VERSION = 13;
    static final int WSGI_URL_SCHEME = 14;
    static final int WSGI_INPUT = 15;
    static final int WSGI_INPUT_TERMINATED = 16;
    static final int WSGI_ERRORS = 17;
    static final int WSGI_MULTITHREAD = 18;
    static final int WSGI_MULTIPROCESS = 19;
    static final int WSGI_RUN_ONCE = 20;
    static final int WSGI_FILE_WRAPPER = 21;

    /** Stands for a {@code null} value in a slot, where {@code null} means "no such key". */
    private static final Object NULL = new Object();

    /** Room for a browser's headers and a front end's own keys before the arrays grow. */
    private static final int FIRST_CAPACITY = 16;

    /** Per {@link #KNOWN} key: its value, {@link #NULL}, or {@code null} when absent. */
    private final Object[] slots = new Object[KNOWN.length];
    private String[] keys = new String[FIRST_CAPACITY];
    private Object[] values = new Object[FIRST_CAPACITY];
    /** Keys in {@link #keys}. */
    private int extra;
    private int size;
    /** Structural changes, for the iterators' fail-fast check. */
    private int modCount;

    EnvironMap() {
    }

    /** The slot of {@code key}, or -1 when it has none. */
    private static int slot(Object key) {
        if (!(key instanceof String name)) {
            return -1;
        }
        return switch (name) {
            case Environ.REQUEST_METHOD -> REQUEST_METHOD;
            case Environ.SCRIPT_NAME -> SCRIPT_NAME;
            case Environ.PATH_INFO -> PATH_INFO;
            case Environ.QUERY_STRING -> QUERY_STRING;
            case Environ.REQUEST_URI -> REQUEST_URI;
            case Environ.CONTENT_TYPE -> CONTENT_TYPE;
            case Environ.CONTENT_LENGTH -> CONTENT_LENGTH;
            case Environ.SERVER_NAME -> SERVER_NAME;
            case Environ.SERVER_PORT -> SERVER_PORT;
            case Environ.SERVER_PROTOCOL -> SERVER_PROTOCOL;
            case Environ.REMOTE_ADDR -> REMOTE_ADDR;
            case Environ.REMOTE_PORT -> REMOTE_PORT;
            case Environ.HTTPS -> HTTPS;
            case Environ.WSGI_VERSION -> WSGI_VERSION;
            case Environ.WSGI_URL_SCHEME -> WSGI_URL_SCHEME;
            case Environ.WSGI_INPUT -> WSGI_INPUT;
            case Environ.WSGI_INPUT_TERMINATED -> WSGI_INPUT_TERMINATED;
            case Environ.WSGI_ERRORS -> WSGI_ERRORS;
            case Environ.WSGI_MULTITHREAD -> WSGI_MULTITHREAD;
            case Environ.WSGI_MULTIPROCESS -> WSGI_MULTIPROCESS;
            case Environ.WSGI_RUN_ONCE -> WSGI_RUN_ONCE;
            case Environ.WSGI_FILE_WRAPPER -> WSGI_FILE_WRAPPER;
            default -> -1;
        };
    }

    /** The index of {@code key} in {@link #keys}, or -1. */
    private int index(Object key) {
        String[] k = keys;
        if (key == null) {
            for (int i = 0; i < extra; i++) {
                if (k[i] == null) {
                    return i;
                }
            }
            return -1;
        }
        int hash = key.hashCode();
        for (int i = 0; i < extra; i++) {
            String candidate = k[i];
            if (candidate == key || (candidate != null && candidate.hashCode() == hash && candidate.equals(key))) {
                return i;
            }
        }
        return -1;
    }

    private static Object in(Object value) {
        return value == null ? NULL : value;
    }

    private static Object out(Object stored) {
        return stored == NULL ? null : stored;
    }

    /**
     * {@code put(KNOWN[slot], value)} without the key lookup or the old value.
     *
     * @param slot one of the slot constants
     */
    void set(int slot, Object value) {
        if (slots[slot] == null) {
            size++;
            modCount++;
        }
        slots[slot] = in(value);
    }

    /** {@code get(KNOWN[slot])} without the key lookup. */
    Object slotValue(int slot) {
        return out(slots[slot]);
    }

    /** {@code putIfAbsent(KNOWN[slot], value)} without the key lookup: a key present with a null value gets it too. */
    void setIfAbsent(int slot, Object value) {
        Object stored = slots[slot];
        if (stored == null || stored == NULL) {
            set(slot, value);
        }
    }

    /** {@code remove(KNOWN[slot])} without the key lookup. */
    void unset(int slot) {
        if (slots[slot] != null) {
            slots[slot] = null;
            size--;
            modCount++;
        }
    }

    @Override
    public int size() {
        return size;
    }

    @Override
    public boolean containsKey(Object key) {
        int slot = slot(key);
        return slot >= 0 ? slots[slot] != null : index(key) >= 0;
    }

    @Override
    public Object get(Object key) {
        int slot = slot(key);
        if (slot >= 0) {
            return out(slots[slot]);
        }
        int i = index(key);
        return i < 0 ? null : values[i];
    }

    @Override
    public Object put(String key, Object value) {
        int slot = slot(key);
        if (slot >= 0) {
            Object old = slots[slot];
            slots[slot] = in(value);
            if (old == null) {
                size++;
                modCount++;
            }
            return out(old);
        }
        int i = index(key);
        if (i >= 0) {
            Object old = values[i];
            values[i] = value;
            return old;
        }
        if (extra == keys.length) {
            keys = Arrays.copyOf(keys, extra * 2);
            values = Arrays.copyOf(values, extra * 2);
        }
        keys[extra] = key;
        values[extra] = value;
        extra++;
        size++;
        modCount++;
        return null;
    }

    @Override
    public Object remove(Object key) {
        int slot = slot(key);
        if (slot >= 0) {
            Object old = slots[slot];
            if (old != null) {
                slots[slot] = null;
                size--;
                modCount++;
            }
            return out(old);
        }
        int i = index(key);
        return i < 0 ? null : removeExtra(i);
    }

    private Object removeExtra(int i) {
        Object old = values[i];
        int after = extra - i - 1;
        System.arraycopy(keys, i + 1, keys, i, after);
        System.arraycopy(values, i + 1, values, i, after);
        extra--;
        keys[extra] = null;
        values[extra] = null;
        size--;
        modCount++;
        return old;
    }

    @Override
    public void clear() {
        if (size > 0) {
            Arrays.fill(slots, null);
            Arrays.fill(keys, 0, extra, null);
            Arrays.fill(values, 0, extra, null);
            extra = 0;
            size = 0;
            modCount++;
        }
    }

    /** As the entry set's iterator would visit, without an entry object per key. */
    @Override
    public void forEach(BiConsumer<? super String, ? super Object> action) {
        Objects.requireNonNull(action, "action");
        int expected = modCount;
        for (int i = 0; i < KNOWN.length && modCount == expected; i++) {
            Object stored = slots[i];
            if (stored != null) {
                action.accept(KNOWN[i], out(stored));
            }
        }
        for (int i = 0; i < extra && modCount == expected; i++) {
            action.accept(keys[i], values[i]);
        }
        if (modCount != expected) {
            throw new ConcurrentModificationException();
        }
    }

    @Override
    public Set<Map.Entry<String, Object>> entrySet() {
        return new AbstractSet<>() {
            @Override
            public Iterator<Map.Entry<String, Object>> iterator() {
                return new Entries();
            }

            @Override
            public int size() {
                return size;
            }

            @Override
            public void clear() {
                EnvironMap.this.clear();
            }
        };
    }

    /**
     * The keys without an entry object per key, so a walk over them ({@code keySet().removeIf(...)},
     * as {@code ProxyHeaders} does on every request) allocates only the view and its iterator.
     */
    @Override
    public Set<String> keySet() {
        return new AbstractSet<>() {
            @Override
            public Iterator<String> iterator() {
                return new Keys();
            }

            @Override
            public int size() {
                return size;
            }

            @Override
            public boolean contains(Object key) {
                return containsKey(key);
            }

            @Override
            public boolean remove(Object key) {
                if (!containsKey(key)) {
                    return false;
                }
                EnvironMap.this.remove(key);
                return true;
            }

            @Override
            public void clear() {
                EnvironMap.this.clear();
            }
        };
    }

    private final class Entries extends Positions<Map.Entry<String, Object>> {
        @Override
        Map.Entry<String, Object> at(int position) {
            return new Entry(key(position));
        }
    }

    private final class Keys extends Positions<String> {
        @Override
        String at(int position) {
            return key(position);
        }
    }

    /** The key at an iterator position. */
    private String key(int position) {
        return position < KNOWN.length ? KNOWN[position] : keys[position - KNOWN.length];
    }

    /** Slots first (position {@code < KNOWN.length}), then the other keys. */
    private abstract class Positions<T> implements Iterator<T> {
        private int next;
        private int current = -1;
        private int expected = modCount;

        Positions() {
            next = advance(0);
        }

        /** What {@link #next()} gives for the key at {@code position}. */
        abstract T at(int position);

        /** The first position at or after {@code from} that holds a key. */
        private int advance(int from) {
            int position = from;
            while (position < KNOWN.length && slots[position] == null) {
                position++;
            }
            return position;
        }

        @Override
        public boolean hasNext() {
            return next < KNOWN.length + extra;
        }

        @Override
        public T next() {
            if (modCount != expected) {
                throw new ConcurrentModificationException();
            }
            if (!hasNext()) {
                throw new NoSuchElementException();
            }
            current = next;
            next = advance(next + 1);
            return at(current);
        }

        @Override
        public void remove() {
            if (current < 0) {
                throw new IllegalStateException("next() was not called, or remove() was called already");
            }
            if (modCount != expected) {
                throw new ConcurrentModificationException();
            }
            if (current < KNOWN.length) {
                slots[current] = null;
                size--;
                modCount++;
            } else {
                removeExtra(current - KNOWN.length);
                next = current;
            }
            current = -1;
            expected = modCount;
        }
    }

    /** A key of this map; its value is read and written through the map. */
    private final class Entry implements Map.Entry<String, Object> {
        private final String key;

        Entry(String key) {
            this.key = key;
        }

        @Override
        public String getKey() {
            return key;
        }

        @Override
        public Object getValue() {
            return get(key);
        }

        @Override
        public Object setValue(Object value) {
            if (!containsKey(key)) {
                throw new IllegalStateException("the key '" + key + "' was removed from the environ");
            }
            return put(key, value);
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof Map.Entry<?, ?> e && Objects.equals(key, e.getKey())
                    && Objects.equals(getValue(), e.getValue());
        }

        @Override
        public int hashCode() {
            return Objects.hashCode(key) ^ Objects.hashCode(getValue());
        }

        @Override
        public String toString() {
            return key + "=" + getValue();
        }
    }
}
