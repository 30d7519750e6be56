package org.wsgi4j.spring.sample;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;

/**
 * A Spring Boot application serving a controller ({@link GreetingController}, {@code /hello}) and a
 * wsgi4j application ({@link EchoApplication}, {@code /wsgi}) side by side; Actuator lists the mount
 * at {@code /actuator/wsgi4j}.
 */
@SpringBootApplication
public class SampleApplication {

    public static void main(String[] args) {
        SpringApplication.run(SampleApplication.class, args);
    }
}
