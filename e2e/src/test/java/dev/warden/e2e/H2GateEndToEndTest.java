package dev.warden.e2e;

import dev.warden.e2e.host.JdbcHost;
import dev.warden.receipts.Receipt;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * An unchanged JDBC application on embedded H2, run with only {@code -javaagent}: scenarios S1
 * (row limit and redaction) and S8 (injection guardrails), refusals that never reach the database,
 * bad SQL, and one verified receipt per decision.
 */
class H2GateEndToEndTest {

    @TempDir
    static Path workspace;

    private static String url;
    private static HostJvm.Result host;
    private static List<Receipt> receipts;
    private static Receipts.Verification verification;

    private static final List<String> STEPS = List.of(
            /* 0 */ "query:SELECT * FROM customers WHERE country = 'US'",
            /* 1 */ "prepared:SELECT * FROM orders WHERE id = ?|1",
            /* 2 */ "query:SELECT 1; DROP TABLE customers",
            /* 3 */ "query:SELECT * FROM orders WHERE id = 5 OR 1=1",
            /* 4 */ "query:SELECT * FROM orders WHERE id = 1 -- AND customer_id = 2",
            /* 5 */ "update:DELETE FROM orders",
            /* 6 */ "update:DROP TABLE customers",
            /* 7 */ "update:INSERT INTO orders VALUES (999, 1, 5)",
            /* 8 */ "execute:SELECT name, email FROM customers WHERE country = 'US'",
            /* 9 */ "batch:INSERT INTO orders VALUES (1000, 1, 1);;DELETE FROM orders WHERE id = 1",
            /* 10 */ "query:SELEC * FORM customers",
            /* 11 */ "query:SELECT * FROM \"客户\"",
            /* 12 */ "large:1048576",
            /* 13 */ "query:SELECT * FROM customers JOIN orders ON orders.customer_id = customers.id WHERE orders.id = 2");

    @BeforeAll
    static void runHost() throws Exception {
        url = "jdbc:h2:file:" + workspace.resolve("shop") + ";DB_CLOSE_DELAY=0";
        Fixtures.createShop(url, "sa", "");
        try (Connection connection = DriverManager.getConnection(url, "sa", "");
             Statement statement = connection.createStatement()) {
            statement.execute("CREATE TABLE \"客户\" (id INT)");
        }
        Receipts store = Receipts.in(workspace);
        host = HostJvm.withAgent(store.agentArguments()).withRules("jdbc").run(JdbcHost.class, args(STEPS));
        // The statements' receipts; H2 opening its own files is recorded on the file surface too.
        receipts = store.all().stream().filter(receipt -> receipt.surface().equals("jdbc")).toList();
        verification = store.verify();
    }

    private static List<String> args(List<String> steps) {
        List<String> arguments = new java.util.ArrayList<>(List.of(url, "sa", ""));
        arguments.addAll(steps);
        return arguments;
    }

    @Test
    void theHostRunsToTheEndWhateverIsRefused() {
        assertThat(host.exitCode()).as(host.toString()).isZero();
        assertThat(host.lines()).contains("DONE");
    }

    @Test
    void piiReadsAreCappedAtOneThousandRowsWithContactDetailsRedacted() {
        assertThat(host.step(0))
                .startsWith("OK step=0 rows=1000 ")
                .contains("name=Customer 1,", "email=[REDACTED]", "phone=[REDACTED]", "ssn=[REDACTED]", "country=US")
                .doesNotContain("@example.com", "555-", "123-45");
    }

    @Test
    void resultsFetchedAfterExecuteAreRestrictedToo() {
        assertThat(host.step(8)).isEqualTo("OK step=8 rows=1000 first=name=Customer 1,email=[REDACTED]");
    }

    @Test
    void parameterisedQueriesPass() {
        assertThat(host.step(1)).startsWith("OK step=1 rows=1 first=id=1,customer_id=1,amount=100");
        assertThat(host.step(7)).isEqualTo("OK step=7 updated=1");
    }

