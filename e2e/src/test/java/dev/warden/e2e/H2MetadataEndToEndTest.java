package dev.warden.e2e;

import dev.warden.e2e.host.H2MetadataHost;
import dev.warden.receipts.Receipt;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static dev.warden.e2e.DirectSql.run;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * H2 answers {@code DatabaseMetaData} without SQL, so an embedded H2's schema (its tables, a secret table's column
 * names, its row counts through {@code getIndexInfo}) reached the host with no decision and no receipt, where pgjdbc
 * and MariaDB run SQL on their catalogs for the same calls. Each answer is now decided as the read of H2's
 * {@code INFORMATION_SCHEMA} it is: under a policy that reads one table it is refused, with a receipt naming the
 * metadata method; under one that also reads the schema it works. The application also hands a statement
 * {@code null} SQL, which is refused as what it is, and wraps its connection in one whose {@code getMetaData} reads
 * the schema when Warden asks it for the connection's URL: that read is the host's, decided like any other.
 *
 * <p>A host JVM with only {@code -javaagent} on an embedded H2 file database; the receipts are checked with the
 * verifier. With the previous build every metadata call answered, with no receipt, and {@code execute(null)} was
 * refused as SQL "unknown (created before Warden started?)".
 */
class H2MetadataEndToEndTest {

    private static final List<String> STEPS = List.of(
            /* 0 */ "tables",
            /* 1 */ "columns:MD_SECRETS",
            /* 2 */ "indexes:MD_SECRETS",
            /* 3 */ "keys:MD_SECRETS",
            /* 4 */ "procedures",
            /* 5 */ "privileges:MD_SECRETS",
            /* 6 */ "types",
            /* 7 */ "query:SELECT body FROM md_notes",
            /* 8 */ "null:execute",
            /* 9 */ "null:executeQuery",
            /* 10 */ "null:addBatch",
            /* 11 */ "wrapped:SELECT body FROM md_notes");

    /** The metadata method of each step that reads the schema, and the INFORMATION_SCHEMA tables it is described as reading. */
    private static final List<Map.Entry<String, String>> READS = List.of(
            Map.entry("getTables", "information_schema.tables"),
            Map.entry("getColumns", "information_schema.columns"),
            Map.entry("getIndexInfo", "information_schema.index_columns,information_schema.indexes,information_schema.tables"),
            Map.entry("getPrimaryKeys", "information_schema.key_column_usage,information_schema.table_constraints"),
            Map.entry("getProcedures", "information_schema.routines"),
            Map.entry("getTablePrivileges", "information_schema.table_privileges"));

    @TempDir
    Path workspace;

    @Test
    void underAPolicyThatReadsOneTableTheSchemaIsRefusedWithReceipts() throws Exception {
        Run run = runHost("h2-metadata");

        for (int step = 0; step < READS.size(); step++) {
            Receipt receipt = run.first(READS.get(step).getKey());
            assertThat(run.host.step(step)).as(READS.get(step).getKey())
                    .startsWith("DENIED step=" + step + " state=42501 cause=ActionDeniedException message=warden: denied by default-deny")
                    .endsWith("(receipt " + receipt.id() + ")");
            assertThat(receipt.outcome()).isEqualTo("SILENCE");
        }
        assertThat(run.host.stdout()).as("no table or column name of the schema").doesNotContain("MD_SECRET", "MD_NOTES");
        assertThat(run.host.step(7)).isEqualTo("OK step=7 rows=1 first=body=a note");
        // The ride on Warden's own read of the connection: refused like the application's own call, the query still runs.
        assertThat(run.host.step(11)).startsWith("OK step=11 rows=1 first=body=a note rode=[DENIED step=11 state=42501 "
                + "cause=ActionDeniedException message=warden: denied by default-deny");
        assertThat(run.jdbc).filteredOn(receipt -> "getColumns".equals(receipt.summary().get("jdbc.method"))).hasSize(2)
                .allSatisfy(receipt -> assertThat(receipt.outcome()).isEqualTo("SILENCE"));
        assertThat(run.jdbc).filteredOn(receipt -> receipt.operation().equals("SELECT")
                        && receipt.summary().getOrDefault("sql.tables", "").equals("md_notes"))
                .hasSize(2).allSatisfy(receipt -> assertThat(receipt.outcome()).isEqualTo("PERMIT"));
        theNullSqlIsRefusedAsWhatItIs(run);
    }

