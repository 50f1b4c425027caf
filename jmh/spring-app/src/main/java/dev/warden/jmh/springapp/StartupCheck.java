package dev.warden.jmh.springapp;

import org.springframework.boot.ApplicationArguments;
import org.springframework.boot.ApplicationRunner;
import org.springframework.stereotype.Component;

/**
 * Queries the database once before the application is ready, as applications that check their data at
 * start do: a start whose query failed (or was refused) must not be timed as a start.
 */
@Component
public class StartupCheck implements ApplicationRunner {

    private final GreetingService service;

    public StartupCheck(GreetingService service) {
        this.service = service;
    }

    @Override
    public void run(ApplicationArguments args) {
        Greeting greeting = service.greet(GreetingService.FALLBACK);
        if (!greeting.language().equals(GreetingService.FALLBACK)) {
            throw new IllegalStateException("unexpected greeting " + greeting);
        }
    }
}
