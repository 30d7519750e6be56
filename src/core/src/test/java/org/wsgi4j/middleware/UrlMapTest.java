package org.wsgi4j.middleware;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;
import org.wsgi4j.Application;
import org.wsgi4j.Bodies;
import org.wsgi4j.Environ;
import org.wsgi4j.Header;

class UrlMapTest {

    /** An application that answers with its own prefix and the paths it was given. */
    private static Application echo(String name) {
        return (environ, startResponse) -> {
            startResponse.start("200 OK", List.of(new Header("Content-Type", "text/plain")));
            return Bodies.utf8(name + "|" + environ.get(Environ.SCRIPT_NAME) + "|" + environ.get(Environ.PATH_INFO));
        };
    }

    private static UrlMap mount(String prefixes) {
        UrlMap.Builder builder = UrlMap.builder();
        for (String prefix : prefixes.split(" ")) {
            builder.mount(prefix, echo(prefix));
        }
        return builder.build();
    }

    @DisplayName("M2-M5: the request goes to the longest prefix at a '/' boundary, shifted into SCRIPT_NAME")
    @ParameterizedTest(name = "[{0}] {1} + {2} -> {3} with {4} + {5}")
    @CsvSource(delimiter = ';', quoteCharacter = '"', textBlock = """
            # prefixes    ; SCRIPT_NAME ; PATH_INFO          ; app      ; SCRIPT_NAME  ; PATH_INFO
            /api /        ; ""          ; /api               ; /api     ; /api         ; ""
            /api /        ; ""          ; /api/              ; /api     ; /api         ; /
            /api /        ; ""          ; /api/x/y           ; /api     ; /api         ; /x/y
            /api /        ; ""          ; /api//x            ; /api     ; /api         ; //x
            /api /        ; ""          ; /apix              ; /        ; ""           ; /apix
            /api /        ; ""          ; /API               ; /        ; ""           ; /API
            /api /        ; ""          ; /                  ; /        ; ""           ; /
            /api /        ; ""          ; ""                 ; /        ; ""           ; ""
            /api /api/v2  ; ""          ; /api/v2/users      ; /api/v2  ; /api/v2      ; /users
            /api/v2 /api  ; ""          ; /api/v2            ; /api/v2  ; /api/v2      ; ""
            /api /api/v2  ; ""          ; /api/v2x           ; /api     ; /api         ; /v2x
            /api /api/v2  ; ""          ; /api/v1            ; /api     ; /api         ; /v1
            /a/b /a       ; ""          ; /a/b/c             ; /a/b     ; /a/b         ; /c
            /a/b /a       ; ""          ; /a/bc              ; /a       ; /a           ; /bc
            /api          ; /ctx        ; /api/x             ; /api     ; /ctx/api     ; /x
            /api          ; /ctx        ; /api               ; /api     ; /ctx/api     ; ""
            /api /        ; /ctx        ; /other             ; /        ; /ctx         ; /other
            /café         ; ""          ; /café/menü         ; /café    ; /café        ; /menü
            /api          ; ""          ; /other             ; 404      ;              ;
            /api          ; ""          ; /ap                ; 404      ;              ;
            /api          ; ""          ; ""                 ; 404      ;              ;
            /api          ; /ctx        ; /                  ; 404      ;              ;
            /a/b          ; ""          ; /a                 ; 404      ;              ;
            """)
    void routesByLongestPrefixAtSegmentBoundary(String prefixes, String scriptName, String pathInfo,
            String expectedApp, String expectedScriptName, String expectedPathInfo) throws Exception {
        Map<String, Object> environ = Driver.environ(scriptName, pathInfo);

        Driver.Response response = Driver.run(mount(prefixes), environ);

        if (expectedApp.equals("404")) {
            assertEquals("404 Not Found", response.status());
            assertEquals(List.of(new Header("Content-Type", "text/plain; charset=utf-8"),
                    new Header("Content-Length", "10")), response.headers());
            assertEquals("Not Found\n", response.text());
            assertEquals(scriptName, environ.get(Environ.SCRIPT_NAME), "SCRIPT_NAME untouched on 404");
            assertEquals(pathInfo, environ.get(Environ.PATH_INFO), "PATH_INFO untouched on 404");
        } else {
            assertEquals("200 OK", response.status());
            assertEquals(expectedApp + "|" + expectedScriptName + "|" + expectedPathInfo, response.text());
        }
    }

