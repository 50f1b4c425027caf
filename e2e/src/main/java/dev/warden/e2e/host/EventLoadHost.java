package dev.warden.e2e.host;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.locks.LockSupport;

/**
 * An application under steady load: one thread inserts a new row into {@code events} and reads the
 * same count back, over and over, until told to stop on its standard input, so that a test can change
 * the policy while actions keep arriving.
 *
 * <pre>
 *   java EventLoadHost JDBC-URL
 *   stdin: stop
 *   out:   READY (after the first round) | DONE inserted=I refused=R reads=N readsRefused=M
 * </pre>
 */
public final class EventLoadHost {

    public static void main(String[] args) throws Exception {
        AtomicBoolean stop = new AtomicBoolean();
        long[] counts = new long[4];
        Thread load = new Thread(() -> {
            try (Connection connection = DriverManager.getConnection(args[0], "sa", "");
                 Statement statement = connection.createStatement()) {
                for (long id = 1; !stop.get(); id++) {
                    counts[run(statement, "INSERT INTO events VALUES (" + id + ")") ? 0 : 1]++;
                    counts[run(statement, "SELECT COUNT(*) FROM events") ? 2 : 3]++;
                    if (id == 1) {
                        System.out.println("READY");
                    }
                    LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(2)); // steady, not flat out: the receipts stay readable
                }
            } catch (SQLException e) {
                System.out.println("ERROR " + e);
            }
        }, "load");
        load.start();
        BufferedReader input = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
        for (String line = input.readLine(); line != null && !line.equals("stop"); line = input.readLine()) {
            System.out.println("ERROR unknown command " + line);
        }
        stop.set(true);
        load.join();
        System.out.println("DONE inserted=" + counts[0] + " refused=" + counts[1] + " reads=" + counts[2] + " readsRefused=" + counts[3]);
    }

    /** Whether the statement ran: Warden refuses with SQLState 42501; any other failure is the test's. */
    private static boolean run(Statement statement, String sql) {
        try {
            statement.execute(sql);
            return true;
        } catch (SQLException e) {
            if (!"42501".equals(e.getSQLState())) {
                throw new IllegalStateException(sql + ": " + e, e);
            }
            return false;
        }
    }
}
