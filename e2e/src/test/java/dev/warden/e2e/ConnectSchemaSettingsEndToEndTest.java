package dev.warden.e2e;

import dev.warden.e2e.host.JdbcHost;
import dev.warden.receipts.Receipt;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.api.parallel.ResourceLock;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A JDBC URL that switches the schema unqualified names resolve in, names a class the driver constructs, or makes
 * the driver create a database, is decided at connect like SQL (a review read another schema's table through H2's
 * {@code ;SCHEMA=} and pgjdbc's {@code currentSchema}, had H2 construct a class through {@code DATABASE_EVENT_LISTENER}
 * and MariaDB create a database through {@code createDatabaseIfNotExist}). Under the least-privilege policy (read
 * {@code sr_notes}) each such connect is refused with its receipt; what the host printed holds no private row, the
 * class was never loaded, the database never created (checked by the test's own connections); the same URL without
 * the setting reads as before.
 */
@SameOnEveryJdk // how a JDBC URL's settings are read at connect; each driver runs on JDK 25 in DriversEndToEndTest
@ResourceLock(SharedServices.DATABASES)
class ConnectSchemaSettingsEndToEndTest {

    @TempDir
    Path workspace;

    @Test
    void h2SchemaAndEventListenerSettingsAreDecidedAtConnect() throws Exception {
        String url = "jdbc:h2:file:" + workspace.resolve("cs") + ";DB_CLOSE_DELAY=0";
        setUp(url, "sa", "CREATE SCHEMA IF NOT EXISTS sr_private");

        assertRefused(url + ";SCHEMA=SR_PRIVATE", "sa");
        assertRefused(url + ";DATABASE_EVENT_LISTENER='dev.warden.e2e.host.ListenerProbe'", "sa");
        assertReads(url, "sa");
    }

    @Test
    void pgjdbcCurrentSchemaIsDecidedAtConnect() throws Exception {
        String url = "jdbc:postgresql://127.0.0.1:5432/test";
        setUp(url, "postgres", "CREATE SCHEMA IF NOT EXISTS sr_private");
        try {
            assertRefused(url + "?currentSchema=sr_private", "postgres");
            assertReads(url, "postgres");
        } finally {
            run(url, "postgres", "DROP SCHEMA sr_private CASCADE", "DROP TABLE sr_notes");
        }
    }

    @Test
    void mariaDbCreateDatabaseIfNotExistIsDecidedAtConnect() throws Exception {
        String url = "jdbc:mariadb://127.0.0.1:3306/test";
        run(url, "root", "DROP DATABASE IF EXISTS sr_created");

        assertRefused("jdbc:mariadb://127.0.0.1:3306/sr_created?createDatabaseIfNotExist=true", "root");
        try (Connection db = DriverManager.getConnection(url, "root", "");
             ResultSet databases = db.getMetaData().getCatalogs()) {
            boolean created = false;
            while (databases.next()) {
                created |= databases.getString(1).equalsIgnoreCase("sr_created");
            }
            assertThat(created).as("a database the refused connect would have created").isFalse();
        }
    }

    /** The readable table in the default schema, and one of the same name in {@code sr_private} holding a private row. */
    private static void setUp(String url, String user, String createSchema) throws SQLException {
        run(url, user, createSchema, "DROP TABLE IF EXISTS sr_private.sr_notes", "DROP TABLE IF EXISTS sr_notes",
                "CREATE TABLE sr_notes (id INT PRIMARY KEY, body VARCHAR(100))", "INSERT INTO sr_notes VALUES (1, 'first')",
                "CREATE TABLE sr_private.sr_notes (id INT PRIMARY KEY, body VARCHAR(100))",
                "INSERT INTO sr_private.sr_notes VALUES (1, 'the private note')");
    }

    private void assertRefused(String url, String user) throws Exception {
        Receipts store = Receipts.in(Files.createDirectories(workspace.resolve("receipts-" + Integer.toHexString(url.hashCode()))));
        HostJvm.Result host = HostJvm.withAgent(store.agentArguments()).withRules("sql-least-privilege")
                .run(JdbcHost.class, List.of(url, user, "", "query:SELECT body FROM sr_notes"));

        assertThat(host.stdout()).as(host.toString()).doesNotContain("the private note", "PROBE", "DONE");
        List<Receipt> connects = store.all().stream()
                .filter(receipt -> "connect".equals(receipt.summary().get("jdbc.method"))).toList();
        assertThat(connects).as(host.toString()).singleElement().satisfies(connect -> {
            assertThat(connect.outcome()).isIn("DENY", "SILENCE");
            assertThat(host.stderr()).as("the host's refusal names its receipt").contains(connect.id());
        });
        assertThat(store.verify().exitCode()).isZero();
    }

    private void assertReads(String url, String user) throws Exception {
        Receipts store = Receipts.in(Files.createDirectories(workspace.resolve("receipts-plain")));
        HostJvm.Result host = HostJvm.withAgent(store.agentArguments()).withRules("sql-least-privilege")
                .run(JdbcHost.class, List.of(url, user, "", "query:SELECT body FROM sr_notes"));
        assertThat(host.lines()).as(host.toString()).contains("OK step=0 rows=1 first=body=first", "DONE");
        assertThat(store.verify().exitCode()).isZero();
    }

    private static void run(String url, String user, String... statements) throws SQLException {
        try (Connection db = DriverManager.getConnection(url, user, ""); Statement statement = db.createStatement()) {
            for (String sql : statements) {
                statement.execute(sql);
            }
        }
    }
}
