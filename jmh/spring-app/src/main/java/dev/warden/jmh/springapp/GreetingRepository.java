package dev.warden.jmh.springapp;

import java.util.Optional;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Repository;

/** Reads greetings with a prepared statement, as a JDBC repository does. */
@Repository
public class GreetingRepository {

    private final JdbcTemplate jdbc;

    public GreetingRepository(JdbcTemplate jdbc) {
        this.jdbc = jdbc;
    }

    public Optional<Greeting> findByLanguage(String language) {
        return jdbc.query("SELECT language, text FROM greetings WHERE language = ?",
                (row, n) -> new Greeting(row.getString("language"), row.getString("text")), language)
            .stream().findFirst();
    }
}
