package dev.warden.e2e;

import dev.warden.e2e.host.JdbcHost;
import dev.warden.receipts.Receipt;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.api.parallel.ResourceLock;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;

import static dev.warden.e2e.DirectSql.count;
import static dev.warden.e2e.DirectSql.run;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * JDBC escape syntax is rewritten by the driver after Warden decided, by the driver's own reading of the text (a
 * security review): pgjdbc copies {@code {fn lower(body) /* *}} raw up to the brace inside the comment, so a
 * stacked {@code DELETE} that the database reads as code ran under a read-only permit; MariaDB Connector/J loses a
 * quote in {@code {fn convert(x, '..., BOOLEAN')}}, so another table was read, a server file written and a stacked
 * {@code DELETE} run; pgjdbc turns {@code {call f(1), other}} into {@code select * from f(1), other as result},
 * a read of {@code other} under a permit for calling {@code f}.
 *
 * <p>An agent's SQL tool (the host) sends each attack through {@code createStatement().executeQuery},
 * {@code prepareStatement} and {@code prepareCall}, under a policy that reads {@code fx_jdbc_notes} and calls its
 * lookup procedure. Each attack is first run without the agent, to show that the driver and the database really
 * do what the review says; with the agent, the test's own connection sees every secret row still there, no read of
 * the audited secrets (PostgreSQL) and no server file (MariaDB), the host printed no secret, the ordinary read and
 * procedure call still run, and every refusal names a receipt the verifier accepts.
 */
@SameOnEveryJdk
@ResourceLock(SharedServices.DATABASES)
class JdbcEscapesEndToEndTest {

    private static final String PG_URL = "jdbc:postgresql://127.0.0.1:5432/test";
    private static final String MARIADB_URL = "jdbc:mariadb://127.0.0.1:3306/test?allowMultiQueries=true";

    /** The ordinary uses: a read, and the procedure through {@code prepareCall}'s escape. */
    private static final List<String> ORDINARY = List.of(
            "query:SELECT body FROM fx_jdbc_notes WHERE id = 1",
            "call:{call fx_jdbc_get_note(?)}|1");

    @TempDir
    Path workspace;

    @Test
    void pgjdbcRunsNoEscapeOtherThanTheOneDecided() throws Exception {
        List<String> attacks = List.of(
                "call:{call fx_jdbc_get_note(1), fx_jdbc_audited_secrets}",
                "query:SELECT {fn lower(body) /* *}/ FROM fx_jdbc_notes; DELETE FROM fx_jdbc_secrets WHERE id = 1; SELECT 1 -- */ }"
                        + " FROM fx_jdbc_notes",
                "prepared:SELECT {fn lower(body) /* *}/ FROM fx_jdbc_notes; DELETE FROM fx_jdbc_secrets WHERE id = 2; SELECT 1 -- */ }"
                        + " FROM fx_jdbc_notes");
        try (Connection db = DriverManager.getConnection(PG_URL, "postgres", "")) {
            resetPostgres(db);
            HostJvm.Result bare = HostJvm.withoutAgent().run(JdbcHost.class, arguments(PG_URL, "postgres", attacks));
            assertThat(count(db, "SELECT COUNT(*) FROM fx_jdbc_secrets")).as("secrets left without Warden: %s", bare).isZero();
            assertThat(count(db, "SELECT COUNT(*) FROM fx_jdbc_reads")).as("audited reads without Warden: %s", bare).isPositive();
            assertThat(bare.stdout()).contains("secret one");

            resetPostgres(db);
            Run run = runWithAgent(PG_URL, "postgres", attacks);
            assertThat(count(db, "SELECT COUNT(*) FROM fx_jdbc_secrets")).as("secrets left: %s", run.host).isEqualTo(2);
            assertThat(count(db, "SELECT COUNT(*) FROM fx_jdbc_reads")).as("audited reads of the secrets: %s", run.host).isZero();
            assertThat(run.receiptOf(1).summary()).containsEntry("sql.shape", "CALL fx_jdbc_get_note(?)")
                    .containsEntry("sql.functions", "FX_JDBC_GET_NOTE");
            run(db, "DROP VIEW fx_jdbc_audited_secrets", "DROP FUNCTION fx_jdbc_read_secrets()", "DROP FUNCTION fx_jdbc_get_note(int)",
                    "DROP TABLE fx_jdbc_notes, fx_jdbc_secrets, fx_jdbc_reads");
        }
    }

    @Test
    void mariadbConnectorRunsNoEscapeOtherThanTheOneDecided() throws Exception {
        // The server writes the file as its own user: let it, so that only Warden stops it.
        Path files = Files.createTempDirectory(Path.of(System.getProperty("java.io.tmpdir")), "warden-fx-jdbc-");
        Files.setPosixFilePermissions(files, PosixFilePermissions.fromString("rwxrwxrwx"));
        Path outfile = files.resolve("secrets.txt");
        List<String> attacks = List.of(
                "prepared:SELECT {fn convert(body, 'y, BOOLEAN')} FROM fx_jdbc_notes WHERE body <> ', (SELECT group_concat(body)"
                        + " FROM fx_jdbc_secrets) FROM fx_jdbc_notes INTO OUTFILE \"" + outfile + "\" -- '",
                "prepared:SELECT {fn convert(body, 'y, BOOLEAN')} FROM fx_jdbc_notes WHERE body <> ', (SELECT group_concat(body)"
                        + " FROM fx_jdbc_secrets) FROM fx_jdbc_notes -- '",
                "prepared:SELECT {fn convert(body, 'y, BOOLEAN')} FROM fx_jdbc_notes WHERE body <> ' FROM fx_jdbc_notes;"
                        + " DELETE FROM fx_jdbc_secrets WHERE id = 1; -- '",
                "escaped:SELECT {fn convert(body, 'y, BOOLEAN')} FROM fx_jdbc_notes WHERE body <> ' FROM fx_jdbc_notes;"
                        + " DELETE FROM fx_jdbc_secrets WHERE id = 2; -- '");
        try (Connection db = DriverManager.getConnection(MARIADB_URL, "root", "")) {
            resetMariadb(db);
            HostJvm.Result bare = HostJvm.withoutAgent().run(JdbcHost.class, arguments(MARIADB_URL, "root", attacks));
            assertThat(count(db, "SELECT COUNT(*) FROM fx_jdbc_secrets")).as("secrets left without Warden: %s", bare).isZero();
            assertThat(outfile).as("the server's file without Warden: %s", bare).exists();
            assertThat(bare.stdout()).contains("secret one");
            Files.delete(outfile);

            resetMariadb(db);
            Run run = runWithAgent(MARIADB_URL, "root", attacks);
            assertThat(count(db, "SELECT COUNT(*) FROM fx_jdbc_secrets")).as("secrets left: %s", run.host).isEqualTo(2);
            assertThat(outfile).as("the server's file: %s", run.host).doesNotExist();
            run(db, "DROP PROCEDURE fx_jdbc_get_note", "DROP TABLE fx_jdbc_notes, fx_jdbc_secrets");
        } finally {
            try (Stream<Path> walk = Files.walk(files)) {
                walk.sorted(Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
            }
        }
    }

    /** What the host printed, and its jdbc receipts (one per step). */
    private record Run(HostJvm.Result host, List<Receipt> receipts) {
        Receipt receiptOf(int step) {
            return receipts.get(step);
        }
    }

    /** The ordinary steps, then the attacks, in a host with the agent: the ordinary run, every attack is refused. */
    private Run runWithAgent(String url, String user, List<String> attacks) throws Exception {
        Receipts store = Receipts.in(workspace);
        HostJvm.Result host = HostJvm.withAgent(store.agentArguments()).withRules("jdbc-escapes").with("surfaces=jdbc")
                .run(JdbcHost.class, arguments(url, user, attacks));

        assertThat(host.lines()).as(host.toString()).contains("DONE");
        assertThat(host.step(0)).isEqualTo("OK step=0 rows=1 first=body=note one");
        assertThat(host.step(1)).startsWith("OK step=1 rows=1 first=").contains("note one");
        assertThat(host.stdout()).doesNotContain("secret");
        List<Receipt> receipts = store.all().stream().filter(receipt -> receipt.surface().equals("jdbc")).toList();
        assertThat(receipts).as("one receipt per step").hasSize(ORDINARY.size() + attacks.size());
        assertThat(receipts.subList(0, ORDINARY.size())).allSatisfy(receipt -> assertThat(receipt.outcome()).isEqualTo("PERMIT"));
        for (int step = ORDINARY.size(); step < ORDINARY.size() + attacks.size(); step++) {
            Receipt receipt = receipts.get(step);
            assertThat(host.step(step)).as(attacks.get(step - ORDINARY.size()))
                    .startsWith("DENIED step=" + step + " state=42501").endsWith("(receipt " + receipt.id() + ")");
            assertThat(receipt.outcome()).isEqualTo("DENY");
            assertThat(receipt.summary().get("sql.parseError")).startsWith("JDBC");
        }
        assertThat(store.verify().exitCode()).isZero();
        return new Run(host, receipts);
    }

    private static List<String> arguments(String url, String user, List<String> attacks) {
        List<String> arguments = new ArrayList<>(List.of(url, user, ""));
        arguments.addAll(ORDINARY);
        arguments.addAll(attacks);
        return arguments;
    }

    private static void resetPostgres(Connection db) throws SQLException {
        run(db, "DROP VIEW IF EXISTS fx_jdbc_audited_secrets", "DROP FUNCTION IF EXISTS fx_jdbc_read_secrets()",
                "DROP FUNCTION IF EXISTS fx_jdbc_get_note(int)", "DROP TABLE IF EXISTS fx_jdbc_notes, fx_jdbc_secrets, fx_jdbc_reads",
                "CREATE TABLE fx_jdbc_notes(id int PRIMARY KEY, body text)",
                "CREATE TABLE fx_jdbc_secrets(id int PRIMARY KEY, body text)",
                "CREATE TABLE fx_jdbc_reads(id serial PRIMARY KEY)",
                "INSERT INTO fx_jdbc_notes VALUES (1, 'note one'), (2, 'note two')",
                "INSERT INTO fx_jdbc_secrets VALUES (1, 'secret one'), (2, 'secret two')",
                "CREATE FUNCTION fx_jdbc_get_note(i int) RETURNS SETOF fx_jdbc_notes AS 'SELECT * FROM fx_jdbc_notes WHERE id = i'"
                        + " LANGUAGE sql STABLE",
                // Reads of the secrets through this view leave a row behind: the side channel of a read.
                "CREATE FUNCTION fx_jdbc_read_secrets() RETURNS SETOF fx_jdbc_secrets AS"
                        + " 'INSERT INTO fx_jdbc_reads DEFAULT VALUES; SELECT * FROM fx_jdbc_secrets' LANGUAGE sql VOLATILE",
                "CREATE VIEW fx_jdbc_audited_secrets AS SELECT * FROM fx_jdbc_read_secrets()");
    }

    private static void resetMariadb(Connection db) throws SQLException {
        run(db, "DROP PROCEDURE IF EXISTS fx_jdbc_get_note", "DROP TABLE IF EXISTS fx_jdbc_notes, fx_jdbc_secrets",
                "CREATE TABLE fx_jdbc_notes(id int PRIMARY KEY, body text)",
                "CREATE TABLE fx_jdbc_secrets(id int PRIMARY KEY, body text)",
                "INSERT INTO fx_jdbc_notes VALUES (1, 'note one'), (2, 'note two')",
                "INSERT INTO fx_jdbc_secrets VALUES (1, 'secret one'), (2, 'secret two')",
                "CREATE PROCEDURE fx_jdbc_get_note(i INT) SELECT body FROM fx_jdbc_notes WHERE id = i");
    }
}