    @Test
    @DisplayName("M4: the shifted environ still passes Lint (SCRIPT_NAME never '/', PATH_INFO '' or '/...')")
    void shiftedEnvironPassesLint() throws Exception {
        Application api = Lint.wrap(echo("api"));
        UrlMap mount = UrlMap.builder().mount("/api", api).mount("/", Lint.wrap(echo("root"))).build();

        for (String scriptName : List.of("", "/ctx")) {
            for (String path : List.of("/api", "/api/", "/api/x", "/", "", "/apix")) {
                Driver.Response response = Driver.run(mount, Driver.environ(scriptName, path));
                assertEquals("200 OK", response.status(), scriptName + path);
            }
        }
    }

    @DisplayName("M1: a prefix that is not '/' must start with '/' and not end with '/'")
    @ParameterizedTest(name = "prefix \"{0}\" is refused")
    @ValueSource(strings = {"", "api", "api/", "/api/", "//", "/a/b/"})
    void malformedPrefixIsRefusedNamingIt(String prefix) {
        UrlMap.Builder builder = UrlMap.builder();
        Application app = echo("x");

        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> builder.mount(prefix, app));

        assertTrue(e.getMessage().contains("'" + prefix + "'"), e.getMessage());
    }

    @DisplayName("M1: two mounts on one prefix are refused")
    @ParameterizedTest(name = "\"{0}\" twice")
    @ValueSource(strings = {"/", "/api"})
    void duplicatePrefixIsRefused(String prefix) {
        UrlMap.Builder builder = UrlMap.builder().mount(prefix, echo("first"));

        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> builder.mount(prefix, echo("second")));

        assertTrue(e.getMessage().contains("'" + prefix + "'"), e.getMessage());
    }

    @Test
    @DisplayName("M1: a mount built from a host's map exposes its prefixes in configuration order")
    void mountFromMapExposesPrefixesInOrder() throws Exception {
        Map<String, Application> config = new LinkedHashMap<>();
        config.put("/b", echo("/b"));
        config.put("/", echo("/"));
        config.put("/a/long", echo("/a/long"));

        UrlMap mount = UrlMap.of(config);

        assertEquals(List.of("/b", "/", "/a/long"), mount.prefixes());
        assertEquals("/a/long|/a/long|/x", Driver.run(mount, Driver.environ("", "/a/long/x")).text());
    }

    @Test
    @DisplayName("M1: a map with a malformed prefix is refused like the builder refuses it")
    void mountFromMapRefusesMalformedPrefix() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> UrlMap.of(Map.of("/api/", echo("x"))));

        assertTrue(e.getMessage().contains("'/api/'"), e.getMessage());
    }

    @Test
    @DisplayName("M5: an empty mount answers 404 to everything")
    void emptyMountAnswers404() throws Exception {
        Driver.Response response = Driver.run(UrlMap.builder().build(), Driver.environ());

        assertEquals("404 Not Found", response.status());
    }

    @Test
    @DisplayName("M1: a builder reused after build does not change the mount already built")
    void builtMountIsImmutable() throws Exception {
        UrlMap.Builder builder = UrlMap.builder().mount("/a", echo("/a"));
        UrlMap first = builder.build();

        builder.mount("/", echo("/"));

        assertEquals(List.of("/a"), first.prefixes());
        assertEquals("404 Not Found", Driver.run(first, Driver.environ("", "/z")).status());
    }
}
