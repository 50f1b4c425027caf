package dev.warden.e2e.host;

import org.h2.jdbcx.JdbcDataSource;
import org.mariadb.jdbc.Configuration;
import org.mariadb.jdbc.MariaDbDataSource;
import org.mariadb.jdbc.MariaDbPoolDataSource;
import org.postgresql.jdbc.PgConnection;
import org.postgresql.util.HostSpec;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Properties;

/**
 * An application that opens connections whose URL or properties make the driver run SQL while
 * connecting (a review's bypasses of Warden's connect check), and ordinary ones. One line per attempt:
 *
 * <pre>
 *   java ConnectSettingsHost H2_URL MARIADB_URL POSTGRESQL_URL
 *   out:  CONNECTED name rows=R   |   DENIED name state=S message=M   |   ERROR name ...   then DONE
 * </pre>
 * Each attack inserts a row tagged with its name into {@code cx_victim}; the test reads that table. The
 * pgjdbc attack inserts nothing: it reads {@code cx_private.cx_accounts} (three rows) as {@code cx_accounts}.
 */
public final class ConnectSettingsHost {

    /** Opens a connection. */
    private interface Open {
        Connection open() throws Exception;
    }

    public static void main(String[] args) {
        String h2 = args[0];
        String mariaDb = args[1];
        String postgreSql = args[2];
        attempt("h2-init", () -> DriverManager.getConnection(h2 + ";INIT=" + insert("h2-init"), "sa", ""));
        attempt("u1-backslash-in-key", () -> DriverManager.getConnection(h2 + ";IN\\IT=" + insert("u1-backslash-in-key"), "sa", ""));
        attempt("u2-lowercase-property", () -> DriverManager.getConnection(h2, h2Properties("init", insert("u2-lowercase-property"))));
        attempt("u3-non-string-property", () -> DriverManager.getConnection(h2,
                h2Properties("INIT", new StringBuilder(insert("u3-non-string-property")))));
        attempt("u4-datasource", () -> dataSource(h2 + ";INIT=" + insert("u4-datasource")).getConnection());
        attempt("u4-datasource-xa", () -> dataSource(h2 + ";INIT=" + insert("u4-datasource-xa")).getXAConnection().getConnection());
        attempt("u4-datasource-pooled", () -> dataSource(h2 + ";INIT=" + insert("u4-datasource-pooled")).getPooledConnection().getConnection());
        attempt("u5-setting-value", () -> DriverManager.getConnection(h2 + ";LOCK_TIMEOUT=1000\\;" + insert("u5-setting-value"), "sa", ""));
        attempt("u6-double-backslash", () -> DriverManager.getConnection(h2 + ";LOCK_TIMEOUT=1000\\\\;INIT=" + insert("u6-double-backslash"), "sa", ""));
        attempt("mariadb-initsql", () -> DriverManager.getConnection(mariaDb + "?initSql=" + insert("mariadb-initsql"), "root", ""));
        attempt("mariadb-initsql-property", () -> {
            Properties properties = new Properties();
            properties.setProperty("user", "root");
            properties.setProperty("INITSQL", insert("mariadb-initsql-property"));
            return DriverManager.getConnection(mariaDb, properties);
        });
        // MariaDB's own paths, none of which calls Driver.connect(String, Properties): all end in the
        // static Driver.connect(Configuration).
        attempt("mariadb-datasource", () -> new MariaDbDataSource(mariaDb + "?user=root&initSql=" + insert("mariadb-datasource"))
                .getConnection());
        attempt("mariadb-pool-datasource", () -> pooled(mariaDb + "?user=root&connectTimeout=2000&poolName=cxpool&initSql="
                + insert("mariadb-pool-datasource")));
        attempt("mariadb-static-connect", () -> org.mariadb.jdbc.Driver.connect(Configuration.parse(mariaDb
                + "?user=root&initSql=" + insert("mariadb-static-connect"))));
        // pgjdbc's public constructor: a schema path that resolves cx_accounts to the private one.
        attempt("pg-new-pgconnection-options", () -> pgConnection(postgreSql, "-c search_path=cx_private"));
        attempt("control-h2", () -> DriverManager.getConnection(h2 + ";MODE=MySQL;LOCK_TIMEOUT=1000;DEFAULT_NULL_ORDERING=HIGH", "sa", ""));
        attempt("control-h2-datasource", () -> dataSource(h2 + ";LOCK_TIMEOUT=1000").getConnection());
        attempt("control-mariadb", () -> DriverManager.getConnection(mariaDb + "?connectTimeout=5000&allowMultiQueries=false", "root", ""));
        attempt("control-mariadb-datasource", () -> new MariaDbDataSource(mariaDb + "?user=root").getConnection());
        attempt("control-mariadb-pool-datasource", () -> pooled(mariaDb + "?user=root&connectTimeout=5000"));
        attempt("control-mariadb-static-connect", () -> org.mariadb.jdbc.Driver.connect(Configuration.parse(mariaDb + "?user=root")));
        attempt("control-pg-new-pgconnection", () -> pgConnection(postgreSql, null));
        POOLS.forEach(MariaDbPoolDataSource::close);
        System.out.println("DONE");
    }

    /** A connection of a pool that is closed with it, once the attempt closed the connection. */
    private static Connection pooled(String url) throws SQLException {
        MariaDbPoolDataSource pool = new MariaDbPoolDataSource(url);
        try {
            Connection connection = pool.getConnection();
            POOLS.add(pool);
            return connection;
        } catch (SQLException | RuntimeException e) {
            pool.close();
            throw e;
        }
    }

    private static final java.util.List<MariaDbPoolDataSource> POOLS = new java.util.ArrayList<>();

    private static Connection pgConnection(String url, String options) throws SQLException {
        Properties properties = new Properties();
        properties.setProperty("user", "postgres");
        properties.setProperty("password", "");
        properties.setProperty("PGDBNAME", url.substring(url.lastIndexOf('/') + 1));
        if (options != null) {
            properties.setProperty("options", options);
        }
        return new PgConnection(new HostSpec[] {new HostSpec("127.0.0.1", 5432)}, properties, url);
    }

    private static String insert(String tag) {
        return "INSERT INTO cx_victim VALUES ('" + tag + "')";
    }

    private static Properties h2Properties(Object key, Object value) {
        Properties properties = new Properties();
        properties.setProperty("user", "sa");
        properties.setProperty("password", "");
        properties.put(key, value);
        return properties;
    }

    private static JdbcDataSource dataSource(String url) {
        JdbcDataSource dataSource = new JdbcDataSource();
        dataSource.setURL(url);
        dataSource.setUser("sa");
        dataSource.setPassword("");
        return dataSource;
    }

    /** Opens, then reads the one table the policy permits. */
    private static void attempt(String name, Open open) {
        try (Connection connection = open.open(); Statement statement = connection.createStatement();
             ResultSet rows = statement.executeQuery("SELECT id FROM cx_accounts")) {
            int count = 0;
            while (rows.next()) {
                count++;
            }
            System.out.println("CONNECTED " + name + " rows=" + count);
        } catch (SQLException e) {
            System.out.println("DENIED " + name + " state=" + e.getSQLState() + " message=" + e.getMessage().replace('\n', ' '));
        } catch (Exception | LinkageError e) {
            System.out.println("ERROR " + name + " " + String.valueOf(e).replace('\n', ' '));
        }
    }
}
