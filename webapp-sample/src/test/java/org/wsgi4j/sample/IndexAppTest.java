package org.wsgi4j.sample;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Optional;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.wsgi4j.sample.TestRequest.Response;

class IndexAppTest {

    private final IndexApp app = new IndexApp();

    @ParameterizedTest(name = "SCRIPT_NAME ''{0}'', PATH_INFO ''{1}''")
    @CsvSource(value = {"'', /, ''", "/wsgi4j-sample, /, /wsgi4j-sample", "/wsgi4j-sample, '', /wsgi4j-sample",
            "/my app, /, /my%20app"}, emptyValue = "")
    @DisplayName("the links are the context path (SCRIPT_NAME, E2) plus each mount point")
    void linksFollowTheContextPath(String scriptName, String pathInfo, String href) throws Exception {
        Response response = TestRequest.get(scriptName, pathInfo).call(app);
        assertEquals(200, response.code());
        assertEquals(Optional.of("text/html; charset=utf-8"), response.header("Content-Type"));
        String page = response.text();
        for (String mount : new String[] {"/inspect", "/api/notes", "/stream/", "/upload", "/files/"}) {
            assertTrue(page.contains("<a href=\"" + href + mount + "\">"), mount + " in " + page);
        }
        assertTrue(page.startsWith("<!DOCTYPE html>"));
        assertTrue(page.contains("<style>") && page.contains("border-collapse"), "the bundled CSS is inlined");
    }

    @Test
    @DisplayName("a hostile context path cannot inject markup")
    void contextPathIsEscaped() throws Exception {
        String page = TestRequest.get("/x\"><script>alert(1)</script>", "/").call(app).text();
        assertFalse(page.contains("<script>"), page);
        assertTrue(page.contains("/x%22%3E%3Cscript%3Ealert(1)%3C/script%3E/inspect"), page);
        assertTrue(page.contains("<code>/x&quot;&gt;&lt;script&gt;"), page);
    }

    @Test
    @DisplayName("as the root mount it answers 404 for any other path, 405 with Allow for other methods")
    void otherPathsAndMethods() throws Exception {
        assertEquals(404, TestRequest.get("/ctx", "/nothing-here").call(app).code());
        Response response = TestRequest.of("POST", "/ctx", "/").call(app);
        response.assertMethodNotAllowed("GET, HEAD");
    }
}