    @Test
    void injectionPatternsAreRefusedWithTheSpecifiedException() {
        assertThat(host.step(2)).startsWith("DENIED step=2 state=42501 cause=ActionDeniedException message=warden: denied by stacked statements: stacked statements are an injection risk (receipt ");
        assertThat(host.step(3)).contains("DENIED step=3", "denied by tautologies");
        assertThat(host.step(4)).contains("DENIED step=4", "denied by comments");
    }

    @Test
    void whatNoRulePermitsIsRefusedByDefault() {
        assertThat(host.step(5)).contains("DENIED step=5", "denied by default-deny: no rule permits jdbc DELETE on orders");
        assertThat(host.step(6)).contains("DENIED step=6", "default-deny");
    }

    @Test
    void refusedStatementsNeverReachTheDatabase() throws Exception {
        assertThat(Fixtures.tableExists(url, "sa", "", "customers")).isTrue();
        assertThat(Fixtures.count(url, "sa", "", "SELECT COUNT(*) FROM customers")).isEqualTo(Fixtures.US_CUSTOMERS + 20);
        assertThat(Fixtures.count(url, "sa", "", "SELECT COUNT(*) FROM orders WHERE id <= 10")).isEqualTo(10);
        assertThat(Fixtures.count(url, "sa", "", "SELECT COUNT(*) FROM orders WHERE id = 999")).isEqualTo(1);
    }

    @Test
    void aBatchWithARefusedStatementNeverRuns() throws Exception {
        assertThat(host.step(9)).contains("DENIED step=9", "default-deny");
        assertThat(Fixtures.count(url, "sa", "", "SELECT COUNT(*) FROM orders WHERE id = 1000")).isZero();
    }

    @Test
    void sqlThatDoesNotParseOrIsHugeIsDecidedAndRecorded() {
        assertThat(host.step(10)).contains("DENIED step=10", "denied by unclassifiable SQL");
        assertThat(host.step(12)).contains("DENIED step=12", "statement too large to classify");
    }

    @Test
    void unicodeAndQuotedIdentifiersAreClassified() {
        assertThat(host.step(11)).isEqualTo("OK step=11 rows=0 first=");
    }

    @Test
    void joinsAreJudgedOnEveryTable() {
        assertThat(host.step(13)).startsWith("OK step=13 rows=1 ").contains("email=[REDACTED]", "amount=200");
    }

    @Test
    void everyDecisionHasExactlyOneReceiptRecordedBeforeTheStatementRan() {
        // 14 steps; the batch step makes two decisions (one per addBatch).
        assertThat(receipts).hasSize(STEPS.size() + 1);
        assertThat(receipts).extracting(Receipt::surface).containsOnly("jdbc");
        Receipt pii = receipts.get(0);
        assertThat(pii.outcome()).isEqualTo("PERMIT");
        assertThat(pii.rules()).containsExactly("PII reads are limited and redacted");
        assertThat(pii.obligations()).containsEntry("maxRows", "1000").containsEntry("redact", "email,phone,ssn");
        assertThat(pii.summary()).containsEntry("labels", "pii").containsEntry("sql.tables", "customers");
        assertThat(pii.summary().get("sql.shape")).doesNotContain("'US'");
        assertThat(receipts.get(2).outcome()).isEqualTo("DENY");
        assertThat(receipts.get(5).outcome()).isEqualTo("SILENCE");
        assertThat(receipts).allSatisfy(receipt -> assertThat(receipt.enforced()).isTrue());
    }

    @Test
    void theDenialMessageNamesTheReceiptThatRecordsIt() {
        String receiptId = host.step(2).replaceAll(".*\\(receipt ([0-9a-f-]+)\\)$", "$1");
        assertThat(receipts).anySatisfy(receipt -> {
            assertThat(receipt.id()).isEqualTo(receiptId);
            assertThat(receipt.rules()).containsExactly("stacked statements");
        });
    }

    @Test
    void theAuditorsVerifierAcceptsTheReceipts() {
        assertThat(verification.exitCode()).as(verification.output()).isZero();
    }
}
