package org.wsgi4j.python;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Iterator;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;
import org.wsgi4j.Applications;

/** Configuration mistakes stop the start with a sentence naming the module and callable; the pool's limits. */
class StartTest {

    private static IllegalArgumentException startFails(String spec) {
        return assertThrows(IllegalArgumentException.class,
                () -> PythonApplication.builder(spec).pythonPath(TestApps.python()).contexts(1).build().close());
    }

    @Nested
    class Failures {

        @DisplayName("an application that cannot start names the module, the callable and the reason")
        @ParameterizedTest(name = "{0}")
        @CsvSource(delimiter = '|', textBlock = """
                no_such_module:app      | importing module 'no_such_module' failed: ModuleNotFoundError: No module named 'no_such_module'
                fails_on_import:app     | importing module 'fails_on_import' failed: RuntimeError: DATABASE_URL is not set
                exits_on_import:app     | importing module 'exits_on_import' called sys.exit(3)
                broken:missing          | module 'broken' (
                broken:not_callable     | 'broken:not_callable' is a int, not a callable WSGI application
                """)
        void startFailureIsASentence(String spec, String reason) {
            IllegalArgumentException e = startFails(spec);

            assertTrue(e.getMessage().startsWith("Python application '" + spec + "': "), e.getMessage());
            assertTrue(e.getMessage().contains(reason), e.getMessage());
        }

        @Test
        @DisplayName("a missing callable says which attribute is missing")
        void missingCallableIsNamed() {
            assertTrue(startFails("broken:missing").getMessage().endsWith("has no attribute 'missing'"));
        }

        @Test
        @DisplayName("a failed import shows where it failed and the Python path searched")
        void importFailureShowsFramesAndPath() {
            String message = startFails("fails_on_import:app").getMessage();

            assertTrue(message.contains("fails_on_import.py\", line 2, in _configure"), message);
            assertTrue(message.contains("Python path: " + TestApps.python()), message);
        }

        @DisplayName("a spec that is not module:callable is refused before anything starts")
        @ParameterizedTest(name = "''{0}''")
        @ValueSource(strings = {"", "hello:", ":app", "hello:app:x", "hello world:app", "hello:1app", "hello/app:app"})
        void malformedSpecIsRefused(String spec) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> PythonApplication.builder(spec));

            assertTrue(e.getMessage().contains("must be 'module:callable'"), e.getMessage());
        }

        @Test
        @DisplayName("a Python path entry that is not a directory is named")
        void pythonPathMustBeDirectories() {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> PythonApplication.builder("hello:app").pythonPath(Path.of("/no/such/dir")));

            assertTrue(e.getMessage().contains("'/no/such/dir' of 'hello:app' is not a directory"), e.getMessage());
        }
    }

    @Nested
    class Limits {

        @DisplayName("contexts: 1 to 256")
        @ParameterizedTest(name = "{0}")
        @ValueSource(ints = {0, -1, 257})
        void contextsOutOfRangeAreRefused(int contexts) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> PythonApplication.builder("hello:app").contexts(contexts));

            assertTrue(e.getMessage().contains("'contexts' of 'hello:app' must be 1 to 256, was " + contexts), e.getMessage());
        }

        @Test
        @DisplayName("contexts: 1 and 256 are accepted")
        void contextsAtTheBoundsAreAccepted() {
            PythonApplication.builder("hello:app").contexts(1).contexts(PythonApplication.MAX_CONTEXTS);
        }

        @Test
        @DisplayName("a negative context wait is refused; zero is allowed")
        void contextWaitMustNotBeNegative() {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> PythonApplication.builder("hello:app").contextWait(Duration.ofMillis(-1)));
            assertTrue(e.getMessage().contains("'contextWait' of 'hello:app' must be zero or more"), e.getMessage());

            PythonApplication.builder("hello:app").contextWait(Duration.ZERO);
        }

        @Test
        @DisplayName("with every context busy, a request waits for one, then is answered 503")
        void busyPoolWaitsThen503() throws Exception {
            try (PythonApplication app = PythonApplication.builder("border:unchecked").pythonPath(TestApps.python())
                    .contexts(1).contextWait(Duration.ofMillis(300)).build()) {
                assertEquals(1, app.contexts());
                Calls holder = Calls.get("/stream");
                Iterable<byte[]> held = holder.call(app);
                Iterator<byte[]> blocks = held.iterator();
                blocks.next();

                Calls refused = Calls.get("/path");
                String body = refused.run(app);
                assertEquals("503 Service Unavailable", refused.statuses.get(0));
                assertTrue(body.contains("all 1 Python contexts of 'border:unchecked' stayed busy for 300 ms"), body);
                assertTrue(refused.headers.get(0).stream().anyMatch(h -> h.is("Retry-After")));

                // Released within the wait: the next request is served by the same context.
                Thread release = new Thread(() -> {
                    try {
                        Thread.sleep(50);
                        ((AutoCloseable) held).close();
                    } catch (Exception e) {
                        throw new IllegalStateException(e);
                    }
                });
                release.start();
                Calls served = Calls.get("/path");
                assertEquals("'' '/path'", served.run(app));
                release.join();
            }
        }

        @Test
        @DisplayName("sys.exit() in a request is an error of that request; the context goes on serving")
        void exitInARequestFailsOnlyThatRequest() throws Exception {
            try (PythonApplication app = PythonApplication.builder("border:unchecked").pythonPath(TestApps.python())
                    .contexts(1).contextWait(Duration.ZERO).build()) {
                PythonException e = assertThrows(PythonException.class, () -> Calls.get("/exit").run(app));
                assertEquals("ExitInRequest: the application raised SystemExit(3) in a request", e.getMessage());

                assertEquals("'' '/path'", Calls.get("/path").run(app));
            }
        }
    }

    @Nested
    class ThroughApplicationsLoad {

        @Test
        @DisplayName("Applications.load(\"python:module:callable\") finds wsgi4j-python, with the folders of wsgi4j.python.path")
        void applicationsLoadFindsPython() throws Exception {
            String before = System.getProperty("wsgi4j.python.path");
            System.setProperty("wsgi4j.python.path", TestApps.python().toString());
            System.setProperty("wsgi4j.python.contexts", "1");
            try (PythonApplication app = (PythonApplication) Applications.load("python:border:unchecked")) {
                assertEquals("'' '/path'", Calls.get("/path").run(app));
                assertEquals(1, app.contexts());
            } finally {
                System.clearProperty("wsgi4j.python.contexts");
                if (before == null) {
                    System.clearProperty("wsgi4j.python.path");
                } else {
                    System.setProperty("wsgi4j.python.path", before);
                }
            }
        }

        @Test
        @DisplayName("a failure through Applications.load names the whole spec")
        void applicationsLoadNamesTheSpec() {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> Applications.load("python:hello:"));

            assertTrue(e.getMessage().startsWith("application spec 'python:hello:': "), e.getMessage());
        }
    }
}
