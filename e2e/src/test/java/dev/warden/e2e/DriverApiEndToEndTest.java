package dev.warden.e2e;

import dev.warden.e2e.host.DriverApiHost;
import dev.warden.receipts.Receipt;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.api.parallel.ResourceLock;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.sql.Connection;
import java.sql.DriverManager;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

import static dev.warden.e2e.DirectSql.count;
import static dev.warden.e2e.DirectSql.run;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Public driver APIs that run SQL, call server functions or change what later SQL touches without
 * an execute method of {@code Statement} (a security review's bypasses): pgjdbc's copy API, its
 * fastpath API and {@code executeWithFlags}; {@code Connection.setCatalog} on MariaDB (its protocol's
 * change-database command) and {@code setSchema} on H2. The policy reads one table, {@code da_accounts};
 * besides, it permits one of each kind by name (a copy of {@code da_accounts} out, {@code pg_backend_pid()}
 * by fastpath, the open tenant's catalog or schema), which must still work.
 *
 * <p>A host JVM with only {@code -javaagent} makes every attack. The side channel is the test's own
 * connection (no agent in this JVM), read after the host exited: no row was written, and what the
 * refused calls would have returned (a secret row, a server file, the private tenant's row) is not in
 * the host's output. Every refusal names its receipt, one per refused call, and the verifier accepts
 * the log; later statements' receipts name the catalog or schema the connection switched to, and not
 * the URL's database.
 */
@ResourceLock(SharedServices.DATABASES)
class DriverApiEndToEndTest {

    private static final String PG_URL = "jdbc:postgresql://127.0.0.1:5432/test";
    private static final String MARIADB_URL = "jdbc:mariadb://127.0.0.1:3306/";

    @TempDir
    Path workspace;

    @Test
    void pgjdbcCopyFastpathAndExecuteWithFlagsAreDecided() throws Exception {
        String fileSecret = "FILE-SECRET-" + UUID.randomUUID();
        Path files = Files.createTempDirectory(Path.of(System.getProperty("java.io.tmpdir")), "warden-driverapi-");
        Files.setPosixFilePermissions(files, PosixFilePermissions.fromString("rwxr-xr-x"));
        Path secretFile = Files.writeString(files.resolve("secret.txt"), fileSecret);
        Files.setPosixFilePermissions(secretFile, PosixFilePermissions.fromString("rw-r--r--"));
        try (Connection db = DriverManager.getConnection(PG_URL, "postgres", "")) {
            run(db, "DROP SCHEMA IF EXISTS warden_da CASCADE", "CREATE SCHEMA warden_da",
                    "CREATE TABLE warden_da.da_accounts(id int, name text)", "INSERT INTO warden_da.da_accounts VALUES (1, 'alice')",
                    "CREATE TABLE warden_da.da_secrets(id int, s text)", "INSERT INTO warden_da.da_secrets VALUES (1, 'TOPSECRET')",
                    "CREATE TABLE warden_da.da_victim(tag text)");
            long readFile = count(db, "SELECT 'pg_read_file(text)'::regprocedure::oid");
            long largeObjects = count(db, "SELECT COUNT(*) FROM pg_largeobject_metadata");

            List<Step> steps = List.of(
                    Step.refused("copy-out:COPY da_secrets TO STDOUT", "DDL"),
                    Step.refused("copy-in:COPY da_victim(tag) FROM STDIN|via-copy-in", "DDL"),
                    Step.refused("copy-dual:COPY da_victim(tag) FROM STDIN", "DDL"),
                    Step.refused("copy-stream:COPY da_victim(tag) FROM STDIN|via-copy-stream", "DDL"),
                    Step.refused("copy-in:INSERT INTO da_victim VALUES ('via-copy-api-insert')|x", "INSERT"),
                    Step.refused("fastpath:" + readFile + "|" + secretFile, "CALL"),
                    Step.refused("fastpath:957", "CALL"), // lo_creat(int): a large object, outside SQL
                    Step.refused("flags:INSERT INTO da_victim VALUES ('via-executeWithFlags')", "INSERT"),
                    Step.refused("prepared-flags:INSERT INTO da_victim VALUES ('via-prepared-executeWithFlags')", "INSERT"),
                    Step.permitted("copy-out:COPY da_accounts TO STDOUT", "DDL", "out=1\talice"),
                    Step.permitted("fastpath:2026", "CALL", "bytes=4"),
                    Step.permitted("flags:SELECT name FROM da_accounts", "SELECT", "results=true"),
                    Step.permitted("query:SELECT name FROM da_accounts", "SELECT", "rows=1 first=name=alice"),
                    // pgjdbc's setSchema sends a SET through a statement: the permitted switch's own part, one receipt.
                    Step.refused("schema:warden_da_private", "USE"),
                    Step.permitted("schema:warden_da_open", "USE", "schema=warden_da_open"));
            Run run = runHost(PG_URL + "?currentSchema=warden_da", "postgres", steps);

            assertThat(count(db, "SELECT COUNT(*) FROM warden_da.da_victim")).as("rows the host wrote").isZero();
            assertThat(count(db, "SELECT COUNT(*) FROM pg_largeobject_metadata")).as("large objects").isEqualTo(largeObjects);
            assertThat(run.host.stdout()).doesNotContain("TOPSECRET", fileSecret);
            // The driver's execute methods call executeWithFlags: still one receipt per statement.
            assertThat(run.receipts).filteredOn(receipt -> "SELECT".equals(receipt.operation())).hasSize(2);
            assertThat(run.receipts).filteredOn(receipt -> "fastpath".equals(receipt.summary().get("jdbc.method")))
                    .extracting(Receipt::target).containsExactly(Long.toString(readFile), "957", "2026");
            run(db, "DROP SCHEMA warden_da CASCADE");
        } finally {
            Files.deleteIfExists(secretFile);
            Files.deleteIfExists(files);
        }
    }

    @Test
    void mariadbSetCatalogIsDecidedAndLaterStatementsNameTheCatalog() throws Exception {
        try (Connection db = DriverManager.getConnection(MARIADB_URL, "root", "")) {
            for (String tenant : List.of("warden_da", "warden_da_private", "warden_da_open")) {
                run(db, "DROP DATABASE IF EXISTS " + tenant, "CREATE DATABASE " + tenant,
                        "CREATE TABLE " + tenant + ".da_accounts(id int, name varchar(50))",
                        "INSERT INTO " + tenant + ".da_accounts VALUES (1, '" + tenant + "-row')");
            }
            List<Step> steps = List.of(
                    Step.refused("catalog:warden_da_private", "USE"),
                    Step.permitted("query:SELECT name FROM da_accounts", "SELECT", "first=name=warden_da-row"),
                    Step.permitted("catalog:warden_da_open", "USE", "catalog=warden_da_open"),
                    Step.permitted("query:SELECT name FROM da_accounts", "SELECT", "first=name=warden_da_open-row"));
            Run run = runHost(MARIADB_URL + "warden_da", "root", steps);

            assertThat(run.host.stdout()).doesNotContain("warden_da_private-row");
            Receipt before = run.receiptOf(1);
            Receipt after = run.receiptOf(3);
            assertThat(before.summary()).doesNotContainKey("jdbc.catalog").hasEntrySatisfying("db.url",
                    url -> assertThat(url).contains("/warden_da?"));
            assertThat(after.summary()).containsEntry("jdbc.catalog", "warden_da_open").doesNotContainKey("db.url");
            run(db, "DROP DATABASE warden_da", "DROP DATABASE warden_da_private", "DROP DATABASE warden_da_open");
        }
    }

    @Test
    void h2SetSchemaIsDecidedAndLaterStatementsNameTheSchema() throws Exception {
        String url = "jdbc:h2:file:" + workspace.resolve("da") + ";DB_CLOSE_DELAY=0";
        try (Connection db = DriverManager.getConnection(url, "sa", "")) {
            run(db, "CREATE TABLE da_accounts(id int, name varchar(50))", "INSERT INTO da_accounts VALUES (1, 'public-row')");
            for (String schema : List.of("PRIVATE", "OPEN")) {
                run(db, "CREATE SCHEMA " + schema, "CREATE TABLE " + schema + ".da_accounts(id int, name varchar(50))",
                        "INSERT INTO " + schema + ".da_accounts VALUES (1, '" + schema + "-row')");
            }
        }
        List<Step> steps = List.of(
                Step.refused("schema:PRIVATE", "USE"),
                Step.permitted("query:SELECT name FROM da_accounts", "SELECT", "first=name=public-row"),
                Step.permitted("schema:OPEN", "USE", "schema=OPEN"),
                Step.permitted("query:SELECT name FROM da_accounts", "SELECT", "first=name=OPEN-row"));
        Run run = runHost(url, "sa", steps);

        assertThat(run.host.stdout()).doesNotContain("PRIVATE-row");
        assertThat(run.receiptOf(1).summary()).doesNotContainKey("jdbc.schema").containsKey("db.url");
        assertThat(run.receiptOf(3).summary()).containsEntry("jdbc.schema", "OPEN").doesNotContainKey("db.url");
    }

    /** A host step, and what it must come to: a refusal, or a permitted call whose line contains {@code shows}. */
    private record Step(String instruction, boolean permitted, String operation, String shows) {
        static Step refused(String instruction, String operation) {
            return new Step(instruction, false, operation, null);
        }

        static Step permitted(String instruction, String operation, String shows) {
            return new Step(instruction, true, operation, shows);
        }
    }

    /** What the host printed, and the jdbc receipts it left. */
    private record Run(HostJvm.Result host, List<Receipt> receipts) {
        /** The receipt of step {@code n}, which a permitted step's line does not name: the one recorded for its step, in order. */
        Receipt receiptOf(int n) {
            return receipts.get(n);
        }
    }

    /** Runs the steps in a host JVM under the policy, and checks each step's line and receipt. */
    private Run runHost(String url, String user, List<Step> steps) throws Exception {
        Receipts store = Receipts.in(workspace);
        List<String> arguments = new ArrayList<>(List.of(url, user, ""));
        steps.forEach(step -> arguments.add(step.instruction()));
        HostJvm.Result host = HostJvm.withAgent(store.agentArguments()).withRules("driver-api").with("surfaces=jdbc").run(DriverApiHost.class, arguments);

        assertThat(host.lines()).as(host.toString()).contains("DONE");
        List<Receipt> jdbc = store.all().stream().filter(receipt -> receipt.surface().equals("jdbc")).toList();
        // A connect that sets the schema (pgjdbc's currentSchema) is decided too, and permitted by name.
        assertThat(jdbc).filteredOn(receipt -> "connect".equals(receipt.summary().get("jdbc.method")))
                .allSatisfy(connect -> assertThat(connect.outcome()).isEqualTo("PERMIT"));
        List<Receipt> receipts = jdbc.stream().filter(receipt -> !"connect".equals(receipt.summary().get("jdbc.method"))).toList();
        assertThat(receipts).as("one receipt per call").hasSize(steps.size());
        for (int n = 0; n < steps.size(); n++) {
            Step step = steps.get(n);
            String line = host.step(n);
            Receipt receipt = receipts.get(n);
            assertThat(receipt.operation()).as("the receipt of %s", step.instruction()).isEqualTo(step.operation());
            if (step.permitted()) {
                assertThat(line).as(step.instruction()).startsWith("OK step=" + n).contains(step.shows());
                assertThat(receipt.outcome()).isEqualTo("PERMIT");
            } else {
                assertThat(line).as(step.instruction()).startsWith("DENIED step=" + n + " state=42501 cause=ActionDeniedException")
                        .endsWith("(receipt " + receipt.id() + ")");
                // SILENCE: refused by default, no rule permits it; DENY: by the rule on unclassifiable SQL.
                assertThat(receipt.outcome()).as("the receipt of %s", step.instruction()).isIn("DENY", "SILENCE");
            }
        }
        assertThat(store.verify().exitCode()).isZero();
        return new Run(host, receipts);
    }
}
