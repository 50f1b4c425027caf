package dev.warden.e2e;

import dev.warden.e2e.host.ConnectSettingsHost;
import dev.warden.receipts.Receipt;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.api.parallel.ResourceLock;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * SQL a driver runs while connecting, smuggled past the connect check in every way a security review
 * found: H2's {@code INIT} behind a backslash in its key ({@code IN\IT}), as a lower-case property, as
 * a {@code StringBuilder} property, through {@code JdbcDataSource} (connection, XA, pooled: no
 * {@code Driver.connect}), a second command escaped into another setting's value
 * ({@code LOCK_TIMEOUT=1000\;INSERT ...}); MariaDB's {@code initSql} in the URL and the properties.
 * A host JVM with only the agent, under a policy that permits reading {@code cx_accounts}, makes each;
 * the test JVM (no agent) then reads {@code cx_victim} in both databases: nothing may have arrived.
 * Each attempt is refused as an {@code SQLException} with one DENY receipt that names no literal, the
 * host goes on, ordinary connections with ordinary settings still connect, the verifier accepts the log.
 */
@SameOnEveryJdk // how a JDBC URL's settings are read at connect; each driver runs on JDK 25 in DriversEndToEndTest
@ResourceLock(SharedServices.DATABASES)
class ConnectSettingsEndToEndTest {

    private static final String MARIADB = "jdbc:mariadb://127.0.0.1:3306/test";
    private static final String POSTGRESQL = "jdbc:postgresql://127.0.0.1:5432/test";
    private static final List<String> ATTACKS = List.of("h2-init", "u1-backslash-in-key", "u2-lowercase-property",
            "u3-non-string-property", "u4-datasource", "u4-datasource-xa", "u4-datasource-pooled", "u5-setting-value",
            "u6-double-backslash", "mariadb-initsql", "mariadb-initsql-property",
            "mariadb-datasource", "mariadb-pool-datasource", "mariadb-static-connect");
    /**
     * MariaDB's pool opens its connections itself and retries a refused one until {@code connectTimeout}:
     * the host sees the pool's timeout, and each of the pool's attempts is a refused connect of its own.
     */
    private static final String POOL_ATTACK = "mariadb-pool-datasource";
    /** Attacks that read what they should not, rather than write. */
    private static final String PG_ATTACK = "pg-new-pgconnection-options";
    private static final List<String> CONTROLS = List.of("control-h2", "control-h2-datasource", "control-mariadb",
            "control-mariadb-datasource", "control-mariadb-pool-datasource", "control-mariadb-static-connect",
            "control-pg-new-pgconnection");

    @TempDir
    Path workspace;

