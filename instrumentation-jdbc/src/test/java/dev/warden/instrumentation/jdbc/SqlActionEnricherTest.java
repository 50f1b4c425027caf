package dev.warden.instrumentation.jdbc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.InstanceOfAssertFactories.iterable;

import dev.warden.bootstrap.ActionRequest;
import dev.warden.bootstrap.jdbc.JdbcActions;
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

    @Test
    void anExecutionGivenNoSqlSaysSo() {
        ActionDescription none = enricher.describe(new ActionRequest("jdbc", null, null,
                Map.of(JdbcActions.NULL_SQL, true, "db.product", "H2", "jdbc.method", "execute", "jdbc.prepared", false)));
        ActionDescription unknown = enricher.describe(new ActionRequest("jdbc", null, null,
                Map.of("db.product", "H2", "jdbc.method", "execute", "jdbc.prepared", true)));

        assertThat(none.attributes()).containsEntry("sql.parseError", "no SQL (null)").doesNotContainKey(JdbcActions.NULL_SQL);
        assertThat(none.summary()).containsEntry("sql.parseError", "no SQL (null)");
        assertThat(unknown.attributes().get("sql.parseError")).asString().contains("unknown");
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

        Map<String, Object> switched = new HashMap<>(unknownSql);
        switched.put("jdbc.method", "setCatalog");
        switched.put("jdbc.use", "other");
        switched.put("jdbc.schema", "earlier");
        Map<String, Object> fastpath = new HashMap<>(unknownSql);
        fastpath.put("jdbc.method", "fastpath");
        fastpath.put("jdbc.function", 3826L);

        for (Map<String, Object> attributes : List.of(advice, unparseable, unknownSql, switched, fastpath)) {
            ActionDescription d = enricher.describe(ActionRequest.of("jdbc", attributes));
            assertThat(SqlActionEnricher.FACTS.undeclared(d)).as(d.attributes().keySet().toString()).isEmpty();
        }
        assertThat(SqlActionEnricher.FACTS.declaresOperation("select")).isFalse();
    }

    /** A switch of catalog or schema is no SQL: its own operation, the name as its target, and so in the receipt. */
    @Test
    void aSwitchIsAUseOfItsCatalogOrSchema() {
        Map<String, Object> attributes = new HashMap<>(Map.of("jdbc.method", "setSchema", "jdbc.use", "PRIVATE",
                "db.product", "H2", "jdbc.catalog", "earlier"));
        ActionDescription d = enricher.describe(ActionRequest.of("jdbc", attributes));
        assertThat(d.operation()).isEqualTo("USE");
        assertThat(d.target()).isEqualTo("PRIVATE");
        assertThat(d.targets()).containsExactly("PRIVATE");
        assertThat(d.attributes()).doesNotContainKey("sql.parseError");
        assertThat(d.summary()).containsEntry("jdbc.use", "PRIVATE").containsEntry("jdbc.catalog", "earlier");
        assertThat(enricher.recorded(d.operation(), d.target(), d.summary()).targets()).containsExactly("PRIVATE");
    }

    /** A fastpath call names a server function only by its OID: a CALL of that OID. */
    @Test
    void aFastpathCallIsACallOfItsFunctionsOid() {
        ActionDescription d = enricher.describe(ActionRequest.of("jdbc", Map.of("jdbc.method", "fastpath", "jdbc.function", 3826L)));
        assertThat(d.operation()).isEqualTo("CALL");
        assertThat(d.target()).isEqualTo("3826");
        assertThat(d.summary()).containsEntry("jdbc.function", "3826");
        assertThat(SqlActionEnricher.FACTS.declaresOperation("USE")).isTrue();
    }
}
