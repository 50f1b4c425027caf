package dev.warden.e2e.host;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * A JDBC application that fires bursts of statements from many threads at once, when told to on its
 * standard input, so that a test can line up several such JVMs and act between bursts (stop a server,
 * start it again) without sleeping.
 *
 * <pre>
 *   java StatementBurstHost THREADS
 *   stdin: burst COUNT       COUNT statements, spread over THREADS threads that start together
 *          connect HOST PORT a plain socket connect
 *          quit
 *   out:   READY | OK i | DENIED i message=M | ERROR i M | BURST permitted=P denied=D errors=E
 *          | CONNECTED | CONNECT-FAILED message=M | DONE
 * </pre>
 */
public final class StatementBurstHost {

    public static void main(String[] args) throws Exception {
        int threads = Integer.parseInt(args[0]);
        List<Connection> connections = new ArrayList<>();
        for (int i = 0; i < threads; i++) {
            connections.add(DriverManager.getConnection("jdbc:h2:mem:burst;DB_CLOSE_DELAY=-1", "sa", ""));
        }
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        System.out.println("READY");
        BufferedReader input = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
        for (String line = input.readLine(); line != null && !line.equals("quit"); line = input.readLine()) {
            String[] words = line.trim().split(" ");
            if (words[0].equals("burst")) {
                burst(Integer.parseInt(words[1]), connections, pool);
            } else if (words[0].equals("connect")) {
                System.out.println(connect(words[1], Integer.parseInt(words[2])));
            } else {
                System.out.println("ERROR unknown command " + line);
            }
        }
        pool.shutdown();
        for (Connection connection : connections) {
            connection.close();
        }
        System.out.println("DONE");
    }

    private static void burst(int count, List<Connection> connections, ExecutorService pool) throws Exception {
        CountDownLatch start = new CountDownLatch(1);
        List<Future<String>> outcomes = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            int statement = i;
            Connection connection = connections.get(i % connections.size());
            outcomes.add(pool.submit(() -> {
                start.await();
                synchronized (connection) {
                    return run(connection, statement);
                }
            }));
        }
        start.countDown();
        int permitted = 0;
        int denied = 0;
        int errors = 0;
        StringBuilder lines = new StringBuilder();
        for (Future<String> outcome : outcomes) {
            String line = outcome.get();
            lines.append(line).append('\n');
            if (line.startsWith("OK")) {
                permitted++;
            } else if (line.startsWith("DENIED")) {
                denied++;
            } else {
                errors++;
            }
        }
        System.out.print(lines);
        System.out.println("BURST permitted=" + permitted + " denied=" + denied + " errors=" + errors);
    }

    private static String run(Connection connection, int statement) {
        try (Statement select = connection.createStatement(); ResultSet result = select.executeQuery("SELECT " + statement)) {
            result.next();
            return "OK " + result.getInt(1);
        } catch (SQLException e) {
            if ("42501".equals(e.getSQLState())) {
                return "DENIED " + statement + " message=" + e.getMessage();
            }
            return "ERROR " + statement + " " + e;
        }
    }

    private static String connect(String host, int port) {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress(host, port), 5_000);
            return "CONNECTED";
        } catch (IOException e) {
            return "CONNECT-FAILED message=" + e.getMessage();
        }
    }
}
