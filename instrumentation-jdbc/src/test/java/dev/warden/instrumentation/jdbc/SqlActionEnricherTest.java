package dev.warden.instrumentation.jdbc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.InstanceOfAssertFactories.iterable;

import dev.warden.bootstrap.ActionRequest;
import dev.warden.instrumentation.api.ActionDescription;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The facts rules see for a statement, read the way the connection's database reads it. */
class SqlActionEnricherTest {

    private final SqlActionEnricher enricher = new SqlActionEnricher();

    private ActionDescription describe(String sql, String product) {
        Map<String, Object> attributes = new HashMap<>();
        attributes.put("sql", sql);
        if (product != null) {
            attributes.put("db.product", product);
        }
        return enricher.describe(ActionRequest.of("jdbc", attributes));
    }

    @Test
    void functionsAreFactsAndAWritingOneMakesAQueryACall() {
        ActionDescription d = describe("SELECT COUNT(*), FILE_WRITE('x', '/tmp/x') FROM notes", "H2");
        assertThat(d.operation()).isEqualTo("CALL");
        assertThat(d.attributes().get("sql.functions")).asInstanceOf(iterable(String.class))
                .containsExactly("COUNT", "FILE_WRITE");
        assertThat(d.attributes().get("sql.unsafeFunctions")).asInstanceOf(iterable(String.class))
                .containsExactly("FILE_WRITE");
        assertThat(d.summary()).containsEntry("sql.unsafeFunctions", "FILE_WRITE");
    }

    @Test
    void aReadWithoutFunctionsHasEmptyFunctionFacts() {
        ActionDescription d = describe("SELECT body FROM notes WHERE id = ?", "PostgreSQL");
        assertThat(d.operation()).isEqualTo("SELECT");
        assertThat(d.attributes().get("sql.unsafeFunctions")).asInstanceOf(iterable(String.class))
                .isEmpty();
        assertThat(d.summary()).doesNotContainKey("sql.functions");
    }

    @Test
    void theDatabaseProductChoosesTheReadings() {
        String sql = "SELECT 1 AS $a$ ; DELETE FROM notes; SELECT $a$";
        assertThat(describe(sql, "PostgreSQL").attributes()).containsEntry("sql.statements", 1L);
        assertThat(describe(sql, "MariaDB").attributes()).containsEntry("sql.statements", 3L);
        assertThat(describe(sql, "MariaDB").operation()).isEqualTo("DELETE");
        assertThat(describe(sql, null).operation()).as("unknown: every reading").isEqualTo("DELETE");
    }

    /** The rule linter checks rules against the declared facts: a fact described but not declared would be flagged as a typo. */
    @Test
    void everyFactDescribedIsDeclared() {
        Map<String, Object> advice = new HashMap<>();
        advice.put("sql", "SELECT COUNT(*), FILE_WRITE('x', '/tmp/x') FROM notes n JOIN a ON 1=1 -- c");
        advice.put("db.product", "H2");
        advice.put("db.url", "jdbc:h2:mem:x;USER=sa;PASSWORD=pw");
        advice.put("db.user", "sa");
        advice.put("jdbc.method", "executeQuery");
        advice.put("jdbc.prepared", false);
        Map<String, Object> unparseable = new HashMap<>(advice);
        unparseable.put("sql", "SELEKT ((( FROM");
        Map<String, Object> unknownSql = new HashMap<>(advice);
        unknownSql.remove("sql");

        for (Map<String, Object> attributes : List.of(advice, unparseable, unknownSql)) {
            ActionDescription d = enricher.describe(ActionRequest.of("jdbc", attributes));
            assertThat(SqlActionEnricher.FACTS.undeclared(d)).as(d.attributes().keySet().toString()).isEmpty();
        }
        assertThat(SqlActionEnricher.FACTS.declaresOperation("select")).isFalse();
    }
}
