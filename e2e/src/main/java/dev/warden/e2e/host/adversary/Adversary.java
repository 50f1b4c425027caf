package dev.warden.e2e.host.adversary;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * What every adversarial host shares: where the test's side channels are, and the forbidden actions
 * a technique tries to smuggle past the gate. Each forbidden action names its technique, so that
 * what reaches a side channel says which technique got through:
 * <ul>
 *   <li>SQL: {@code INSERT INTO pwned(technique)} with the technique's name, or
 *       {@code DELETE FROM notes WHERE tag = technique} (the test seeded one note per technique);</li>
 *   <li>HTTP: a request whose path has the technique's name as a segment ({@code /api/t/NAME} with a
 *       forbidden method, {@code /admin/NAME}, {@code /api/effect/NAME/...} sent by a tool or model
 *       that should never have run); only {@code GET /api/decoy/NAME}, the permitted disguise, is not
 *       evidence;</li>
 *   <li>TCP: a connection to the counting server the test gave the technique ({@code tcp.NAME}).</li>
 * </ul>
 * Arguments are {@code key=value}: {@code db} (JDBC URL of the side-channel database), {@code api}
 * ({@code host:port} of the counting HTTP server), {@code tcp.NAME} ({@code host:port}), and any
 * host-specific keys.
 */
public final class Adversary {

    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();

    private final Map<String, String> settings;

    private Adversary(Map<String, String> settings) {
        this.settings = settings;
    }

    public static Adversary from(String[] args) {
        Map<String, String> settings = new LinkedHashMap<>();
        for (String arg : args) {
            int equals = arg.indexOf('=');
            settings.put(arg.substring(0, equals), arg.substring(equals + 1));
        }
        Adversary adversary = new Adversary(settings);
        // Callbacks the drivers instantiate by class name (an event listener, a socket factory) find it here.
        System.setProperty("adversary.db", adversary.db());
        return adversary;
    }

    public String setting(String key) {
        String value = settings.get(key);
        if (value == null) {
            throw new IllegalArgumentException("no setting " + key);
        }
        return value;
    }

    public String db() {
        return setting("db");
    }

    public String apiHost() {
        String api = setting("api");
        return api.substring(0, api.lastIndexOf(':'));
    }

    public int apiPort() {
        String api = setting("api");
        return Integer.parseInt(api.substring(api.lastIndexOf(':') + 1));
    }

    public String url(String path) {
        return "http://" + apiHost() + ":" + apiPort() + path;
    }

    public InetSocketAddress api() {
        return new InetSocketAddress(apiHost(), apiPort());
    }

    /** The counting TCP server the test set up for {@code technique}. */
    public InetSocketAddress tcp(String technique) {
        String endpoint = setting("tcp." + technique);
        int colon = endpoint.lastIndexOf(':');
        return new InetSocketAddress(endpoint.substring(0, colon), Integer.parseInt(endpoint.substring(colon + 1)));
    }

    public int tcpPort(String technique) {
        return tcp(technique).getPort();
    }

    // ---- SQL

    public Connection connect() throws SQLException {
        return connect(db());
    }

    public static Connection connect(String url) throws SQLException {
        return DriverManager.getConnection(url, "sa", "");
    }

    /** The write no policy here permits, naming the technique that attempts it. */
    public static String insert(String technique) {
        return "INSERT INTO pwned(technique) VALUES ('" + technique + "')";
    }

    public static String delete(String technique) {
        return "DELETE FROM notes WHERE tag = '" + technique + "'";
    }

    /** The one read the least-privilege policy permits. */
    public static final String PERMITTED_SELECT = "SELECT tag, body FROM notes";

    public static String write(Connection connection, String sql) throws SQLException {
        try (Statement statement = connection.createStatement()) {
            return "RAN updated=" + statement.executeUpdate(sql);
        }
    }

    /** Runs the forbidden INSERT for {@code technique} over the side-channel database (used by callbacks). */
    public static void writeFromCallback(String technique) throws SQLException {
        try (Connection connection = connect(System.getProperty("adversary.db"))) {
            write(connection, insert(technique));
        }
    }

    // ---- HTTP

    /** A GET the least-privilege policy permits: what an attacker does first, to earn a grant. */
    public String permittedGet(String path) throws IOException, InterruptedException {
        HttpResponse<String> response = HTTP.send(HttpRequest.newBuilder(URI.create(url(path))).GET()
                .timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString());
        return "status=" + response.statusCode();
    }

    /** A tool's or a model's visible effect: a permitted GET that arrives only if the tool or model ran. */
    public String effect(String technique, String phase) throws IOException, InterruptedException {
        return permittedGet("/api/effect/" + technique + "/" + phase);
    }

    public String postWithJdkClient(String path) throws IOException, InterruptedException {
        HttpResponse<String> response = HTTP.send(HttpRequest.newBuilder(URI.create(url(path)))
                .POST(HttpRequest.BodyPublishers.ofString("evil")).timeout(Duration.ofSeconds(10)).build(),
                HttpResponse.BodyHandlers.ofString());
        return "status=" + response.statusCode();
    }

    /** Writes an HTTP request by hand on a socket that is already connected; returns the status line. */
    public String writeRequest(Socket socket, String method, String path) throws IOException {
        socket.setSoTimeout(10_000);
        OutputStream out = socket.getOutputStream();
        out.write(request(method, path).getBytes(StandardCharsets.US_ASCII));
        out.flush();
        return "answer=" + firstLine(socket.getInputStream());
    }

    public String request(String method, String path) {
        return method + " " + path + " HTTP/1.1\r\nHost: " + apiHost() + ":" + apiPort()
                + "\r\nContent-Length: 4\r\nConnection: close\r\n\r\nevil";
    }

    public String rawRequest(SocketAddress endpoint, String method, String path) throws IOException {
        try (Socket socket = new Socket()) {
            socket.connect(endpoint, 10_000);
            return writeRequest(socket, method, path);
        }
    }

    /** Connects and reads what the counting TCP server says (PONG), proof that the connection was made. */
    public static String touch(Socket socket, SocketAddress endpoint) throws IOException {
        socket.connect(endpoint, 10_000);
        socket.setSoTimeout(10_000);
        return "answer=" + firstLine(socket.getInputStream());
    }

    public static String firstLine(InputStream in) throws IOException {
        StringBuilder line = new StringBuilder();
        for (int c; (c = in.read()) >= 0 && c != '\n'; ) {
            if (c != '\r') {
                line.append((char) c);
            }
        }
        return line.toString();
    }
}
