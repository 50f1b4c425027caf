package dev.warden.instrumentation.http;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** A query's keys as the servers behind a rule read them. */
class QueryKeysTest {

    @Test
    void aKeyWithBracketsIsListedWithTheParameterItNames() {
        assertThat(QueryKeys.of("delete%5B%5D=42&x=1&delete[id]=7").keys()).containsExactly("delete[]", "delete", "x", "delete[id]");
        assertThat(QueryKeys.of("delete%5B%5D=42").count()).isEqualTo(1);
    }

    /** Keys without '=' searched the rest of the query each: a long query of flags cost its length squared. */
    @Test
    void aQueryOfFlagsIsReadInOnePass() {
        StringBuilder query = new StringBuilder();
        for (int i = 0; i < 200_000; i++) {
            query.append(i == 0 ? "" : "&").append('k').append(i);
        }
        String flags = query.toString();

        QueryKeys keys = QueryKeys.of(flags);

        assertThat(keys.count()).isEqualTo(200_000);
        assertThat(keys.keys()).hasSize(HttpRequestFacts.MAX_NAMES).startsWith("k0", "k1");
        assertThat(QueryKeys.of("a&b=1&c").keys()).isEqualTo(List.of("a", "b", "c"));
    }
}
