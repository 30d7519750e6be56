package org.wsgi4j.spring.sample;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.InetSocketAddress;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.boot.SpringApplication;
import org.springframework.context.ConfigurableApplicationContext;
import org.wsgi4j.conformance.RawHttpConnection;
import org.wsgi4j.conformance.RawRequest;
import org.wsgi4j.conformance.RawResponse;

/** The sample started as a user starts it, through its {@code main} class, on a free port. */
class SampleApplicationTest {

    private static ConfigurableApplicationContext sample;
    private static InetSocketAddress address;

    @BeforeAll
    static void start() {
        sample = SpringApplication.run(SampleApplication.class, "--server.port=0", "--spring.main.banner-mode=off");
        address = new InetSocketAddress("127.0.0.1",
                Integer.parseInt(sample.getEnvironment().getProperty("local.server.port")));
    }

    @AfterAll
    static void stop() {
        if (sample != null) {
            sample.close();
        }
    }

    @Test
    void controllerAnswers() throws IOException {
        RawResponse response = get("/hello?name=sample");
        assertThat(response.status()).as(response.describe()).isEqualTo(200);
        assertThat(response.bodyText()).isEqualTo("Hello, sample, from Spring MVC\n");
    }

    @Test
    void wsgiApplicationAnswersBesideIt() throws IOException {
        RawResponse response = get("/wsgi/some/path");
        assertThat(response.status()).as(response.describe()).isEqualTo(200);
        assertThat(response.bodyText()).isEqualTo("Hello from wsgi4j: GET SCRIPT_NAME=/wsgi PATH_INFO=/some/path\n");
    }

    @Test
    void actuatorListsTheMount() throws IOException {
        RawResponse response = get("/actuator/wsgi4j");
        assertThat(response.status()).as(response.describe()).isEqualTo(200);
        assertThat(response.bodyText()).contains("\"path\":\"/wsgi\"", EchoApplication.class.getName());
    }

    private static RawResponse get(String target) throws IOException {
        return RawHttpConnection.exchange(address, RawRequest.get(target));
    }
}
