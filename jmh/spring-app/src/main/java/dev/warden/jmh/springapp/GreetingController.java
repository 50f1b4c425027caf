package dev.warden.jmh.springapp;

import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RestController;

/** GET /greetings/{language}: the greeting as JSON. */
@RestController
public class GreetingController {

    private final GreetingService service;

    public GreetingController(GreetingService service) {
        this.service = service;
    }

    @GetMapping("/greetings/{language}")
    public Greeting greeting(@PathVariable String language) {
        return service.greet(language);
    }
}
