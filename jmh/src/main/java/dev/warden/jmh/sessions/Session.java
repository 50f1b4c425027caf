package dev.warden.jmh.sessions;

import dev.langchain4j.invocation.InvocationParameters;
import dev.langchain4j.service.MemoryId;
import dev.langchain4j.service.UserMessage;

import java.io.IOException;
import java.io.InputStream;
import java.net.HttpURLConnection;
import java.net.URI;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.Map;
import java.util.concurrent.CountDownLatch;

/**
 * One conversation on its own thread: {@code warmUp} turns, then, once every session is ready and the host
 * says go, {@code turns} measured turns. A turn asks the assistant about an account; the model calls both
 * tools, which read the account from H2 (on this session's own connection) and GET its quote over HTTP; the
 * model answers. Who acts is only what the application tells LangChain4j: the memory id (the session) and the
 * invocation parameters naming the assistant and its user.
 */
final class Session implements Runnable {

    /** The application's AI service. */
    interface Assistant {
        String chat(@MemoryId String session, @UserMessage String request, InvocationParameters parameters);
    }

    private final int index;
    private final String id;
    private final Assistant assistant;
    private final InvocationParameters parameters;
    private final PreparedStatement lookUp;
    private final String quotes;
    private final int accounts;
    private final int warmUp;
    private final int turns;
    private final ActionCounts actions;
    private final CountDownLatch ready;
    private final CountDownLatch go;

    final Latencies jdbc;
    final Latencies http;
    final Latencies turn;
    private boolean measuring;
    private volatile String failure;

    Session(int index, Assistant assistant, Connection connection, String quotes, int accounts, int warmUp, int turns,
            ActionCounts actions, CountDownLatch ready, CountDownLatch go) throws SQLException {
        this.index = index;
        this.id = String.format("session-%04d", index);
        this.assistant = assistant;
        this.parameters = InvocationParameters.from(Map.of("warden.actor", "support-assistant",
                "warden.onBehalfOf", String.format("user-%04d", index)));
        this.lookUp = connection.prepareStatement("SELECT holder, balance FROM accounts WHERE id = ?");
        this.quotes = quotes;
        this.accounts = accounts;
        this.warmUp = warmUp;
        this.turns = turns;
        this.actions = actions;
        this.ready = ready;
        this.go = go;
        this.jdbc = new Latencies(turns);
        this.http = new Latencies(turns);
        this.turn = new Latencies(turns);
    }

    String id() {
        return id;
    }

    /** Why this session stopped early (the first action that failed or was refused), or null. */
    String failure() {
        return failure;
    }

    @Override
    public void run() {
        try {
            for (int i = 0; i < warmUp; i++) {
                ask(i);
            }
        } catch (RuntimeException e) {
            failure = "warm-up: " + e;
        } finally {
            ready.countDown();
        }
        try {
            go.await();
            measuring = true;
            for (int i = 0; i < turns && failure == null; i++) {
                long start = System.nanoTime();
                ask(warmUp + i);
                turn.record(System.nanoTime() - start);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            failure = "interrupted";
        } catch (RuntimeException e) {
            failure = e.toString();
        }
    }

    private void ask(int turnIndex) {
        int account = 1 + (index * 31 + turnIndex) % accounts;
        String answer = assistant.chat(id, "What is the balance and the quote of account " + account + "?", parameters);
        if (answer.startsWith(ScriptedModel.FAILED)) {
            throw new IllegalStateException(answer);
        }
    }

    /** account_lookup's work: one point query on this session's prepared statement. */
    String lookUp(int account) throws SQLException {
        actions.add("jdbc:SELECT");
        long start = System.nanoTime();
        lookUp.setInt(1, account);
        String row;
        try (ResultSet rows = lookUp.executeQuery()) {
            row = rows.next() ? rows.getString(1) + " " + rows.getBigDecimal(2) : "no such account";
        }
        if (measuring) {
            jdbc.record(System.nanoTime() - start);
        }
        return row;
    }

    /** quote_fetch's work: one GET on a kept-alive connection (the body read to the end and closed, so it is reused). */
    String fetchQuote(int account) throws IOException {
        actions.add("http:GET");
        long start = System.nanoTime();
        HttpURLConnection connection = (HttpURLConnection) URI.create(quotes + account).toURL().openConnection();
        int status = connection.getResponseCode();
        String body;
        try (InputStream in = status == 200 ? connection.getInputStream() : connection.getErrorStream()) {
            body = in == null ? "" : new String(in.readAllBytes(), java.nio.charset.StandardCharsets.US_ASCII);
        }
        if (measuring) {
            http.record(System.nanoTime() - start);
        }
        if (status != 200) {
            throw new IOException("quotes API answered " + status + ": " + body);
        }
        return body;
    }
}
