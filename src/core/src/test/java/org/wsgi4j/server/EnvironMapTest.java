package org.wsgi4j.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.ConcurrentModificationException;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.Random;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.wsgi4j.Environ;

/**
 * The environ is a {@code java.util.Map} that applications and middleware use as one (SPEC section
 * 2: a mutable map; PEP 3333: a dict they may change), so {@link EnvironMap} must behave exactly as
 * a {@link HashMap} would, for the keys of the table (slots) and for any other key alike.
 */
class EnvironMapTest {

    /** A slot key, an HTTP_* key and an extension key: the three kinds of key an environ holds. */
    private static final List<String> KINDS = List.of(Environ.PATH_INFO, "HTTP_ACCEPT", "wsgi4j.extension");

    private static Map<String, Object> filled() {
        Map<String, Object> map = new EnvironBuilder()
                .method("GET").pathInfo("/x").requestUri("/x").server("example.test", 80, "HTTP/1.1")
                .remote("192.0.2.1", 40000).header("Accept", "text/html").header("X-Custom", "1")
                .put("wsgi4j.extension", 42).build();
        assertTrue(map instanceof EnvironMap, "the builder hands over an EnvironMap");
        return map;
    }

    @Nested
    @DisplayName("reads and writes as a HashMap does")
    class ReadsAndWrites {

        @ParameterizedTest
        @ValueSource(strings = {"PATH_INFO", "HTTP_ACCEPT", "wsgi4j.extension", "new.key"})
        void putReturnsThePreviousValueAndGetTheNewOne(String key) {
            Map<String, Object> map = filled();
            Object before = map.get(key);
            int size = map.size();
            assertEquals(before, map.put(key, "changed"));
            assertEquals("changed", map.get(key));
            assertEquals(before == null ? size + 1 : size, map.size());
        }

        @ParameterizedTest
        @ValueSource(strings = {"PATH_INFO", "HTTP_ACCEPT", "wsgi4j.extension"})
        void removeReturnsTheValueAndForgetsTheKey(String key) {
            Map<String, Object> map = filled();
            Object value = map.get(key);
            int size = map.size();
            assertEquals(value, map.remove(key));
            assertFalse(map.containsKey(key));
            assertNull(map.get(key));
            assertEquals(size - 1, map.size());
            assertNull(map.remove(key), "a second remove finds nothing");
            assertEquals(size - 1, map.size());
        }

        @ParameterizedTest
        @ValueSource(strings = {"PATH_INFO", "HTTP_ACCEPT", "wsgi4j.extension"})
        void aNullValueIsAValueNotAnAbsence(String key) {
            Map<String, Object> map = filled();
            int size = map.size();
            map.put(key, null);
            assertTrue(map.containsKey(key));
            assertNull(map.get(key));
            assertEquals("default", map.getOrDefault("missing", "default"));
            assertNull(map.getOrDefault(key, "default"));
            assertEquals(size, map.size());
            assertTrue(map.containsValue(null));
        }

        @Test
        void aNullKeyIsAKeyLikeAnyOther() {
            Map<String, Object> map = filled();
            assertFalse(map.containsKey(null));
            map.put(null, "n");
            assertTrue(map.containsKey(null));
            assertEquals("n", map.get(null));
            assertEquals("n", map.remove(null));
            assertFalse(map.containsKey(null));
        }

        @Test
        void keysOfOtherTypesAreNeverFound() {
            Map<String, Object> map = filled();
            assertFalse(map.containsKey(42));
            assertNull(map.get(new Object()));
            assertNull(map.remove(42));
        }

        @Test
        void keysAreComparedByEqualsNotIdentity() {
            Map<String, Object> map = filled();
            String pathInfo = new String("PATH_INFO".toCharArray());
            String accept = new String("HTTP_ACCEPT".toCharArray());
            assertEquals("/x", map.get(pathInfo));
            assertEquals("text/html", map.get(accept));
            map.put(new String("HTTP_ACCEPT".toCharArray()), "*/*");
            assertEquals("*/*", map.get("HTTP_ACCEPT"));
        }