    @Test
    void underAPolicyThatReadsTheSchemaTheMetadataCallsWork() throws Exception {
        Run run = runHost("h2-metadata-schema");

        assertThat(run.host.step(0)).startsWith("OK step=0 tables=").contains("MD_NOTES", "MD_SECRETS");
        assertThat(run.host.step(1)).isEqualTo("OK step=1 columns=[ID, MD_SECRET_SSN]");
        assertThat(run.host.step(2)).startsWith("OK step=2 cardinality=[");
        assertThat(run.host.step(3)).isEqualTo("OK step=3 keys=[ID]");
        assertThat(run.host.step(4)).startsWith("OK step=4 procedures=");
        assertThat(run.host.step(5)).startsWith("OK step=5 grantees=");
        assertThat(run.host.step(7)).isEqualTo("OK step=7 rows=1 first=body=a note");
        assertThat(run.host.step(11)).startsWith("OK step=11 rows=1 first=body=a note rode=[columns=[")
                .contains("MD_SECRET_SSN");
        for (Map.Entry<String, String> read : READS) {
            assertThat(run.of(read.getKey())).as(read.getKey()).allSatisfy(receipt -> {
                assertThat(receipt.outcome()).isEqualTo("PERMIT");
                assertThat(receipt.rules()).containsExactly("the schema is readable");
            });
        }
        theNullSqlIsRefusedAsWhatItIs(run);
    }

    /** Every metadata read's receipt, whatever the policy: a SELECT of INFORMATION_SCHEMA naming its method; H2's constants none. */
    private static void everyReadIsRecordedAsASelectOfInformationSchema(Run run) {
        for (Map.Entry<String, String> read : READS) {
            // One receipt per call; getColumns is called twice (step 1, and the wrapper's ride).
            assertThat(run.of(read.getKey())).hasSize(read.getKey().equals("getColumns") ? 2 : 1);
            Receipt receipt = run.first(read.getKey());
            assertThat(receipt.operation()).isEqualTo("SELECT");
            assertThat(receipt.summary()).as(read.getKey()).containsEntry("db.system", "h2")
                    .containsEntry("sql.qualifiedTables", read.getValue())
                    .hasEntrySatisfying("db.url", url -> assertThat(url).startsWith("jdbc:h2:file:").endsWith("/md"))
                    .doesNotContainKey("sql.parseError");
        }
        assertThat(run.host.step(6)).as("getTypeInfo: H2's constants").startsWith("OK step=6 types=");
        assertThat(run.jdbc).noneSatisfy(receipt -> assertThat(receipt.summary().get("jdbc.method")).isEqualTo("getTypeInfo"));
    }

    private static void theNullSqlIsRefusedAsWhatItIs(Run run) {
        everyReadIsRecordedAsASelectOfInformationSchema(run);
        List<String> methods = List.of("execute", "executeQuery", "addBatch");
        List<Receipt> noSql = run.jdbc.stream().filter(receipt -> receipt.summary().containsKey("sql.parseError")).toList();
        assertThat(noSql).extracting(receipt -> receipt.summary().get("jdbc.method")).containsExactlyElementsOf(methods);
        for (int n = 0; n < methods.size(); n++) {
            int step = 8 + n;
            Receipt receipt = noSql.get(n);
            assertThat(run.host.step(step)).as(methods.get(n))
                    .isEqualTo("DENIED step=" + step + " state=42501 cause=ActionDeniedException message=warden: denied by "
                            + "unclassifiable SQL: SQL that cannot be classified is refused: no SQL (null) (receipt " + receipt.id() + ")");
            assertThat(receipt.outcome()).isEqualTo("DENY");
            assertThat(receipt.summary()).containsEntry("sql.parseError", "no SQL (null)");
        }
        assertThat(run.verified).as("the verifier's exit code").isZero();
        assertThat(run.jdbc).as("one receipt per decision: six reads, the ride, two queries, three null SQL").hasSize(12);
    }

    private record Run(HostJvm.Result host, List<Receipt> jdbc, int verified) {
        /** The receipts of calls of {@code method}, in order. */
        List<Receipt> of(String method) {
            return jdbc.stream().filter(receipt -> method.equals(receipt.summary().get("jdbc.method"))).toList();
        }

        /** The first receipt of a call of {@code method}. */
        Receipt first(String method) {
            List<Receipt> of = of(method);
            assertThat(of).as("the receipts of %s", method).isNotEmpty();
            return of.get(0);
        }
    }

    private Run runHost(String rules) throws Exception {
        String url = "jdbc:h2:file:" + workspace.resolve("md") + ";DB_CLOSE_DELAY=0";
        try (Connection db = DriverManager.getConnection(url, "sa", "")) {
            run(db, "CREATE TABLE md_notes(id INT PRIMARY KEY, body VARCHAR(50))", "INSERT INTO md_notes VALUES (1, 'a note')",
                    "CREATE TABLE md_secrets(id INT PRIMARY KEY, md_secret_ssn VARCHAR(11))",
                    "INSERT INTO md_secrets VALUES (1, '123-45-6789')");
        }
        Receipts store = Receipts.in(workspace);
        List<String> arguments = new ArrayList<>(List.of(url, "sa", ""));
        arguments.addAll(STEPS);
        HostJvm.Result host = HostJvm.withAgent(store.agentArguments()).withRules(rules).with("surfaces=jdbc")
                .run(H2MetadataHost.class, arguments);
        assertThat(host.lines()).as(host.toString()).contains("DONE");
        assertThat(host.stdout()).doesNotContain("123-45-6789", "ERROR");
        List<Receipt> jdbc = store.all().stream().filter(receipt -> receipt.surface().equals("jdbc")).toList();
        return new Run(host, jdbc, store.verify().exitCode());
    }
}
