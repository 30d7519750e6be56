package org.wsgi4j.spring;

import java.util.List;
import java.util.Map;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Import;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;
import org.wsgi4j.Application;
import org.wsgi4j.Bodies;
import org.wsgi4j.Environ;
import org.wsgi4j.Header;
import org.wsgi4j.servlet.Mount;

/** A controller and a wsgi4j application in one Boot application, with Actuator. */
@SpringBootConfiguration(proxyBeanMethods = false)
@EnableAutoConfiguration
@Import(SideBySideApplication.Hello.class)
class SideBySideApplication {

    @Bean
    @Mount("/wsgi")
    Application wsgi() {
        return (Map<String, Object> environ, org.wsgi4j.StartResponse startResponse) -> {
            startResponse.start("200 OK", List.of(new Header("Content-Type", "text/plain; charset=utf-8")));
            return Bodies.utf8("wsgi4j " + environ.get(Environ.SCRIPT_NAME) + " " + environ.get(Environ.PATH_INFO));
        };
    }

    @RestController
    static class Hello {

        @GetMapping("/hello")
        String hello() {
            return "Spring MVC";
        }
    }
}
