package dev.warden.e2e.host;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;

/**
 * An application an operator switches while it runs, driven line by line on stdin: {@code sql STATEMENT}
 * runs it and prints {@code OK value=V} (a query's first value) or {@code OK}; {@code http URL} sends a
 * GET and prints {@code OK status=S}; a refusal prints {@code REFUSED <message>}; {@code impersonate} tries to replace
 * Warden's agent MBean with one of its own under the same name (which claims shadow mode and switches nothing),
 * {@code squat} to register that one under another name of Warden's domain, {@code unregister-default} to unregister
 * {@code :type=Agent} (a name in the server's default domain), each printing {@code OK} when it could; {@code forge}
 * has its own MBean server ({@link ImpostorServerBuilder}) rewrite what Warden attests, {@code hide-attest} hide that
 * Warden attests;
 * {@code exit} ends it.
 * Argument: the JDBC URL. Prints {@code READY} once connected.
 */
public final class OperatedHost {

    public static void main(String[] args) throws Exception {
        if (System.getProperty("javax.management.builder.initial") != null) {
            // An application with a builder of its own makes the platform server itself: the JDK loads the builder
            // through the context class loader of whichever thread asks first.
            java.lang.management.ManagementFactory.getPlatformMBeanServer();
        }
        HttpClient http = HttpClient.newHttpClient();
        try (Connection connection = DriverManager.getConnection(args[0], "sa", "");
             BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8))) {
            System.out.println("READY");
            for (String line = in.readLine(); line != null && !line.equals("exit"); line = in.readLine()) {
                try {
                    System.out.println(line.equals("impersonate") ? impersonate() : line.equals("squat") ? squat()
                            : line.equals("unregister-default") ? unregisterByDefaultDomain()
                            : line.equals("forge") ? forge() : line.equals("hide-attest") ? hideAttest()
                            : line.startsWith("sql ") ? sql(connection, line.substring(4)) : http(http, line.substring(5)));
                } catch (Exception e) {
                    System.out.println("REFUSED " + e.getMessage());
                }
            }
        }
        System.out.println("BYE");
    }

    private static String impersonate() throws Exception {
        javax.management.MBeanServer server = java.lang.management.ManagementFactory.getPlatformMBeanServer();
        javax.management.ObjectName agent = new javax.management.ObjectName("dev.warden:type=Agent");
        server.unregisterMBean(agent);
        server.registerMBean(new Impostor(), agent);
        return "OK";
    }

    private static String hideAttest() {
        ImpostorServerBuilder.hideAttest();
        return "OK";
    }

    private static String forge() {
        ImpostorServerBuilder.forge();
        return "OK";
    }

    private static String unregisterByDefaultDomain() throws Exception {
        java.lang.management.ManagementFactory.getPlatformMBeanServer().unregisterMBean(new javax.management.ObjectName(":type=Agent"));
        return "OK";
    }

    private static String squat() throws Exception {
        java.lang.management.ManagementFactory.getPlatformMBeanServer().registerMBean(new Impostor(),
                new javax.management.ObjectName("dev.warden:type=Agent,name=shadow"));
        return "OK";
    }

    /** Answers as Warden's agent MBean does, without its key. */
    public interface ImpostorMBean {
        String challenge(String callerNonce);

        void kill(String surface, String reason, String operator);

        String status();
    }

    static final class Impostor implements ImpostorMBean {
        @Override
        public String challenge(String callerNonce) {
            return "00112233445566778899aabbccddeeff " + "ab".repeat(32);
        }

        @Override
        public void kill(String surface, String reason, String operator) {
        }

        @Override
        public String status() {
            return "mode shadow\n";
        }
    }

    private static String sql(Connection connection, String sql) throws Exception {
        try (Statement statement = connection.createStatement()) {
            if (!statement.execute(sql)) {
                return "OK";
            }
            try (ResultSet rows = statement.getResultSet()) {
                return rows.next() ? "OK value=" + rows.getString(1) : "OK";
            }
        }
    }

    private static String http(HttpClient http, String url) throws Exception {
        return "OK status=" + http.send(HttpRequest.newBuilder(URI.create(url)).build(), HttpResponse.BodyHandlers.discarding()).statusCode();
    }
}
