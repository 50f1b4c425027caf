package dev.warden.bootstrap.jdbc;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** What a connection URL tells the driver to run while connecting is read the way H2 reads it. */
class JdbcActionsTest {

    @Test
    void theInitSettingOfAUrlIsItsSqlWithEscapedSemicolons() {
        assertThat(JdbcActions.urlSetting("jdbc:h2:mem:x;INIT=INSERT INTO pwned VALUES (1)\\;DROP TABLE notes;MODE=MySQL", "INIT"))
                .isEqualTo("INSERT INTO pwned VALUES (1);DROP TABLE notes");
        assertThat(JdbcActions.urlSetting("jdbc:h2:mem:x;init=RUNSCRIPT FROM 'x.sql'", "INIT")).isEqualTo("RUNSCRIPT FROM 'x.sql'");
        assertThat(JdbcActions.urlSetting("jdbc:h2:mem:x;INIT=SELECT 1;INIT=DELETE FROM notes", "INIT")).isEqualTo("DELETE FROM notes");
    }

    @Test
    void aUrlWithoutTheSettingHasNone() {
        assertThat(JdbcActions.urlSetting("jdbc:postgresql://127.0.0.1/test", "INIT")).isNull();
        assertThat(JdbcActions.urlSetting("jdbc:h2:mem:x;MODE=MySQL;", "INIT")).isNull();
        assertThat(JdbcActions.urlSetting(null, "INIT")).isNull();
    }
}
