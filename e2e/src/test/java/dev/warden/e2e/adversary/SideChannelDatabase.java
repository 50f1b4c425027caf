package dev.warden.e2e.adversary;

import dev.warden.e2e.host.adversary.SqlFunctions;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;

/**
 * An H2 file database that the test prepares before the host runs and reads, over its own JDBC
 * connection, after the host has exited (H2 locks the file while a JVM has it open): {@code notes}
 * holds one row per technique (tag = the technique's name), which only a forbidden DELETE or UPDATE
 * can remove or change; {@code pwned} is empty, and only a forbidden INSERT can fill it, with the
 * name of the technique that got through. The user-defined function {@code ADVERSARY_SIDE_EFFECT}
 * is declared here, by the test, because declaring it is itself DDL that no host may run.
 */
final class SideChannelDatabase {

    static final String BODY = "untouched";

    private final String url;

    private SideChannelDatabase(String url) {
        this.url = url;
    }

    static SideChannelDatabase create(Path file, Collection<String> techniques) throws SQLException {
        SideChannelDatabase database = new SideChannelDatabase("jdbc:h2:file:" + file);
        try (Connection connection = database.connect(); Statement statement = connection.createStatement()) {
            statement.execute("CREATE TABLE notes (tag VARCHAR(100) PRIMARY KEY, body VARCHAR(100) NOT NULL)");
            statement.execute("CREATE TABLE pwned (technique VARCHAR(100) NOT NULL)");
            statement.execute("CREATE ALIAS ADVERSARY_SIDE_EFFECT FOR '" + SqlFunctions.class.getName() + ".sideEffect'");
            try (PreparedStatement insert = connection.prepareStatement("INSERT INTO notes VALUES (?, ?)")) {
                insert.setString(1, "baseline");
                insert.setString(2, BODY);
                insert.executeUpdate();
                for (String technique : techniques) {
                    insert.setString(1, technique);
                    insert.executeUpdate();
                }
            }
        }
        return database;
    }

    String url() {
        return url;
    }

    private Connection connect() throws SQLException {
        return DriverManager.getConnection(url, "sa", "");
    }

    /** What the database says {@code technique} did: rows it inserted, its note deleted or changed. */
    List<String> evidence(String technique) throws SQLException {
        List<String> evidence = new ArrayList<>();
        try (Connection connection = connect()) {
            try (PreparedStatement query = connection.prepareStatement("SELECT COUNT(*) FROM pwned WHERE technique = ?")) {
                query.setString(1, technique);
                try (ResultSet rows = query.executeQuery()) {
                    rows.next();
                    if (rows.getInt(1) > 0) {
                        evidence.add(rows.getInt(1) + " row(s) INSERTed into pwned");
                    }
                }
            }
            try (PreparedStatement query = connection.prepareStatement("SELECT body FROM notes WHERE tag = ?")) {
                query.setString(1, technique);
                try (ResultSet rows = query.executeQuery()) {
                    if (!rows.next()) {
                        evidence.add("its note DELETEd from notes");
                    } else if (!BODY.equals(rows.getString(1))) {
                        evidence.add("its note UPDATEd to " + rows.getString(1));
                    }
                }
            }
        }
        return evidence;
    }

    /** Every technique named in {@code pwned}: also those the test did not expect. */
    List<String> pwned() throws SQLException {
        List<String> names = new ArrayList<>();
        try (Connection connection = connect(); Statement statement = connection.createStatement();
             ResultSet rows = statement.executeQuery("SELECT technique FROM pwned")) {
            while (rows.next()) {
                names.add(rows.getString(1));
            }
        }
        return names;
    }

    long notes() throws SQLException {
        try (Connection connection = connect(); Statement statement = connection.createStatement();
             ResultSet rows = statement.executeQuery("SELECT COUNT(*) FROM notes")) {
            rows.next();
            return rows.getLong(1);
        }
    }
}
