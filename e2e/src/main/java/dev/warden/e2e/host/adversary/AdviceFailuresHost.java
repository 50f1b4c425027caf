package dev.warden.e2e.host.adversary;

import dev.langchain4j.data.message.UserMessage;
import dev.langchain4j.model.chat.request.ChatRequest;
import okhttp3.Call;
import okhttp3.Callback;
import okhttp3.MediaType;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.RequestBody;
import okhttp3.Response;
import okio.BufferedSink;
import org.apache.hc.client5.http.async.methods.SimpleRequestBuilder;
import org.apache.hc.client5.http.async.methods.SimpleResponseConsumer;
import org.apache.hc.client5.http.classic.methods.HttpGet;
import org.apache.hc.client5.http.classic.methods.HttpPost;
import org.apache.hc.client5.http.impl.async.CloseableHttpAsyncClient;
import org.apache.hc.client5.http.impl.async.HttpAsyncClients;
import org.apache.hc.client5.http.impl.classic.CloseableHttpClient;
import org.apache.hc.client5.http.impl.classic.HttpClients;
import org.apache.hc.core5.http.ContentType;
import org.apache.hc.core5.http.io.entity.AbstractHttpEntity;
import org.apache.hc.core5.http.message.BasicHttpRequest;
import org.apache.hc.core5.http.nio.AsyncEntityProducer;
import org.apache.hc.core5.http.nio.entity.BasicAsyncEntityProducer;
import org.apache.hc.core5.http.nio.support.BasicRequestProducer;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Properties;
import java.io.InputStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * Class 4 of issue 11 (item 7): advice whose own reads of the host's objects throw. Each technique
 * makes two calls on one thread: the FIRST makes what the advice reads throw (a null tool request,
 * request defaults that throw once, an unreadable message, headers, body publisher or body length,
 * also through the clients that answer through a future or a callback);
 * it must be refused, never sent. The NEXT is an ordinary forbidden call: it must be decided and
 * recorded, which it is not when the first left the advice's call-depth frame behind. Evidence of
 * either reaching the test's server carries the technique's name; the next call names itself in
 * its receipt (tool {@code next_...}, model {@code next-...}, path {@code /admin/...}).
 */
public final class AdviceFailuresHost {

