package dev.warden.e2e.host;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;

/**
 * A JDBC application driven line by line on stdin, so a test can act on it while it runs:
 * {@code act N} runs {@code SELECT 1} N times and prints {@code ACTED n=N total=T ms=M};
 * {@code exit} ends it. Prints {@code READY} once connected.
 */
public final class WitnessedHost {

    public static void main(String[] args) throws Exception {
        long total = 0;
        try (Connection connection = DriverManager.getConnection("jdbc:h2:mem:witnessed", "sa", "");
             BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8))) {
            System.out.println("READY");
            for (String line = in.readLine(); line != null && !line.equals("exit"); line = in.readLine()) {
                int n = Integer.parseInt(line.substring("act ".length()).trim());
                long started = System.nanoTime();
                for (int i = 0; i < n; i++) {
                    try (Statement statement = connection.createStatement(); ResultSet rows = statement.executeQuery("SELECT 1")) {
                        rows.next();
                    }
                }
                total += n;
                System.out.println("ACTED n=" + n + " total=" + total + " ms=" + (System.nanoTime() - started) / 1_000_000);
            }
        }
        System.out.println("BYE");
    }
}
