package dev.warden.agent.lint;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class SuggestionsTest {

    @Test
    void typosSwapsAndCaseFindTheNameButDistantWordsDoNot() {
        List<String> known = List.of("url.host", "url.path", "sql.tables", "SELECT", "jdbc");

        assertThat(Suggestions.closest("url.hots", known)).contains("url.host");
        assertThat(Suggestions.closest("jbdc", known)).contains("jdbc");
        assertThat(Suggestions.closest("select", known)).contains("SELECT");
        assertThat(Suggestions.closest("selct", known)).contains("SELECT");
        assertThat(Suggestions.closest("process.program", known)).isEmpty();
        assertThat(Suggestions.hint("zzz", known)).isEmpty();
    }
}