    public static void main(String[] args) throws Exception {
        Adversary adversary = Adversary.from(args);
        Techniques.run("permitted-tool", () -> Techniques.toolResult(
                new EffectTool(adversary, "permitted-tool").execute(EffectTool.request("lookup_note"), "memory-1")));
        jdbcAndUnprintableFailures(adversary);
        pair("tool-execute-null-request", () -> {
            EffectTool tool = new EffectTool(adversary, "tool-execute-null-request");
            return new String[] {
                    Techniques.attempt(() -> Techniques.toolResult(tool.execute(null, "memory-1"))),
                    Techniques.attempt(() -> Techniques.toolResult(tool.execute(EffectTool.request(nextTool("tool-execute-null-request")), "memory-1")))};
        });
        pair("tool-execute-with-context-null-request", () -> {
            EffectTool tool = new EffectTool(adversary, "tool-execute-with-context-null-request");
            return new String[] {
                    Techniques.attempt(() -> Techniques.toolResult(tool.executeWithContext(null, null).resultText())),
                    Techniques.attempt(() -> Techniques.toolResult(tool.executeWithContext(
                            EffectTool.request(nextTool("tool-execute-with-context-null-request")), null).resultText()))};
        });
        pair("model-default-parameters-throw-once", () -> {
            EffectChatModel model = new EffectChatModel(adversary, "model-default-parameters-throw-once", true);
            return new String[] {
                    Techniques.attempt(() -> "RAN " + model.chat(ChatRequest.builder().messages(UserMessage.from("hello")).build()).aiMessage().text()),
                    Techniques.attempt(() -> "RAN " + model.chat(nextModelRequest("model-default-parameters-throw-once")).aiMessage().text())};
        });
        pair("streaming-model-default-parameters-throw-once", () -> {
            EffectStreamingModel model = new EffectStreamingModel(adversary, "streaming-model-default-parameters-throw-once", true);
            return new String[] {
                    EffectStreamingModel.stream(model, ChatRequest.builder().messages(UserMessage.from("hello")).build()),
                    EffectStreamingModel.stream(model, nextModelRequest("streaming-model-default-parameters-throw-once"))};
        });
        pair("model-message-tostring-throws", () -> {
            EffectChatModel model = new EffectChatModel(adversary, "model-message-tostring-throws", false);
            return new String[] {
                    Techniques.attempt(() -> "RAN " + model.chat(ChatRequest.builder().messages(new ThrowingMessage())
                            .modelName("first-model-message-tostring-throws").build()).aiMessage().text()),
                    Techniques.attempt(() -> "RAN " + model.chat(nextModelRequest("model-message-tostring-throws")).aiMessage().text())};
        });
        for (ThrowingHttpRequest.Part part : ThrowingHttpRequest.Part.values()) {
            String technique = "jdk-httprequest-" + (part == ThrowingHttpRequest.Part.HEADERS ? "headers" : "bodypublisher") + "-throw";
            pair(technique, () -> {
                HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();
                return new String[] {
                        Techniques.attempt(() -> "RAN status=" + client.send(new ThrowingHttpRequest(
                                URI.create(adversary.url("/api/first/" + technique)), part), HttpResponse.BodyHandlers.ofString()).statusCode()),
                        Techniques.attempt(() -> "RAN status=" + client.send(HttpRequest.newBuilder(URI.create(adversary.url("/admin/" + technique)))
                                .timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString()).statusCode())};
            });
        }
        pair("okhttp-body-contentlength-throws", () -> {
            OkHttpClient client = new OkHttpClient();
            RequestBody unreadable = unreadableOkHttpBody();
            return new String[] {
                    Techniques.attempt(() -> {
                        try (Response response = client.newCall(new Request.Builder()
                                .url(adversary.url("/api/first/okhttp-body-contentlength-throws")).post(unreadable).build()).execute()) {
                            return "RAN status=" + response.code();
                        }
                    }),
                    Techniques.attempt(() -> {
                        try (Response response = client.newCall(new Request.Builder()
                                .url(adversary.url("/admin/okhttp-body-contentlength-throws")).build()).execute()) {
                            return "RAN status=" + response.code();
                        }
                    })};
        });
        pair("apache5-entity-contentlength-throws", () -> {
            try (CloseableHttpClient client = HttpClients.createDefault()) {
                HttpPost first = new HttpPost(adversary.url("/api/first/apache5-entity-contentlength-throws"));
                first.setEntity(new AbstractHttpEntity(ContentType.TEXT_PLAIN, null) {
                    @Override
                    public long getContentLength() {
                        throw new IllegalStateException("length is not known yet");
                    }

                    @Override
                    public InputStream getContent() {
                        return new ByteArrayInputStream("evil".getBytes(StandardCharsets.US_ASCII));
                    }

                    @Override
                    public boolean isStreaming() {
                        return false;
                    }

                    @Override
                    public void close() {
                    }
                });
                return new String[] {
                        Techniques.attempt(() -> "RAN status=" + client.execute(first, response -> response.getCode())),
                        Techniques.attempt(() -> "RAN status=" + client.execute(
                                new HttpGet(adversary.url("/admin/apache5-entity-contentlength-throws")), response -> response.getCode()))};
            }
        });
        pair("apache4-entity-contentlength-throws", () -> {
            try (org.apache.http.impl.client.CloseableHttpClient client = org.apache.http.impl.client.HttpClients.createDefault()) {
                org.apache.http.client.methods.HttpPost first = new org.apache.http.client.methods.HttpPost(
                        adversary.url("/api/first/apache4-entity-contentlength-throws"));
                first.setEntity(new org.apache.http.entity.AbstractHttpEntity() {
                    @Override
                    public long getContentLength() {
                        throw new IllegalStateException("length is not known yet");
                    }

                    @Override
                    public boolean isRepeatable() {
                        return true;
                    }

                    @Override
                    public InputStream getContent() {
                        return new ByteArrayInputStream("evil".getBytes(StandardCharsets.US_ASCII));
                    }

                    @Override
                    public void writeTo(java.io.OutputStream out) throws java.io.IOException {
                        out.write("evil".getBytes(StandardCharsets.US_ASCII));
                    }

                    @Override
                    public boolean isStreaming() {
                        return false;
                    }
                });
                return new String[] {
                        Techniques.attempt(() -> "RAN status=" + client.execute(first, response -> response.getStatusLine().getStatusCode())),
                        Techniques.attempt(() -> "RAN status=" + client.execute(new org.apache.http.client.methods.HttpGet(
                                adversary.url("/admin/apache4-entity-contentlength-throws")), response -> response.getStatusLine().getStatusCode()))};
            }
        });
        // The clients that answer through a future or a callback: Apache HttpClient 5 async, OkHttp's enqueue.
        pair("apache5-async-entity-contentlength-throws", () -> {
            try (CloseableHttpAsyncClient client = HttpAsyncClients.createDefault()) {
                client.start();
                AsyncEntityProducer unreadable = new BasicAsyncEntityProducer("evil") {
                    @Override
                    public long getContentLength() {
                        throw new IllegalStateException("length is not known yet");
                    }
                };
                BasicHttpRequest first = new BasicHttpRequest("POST", URI.create(adversary.url("/api/first/apache5-async-entity-contentlength-throws")));
                return new String[] {
                        Techniques.attempt(() -> "RAN status=" + client.execute(new BasicRequestProducer(first, unreadable),
                                SimpleResponseConsumer.create(), null).get(15, TimeUnit.SECONDS).getCode()),
                        Techniques.attempt(() -> apacheAsyncGet(client, adversary.url("/admin/apache5-async-entity-contentlength-throws")))};
            }
        });
        pair("apache5-async-entity-throws-at-write", () -> {
            try (CloseableHttpAsyncClient client = HttpAsyncClients.createDefault()) {
                client.start();
                // Readable when the request is decided and when the client sets Content-Length; not
                // when the connection's stream commits the request (where only Warden reads it).
                AsyncEntityProducer unreadableAtWrite = new BasicAsyncEntityProducer("evil") {
                    @Override
                    public long getContentLength() {
                        if (StackWalker.getInstance().walk(frames -> frames.anyMatch(frame -> frame.getMethodName().equals("commitRequest")))) {
                            throw new IllegalStateException("length is not known any more");
                        }
                        return super.getContentLength();
                    }
                };
                // A GET under /api/: permitted where it is decided, so that it reaches the write.
                BasicHttpRequest first = new BasicHttpRequest("GET", URI.create(adversary.url("/api/first/apache5-async-entity-throws-at-write")));
                return new String[] {
                        Techniques.attempt(() -> "RAN status=" + client.execute(new BasicRequestProducer(first, unreadableAtWrite),
                                SimpleResponseConsumer.create(), null).get(15, TimeUnit.SECONDS).getCode()),
                        Techniques.attempt(() -> apacheAsyncGet(client, adversary.url("/admin/apache5-async-entity-throws-at-write")))};
            }
        });
        pair("okhttp-enqueue-body-contentlength-throws", () -> {
            OkHttpClient client = new OkHttpClient();
            return new String[] {
                    Techniques.attempt(() -> enqueue(client, new Request.Builder()
                            .url(adversary.url("/api/first/okhttp-enqueue-body-contentlength-throws")).post(unreadableOkHttpBody()).build())),
                    Techniques.attempt(() -> enqueue(client, new Request.Builder()
                            .url(adversary.url("/admin/okhttp-enqueue-body-contentlength-throws")).build()))};
        });
        Techniques.done();
    }

