package dev.warden.jmh.springapp;

import org.springframework.stereotype.Service;

/** Picks the greeting for a language, falling back to English. */
@Service
public class GreetingService {

    static final String FALLBACK = "en";

    private final GreetingRepository repository;

    public GreetingService(GreetingRepository repository) {
        this.repository = repository;
    }

    public Greeting greet(String language) {
        return repository.findByLanguage(language)
            .or(() -> repository.findByLanguage(FALLBACK))
            .orElseThrow(() -> new IllegalStateException("no greeting in " + FALLBACK));
    }
}
