package org.wsgi4j;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;
import org.wsgi4j.fixtures.LoadFixtures;

/** {@link Applications#load}: the spec strings every host accepts (SPEC section 1). */
class ApplicationsTest {

    private static final String FIXTURES = "org.wsgi4j.fixtures.LoadFixtures$";

    private static String body(Application application) throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (byte[] block : application.call(new HashMap<>(), (status, headers, excInfo) -> out::write)) {
            out.write(block);
        }
        return out.toString(StandardCharsets.UTF_8);
    }

    @Test
    @DisplayName("a class name makes one instance through the public no-argument constructor")
    void classNameMakesAnInstance() throws Exception {
        Application application = Applications.load(FIXTURES + "Hello");

        assertInstanceOf(LoadFixtures.Hello.class, application);
        assertEquals("hello", body(application));
    }

    @Test
    @DisplayName("Class::FIELD returns the static field's value itself")
    void staticFieldIsReturnedAsIs() {
        assertSame(LoadFixtures.Apps.FIELD, Applications.load(FIXTURES + "Apps::FIELD"));
    }

    @Test
    @DisplayName("Class::method calls the static no-argument factory")
    void staticMethodIsCalled() throws Exception {
        assertEquals("factory", body(Applications.load(FIXTURES + "Apps::factory")));
    }

    @Test
    @DisplayName("a field wins over a method of the same name")
    void fieldWinsOverMethodOfSameName() throws Exception {
        assertEquals("field wins", body(Applications.load(FIXTURES + "Apps::BOTH")));
    }

    @Test
    @DisplayName("surrounding whitespace (from a properties file or a CLI flag) is ignored")
    void surroundingWhitespaceIsIgnored() throws Exception {
        assertEquals("factory", body(Applications.load("  " + FIXTURES + "Apps::factory\n")));
    }

    @Test
    @DisplayName("without a context class loader, the loader of Applications is used")
    void noContextClassLoaderFallsBack() {
        Thread thread = Thread.currentThread();
        ClassLoader saved = thread.getContextClassLoader();
        thread.setContextClassLoader(null);
        try {
            assertInstanceOf(LoadFixtures.Hello.class, Applications.load(FIXTURES + "Hello"));
        } finally {
            thread.setContextClassLoader(saved);
        }
    }

    @Test
    @DisplayName("the given class loader is the one asked")
    void givenClassLoaderIsAsked() {
        ClassLoader refusing = new ClassLoader(null) {
            @Override
            protected Class<?> findClass(String name) throws ClassNotFoundException {
                throw new ClassNotFoundException(name + " (refused by the test loader)");
            }
        };

        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Applications.load(FIXTURES + "Hello", refusing));

        assertTrue(e.getMessage().contains("refused by the test loader"), e.getMessage());
    }

    @DisplayName("every failure is an IllegalArgumentException naming the spec and the reason")
    @ParameterizedTest(name = "''{0}'': {1}")
    @CsvSource(delimiter = '|', textBlock = """
            org.wsgi4j.NoSuchApplication                      | cannot be loaded
            org.wsgi4j.fixtures.LoadFixtures$NotAnApplication          | does not implement org.wsgi4j.Application
            java.lang.String                                  | does not implement org.wsgi4j.Application
            org.wsgi4j.fixtures.LoadFixtures$NeedsArgument             | has no public no-argument constructor
            org.wsgi4j.fixtures.LoadFixtures$PrivateConstructor        | has no public no-argument constructor
            org.wsgi4j.fixtures.LoadFixtures$Abstract                  | is abstract
            org.wsgi4j.Application                            | is abstract
            org.wsgi4j.fixtures.LoadFixtures$PackagePrivate            | cannot instantiate
            org.wsgi4j.fixtures.LoadFixtures$ThrowingConstructor       | threw java.lang.IllegalStateException: no database
            org.wsgi4j.fixtures.LoadFixtures$FailingInitializer        | initialising it failed: java.lang.NumberFormatException
            org.wsgi4j.fixtures.LoadFixtures$Apps::NULL_FIELD          | is null
            org.wsgi4j.fixtures.LoadFixtures$Apps::NOT_AN_APPLICATION  | is a java.lang.String, not an org.wsgi4j.Application
            org.wsgi4j.fixtures.LoadFixtures$Apps::instanceField       | is not static
            org.wsgi4j.fixtures.LoadFixtures$Apps::instanceMethod      | is not static
            org.wsgi4j.fixtures.LoadFixtures$Apps::nullFactory         | is null
            org.wsgi4j.fixtures.LoadFixtures$Apps::notAnApplicationFactory | is a java.lang.Integer, not an org.wsgi4j.Application
            org.wsgi4j.fixtures.LoadFixtures$Apps::throwing            | threw java.lang.IllegalStateException: factory failed
            org.wsgi4j.fixtures.LoadFixtures$Apps::withArgument        | has no public static field or no-argument method 'withArgument'
            org.wsgi4j.fixtures.LoadFixtures$Apps::missing             | has no public static field or no-argument method 'missing'
            org.wsgi4j.fixtures.LoadFixtures$Apps::                    | must be 'com.example.App' or 'com.example.Apps::member'
            ::factory                                         | must be 'com.example.App' or 'com.example.Apps::member'
            """)
    void failureNamesTheSpecAndTheReason(String spec, String reason) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Applications.load(spec));

        assertTrue(e.getMessage().contains("'" + spec + "'"), "names the spec: " + e.getMessage());
        assertTrue(e.getMessage().contains(reason), "gives the reason: " + e.getMessage());
    }

    @DisplayName("an empty or blank spec is refused, quoting it")
    @ParameterizedTest(name = "\"{0}\"")
    @ValueSource(strings = {"", "   ", "\t"})
    void emptySpecIsRefused(String spec) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Applications.load(spec));

        assertTrue(e.getMessage().contains("'" + spec + "'"), e.getMessage());
        assertTrue(e.getMessage().contains("empty"), e.getMessage());
    }

    @Test
    @DisplayName("a null spec is refused as empty")
    void nullSpecIsRefused() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Applications.load(null));

        assertTrue(e.getMessage().contains("empty"), e.getMessage());
    }

    @Test
    @DisplayName("a throwing factory's exception is kept as the cause, for the host's log")
    void throwingMemberKeepsCause() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Applications.load(FIXTURES + "Apps::throwing"));

        assertInstanceOf(IllegalStateException.class, e.getCause());
        assertEquals("factory failed", e.getCause().getMessage());
    }

    /** {@code scheme:rest} specs go to the {@link ApplicationLoader} found on the given class loader. */
    @Nested
    class Schemes {

        /** A class loader whose only addition is a service file naming {@code EchoLoader}. */
        private ClassLoader withEchoLoader(Path dir) throws IOException {
            Path services = Files.createDirectories(dir.resolve("META-INF/services"));
            Files.writeString(services.resolve(ApplicationLoader.class.getName()), FIXTURES + "EchoLoader\n");
            return new URLClassLoader(new URL[] {dir.toUri().toURL()}, ApplicationsTest.class.getClassLoader());
        }

        @Test
        @DisplayName("a scheme spec is loaded by the provider for that scheme, which gets the whole spec")
        void schemeSpecGoesToItsLoader(@TempDir Path dir) throws Exception {
            Application application = Applications.load("  echo:hello:app ", withEchoLoader(dir));

            assertEquals("echo:hello:app", body(application));
        }

        @Test
        @DisplayName("the host's options reach the provider")
        void optionsReachTheLoader(@TempDir Path dir) throws Exception {
            Application application = Applications.load("echo:x", withEchoLoader(dir), java.util.Map.of("echo.suffix", "!"));

            assertEquals("echo:x!", body(application));
        }

        @Test
        @DisplayName("the scheme is compared ignoring case")
        void schemeIgnoresCase(@TempDir Path dir) throws Exception {
            assertEquals("ECHO:x", body(Applications.load("ECHO:x", withEchoLoader(dir))));
        }

        @Test
        @DisplayName("an unknown scheme names the spec and the schemes there are")
        void unknownSchemeIsRefused(@TempDir Path dir) throws Exception {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> Applications.load("ruby:config.ru", withEchoLoader(dir)));

            assertTrue(e.getMessage().contains("'ruby:config.ru'"), e.getMessage());
            assertTrue(e.getMessage().contains("unknown scheme 'ruby:'"), e.getMessage());
            assertTrue(e.getMessage().contains("schemes available: echo"), e.getMessage());
        }

        @Test
        @DisplayName("python: without wsgi4j-python says which artifact to add")
        void missingPythonModuleNamesTheArtifact() {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> Applications.load("python:hello:app"));

            assertTrue(e.getMessage().contains("'python:hello:app'"), e.getMessage());
            assertTrue(e.getMessage().contains("add org.wsgi4j:wsgi4j-python"), e.getMessage());
        }

        @Test
        @DisplayName("a provider that returns null is refused, naming it")
        void nullFromProviderIsRefused(@TempDir Path dir) throws Exception {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> Applications.load("echo:null", withEchoLoader(dir)));

            assertTrue(e.getMessage().contains("EchoLoader returned null"), e.getMessage());
        }

        @Test
        @DisplayName("a class name with one colon is not taken for a scheme")
        void dottedNameIsNotAScheme(@TempDir Path dir) throws Exception {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> Applications.load(FIXTURES + "Apps:hello", withEchoLoader(dir)));

            assertTrue(e.getMessage().contains("cannot be loaded"), e.getMessage());
        }
    }
}