    private static RequestBody unreadableOkHttpBody() {
        return new RequestBody() {
            @Override
            public MediaType contentType() {
                return MediaType.get("text/plain");
            }

            @Override
            public long contentLength() {
                throw new IllegalStateException("length is not known yet");
            }

            @Override
            public void writeTo(BufferedSink sink) throws IOException {
                sink.writeUtf8("evil");
            }
        };
    }

    private static String apacheAsyncGet(CloseableHttpAsyncClient client, String url) throws Exception {
        return "RAN status=" + client.execute(SimpleRequestBuilder.get(url).build(), null).get(15, TimeUnit.SECONDS).getCode();
    }

    /** OkHttp's enqueue: what the callback heard, as the technique's outcome. */
    private static String enqueue(OkHttpClient client, Request request) throws Exception {
        CompletableFuture<String> outcome = new CompletableFuture<>();
        client.newCall(request).enqueue(new Callback() {
            @Override
            public void onFailure(Call call, IOException failure) {
                outcome.complete(Techniques.describe(failure));
            }

            @Override
            public void onResponse(Call call, Response response) {
                try (response) {
                    outcome.complete("RAN status=" + response.code());
                }
            }
        });
        return outcome.get(15, TimeUnit.SECONDS);
    }

    /** Both calls of a technique, on one thread: {@code first=... next=...}. */
    private static void pair(String technique, PairAttempt attempt) {
        Techniques.run(technique, () -> {
            String[] outcomes = attempt.run();
            return "first=" + outcomes[0] + " next=" + outcomes[1];
        });
    }

    @FunctionalInterface
    private interface PairAttempt {
        String[] run() throws Exception;
    }

    /** The tool the next call asks for, named after the technique (tool names are identifiers). */
    public static String nextTool(String technique) {
        return "next_" + technique.replace('-', '_');
    }

    private static ChatRequest nextModelRequest(String technique) {
        return ChatRequest.builder().messages(UserMessage.from("hello")).modelName("next-" + technique).build();
    }

