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
 * GET and prints {@code OK status=S}; a refusal prints {@code REFUSED <message>}; {@code exit} ends it.
 * Argument: the JDBC URL. Prints {@code READY} once connected.
 */
public final class OperatedHost {

    public static void main(String[] args) throws Exception {
        HttpClient http = HttpClient.newHttpClient();
        try (Connection connection = DriverManager.getConnection(args[0], "sa", "");
             BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8))) {
            System.out.println("READY");
            for (String line = in.readLine(); line != null && !line.equals("exit"); line = in.readLine()) {
                try {
                    System.out.println(line.startsWith("sql ") ? sql(connection, line.substring(4)) : http(http, line.substring(5)));
                } catch (Exception e) {
                    System.out.println("REFUSED " + e.getMessage());
                }
            }
        }
        System.out.println("BYE");
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
