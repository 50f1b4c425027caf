package dev.warden.e2e;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;

/** SQL a test runs itself, on a connection of its own without the agent: a database set up, a side channel read. */
final class DirectSql {

    private DirectSql() {
    }

    static void run(Connection db, String... statements) throws SQLException {
        try (Statement statement = db.createStatement()) {
            for (String sql : statements) {
                statement.execute(sql);
            }
        }
    }

    /** The first column of the query's one row: {@code SELECT count(*) ...}. */
    static long count(Connection db, String sql) throws SQLException {
        try (Statement statement = db.createStatement(); ResultSet results = statement.executeQuery(sql)) {
            results.next();
            return results.getLong(1);
        }
    }
}
