package dev.warden.e2e;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;

/**
 * Test data, written straight through JDBC by the test JVM (which runs no agent): 1,500 US customers
 * with personal data, a few others, and orders.
 */
final class Fixtures {

    static final int US_CUSTOMERS = 1500;

    private Fixtures() {
    }

    static void createShop(String url, String user, String password) throws SQLException {
        try (Connection connection = DriverManager.getConnection(url, user, password);
             Statement statement = connection.createStatement()) {
            statement.execute("DROP TABLE IF EXISTS customers");
            statement.execute("DROP TABLE IF EXISTS orders");
            statement.execute("CREATE TABLE customers (id INT PRIMARY KEY, name VARCHAR(100), country VARCHAR(2), "
                    + "email VARCHAR(100), phone VARCHAR(30), ssn VARCHAR(11))");
            statement.execute("CREATE TABLE orders (id INT PRIMARY KEY, customer_id INT, amount INT)");
            connection.setAutoCommit(false);
            try (PreparedStatement insert = connection.prepareStatement("INSERT INTO customers VALUES (?, ?, ?, ?, ?, ?)")) {
                for (int id = 1; id <= US_CUSTOMERS + 20; id++) {
                    insert.setInt(1, id);
                    insert.setString(2, "Customer " + id);
                    insert.setString(3, id <= US_CUSTOMERS ? "US" : "FR");
                    insert.setString(4, "customer" + id + "@example.com");
                    insert.setString(5, "+1-555-" + (1000 + id));
                    insert.setString(6, "123-45-" + (1000 + id));
                    insert.addBatch();
                }
                insert.executeBatch();
            }
            try (PreparedStatement insert = connection.prepareStatement("INSERT INTO orders VALUES (?, ?, ?)")) {
                for (int id = 1; id <= 10; id++) {
                    insert.setInt(1, id);
                    insert.setInt(2, id);
                    insert.setInt(3, 100 * id);
                    insert.addBatch();
                }
                insert.executeBatch();
            }
            connection.commit();
        }
    }

    static long count(String url, String user, String password, String sql) throws SQLException {
        try (Connection connection = DriverManager.getConnection(url, user, password);
             Statement statement = connection.createStatement();
             ResultSet results = statement.executeQuery(sql)) {
            results.next();
            return results.getLong(1);
        }
    }

    static boolean tableExists(String url, String user, String password, String table) throws SQLException {
        try (Connection connection = DriverManager.getConnection(url, user, password);
             ResultSet tables = connection.getMetaData().getTables(null, null, null, new String[] {"TABLE"})) {
            while (tables.next()) {
                if (tables.getString("TABLE_NAME").equalsIgnoreCase(table)) {
                    return true;
                }
            }
            return false;
        }
    }
}
