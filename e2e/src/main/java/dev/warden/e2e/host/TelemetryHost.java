package dev.warden.e2e.host;

import java.io.IOException;
import java.net.HttpURLConnection;
import java.net.URI;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;

/**
 * A JDBC application on in-memory H2 that also tries one HTTP request, for the telemetry tests: it
 * sets up a table, reads it N times, tries to delete from it M times, GETs a URL, prints a line per
 * kind of result, then keeps running until its standard input closes (so that telemetry arrives by
 * the periodic export, not only by the flush at exit), and tries the URL once more from a shutdown hook.
 * With TABLES, it first tries one SELECT naming that many tables besides orders (a refusal whose reason
 * quotes them all).
 *
 * <pre>
 *   java TelemetryHost READS DELETES URL [TABLES]
 *   out:  READS ok=N | DELETES denied=M | LONG denied=1 | EGRESS denied: MESSAGE | EGRESS status=S | READY | (at exit) EXIT-EGRESS ...
 * </pre>
 */
public final class TelemetryHost {

    public static void main(String[] args) throws Exception {
        int reads = Integer.parseInt(args[0]);
        int deletes = Integer.parseInt(args[1]);
        try (Connection connection = DriverManager.getConnection("jdbc:h2:mem:telemetry", "sa", "");
             Statement statement = connection.createStatement()) {
            statement.execute("CREATE TABLE orders (id INT PRIMARY KEY)");
            statement.executeUpdate("INSERT INTO orders VALUES (1)");
            int read = 0;
            for (int i = 0; i < reads; i++) {
                try (var results = statement.executeQuery("SELECT id FROM orders WHERE id = " + i)) {
                    read++;
                }
            }
            System.out.println("READS ok=" + read);
            int denied = 0;
            for (int i = 0; i < deletes; i++) {
                try {
                    statement.executeUpdate("DELETE FROM orders WHERE id = " + i);
                } catch (SQLException refused) {
                    denied += refused.getMessage().startsWith("warden: denied") ? 1 : 0;
                }
            }
            System.out.println("DELETES denied=" + denied);
            if (args.length > 3) {
                StringBuilder sql = new StringBuilder("SELECT id FROM orders");
                for (int i = 0; i < Integer.parseInt(args[3]); i++) {
                    sql.append(", t").append(i);
                }
                try {
                    statement.executeQuery(sql.toString()).close();
                    System.out.println("LONG ran");
                } catch (SQLException refused) {
                    System.out.println("LONG denied=" + (refused.getMessage().startsWith("warden: denied") ? 1 : 0));
                }
            }
        }
        System.out.println(egress(args[2], "EGRESS"));
        // Once more from a shutdown hook: a decision at exit, which the final checkpoint and the last export cover.
        Runtime.getRuntime().addShutdownHook(new Thread(() -> System.out.println(egress(args[2], "EXIT-EGRESS"))));
        System.out.println("READY");
        System.in.transferTo(java.io.OutputStream.nullOutputStream());
    }

    private static String egress(String url, String line) {
        try {
            HttpURLConnection connection = (HttpURLConnection) URI.create(url).toURL().openConnection();
            return line + " status=" + connection.getResponseCode();
        } catch (IOException refused) {
            return line + " denied: " + refused.getMessage();
        }
    }
}
