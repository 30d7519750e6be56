package org.wsgi4j.spring;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import jakarta.servlet.ServletContext;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.function.LongSupplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.wsgi4j.conformance.Await;
import org.wsgi4j.conformance.RawHttpConnection;
import org.wsgi4j.conformance.RawRequest;
import org.wsgi4j.conformance.RawResponse;

/**
 * A wsgi4j application beside a Spring MVC controller in one Boot application on a real embedded
 * server: both answer, requests to the mount show up in Boot's {@code http.server.requests} with the
 * mount as URI template, and the Actuator endpoint {@code wsgi4j} lists the mount with its request
 * count; {@code wsgi4j.limit-post} turns a larger declared body away with 413. Subclasses name the server; the POM puts only that server on the class path.
 */
@SpringBootTest(classes = SideBySideApplication.class, webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        properties = {"management.endpoints.web.exposure.include=wsgi4j", "spring.main.banner-mode=off",
                "wsgi4j.limit-post=1KB"})
abstract class BootHostChecks {

    private static final Duration OBSERVATION_WAIT = Duration.ofSeconds(10);

    @LocalServerPort
    private int port;

    @Autowired
    private ServletContext servletContext;

    @Autowired
    private MeterRegistry meters;

    @Autowired
    private Wsgi4jMounts mounts;

    /** How the server names itself in {@code ServletContext.getServerInfo()}, e.g. {@code "Apache Tomcat/"}. */
    protected abstract String serverInfoPrefix();

    @Test
    void runsOnTheServerItNames() {
        assertThat(servletContext.getServerInfo()).startsWith(serverInfoPrefix());
    }

    @Test
    void controllerAndApplicationAnswerSideBySide() throws IOException {
        RawResponse mvc = get("/hello");
        RawResponse wsgi = get("/wsgi/a/b");
        assertThat(mvc.status()).as(mvc.describe()).isEqualTo(200);
        assertThat(mvc.bodyText()).isEqualTo("Spring MVC");
        assertThat(wsgi.status()).as(wsgi.describe()).isEqualTo(200);
        assertThat(wsgi.bodyText()).isEqualTo("wsgi4j /wsgi /a/b");
    }

    @Test
    void requestsToAMountAreObservedWithTheMountAsUriTemplate() throws Exception {
        long before = timerCount("/wsgi/**");
        assertThat(get("/wsgi/observed/1").status()).isEqualTo(200);
        assertThat(get("/wsgi").status()).isEqualTo(200);
        awaitCount(() -> timerCount("/wsgi/**"), before + 2);
        assertThat(meters.get("http.server.requests").tag("uri", "/wsgi/**").tag("status", "200")
                .tag("outcome", "SUCCESS").timer().count()).isGreaterThanOrEqualTo(before + 2);
    }

    @Test
    void controllerRequestsKeepTheirOwnUriTemplate() throws Exception {
        long before = timerCount("/hello");
        assertThat(get("/hello").status()).isEqualTo(200);
        awaitCount(() -> timerCount("/hello"), before + 1);
    }

    @Test
    void endpointListsTheMountWithItsApplicationAndRequestCount() throws IOException {
        assertThat(get("/wsgi/counted").status()).isEqualTo(200);
        long requests = mounts.find("wsgi").orElseThrow().requests();
        RawResponse endpoint = get("/actuator/wsgi4j");
        assertThat(endpoint.status()).as(endpoint.describe()).isEqualTo(200);
        String json = endpoint.bodyText().replace(" ", "");
        assertThat(json).contains("\"name\":\"wsgi\"", "\"path\":\"/wsgi\"", "\"servletMapping\":\"/wsgi/*\"",
                "\"uriTemplate\":\"/wsgi/**\"", "\"declaredBy\":\"@Mount(\\\"/wsgi\\\")onbean'wsgi'\"",
                "\"application\":\"" + SideBySideApplication.class.getName());
        Matcher count = Pattern.compile("\"requests\":(\\d+)").matcher(json);
        assertThat(count.find()).as(json).isTrue();
        assertThat(Long.parseLong(count.group(1))).isEqualTo(requests).isPositive();
    }

    @ParameterizedTest(name = "{0} bytes declared: {1}")
    @CsvSource({"1023, 200", "1024, 200", "1025, 413"})
    void limitPostPropertyTurnsALargerDeclaredBodyAway(int length, int status) throws IOException {
        RawResponse response = RawHttpConnection.exchange(new InetSocketAddress("127.0.0.1", port),
                RawRequest.post("/wsgi/upload", new byte[length]));
        assertThat(response.status()).as(response.describe()).isEqualTo(status);
    }

    private RawResponse get(String target) throws IOException {
        return RawHttpConnection.exchange(new InetSocketAddress("127.0.0.1", port), RawRequest.get(target));
    }

    private long timerCount(String uri) {
        Timer timer = meters.find("http.server.requests").tag("uri", uri).timer();
        return timer == null ? 0 : timer.count();
    }

    /** The observation stops after the response went out, so the client may see it first. */
    private static void awaitCount(LongSupplier count, long expected) throws Exception {
        Await.until("the observation count to reach " + expected, OBSERVATION_WAIT,
                () -> count.getAsLong() >= expected);
        assertThat(count.getAsLong()).isEqualTo(expected);
    }
}
