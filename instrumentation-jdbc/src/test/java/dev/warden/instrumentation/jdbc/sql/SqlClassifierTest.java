package dev.warden.instrumentation.jdbc.sql;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class SqlClassifierTest {

    private static final String SQL_CHARS = "'\";-/*#$[]`(){}?=<>! \n\\1a.eExX";

    private final SqlClassifier classifier = new SqlClassifier(10_000, 64 * 1024);

    private SqlClassification classify(String sql) {
        return classifier.classify(sql);
    }

    /**
     * PostgreSQL's functional notation: {@code (x).f} is {@code f(x)} where {@code x} has no field {@code f}, with no
     * parenthesis after the name (a review: {@code ('/etc/passwd'::text).pg_read_file} read a server file, and
     * {@code (body).sr_bump} ran a writing function, as SELECT with no function).
     */
    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "SELECT ('/etc/passwd'::text).pg_read_file|PG_READ_FILE",
            "SELECT (body).sr_bump FROM notes|SR_BUMP",
            "SELECT ?.lo_import|LO_IMPORT",
            "SELECT (SELECT body FROM notes LIMIT 1).sr_bump|SR_BUMP",
            "SELECT ('/x')  .  \"pg_read_file\"|PG_READ_FILE",
            "SELECT (array['/x'])[1].pg_read_file|PG_READ_FILE",
            "SELECT body FROM notes WHERE ('/x').pg_read_file IS NOT NULL|PG_READ_FILE"})
    void aNameAfterAParenthesisAndADotIsACallInPostgresql(String sql, String function) {
        SqlClassification classification = classifier.classify(sql, "postgresql");

        assertThat(classification.unsafeFunctions()).contains(function);
        assertThat(classification.operation()).isEqualTo("CALL");
    }

    @Test
    void aBuiltInReadByFunctionalNotationStaysARead() {
        SqlClassification classification = classifier.classify("SELECT (body).length, n.body FROM notes n", "postgresql");

        assertThat(classification.operation()).isEqualTo("SELECT");
        assertThat(classification.functions()).containsExactly("LENGTH");
    }

    /**
     * JDBC escape syntax is rewritten by the driver after Warden decided, by the driver's own reading of the text
     * (a security review: pgjdbc copies {@code {fn ...}} raw to the next brace, comments included; MariaDB
     * Connector/J drops a quote in {@code {fn convert(x, '...')}}; pgjdbc's {@code {call f(1), other}} becomes
     * {@code select * from f(1), other as result}). A brace anywhere is refused, but for one whole-statement call.
     */
    @Nested
    class JdbcEscapeSyntax {

        private static final String REFUSED = "JDBC escape syntax";

        @ParameterizedTest
        @ValueSource(strings = {
                // the review's attacks: pgjdbc ran the DELETE, MariaDB read the secrets and wrote a server file
                "SELECT {fn lower(body) /* *}/ FROM notes; DELETE FROM secrets; SELECT 1 -- */ } FROM notes",
                "SELECT {fn convert(body, 'y, BOOLEAN')} FROM notes WHERE body <> ' FROM notes; DELETE FROM secrets; -- '",
                "SELECT {fn convert(body, 'y, BOOLEAN')} FROM notes WHERE body <> ', (SELECT group_concat(body) FROM secrets)"
                        + " FROM notes INTO OUTFILE \"/tmp/x\" -- '",
                // every other escape, harmless or not
                "SELECT {fn lower(body)} FROM notes",
                "SELECT body FROM notes WHERE created > {d '2024-01-01'}",
                "SELECT body FROM notes WHERE created > {ts '2024-01-01 00:00:00'}",
                "SELECT body FROM {oj notes LEFT OUTER JOIN tags ON notes.id = tags.id}",
                "SELECT body FROM notes WHERE body LIKE '%x%' {escape '\\'}",
                // a brace where the database reads a string or a comment: the driver's lexer is not the database's
                "SELECT '{\"a\": 1}'::jsonb FROM notes",
                "SELECT body FROM notes WHERE tags = '{1,2}'",
                "SELECT body FROM notes -- }",
                "SELECT body FROM notes /* { */",
        })
        void aBraceOutsideAWholeStatementCallIsRefusedOnEveryDatabase(String sql) {
            for (String system : new String[] {null, "postgresql", "mariadb", "h2", "sqlite"}) {
                SqlClassification c = classifier.classify(sql, system);
                assertThat(c.parseError()).as("%s on %s", sql, system).startsWith(REFUSED);
                assertThat(c.operation()).as("%s on %s", sql, system).isEqualTo("DDL");
                assertThat(c.tables()).isEmpty();
            }
        }

        @ParameterizedTest
        @CsvSource(delimiter = '|', value = {
                "{call get_note(?)}                       | CALL get_note(?)",
                "{? = call get_note(?, ?)}                | CALL get_note(?, ?)",
                "  { ?=call get_note }                    | CALL get_note()",
                "{CALL notes_api.get_note(1, 'a')}        | CALL notes_api.get_note(1, 'a')",
                "{call `GetNote`(1)}                      | CALL `GetNote`(1)",
        })
        void aWholeStatementCallIsReadAsTheCallEveryDriverMakesOfIt(String sql, String read) {
            assertThat(JdbcEscapes.call(sql)).isEqualTo(read);
            SqlClassification c = classify(sql);
            assertThat(c.parseError()).isNull();
            assertThat(c.operation()).isEqualTo("CALL");
            assertThat(c.tables()).isEmpty();
            assertThat(c.functions()).hasSize(1).allMatch(name -> name.endsWith("GET_NOTE") || name.equals("GETNOTE"));
        }

        @Test
        void aCallsArgumentsAreReadAsAQueryWouldBe() {
            SqlClassification c = classify("{call get_note((SELECT body FROM secrets), lower(?))}");
            assertThat(c.parseError()).isNull();
            assertThat(c.operation()).isEqualTo("CALL");
            assertThat(c.tables()).containsExactly("secrets");
            assertThat(c.functions()).contains("GET_NOTE", "LOWER");
            assertThat(classifier.classify("{call \"GetNote\"(1)}", "postgresql").functions()).containsExactly("\"GetNote\"".toUpperCase()
                    .replace("\"", ""));
        }

        @ParameterizedTest
        @ValueSource(strings = {
                // pgjdbc: select * from get_note(1), secrets as result
                "{call get_note(1), secrets}",
                "{call get_note(1), (SELECT body FROM secrets)}",
                "{? = call get_note(1) , (SELECT body FROM secrets)}",
                "{call get_note(1)} ; DELETE FROM secrets",
                "{call get_note(1); DELETE FROM secrets}",
                "{call get_note(1 -- )}",
                "{call get_note(1) /* nothing may follow, not even a comment */}",
                "{call get_note('}')}",
                "{call get_note({fn lower(?)})}",
                "{call get_note(1)} {call get_note(2)}",
                "{call}",
                "{call (SELECT body FROM secrets)}",
                // keywords before a parenthesis: select * from only(secrets) as result reads a table on PostgreSQL
                "{call only(secrets)}",
                "{call lateral((SELECT body FROM secrets))}",
                "{call get_note /* x */ (1)}",
                "{call \"get note\"(1)}",
        })
        void aCallWithAnythingBesideItIsRefused(String sql) {
            for (String system : new String[] {null, "postgresql", "mariadb", "h2", "sqlite"}) {
                assertRefused(sql, system);
            }
        }

        /** Arguments that close early only as one database reads them: that reading is applied too. */
        @Test
        void aCallWhoseArgumentsCloseEarlyUnderOneReadingIsRefused() {
            assertRefused("{call get_note(E'\\'' ) , (SELECT body FROM secrets) -- ')}", "postgresql");
            assertRefused("{call get_note('a\\' ) , (SELECT body FROM secrets) -- ')}", "mariadb");
            assertRefused("{call get_note(1 /*! ) , (SELECT body FROM secrets) -- */ )}", "mariadb");
        }

        private void assertRefused(String sql, String system) {
            SqlClassification c = classifier.classify(sql, system);
            assertThat(c.parseError()).as("%s on %s", sql, system).isNotNull().startsWith("JDBC");
            assertThat(c.operation()).as("%s on %s", sql, system).isEqualTo("DDL");
            assertThat(c.tables()).as("%s on %s", sql, system).isEmpty();
        }
    }

    /**
     * A statement that is not data access is ranked by what it can do, not below a read: stacked after a permitted
     * {@code SELECT}, {@code SET PASSWORD} or {@code SET GLOBAL init_connect = '...'} used to make the whole string a
     * {@code SELECT} (a security review ran both on H2 and MariaDB).
     */
    @Nested
    class StatementsBesideARead {

        @ParameterizedTest
        @ValueSource(strings = {
                "SELECT * FROM accounts; SET PASSWORD 'pwned'",
                "SELECT * FROM accounts; SET REFERENTIAL_INTEGRITY FALSE",
                "SELECT * FROM accounts; SET GLOBAL init_connect = 'INSERT INTO victim VALUES (1)'",
                "SELECT * FROM accounts; SET search_path = other",
                "SELECT * FROM accounts; SET session_replication_role = replica",
                "SELECT * FROM accounts; RESET ALL",
                "SELECT * FROM accounts; USE other_db",
                "SELECT * FROM accounts; FROBNICATE the database",
        })
        void aStatementThatChangesWhatLaterOnesDoOrIsNotKnownIsDdlBesideARead(String sql) {
            SqlClassification c = classify(sql);
            assertThat(c.statementCount()).isEqualTo(2);
            assertThat(c.operation()).as(sql).isEqualTo("DDL");
        }

        /** What JSqlParser keeps unread is ranked by its first keyword: a driver's own SHOW, an administrator's START SLAVE. */
        @Test
        void aStatementTheParserKeepsUnreadIsRankedByItsKeyword() {
            assertThat(classify("SHOW TRANSACTION ISOLATION LEVEL").operation()).isEqualTo("SELECT");
            assertThat(classify("SELECT * FROM accounts; START SLAVE").operation()).isEqualTo("DDL");
        }

        @ParameterizedTest
        @ValueSource(strings = {"SELECT * FROM accounts; COMMIT", "SELECT * FROM accounts; ROLLBACK",
                "BEGIN; SELECT * FROM accounts", "SELECT * FROM accounts; SAVEPOINT s1"})
        void transactionControlBesideAReadLeavesARead(String sql) {
            assertThat(classify(sql).operation()).as(sql).isEqualTo("SELECT");
        }

        @Test
        void theTablesASetReadsAreTables() {
            SqlClassification c = classify("SELECT * FROM accounts; SET @x = (SELECT s FROM secrets)");
            assertThat(c.tables()).containsExactly("accounts", "secrets");
            assertThat(c.parseError()).isNull();
        }

        @Test
        void showColumnsNamesItsTable() {
            SqlClassification c = classify("SHOW COLUMNS FROM secrets");
            assertThat(c.operation()).isEqualTo("SELECT");
            assertThat(c.tables()).containsExactly("secrets");
        }

        @Test
        void aViewRedefinedOverATableNamesBoth() {
            SqlClassification c = classify("ALTER VIEW v AS SELECT * FROM secrets");
            assertThat(c.operation()).isEqualTo("DDL");
            assertThat(c.tables()).containsExactly("secrets", "v");
        }

        @Test
        void aStatementWhoseTablesCannotBeListedSaysSo() {
            SqlClassification c = classify("CREATE SYNONYM s FOR secrets");
            assertThat(c.operation()).isEqualTo("DDL");
            assertThat(c.parseError()).contains("cannot be listed");
        }

        /** Another schema's table of an allowed name is not the allowed table: its qualified name is a target too. */
        @Test
        void aSchemaQualifiedTableIsATargetByBothNames() {
            SqlClassification c = classify("SELECT * FROM private.accounts JOIN notes n ON n.id = 1");
            assertThat(c.tables()).containsExactly("accounts", "notes");
            assertThat(c.targets()).containsExactly("accounts", "notes", "private.accounts");
            assertThat(c.schemaQualified()).containsExactly("private.accounts");
            assertThat(classify("SELECT * FROM accounts").targets()).containsExactly("accounts");
        }
    }

    @Nested
    class Operation {

        @ParameterizedTest(name = "{0} -> {1}")
        @CsvSource(delimiter = '|', value = {
            "SELECT name FROM accounts WHERE id = 42                                      | SELECT",
            "select * from t                                                             | SELECT",
            "(SELECT a FROM t) UNION (SELECT a FROM u)                                    | SELECT",
            "VALUES (1, 2)                                                                | SELECT",
            "INSERT INTO accounts (id, name) VALUES (1, 'bob')                            | INSERT",
            "REPLACE INTO accounts VALUES (1, 'bob')                                      | INSERT",
            "UPDATE accounts SET name = 'x' WHERE id = 1                                  | UPDATE",
            "DELETE FROM accounts WHERE id = 1                                            | DELETE",
            "MERGE INTO t USING s ON (t.id = s.id) WHEN MATCHED THEN UPDATE SET t.v = s.v | MERGE",
            "MERGE INTO t USING s ON (t.id = s.id) WHEN MATCHED THEN DELETE               | DELETE",
            "MERGE INTO t USING s ON (t.id = s.id) WHEN MATCHED THEN UPDATE SET t.v = s.v DELETE WHERE t.v = 0 | DELETE",
            "MERGE INTO t USING s ON t.id = s.id WHEN MATCHED AND s.v > 0 THEN UPDATE SET t.v = s.v WHEN MATCHED THEN DELETE | DELETE",
            "CREATE TABLE t (id INT, name VARCHAR(255))                                   | DDL",
            "ALTER TABLE t ADD COLUMN c INT                                               | DDL",
            "DROP TABLE customers                                                         | DDL",
            "TRUNCATE TABLE customers                                                     | DDL",
            "RENAME TABLE a TO b                                                          | DDL",
            "GRANT SELECT ON t TO bob                                                     | DDL",
            "REVOKE SELECT ON t FROM bob                                                  | DDL",
            "COMMENT ON TABLE t IS 'the table'                                            | DDL",
            "CREATE INDEX i ON t (a)                                                      | DDL",
            "CALL refresh_totals(1)                                                       | CALL",
            "EXEC refresh_totals 1                                                        | CALL",
            "{call refresh_totals(?)}                                                     | CALL",
            "{? = call refresh_totals(?, ?)}                                              | CALL",
            "SET search_path = 'x'                                                        | DDL",
            "COMMIT                                                                       | OTHER",
        })
        void isClassified(String sql, String operation) {
            SqlClassification c = classify(sql);
            assertThat(c.operation()).isEqualTo(operation);
            assertThat(c.parseError()).isNull();
        }

        @Test
        void aDataModifyingCteIsTheDmlItWraps() {
            SqlClassification c = classify("WITH gone AS (DELETE FROM orders WHERE id = 1 RETURNING *) SELECT * FROM gone");
            assertThat(c.operation()).isEqualTo("DELETE");
            assertThat(c.tables()).containsExactly("orders");
        }

        @Test
        void explainAnalyzeIsTheStatementItRuns() {
            assertThat(classify("EXPLAIN ANALYZE DELETE FROM orders").operation()).isEqualTo("DELETE");
        }

        @Test
        void anUnparseableStatementFallsBackToItsFirstKeyword() {
            SqlClassification c = classify("DROP TABLE IF EXISTS ,,, garbage (((");
            assertThat(c.operation()).isEqualTo("DDL");
            assertThat(c.parseError()).isNotNull();
        }

        @Test
        void anUnparseableStatementWithAnUnknownFirstKeywordIsDdl() {
            SqlClassification c = classify("FROBNICATE the database");
            assertThat(c.operation()).isEqualTo("DDL");
            assertThat(c.parseError()).isNotNull();
        }

        @Test
        void anUnparseableCteFallsBackToTheKeywordAfterTheCtes() {
            SqlClassification c = classify("WITH x AS (SELECT 1) DELETE FROM orders WHERE ,,,");
            assertThat(c.parseError()).isNotNull();
            assertThat(c.operation()).isEqualTo("DELETE");
        }
    }

    @Nested
    class Tables {

        @Test
        void joinsAreAllTables() {
            SqlClassification c = classify(
                    "SELECT c.name, o.total FROM public.customers c JOIN sales.orders o ON o.customer_id = c.id "
                            + "LEFT JOIN items i ON i.order_id = o.id WHERE c.id = 7");
            assertThat(c.tables()).containsExactly("customers", "items", "orders");
            assertThat(c.qualifiedTables()).containsExactly("items", "public.customers", "sales.orders");
        }

        @Test
        void subqueriesAreTables() {
            SqlClassification c = classify(
                    "SELECT * FROM accounts WHERE id IN (SELECT account_id FROM (SELECT * FROM audit) a WHERE x = 1)");
            assertThat(c.tables()).containsExactly("accounts", "audit");
        }

        @Test
        void cteBodiesAreTablesButCteNamesAreNot() {
            SqlClassification c = classify(
                    "WITH recent AS (SELECT * FROM orders WHERE ts > '2024-01-01') SELECT * FROM RECENT r JOIN customers c ON c.id = r.cid");
            assertThat(c.tables()).containsExactly("customers", "orders");
        }

        @Test
        void aCteNameDoesNotHideARealTableInTheNextStatement() {
            SqlClassification c = classify("WITH customers AS (SELECT 1) SELECT * FROM customers; DELETE FROM customers");
            assertThat(c.tables()).containsExactly("customers");
            assertThat(c.operation()).isEqualTo("DELETE");
        }

        @Test
        void insertSelectHasTargetAndSource() {
            SqlClassification c = classify("INSERT INTO archive (id, total) SELECT id, total FROM orders WHERE total > 100");
            assertThat(c.tables()).containsExactly("archive", "orders");
            assertThat(c.columns()).contains("id", "total");
        }

        @Test
        void updateFromHasTargetAndSource() {
            SqlClassification c = classify("UPDATE accounts SET balance = b.amount FROM balances b WHERE accounts.id = b.id");
            assertThat(c.operation()).isEqualTo("UPDATE");
            assertThat(c.tables()).containsExactly("accounts", "balances");
            assertThat(c.columns()).contains("balance", "amount", "id");
        }

        @Test
        void deleteHasItsTargetAndSubqueryTables() {
            SqlClassification c = classify("DELETE FROM sessions WHERE user_id IN (SELECT id FROM users WHERE banned = 1)");
            assertThat(c.tables()).containsExactly("sessions", "users");
        }

        @Test
        void mergeHasTargetAndSource() {
            SqlClassification c = classify("MERGE INTO stock t USING deliveries d ON (t.item = d.item) "
                    + "WHEN MATCHED THEN UPDATE SET t.qty = t.qty + d.qty WHEN NOT MATCHED THEN INSERT (item, qty) VALUES (d.item, d.qty)");
            assertThat(c.tables()).containsExactly("deliveries", "stock");
            assertThat(c.columns()).contains("item", "qty");
        }

        @Test
        void ddlNamesItsTable() {
            assertThat(classify("DROP TABLE Sales.Customers").qualifiedTables()).containsExactly("sales.customers");
            assertThat(classify("TRUNCATE TABLE customers").tables()).containsExactly("customers");
        }

        @Test
        void catalogAndSchemaAreKeptInQualifiedNames() {
            SqlClassification c = classify("SELECT * FROM warehouse.public.customers");
            assertThat(c.tables()).containsExactly("customers");
            assertThat(c.qualifiedTables()).containsExactly("warehouse.public.customers");
        }

        @Test
        void setsIterateSorted() {
            SqlClassification c = classify("SELECT zeta, alpha FROM zz JOIN aa ON zz.id = aa.id JOIN mm ON mm.id = aa.id");
            assertThat(c.tables()).containsExactly("aa", "mm", "zz");
            assertThat(c.columns()).containsExactly("alpha", "id", "zeta");
        }
    }

    @Nested
    class Columns {

        @Test
        void selectListWhereAndSetAreColumns() {
            assertThat(classify("SELECT name, email FROM users WHERE id = 1").columns())
                    .containsExactly("email", "id", "name");
            assertThat(classify("UPDATE users SET email = 'a@b.c' WHERE id = 1").columns())
                    .containsExactly("email", "id");
        }

        @Test
        void starSelectIsStar() {
            assertThat(classify("SELECT * FROM users").columns()).containsExactly("*");
            assertThat(classify("SELECT u.* FROM users u").columns()).containsExactly("*");
        }

        @Test
        void countStarIsNotAStarSelect() {
            assertThat(classify("SELECT COUNT(*) FROM users").columns()).doesNotContain("*");
        }

        @Test
        void quotedColumnsAreUnquotedAndLowerCased() {
            assertThat(classify("SELECT \"Email\", `Phone` FROM users").columns()).containsExactly("email", "phone");
        }

        /** What a redaction by result name cannot reach (a ninth review): every use but a plain result column. */
        @Test
        void computedColumnsAreEveryUseButAPlainResultColumn() {
            assertThat(classify("SELECT name, u.email, * FROM users u").computedColumns()).isEmpty();
            assertThat(classify("SELECT name, LOWER(email) AS contact FROM users WHERE ssn LIKE '1%' ORDER BY phone")
                    .computedColumns()).containsExactly("email", "phone", "ssn");
            assertThat(classify("SELECT email AS name FROM users").computedColumns()).containsExactly("email");
            assertThat(classify("SELECT name FROM users UNION ALL SELECT ssn FROM users").computedColumns())
                    .containsExactly("name", "ssn");
            assertThat(classify("SELECT c.* FROM (SELECT id, phone AS contact FROM users) c").computedColumns())
                    .containsExactly("id", "phone");
            assertThat(classify("SELECT * FROM (SELECT * FROM users) c").computedColumns()).containsExactly("*");
            assertThat(classify("SELECT * FROM users AS u(a, b, c)").computedColumns()).containsExactly("*");
            assertThat(classify("SELECT u FROM users u").computedColumns()).contains("*");
            assertThat(classify("SELECT to_json(users) FROM users").computedColumns()).contains("*");
            assertThat(classify("SELECT name FROM users; SELECT email FROM users").computedColumns())
                    .containsExactly("email", "name");
        }

        /**
         * A tenth review: what a write returns reaches the host past no plain result name ({@code RETURNING}, under an
         * alias or whole), and a query over H2's data change delta tables is the write it holds.
         */
        @Test
        void whatAWriteReturnsIsComputedAndAQueryOverAWriteIsThatWrite() {
            assertThat(classifier.classify("UPDATE users SET name = name RETURNING ssn AS x", "postgresql").computedColumns())
                    .contains("ssn");
            assertThat(classifier.classify("DELETE FROM users RETURNING *", "mariadb").computedColumns()).contains("*");
            assertThat(classifier.classify("INSERT INTO users (name) VALUES ('x') RETURNING email", "sqlite").computedColumns())
                    .contains("email");
            assertThat(classifier.classify("SELECT ssn FROM FINAL TABLE (UPDATE users SET name = name)", "h2").operation())
                    .isEqualTo("UPDATE");
            assertThat(classifier.classify("SELECT * FROM OLD TABLE (DELETE FROM users)", "h2").operation()).isEqualTo("DELETE");
            // INSERT INTO and MERGE INTO in a query: its INTO makes it DDL, which ranks above any write.
            assertThat(classifier.classify("SELECT * FROM NEW TABLE (INSERT INTO users (name) VALUES ('x'))", "h2").operation())
                    .isEqualTo("DDL");
            assertThat(classifier.classify("SELECT * FROM FINAL TABLE (MERGE INTO users KEY (id) VALUES (1, 'x'))", "h2")
                    .operation()).isEqualTo("DDL");
        }
    }

    @Nested
    class StackedStatements {

        @Test
        void aSelectFollowedByADropIsTwoStatementsAndDdl() {
            SqlClassification c = classify("SELECT 1; DROP TABLE customers");
            assertThat(c.statementCount()).isEqualTo(2);
            assertThat(c.operation()).isEqualTo("DDL");
            assertThat(c.tables()).containsExactly("customers");
        }

        @Test
        void theMostDangerousPartWins() {
            assertThat(classify("SELECT * FROM a; UPDATE b SET x = 1; INSERT INTO c VALUES (1)").operation())
                    .isEqualTo("UPDATE");
            assertThat(classify("DELETE FROM a; UPDATE b SET x = 1").operation()).isEqualTo("DELETE");
        }

        @Test
        void tablesAndColumnsAreTheUnion() {
            SqlClassification c = classify("SELECT name FROM users; SELECT total FROM orders");
            assertThat(c.tables()).containsExactly("orders", "users");
            assertThat(c.columns()).containsExactly("name", "total");
        }

        @Test
        void oneTrailingSemicolonIsNotASecondStatement() {
            SqlClassification c = classify("SELECT * FROM users;  ");
            assertThat(c.statementCount()).isEqualTo(1);
            assertThat(c.parseError()).isNull();
        }

        @Test
        void anUnparseableStackStillCountsAndGuessesEachPart() {
            SqlClassification c = classify("SELECT * FROM ((( ; TRUNCATE customers ,,,");
            assertThat(c.statementCount()).isEqualTo(2);
            assertThat(c.operation()).isEqualTo("DDL");
            assertThat(c.parseError()).isNotNull();
        }
    }

    @Nested
    class Tautologies {

        @ParameterizedTest
        @ValueSource(strings = {
            "SELECT * FROM users WHERE id = 5 OR 1=1",
            "SELECT * FROM users WHERE id = 5 OR 'a'='a'",
            "SELECT * FROM users WHERE id = 5 OR 1",
            "SELECT * FROM users WHERE id = 5 OR TRUE",
            "SELECT * FROM users WHERE name = '' OR 2 > 1 -- ",
            "SELECT * FROM users WHERE (id = 5 OR 1 = 1)",
            "SELECT * FROM users WHERE 1 = 1 AND id = 5",
            "SELECT * FROM users WHERE id = 5 OR -1 = -1",
            "SELECT * FROM users WHERE 1",
            "SELECT * FROM users u JOIN roles r ON 1 WHERE u.id = 2",
            "SELECT * FROM users WHERE id = 5 || 1",
            "DELETE FROM users WHERE id = 5 OR 'x' LIKE 'x'",
            "SELECT * FROM users WHERE name = 'x' OR 1=1AND id = 2",
        })
        void literalComparisonsAndBareTruthValuesAreFlagged(String sql) {
            assertThat(classify(sql).literalComparison()).as(sql).isTrue();
        }

        @ParameterizedTest
        @ValueSource(strings = {
            "SELECT * FROM users WHERE id = 1",
            "SELECT * FROM users WHERE a = b",
            "SELECT * FROM users WHERE id = ? OR name = ?",
            "SELECT * FROM users WHERE x + 1 = 2",
            "SELECT * FROM users WHERE 2 = x + 1",
            "SELECT * FROM users WHERE id IN (1, 2, 3) ORDER BY 1 LIMIT 10",
            "SELECT 1",
            "SELECT * FROM users WHERE id BETWEEN 1 AND 10",
            "SELECT * FROM users WHERE name = '1=1' AND note = 'OR 1'",
            "UPDATE users SET a = 1, b = 2 WHERE id = 3",
        })
        void ordinaryConditionsAreNot(String sql) {
            assertThat(classify(sql).literalComparison()).as(sql).isFalse();
        }
    }

    @Nested
    class Comments {

        @Test
        void aTrailingLineCommentIsNotedAndLeftOutOfTheShape() {
            SqlClassification c = classify("SELECT * FROM t WHERE id = 1 -- AND owner = 'x'");
            assertThat(c.hasComment()).isTrue();
            assertThat(c.shape()).isEqualTo("SELECT * FROM t WHERE id = ?");
            assertThat(c.columns()).containsExactly("*", "id");
        }

        @Test
        void blockCommentsBetweenKeywordsActAsWhitespace() {
            SqlClassification c = classify("SELECT/**/*/**/FROM/**/users/**/UNION/**/SELECT/**/*/**/FROM/**/secrets");
            assertThat(c.hasComment()).isTrue();
            assertThat(c.shape()).isEqualTo("SELECT * FROM users UNION SELECT * FROM secrets");
            assertThat(c.tables()).containsExactly("secrets", "users");
        }

        @Test
        void aHashCommentIsAComment() {
            SqlClassification c = classify("SELECT * FROM t WHERE id = 1 # AND owner = 'x'");
            assertThat(c.hasComment()).isTrue();
            assertThat(c.shape()).isEqualTo("SELECT * FROM t WHERE id = ?");
        }

        @Test
        void aSemicolonInsideACommentIsNoStatementBreak() {
            SqlClassification c = classify("SELECT 1 /* ; DROP TABLE x; */ FROM dual -- ; DELETE FROM y");
            assertThat(c.statementCount()).isEqualTo(1);
            assertThat(c.operation()).isEqualTo("SELECT");
        }

        @Test
        void mysqlExecutableCommentsAreCode() {
            SqlClassification c = classify("SELECT 1 /*!50000 ; DROP TABLE customers */");
            assertThat(c.hasComment()).isTrue();
            assertThat(c.statementCount()).isEqualTo(2);
            assertThat(c.operation()).isEqualTo("DDL");
        }

        @Test
        void noCommentNoFlag() {
            assertThat(classify("SELECT * FROM t WHERE id = 1").hasComment()).isFalse();
        }

        @Test
        void aHashCommentCannotHideAStatementFromSqlServerReadings() {
            // SQL Server reads #tmp as a temp table, so "; DROP ..." is a second statement there.
            SqlClassification c = classify("SELECT * FROM #tmp; DROP TABLE customers");
            assertThat(c.statementCount()).isEqualTo(2);
            assertThat(c.operation()).isEqualTo("DDL");
        }

        @Test
        void tightDashesCannotHideAStatementFromMysqlReadings() {
            // MySQL: "1--1" is 1 - -1, not a comment, so the DROP runs.
            SqlClassification c = classify("SELECT 1--1; DROP TABLE customers");
            assertThat(c.statementCount()).isEqualTo(2);
            assertThat(c.operation()).isEqualTo("DDL");
        }
    }

    @Nested
    class Literals {

        @Test
        void aSemicolonOrDashesInsideAStringAreData() {
            SqlClassification c = classify("SELECT * FROM notes WHERE body = 'a; DROP TABLE x; -- b' AND id = 2");
            assertThat(c.statementCount()).isEqualTo(1);
            assertThat(c.hasComment()).isFalse();
            assertThat(c.operation()).isEqualTo("SELECT");
            assertThat(c.shape()).isEqualTo("SELECT * FROM notes WHERE body = ? AND id = ?");
        }

        @Test
        void doubledQuotesStayInsideTheLiteral() {
            SqlClassification c = classify("SELECT * FROM t WHERE name = 'O''Brien; --' AND x = 1");
            assertThat(c.statementCount()).isEqualTo(1);
            assertThat(c.hasComment()).isFalse();
            assertThat(c.shape()).isEqualTo("SELECT * FROM t WHERE name = ? AND x = ?");
        }

        @Test
        void aBackslashEscapedQuoteCannotHideAStatementFromMysqlReadings() {
            // Standard SQL: one string 'a\'' ... '; MySQL: 'a\'' ends early and the DROP runs.
            SqlClassification c = classify("SELECT * FROM t WHERE name = 'a\\'' ; DROP TABLE customers; -- '");
            assertThat(c.statementCount()).isEqualTo(2);
            assertThat(c.operation()).isEqualTo("DDL");
            assertThat(c.hasComment()).isTrue();
        }

        @Test
        void numbersOfEveryFormAreMasked() {
            assertThat(classify("SELECT a FROM t WHERE x = 42 AND y = -3.14 AND z = 1.5e-3 AND h = 0xFF AND d = .5").shape())
                    .isEqualTo("SELECT a FROM t WHERE x = ? AND y = -? AND z = ? AND h = ? AND d = ?");
        }

        @Test
        void digitsInsideNamesAreNotLiterals() {
            assertThat(classify("SELECT col1, t2.c_3 FROM table9 t2").shape())
                    .isEqualTo("SELECT col1, t2.c_3 FROM table9 t2");
        }

        @Test
        void prefixedAndDollarQuotedStringsAreMasked() {
            assertThat(classify("SELECT * FROM t WHERE a = E'it\\'s; --' AND b = X'FF' AND c = N'ü' AND d = $$x; y$$ AND e = $q$z$q$").shape())
                    .isEqualTo("SELECT * FROM t WHERE a = ? AND b = ? AND c = ? AND d = ? AND e = ?");
        }

        @Test
        void whitespaceIsCollapsed() {
            assertThat(classify("  SELECT\n\ta ,\r\n  b\n FROM   t  ").shape()).isEqualTo("SELECT a , b FROM t");
        }

        @Test
        void masksThatTheGrammarRejectsStillClassifyFromTheOriginal() {
            SqlClassification c = classify("SELECT CAST(amount AS DECIMAL(10, 2)) FROM payments");
            assertThat(c.shape()).isEqualTo("SELECT CAST(amount AS DECIMAL(?, ?)) FROM payments");
            assertThat(c.parseError()).isNull();
            assertThat(c.tables()).containsExactly("payments");
        }
    }

    @Nested
    class Identifiers {

        @Test
        void quotedNamesThatAreNotWhatAnUnquotedNameFoldsToKeepTheirCaseAndQuotes() {
            // A database of unknown kind folds unquoted names to upper case, as the standard says: "Orders" is not orders.
            SqlClassification c = classify("SELECT * FROM \"Public\".\"Customer Accounts\" JOIN `Orders` ON 1 = 2");
            assertThat(c.tables()).containsExactly("\"Customer Accounts\"", "\"Orders\"");
            assertThat(c.qualifiedTables()).containsExactly("\"Orders\"", "\"Public\".\"Customer Accounts\"");
            assertThat(classify("SELECT * FROM \"ORDERS\" JOIN Orders ON 1 = 2").tables()).containsExactly("orders");
        }

        @Test
        void aSemicolonInsideAQuotedIdentifierIsPartOfTheName() {
            SqlClassification c = classify("SELECT * FROM \"weird;--name\"");
            assertThat(c.statementCount()).isEqualTo(1);
            assertThat(c.hasComment()).isFalse();
            assertThat(c.tables()).containsExactly("\"weird;--name\"");
        }

        @Test
        void squareBracketIdentifiers() {
            SqlClassification c = classify("SELECT [Name] FROM [dbo].[My Table] WHERE [Id] = 3");
            assertThat(c.parseError()).isNull();
            assertThat(c.qualifiedTables()).containsExactly("\"dbo\".\"My Table\"");
            assertThat(c.columns()).containsExactly("id", "name");
            assertThat(classifier.classify("SELECT [Name] FROM [dbo].[My Table]", "sqlserver").qualifiedTables())
                    .as("SQL Server's default collation ignores case").containsExactly("dbo.my table");
        }

        @Test
        void unicodeIdentifiers() {
            assertThat(classify("SELECT * FROM \"客户\"").tables()).containsExactly("客户");
            SqlClassification c = classify("SELECT Ünïcode FROM Täble WHERE größe = 1");
            assertThat(c.tables()).containsExactly("täble");
            assertThat(c.columns()).containsExactly("größe", "ünïcode");
            assertThat(c.shape()).isEqualTo("SELECT Ünïcode FROM Täble WHERE größe = ?");
        }
    }

    @Nested
    class Robustness {

        @Test
        void nullAndEmptyAreEmptyStatements() {
            for (String sql : new String[] {null, "", "   ", "-- just a comment", ";"}) {
                SqlClassification c = classify(sql);
                assertThat(c).as(String.valueOf(sql)).isNotNull();
                assertThat(c.operation()).isEqualTo("OTHER");
                assertThat(c.statementCount()).isZero();
                assertThat(c.tables()).isEmpty();
                assertThat(c.parseError()).isEqualTo("empty statement");
            }
            assertThat(classify("-- just a comment").hasComment()).isTrue();
        }

        @ParameterizedTest
        @ValueSource(strings = {
            "SELEC * FROM",
            "SELECT * FROM t WHERE (((",
            "'unterminated",
            "\"unterminated",
            "/* unterminated",
            "$$ unterminated",
            "SELECT ))))) FROM",
            "}{][)(",
            "\u0000\u0001\u0002\uFFFF\uD800",
        })
        void malformedSqlGivesAParseErrorAndNeverThrows(String sql) {
            SqlClassification c = classify(sql);
            assertThat(c).isNotNull();
            assertThat(c.parseError()).isNotNull();
        }

        @Test
        void binaryJunkNeverThrows() {
            java.util.Random random = new java.util.Random(42);
            for (int i = 0; i < 300; i++) {
                char[] chars = new char[random.nextInt(200)];
                for (int j = 0; j < chars.length; j++) {
                    chars[j] = random.nextBoolean() ? (char) random.nextInt(0x10000) : SQL_CHARS.charAt(random.nextInt(SQL_CHARS.length()));
                }
                assertThat(classify(new String(chars))).isNotNull();
            }
        }

        @Test
        @Timeout(value = 10, unit = TimeUnit.SECONDS)
        void absurdNestingIsReportedNotFollowed() {
            SqlClassification c = classify("SELECT " + "(".repeat(5_000) + "1" + ")".repeat(5_000) + " FROM t");
            assertThat(c.operation()).isEqualTo("SELECT");
            assertThat(c.parseError()).contains("nested");
        }

        @Test
        @Timeout(value = 10, unit = TimeUnit.SECONDS)
        void aMegabyteStatementIsLexedQuicklyButNotParsed() {
            StringBuilder sql = new StringBuilder("SELECT id");
            while (sql.length() < 1 << 20) {
                sql.append(", column_with_a_long_name");
            }
            sql.append(" FROM t; DROP TABLE customers");
            long start = System.nanoTime();
            SqlClassification c = classify(sql.toString());
            long millis = (System.nanoTime() - start) / 1_000_000;
            assertThat(c.parseError()).startsWith("statement too large to classify (").endsWith(" chars)");
            assertThat(c.statementCount()).isEqualTo(2);
            assertThat(c.operation()).isEqualTo("DDL");
            assertThat(millis).isLessThan(2_000);
        }

        @Test
        void aMegabyteOfLiteralHasASmallShapeAndIsParsed() {
            SqlClassification c = classify("INSERT INTO blobs (data) VALUES ('" + "x".repeat(1 << 20) + "')");
            assertThat(c.shape()).isEqualTo("INSERT INTO blobs (data) VALUES (?)");
            assertThat(c.parseError()).isNull();
            assertThat(c.tables()).containsExactly("blobs");
        }

        @Test
        void classificationsAreImmutable() {
            SqlClassification c = classify("SELECT a FROM t");
            assertThat(c.tables()).isUnmodifiable();
            assertThat(c.columns()).isUnmodifiable();
        }
    }

    @Nested
    class Caching {

        @Test
        void theSameShapeWithOtherLiteralsGivesTheSameClassification() {
            SqlClassification first = classify("SELECT name FROM accounts WHERE id = 42 AND region = 'eu'");
            SqlClassification second = classify("SELECT name FROM accounts WHERE id = 7   AND region = 'us'");
            assertThat(second).isSameAs(first);
            assertThat(classifier.cachedShapes()).isEqualTo(1);
        }

        @Test
        void aCachedShapeStillReportsThisCallsComment() {
            SqlClassification plain = classify("SELECT name FROM accounts WHERE id = 42");
            SqlClassification commented = classify("SELECT name FROM accounts WHERE id = 42 -- hi");
            assertThat(commented.hasComment()).isTrue();
            assertThat(plain.hasComment()).isFalse();
            assertThat(commented.tables()).isEqualTo(plain.tables());
            assertThat(classifier.cachedShapes()).isEqualTo(1);
        }

        @Test
        void aPreparedStatementTextIsItsOwnShape() {
            SqlClassification c = classify("SELECT name FROM accounts WHERE id = ?");
            assertThat(c.shape()).isEqualTo("SELECT name FROM accounts WHERE id = ?");
            assertThat(classify("SELECT name FROM accounts WHERE id = 99")).isSameAs(c);
        }

        @Test
        void theCacheDoesNotGrowPastItsBound() {
            SqlClassifier small = new SqlClassifier(100, 64 * 1024);
            for (int i = 0; i < 300; i++) {
                small.classify("SELECT c" + i + " FROM t" + i);
                assertThat(small.cachedShapes()).isLessThanOrEqualTo(100);
            }
            assertThat(small.cachedShapes()).isGreaterThan(0);
        }

        @Test
        void aDisabledCacheStillClassifies() {
            SqlClassifier uncached = new SqlClassifier(0, 64 * 1024);
            assertThat(uncached.classify("DELETE FROM t WHERE id = 1").operation()).isEqualTo("DELETE");
            assertThat(uncached.cachedShapes()).isZero();
        }
    }

    @Test
    void concurrentUseGivesConsistentAnswers() throws Exception {
        SqlClassifier shared = new SqlClassifier(50, 64 * 1024);
        ExecutorService pool = Executors.newFixedThreadPool(4);
        try {
            List<Callable<Void>> tasks = new ArrayList<>();
            for (int t = 0; t < 4; t++) {
                int seed = t;
                tasks.add(() -> {
                    for (int i = 0; i < 200; i++) {
                        int n = (i * 7 + seed) % 60; // more shapes than the cache holds: eviction under contention
                        SqlClassification c = shared.classify("UPDATE t" + n + " SET v = " + i + " WHERE id = " + seed);
                        assertThat(c.operation()).isEqualTo("UPDATE");
                        assertThat(c.tables()).containsExactly("t" + n);
                        assertThat(c.parseError()).isNull();
                        SqlClassification s = shared.classify("SELECT 1; DROP TABLE x" + n);
                        assertThat(s.statementCount()).isEqualTo(2);
                        assertThat(s.operation()).isEqualTo("DDL");
                    }
                    return null;
                });
            }
            for (Future<Void> f : pool.invokeAll(tasks)) {
                f.get();
            }
            assertThat(shared.cachedShapes()).isLessThanOrEqualTo(50);
        } finally {
            pool.shutdownNow();
        }
    }
}