    @Test
    void noConnectRunsSqlTheDriverWasToldToRunEveryRefusalHasOneReceiptAndOrdinaryConnectsWork() throws Exception {
        String h2 = "jdbc:h2:file:" + workspace.resolve("cx");
        // Without Warden first, so that the test proves something: each attack really runs its SQL
        // (u6 not: H2 itself fails on the value its double backslash leaves, before INIT).
        reset(h2);
        reset(MARIADB);
        reset(POSTGRESQL);
        HostJvm.Result unwarded = HostJvm.withoutAgent().run(ConnectSettingsHost.class, List.of(h2, MARIADB, POSTGRESQL));
        List<String> ran = new ArrayList<>(victims(h2));
        ran.addAll(victims(MARIADB));
        assertThat(ran).as(unwarded.toString()).containsAll(ATTACKS.stream().filter(attack -> !attack.startsWith("u6")).toList());
        // pgjdbc's attack reads the private schema's three rows as cx_accounts.
        assertThat(line(unwarded, PG_ATTACK)).as(unwarded.toString()).isEqualTo("CONNECTED " + PG_ATTACK + " rows=3");

        reset(h2);
        reset(MARIADB);
        reset(POSTGRESQL);
        Receipts store = Receipts.in(workspace);

        HostJvm.Result host = HostJvm.withAgent(store.agentArguments()).with("surfaces=jdbc").withRules("connect-least-privilege")
                .run(ConnectSettingsHost.class, List.of(h2, MARIADB, POSTGRESQL));

        assertThat(host.exitCode()).as(host.toString()).isZero();
        assertThat(host.lines()).as(host.toString()).contains("DONE");
        List<String> refused = new ArrayList<>(ATTACKS);
        refused.add(PG_ATTACK);
        refused.remove(POOL_ATTACK);
        assertThat(line(host, POOL_ATTACK)).as(host.toString()).startsWith("DENIED " + POOL_ATTACK + " ");
        for (String attack : refused) {
            assertThat(line(host, attack)).as(host.toString()).startsWith("DENIED " + attack + " state=42501 ");
        }
        for (String control : CONTROLS) {
            assertThat(line(host, control)).as(host.toString()).isEqualTo("CONNECTED " + control + " rows=2");
        }
        // The side channel: the databases themselves, read by this JVM, which has no agent.
        assertThat(victims(h2)).as("rows the H2 attacks inserted").isEmpty();
        assertThat(victims(MARIADB)).as("rows the MariaDB attacks inserted").isEmpty();
        assertThat(victims(POSTGRESQL)).as("rows written in PostgreSQL").isEmpty();

        List<Receipt> receipts = store.all();
        List<Receipt> connects = receipts.stream().filter(receipt -> receipt.surface().equals("jdbc")
                && "connect".equals(receipt.summary().get("jdbc.method"))).toList();
        // Each refused connect has one receipt; the pool's attempts (one or more, the pool retries) have theirs.
        assertThat(connects).as("one receipt per refused connect, and the pool's attempts").hasSizeGreaterThan(refused.size())
                .allSatisfy(receipt -> {
                    assertThat(receipt.outcome()).isEqualTo("DENY");
                    assertThat(receipt.summary().get("db.url")).doesNotContain("INSERT", "cx_victim", "u1-", "u5-", "mariadb-initsql");
                });
        for (String attack : refused) {
            String id = line(host, attack).replaceAll(".*\\(receipt ([0-9a-f-]+)\\).*$", "$1");
            assertThat(connects).as("the receipt of " + attack).anySatisfy(receipt -> assertThat(receipt.id()).isEqualTo(id));
        }
        assertThat(store.verify().exitCode()).isZero();
    }

    private static String line(HostJvm.Result host, String attempt) {
        return host.lines().stream().filter(line -> line.matches("[A-Z]+ " + java.util.regex.Pattern.quote(attempt) + "( .*)?"))
                .findFirst().orElse("(none)");
    }

    private static Connection connect(String url) throws SQLException {
        return url.startsWith("jdbc:h2:") ? DriverManager.getConnection(url, "sa", "")
                : url.startsWith("jdbc:postgresql:") ? DriverManager.getConnection(url, "postgres", "")
                : DriverManager.getConnection(url, "root", "");
    }

    private static void reset(String url) throws SQLException {
        try (Connection connection = connect(url); Statement statement = connection.createStatement()) {
            for (String sql : List.of("DROP TABLE IF EXISTS cx_accounts", "DROP TABLE IF EXISTS cx_victim",
                    "CREATE TABLE cx_accounts (id INT PRIMARY KEY, name VARCHAR(50))",
                    "INSERT INTO cx_accounts VALUES (1, 'alice'), (2, 'bob')", "CREATE TABLE cx_victim (tag VARCHAR(100))")) {
                statement.execute(sql);
            }
            if (url.startsWith("jdbc:postgresql:")) { // a schema holding a secret table of the same name
                for (String sql : List.of("DROP SCHEMA IF EXISTS cx_private CASCADE", "CREATE SCHEMA cx_private",
                        "CREATE TABLE cx_private.cx_accounts (id INT PRIMARY KEY, name VARCHAR(50))",
                        "INSERT INTO cx_private.cx_accounts VALUES (1, 'secret-1'), (2, 'secret-2'), (3, 'secret-3')")) {
                    statement.execute(sql);
                }
            }
        }
    }

    private static List<String> victims(String url) throws SQLException {
        List<String> tags = new ArrayList<>();
        try (Connection connection = connect(url); Statement statement = connection.createStatement();
             ResultSet rows = statement.executeQuery("SELECT tag FROM cx_victim")) {
            while (rows.next()) {
                tags.add(rows.getString(1));
            }
        }
        return tags;
    }
}
