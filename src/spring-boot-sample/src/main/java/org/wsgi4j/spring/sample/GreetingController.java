package org.wsgi4j.spring.sample;

import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/** An ordinary Spring MVC controller, served by the DispatcherServlet at {@code /}. */
@RestController
public class GreetingController {

    @GetMapping("/hello")
    public String hello(@RequestParam(name = "name", defaultValue = "world") String name) {
        return "Hello, " + name + ", from Spring MVC\n";
    }
}