        @Test
        void defaultMethodsOfMapWork() {
            Map<String, Object> map = filled();
            assertEquals("/x", map.putIfAbsent(Environ.PATH_INFO, "/y"));
            assertNull(map.putIfAbsent("HTTP_X_NEW", "v"));
            assertEquals("v, w", map.merge("HTTP_X_NEW", "w", (a, b) -> a + ", " + b));
            assertEquals("/x/z", map.computeIfPresent(Environ.PATH_INFO, (k, v) -> v + "/z"));
            assertTrue(map.replace("HTTP_ACCEPT", "text/html", "*/*"));
            assertEquals("*/*", map.get("HTTP_ACCEPT"));
            map.replaceAll((k, v) -> k.equals("HTTP_X_CUSTOM") ? "2" : v);
            assertEquals("2", map.get("HTTP_X_CUSTOM"));
        }

        @Test
        void clearEmptiesTheMapAndItStaysUsable() {
            Map<String, Object> map = filled();
            map.clear();
            assertTrue(map.isEmpty());
            assertFalse(map.entrySet().iterator().hasNext());
            map.put("HTTP_HOST", "h");
            map.put(Environ.PATH_INFO, "/p");
            assertEquals(Map.of("HTTP_HOST", "h", Environ.PATH_INFO, "/p"), map);
        }

        @Test
        void growsPastItsFirstCapacity() {
            Map<String, Object> map = filled();
            Map<String, Object> expected = new HashMap<>(map);
            for (int i = 0; i < 100; i++) {
                map.put("HTTP_X_" + i, Integer.toString(i));
                expected.put("HTTP_X_" + i, Integer.toString(i));
            }
            assertEquals(expected, map);
            assertEquals("57", map.get("HTTP_X_57"));
        }

        @Test
        void randomOperationsAgreeWithAHashMap() {
            Random random = new Random(15);
            List<String> keys = new ArrayList<>(List.of(Environ.REQUEST_METHOD, Environ.PATH_INFO, Environ.HTTPS,
                    Environ.WSGI_INPUT, Environ.REMOTE_PORT, "HTTP_HOST", "HTTP_ACCEPT", "HTTP_X_A", "wsgi4j.a"));
            Map<String, Object> map = new EnvironMap();
            Map<String, Object> reference = new HashMap<>();
            for (int step = 0; step < 5_000; step++) {
                String key = keys.get(random.nextInt(keys.size()));
                switch (random.nextInt(4)) {
                    case 0, 1 -> assertEquals(reference.put(key, step), map.put(key, step));
                    case 2 -> assertEquals(reference.remove(key), map.remove(key));
                    default -> assertEquals(reference.get(key), map.get(key));
                }
                assertEquals(reference.size(), map.size());
            }
            assertEquals(reference, map);
        }
    }

    @Nested
    @DisplayName("equals, hashCode and toString follow java.util.Map")
    class Identity {

        @Test
        void equalsAHashMapWithTheSameEntriesBothWays() {
            Map<String, Object> map = filled();
            Map<String, Object> copy = new HashMap<>(map);
            assertEquals(copy, map);
            assertEquals(map, copy);
            assertEquals(copy.hashCode(), map.hashCode());
            assertEquals(copy.entrySet(), map.entrySet());
            assertEquals(copy.keySet(), map.keySet());
        }

        @Test
        void differsFromAMapWithOneValueChanged() {
            Map<String, Object> map = filled();
            Map<String, Object> copy = new HashMap<>(map);
            copy.put("HTTP_ACCEPT", "*/*");
            assertNotEquals(copy, map);
            assertNotEquals(map, copy);
        }

        @Test
        void toStringListsEveryEntry() {
            Map<String, Object> map = new EnvironMap();
            map.put(Environ.PATH_INFO, "/x");
            map.put("HTTP_ACCEPT", "text/html");
            assertEquals("{PATH_INFO=/x, HTTP_ACCEPT=text/html}", map.toString());
        }
    }

    @Nested
    @DisplayName("iteration and views")
    class Iteration {

        @Test
        void iterationVisitsEveryKeyOnceTableKeysFirstThenTheOthersInInsertionOrder() {
            Map<String, Object> map = new EnvironMap();
            map.put("HTTP_B", "b");
            map.put(Environ.WSGI_INPUT, "in");
            map.put("HTTP_A", "a");
            map.put(Environ.REQUEST_METHOD, "GET");
            assertEquals(List.of(Environ.REQUEST_METHOD, Environ.WSGI_INPUT, "HTTP_B", "HTTP_A"),
                    new ArrayList<>(map.keySet()));
            assertEquals(List.of("GET", "in", "b", "a"), new ArrayList<>(map.values()));
        }

