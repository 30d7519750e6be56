package org.wsgi4j.sample;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Optional;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.wsgi4j.Environ;
import org.wsgi4j.sample.TestRequest.Response;

class InspectAppTest {

    private final InspectApp app = new InspectApp();

    private static TestRequest request() {
        return TestRequest.get("/ctx/inspect", "/a b").query("x=1&y=%C3%A9").header("X-Request-Id", "abc-123");
    }

    @Test
    @DisplayName("JSON shows the request keys exactly as the environ has them (E1-E9)")
    void jsonShowsTheRequestKeys() throws Exception {
        JsonNode report = request().query("x=1&format=json").call(app).json();
        JsonNode request = report.get("request");
        assertEquals("GET", request.get("REQUEST_METHOD").asText());
        assertEquals("/ctx/inspect", request.get("SCRIPT_NAME").asText());
        assertEquals("/a b", request.get("PATH_INFO").asText());
        assertEquals("/ctx/inspect/a%20b?x=1&format=json", request.get("REQUEST_URI").asText());
        assertEquals("x=1&format=json", request.get("QUERY_STRING").asText());
        assertEquals("http", request.get("wsgi.url_scheme").asText());
        assertEquals("sample.test", request.get("SERVER_NAME").asText());
        assertEquals("8080", request.get("SERVER_PORT").asText());
        assertEquals("HTTP/1.1", request.get("SERVER_PROTOCOL").asText());
        assertEquals("127.0.0.1", request.get("REMOTE_ADDR").asText());
        assertEquals("54321", request.get("REMOTE_PORT").asText());
        assertTrue(request.get("HTTPS").isNull(), "absent keys are null");
        assertEquals("http://sample.test:8080/ctx/inspect/a%20b?x=1&format=json", report.get("url").asText());
        assertEquals("abc-123", report.get("headers").get("HTTP_X_REQUEST_ID").asText());
        assertEquals("sample.test:8080", report.get("headers").get("HTTP_HOST").asText());
    }

    @Test
    @DisplayName("other environ keys show their Java type, and their value only when it is plain data")
    void otherKeysShowTheirTypes() throws Exception {
        JsonNode environ = request().body("text/plain", "hidden").header("Accept", "application/json").call(app)
                .json().get("environ");
        assertEquals("java.io.ByteArrayInputStream", environ.get("wsgi.input").get("type").asText());
        assertFalse(environ.get("wsgi.input").has("value"), "a stream has no value to show");
        assertEquals("[1,0]", environ.get("wsgi.version").get("value").toString());
        assertEquals("java.lang.Boolean", environ.get("wsgi.input_terminated").get("type").asText());
        assertEquals("6", environ.get("CONTENT_LENGTH").get("value").asText());
        assertFalse(environ.has("HTTP_HOST"), "headers are listed apart");
        assertFalse(environ.has("SCRIPT_NAME"), "request keys are listed apart");
    }

    @Test
    @DisplayName("the body is never read")
    void theBodyIsNeverRead() throws Exception {
        GeneratedInput input = new GeneratedInput(1000);
        assertEquals(200, TestRequest.of("POST", "/inspect", "").chunked("text/plain", input).call(app).code());
        assertEquals(0, input.consumed());
    }

    @ParameterizedTest(name = "Accept ''{0}'', query ''{1}'' -> {2}")
    @CsvSource(value = {
            "application/json, '', application/json",
            "'application/json;q=0.9, text/html', '', application/json",
            "'text/html, application/json', '', text/html; charset=utf-8",
            "'text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8', '', text/html; charset=utf-8",
            "*/*, '', text/html; charset=utf-8",
            "'', format=json, application/json",
            "application/json, format=html, text/html; charset=utf-8",
            "application/json, format=%zz, application/json"}, emptyValue = "")
    @DisplayName("?format= wins; otherwise JSON when Accept lists application/json before text/html")
    void contentNegotiation(String accept, String query, String type) throws Exception {
        TestRequest request = TestRequest.get("/inspect", "").query(query);
        if (!accept.isEmpty()) {
            request.header("Accept", accept);
        }
        Response response = request.call(app);
        assertEquals(200, response.code());
        assertEquals(Optional.of(type), response.header("Content-Type"));
        assertEquals(Optional.of("Accept"), response.header("Vary"));
        assertEquals(Optional.of("no-store"), response.header("Cache-Control"));
    }

    @Test
    @DisplayName("the HTML page escapes everything the client controls")
    void htmlEscapesEverything() throws Exception {
        String page = TestRequest.get("/inspect", "/<b>").query("q=<i>")
                .header("X-Evil", "<script>alert('x')</script>").call(app).text();
        assertFalse(page.contains("<script>"), page);
        assertFalse(page.contains("<b>") || page.contains("<i>"), page);
        assertTrue(page.contains("&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt;"), page);
        assertTrue(page.contains("<title>Inspect: GET /inspect/&lt;b&gt;</title>"), page);
    }

    @Test
    @DisplayName("the HTML page shows absent keys as absent and links to the same report as JSON")
    void htmlLinksToJsonAndShowsAbsentKeys() throws Exception {
        String page = TestRequest.get("/ctx/inspect", "/p").query("a=1&format=html").set(Environ.REMOTE_PORT, null)
                .call(app).text();
        assertTrue(page.contains("<a href=\"/ctx/inspect/p?a=1&amp;format=json\">"), page);
        assertTrue(page.contains("<tr><th>REMOTE_PORT</th><td class=\"muted\">(absent)</td></tr>"), page);
        assertTrue(page.contains("<tr><th>HTTP_HOST</th><td>sample.test:8080</td></tr>"), page);
    }

    @ParameterizedTest(name = "{0} {1}:{2} -> {3}")
    @CsvSource({
            "http, example.org, 80, http://example.org/inspect",
            "https, example.org, 443, https://example.org/inspect",
            "http, example.org, 8443, http://example.org:8443/inspect"})
    @DisplayName("without a Host header the URL is rebuilt from SERVER_NAME and a non-default SERVER_PORT (PEP 3333)")
    void urlWithoutHostHeader(String scheme, String name, String port, String url) throws Exception {
        JsonNode report = TestRequest.get("/inspect", "").query("format=json").set("HTTP_HOST", null)
                .set(Environ.WSGI_URL_SCHEME, scheme).set(Environ.SERVER_NAME, name).set(Environ.SERVER_PORT, port)
                .set(Environ.REQUEST_URI, "/inspect").call(app).json();
        assertEquals(url, report.get("url").asText());
    }
}