    // ---- JDBC advice, and failures whose exception cannot be printed ----------------------------

    /**
     * JDBC: a connection that cannot be described (its {@code getMetaData}, or the URL or product name
     * of its metadata, throws) hands out statements, the wrapper's own or its driver's; a connect
     * whose properties throw (on H2; {@code DriversEndToEndTest} covers the other drivers). A tool call
     * whose memory id throws an exception whose message throws too. The
     * first call is forbidden SQL, or (the tool) the permitted tool: refused either way, it must not
     * run; the next is {@link #nextInsert}, or the next tool.
     */
    private static void jdbcAndUnprintableFailures(Adversary adversary) {
        pair("jdbc-wrapper-metadata-throws", () -> {
            String technique = "jdbc-wrapper-metadata-throws";
            try (Connection wrapper = new UnreadableConnection(adversary.connect(), UnreadableConnection.Part.META_DATA, true)) {
                return new String[] {
                        Techniques.attempt(() -> Adversary.write(wrapper, Adversary.insert(technique))),
                        Techniques.attempt(() -> nextInsert(adversary, technique))};
            }
        });
        pair("jdbc-driver-statement-behind-wrapper-url-throws", () -> {
            String technique = "jdbc-driver-statement-behind-wrapper-url-throws";
            try (Connection wrapper = new UnreadableConnection(adversary.connect(), UnreadableConnection.Part.URL, false);
                 PreparedStatement insert = wrapper.prepareStatement(Adversary.insert(technique))) {
                return new String[] {
                        Techniques.attempt(() -> "RAN updated=" + insert.executeUpdate()),
                        Techniques.attempt(() -> nextInsert(adversary, technique))};
            }
        });
        pair("jdbc-batch-behind-wrapper-product-name-throws", () -> {
            String technique = "jdbc-batch-behind-wrapper-product-name-throws";
            try (Connection wrapper = new UnreadableConnection(adversary.connect(), UnreadableConnection.Part.PRODUCT_NAME, false);
                 Statement batch = wrapper.createStatement()) {
                return new String[] {
                        Techniques.attempt(() -> {
                            batch.addBatch(Adversary.insert(technique));
                            return "RAN updated=" + java.util.Arrays.toString(batch.executeBatch());
                        }),
                        Techniques.attempt(() -> nextInsert(adversary, technique))};
            }
        });
        pair("jdbc-connect-properties-throw", () -> {
            String technique = "jdbc-connect-properties-throw";
            // Warden copies the properties (the driver gets the copy it decided on) through their keys.
            Properties unreadable = new Properties() {
                @Override
                public java.util.Set<Object> keySet() {
                    throw new UnprintableFailure();
                }
            };
            unreadable.setProperty("user", "sa");
            unreadable.setProperty("password", "");
            return new String[] {
                    // As a pool connects: through the driver that accepts the URL, with the pool's properties.
                    Techniques.attempt(() -> {
                        try (Connection connection = DriverManager.getDriver(adversary.db()).connect(adversary.db(), unreadable)) {
                            return "RAN connected, then " + Adversary.write(connection, Adversary.insert(technique));
                        }
                    }),
                    Techniques.attempt(() -> nextInsert(adversary, technique))};
        });
        pair("tool-execute-memory-id-unprintable", () -> {
            EffectTool tool = new EffectTool(adversary, "tool-execute-memory-id-unprintable");
            Object memoryId = new Object() {
                @Override
                public String toString() {
                    throw new UnprintableFailure();
                }
            };
            return new String[] {
                    // The one tool the least-privilege policy permits: if it ran, its effect arrived.
                    Techniques.attempt(() -> Techniques.toolResult(tool.execute(EffectTool.request("lookup_note"), memoryId))),
                    Techniques.attempt(() -> Techniques.toolResult(tool.execute(
                            EffectTool.request(nextTool("tool-execute-memory-id-unprintable")), "memory-1")))};
        });
    }

    /** The identifier the next statement of a JDBC technique names itself by (literals are masked in receipts). */
    public static String nextAlias(String technique) {
        return "next_" + technique.replace('-', '_');
    }

    /** The next statement of a JDBC technique, on an ordinary connection: a forbidden INSERT that names the technique. */
    private static String nextInsert(Adversary adversary, String technique) throws SQLException {
        try (Connection connection = adversary.connect()) {
            return Adversary.write(connection, "INSERT INTO pwned(technique) SELECT tag FROM notes " + nextAlias(technique)
                    + " WHERE tag = '" + technique + "'");
        }
    }

    private AdviceFailuresHost() {
    }
}