        @Test
        void entrySetValueWritesThrough() {
            Map<String, Object> map = filled();
            for (Map.Entry<String, Object> entry : map.entrySet()) {
                if (KINDS.contains(entry.getKey())) {
                    entry.setValue("set");
                }
            }
            for (String key : KINDS) {
                assertEquals("set", map.get(key), key);
            }
        }

        @Test
        void iteratorRemoveRemovesFromTheMap() {
            Map<String, Object> map = filled();
            Map<String, Object> expected = new LinkedHashMap<>(map);
            for (Iterator<Map.Entry<String, Object>> it = map.entrySet().iterator(); it.hasNext(); ) {
                String key = it.next().getKey();
                if (KINDS.contains(key) || key.equals("HTTP_X_CUSTOM")) {
                    it.remove();
                    expected.remove(key);
                }
            }
            assertEquals(expected, map);
            assertEquals(expected.size(), map.size());
        }

        @Test
        void keySetRemoveIfRemovesTableKeysAndOthersInOneWalk() {
            Map<String, Object> map = filled();
            Map<String, Object> expected = new LinkedHashMap<>(map);
            java.util.function.Predicate<String> forwarded = key -> key.startsWith("HTTP_") || KINDS.contains(key);
            assertTrue(map.keySet().removeIf(forwarded));
            expected.keySet().removeIf(forwarded);
            assertEquals(new ArrayList<>(expected.keySet()), new ArrayList<>(map.keySet()));
            assertEquals(expected, map);
            assertFalse(map.keySet().removeIf(forwarded), "nothing left to remove");
        }

        @Test
        void keySetContainsWhatTheMapHolds() {
            Map<String, Object> map = filled();
            for (String key : new ArrayList<>(map.keySet())) {
                assertTrue(map.keySet().contains(key), key);
            }
            assertFalse(map.keySet().contains("HTTP_NOT_SENT"));
            assertFalse(map.keySet().remove("HTTP_NOT_SENT"));
        }

        @Test
        void viewsRemoveFromTheMap() {
            Map<String, Object> map = filled();
            assertTrue(map.keySet().remove("HTTP_ACCEPT"));
            assertTrue(map.values().remove("/x"));
            assertTrue(map.entrySet().removeIf(e -> e.getKey().equals("wsgi4j.extension")));
            assertFalse(map.containsKey("HTTP_ACCEPT"));
            assertFalse(map.containsKey(Environ.PATH_INFO));
            assertFalse(map.containsKey("wsgi4j.extension"));
        }

        @Test
        void iteratorRemoveTwiceIsRefused() {
            Iterator<Map.Entry<String, Object>> it = filled().entrySet().iterator();
            assertThrows(IllegalStateException.class, it::remove);
            it.next();
            it.remove();
            assertThrows(IllegalStateException.class, it::remove);
        }

        @Test
        void iteratorPastTheEndThrowsNoSuchElement() {
            Iterator<String> it = new EnvironMap().keySet().iterator();
            assertFalse(it.hasNext());
            assertThrows(NoSuchElementException.class, it::next);
        }

        @ParameterizedTest
        @ValueSource(strings = {"PATH_INFO", "HTTP_X_NEW", "wsgi4j.other"})
        void addingAKeyWhileIteratingFailsFast(String key) {
            Map<String, Object> map = filled();
            map.remove(Environ.PATH_INFO);
            Iterator<String> it = map.keySet().iterator();
            it.next();
            map.put(key, "v");
            assertThrows(ConcurrentModificationException.class, it::next);
        }

        @Test
        void forEachVisitsWhatTheEntrySetHolds() {
            Map<String, Object> map = filled();
            map.put(Environ.HTTPS, null);
            Map<String, Object> visited = new LinkedHashMap<>();
            map.forEach(visited::put);
            assertEquals(new ArrayList<>(map.entrySet()), new ArrayList<>(visited.entrySet()));
        }

        @Test
        void addingAKeyInForEachFailsFast() {
            Map<String, Object> map = filled();
            assertThrows(ConcurrentModificationException.class, () -> map.forEach((k, v) -> map.put(k + "x", v)));
        }

        @Test
        void changingAValueWhileIteratingIsAllowed() {
            Map<String, Object> map = filled();
            for (String key : map.keySet()) {
                map.put(key, "same keys");
            }
            assertTrue(map.values().stream().allMatch("same keys"::equals));
        }
    }
}
