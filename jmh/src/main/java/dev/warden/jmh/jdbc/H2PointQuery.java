package dev.warden.jmh.jdbc;

import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.concurrent.TimeUnit;

/**
 * An H2 in-memory point query through a prepared statement: the workload the OpenTelemetry agent's
 * ~2 µs overhead was measured on. Subclasses run it with and without Warden in one JMH run.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.SampleTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
public abstract class H2PointQuery {

    private Connection connection;
    private PreparedStatement query;
    private int id;

    @Setup(Level.Trial)
    public void createTable() throws SQLException {
        connection = DriverManager.getConnection("jdbc:h2:mem:bench;DB_CLOSE_DELAY=-1", "sa", "");
        try (Statement statement = connection.createStatement()) {
            statement.execute("DROP TABLE IF EXISTS bench");
            statement.execute("CREATE TABLE bench (id INT PRIMARY KEY, name VARCHAR(40))");
        }
        try (PreparedStatement insert = connection.prepareStatement("INSERT INTO bench VALUES (?, ?)")) {
            for (int row = 1; row <= 1000; row++) {
                insert.setInt(1, row);
                insert.setString(2, "name " + row);
                insert.executeUpdate();
            }
        }
        query = connection.prepareStatement("SELECT name FROM bench WHERE id = ?");
    }

    @Benchmark
    public String pointQuery() throws SQLException {
        id = id % 1000 + 1;
        query.setInt(1, id);
        try (ResultSet results = query.executeQuery()) {
            results.next();
            return results.getString(1);
        }
    }

    @TearDown(Level.Trial)
    public void close() throws SQLException {
        connection.close();
    }
}
