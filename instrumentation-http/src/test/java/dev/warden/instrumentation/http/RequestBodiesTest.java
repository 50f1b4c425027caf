package dev.warden.instrumentation.http;

import dev.warden.bootstrap.Bindings;
import dev.warden.bootstrap.http.RequestBodies;
import okhttp3.FormBody;
import okhttp3.MediaType;
import okhttp3.RequestBody;
import okio.BufferedSink;
import okio.ByteString;
import org.apache.hc.core5.http.ContentType;
import org.apache.hc.core5.http.io.entity.ByteArrayEntity;
import org.apache.hc.core5.http.io.entity.InputStreamEntity;
import org.apache.hc.core5.http.io.entity.StringEntity;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayInputStream;
import java.net.http.HttpRequest.BodyPublishers;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * What each client's body binds, read from the clients' own body objects: the SHA-256 of the exact
 * bytes where the client holds them in memory, a fresh nonce for anything else (never read), nothing
 * without a body. The JDK's publishers are read as the agent reads them, with {@code jdk.internal.net.http}
 * opened (this module's surefire argLine, the agent's ModuleOpener).
 */
class RequestBodiesTest {

    private static final String BODY = "{\"invoice\":7,\"amount\":\"120.00\"}";
    private static final String DIGEST = sha256(BODY.getBytes(StandardCharsets.UTF_8));

    @Test
    void theJdkClientsInMemoryPublishersBindTheSha256OfTheirBytes() {
        byte[] bytes = BODY.getBytes(StandardCharsets.UTF_8);
        assertThat(bind(BodyPublishers.ofString(BODY))).isEqualTo(DIGEST);
        assertThat(bind(BodyPublishers.ofByteArray(bytes))).isEqualTo(DIGEST);
        byte[] framed = ("xx" + BODY + "yyy").getBytes(StandardCharsets.UTF_8);
        assertThat(bind(BodyPublishers.ofByteArray(framed, 2, bytes.length))).as("only the slice sent").isEqualTo(DIGEST);
        assertThat(bind(BodyPublishers.ofByteArrays(List.of("{\"invoice\":7,".getBytes(StandardCharsets.UTF_8),
                "\"amount\":\"120.00\"}".getBytes(StandardCharsets.UTF_8))))).as("the arrays' concatenation").isEqualTo(DIGEST);
        assertThat(bind(BodyPublishers.ofString("{\"invoice\":8,\"amount\":\"120.00\"}"))).isNotEqualTo(DIGEST).hasSize(64);

        assertThat(bind(BodyPublishers.ofString("{\"invoice\":7}"))).as("RECEIPTS.md's vector")
                .isEqualTo("7621f4888bb0d2cb17a69155c0484de498951547f226371263d227d49a2dccab");
        assertThat(bind(BodyPublishers.noBody())).as("no body binds nothing").isNull();
        assertThat(bind(BodyPublishers.ofString(""))).isNull();
        assertThat(RequestBodies.binding(null, -1)).isNull();
    }

    @Test
    void aJdkPublisherWardenCannotReadIsAFreshNonceAndAHostIterableIsNeverIterated() {
        assertUnknown(BodyPublishers.ofInputStream(() -> new ByteArrayInputStream(new byte[]{1, 2, 3})));
        AtomicBoolean iterated = new AtomicBoolean();
        Iterable<byte[]> hosts = () -> {
            iterated.set(true);
            return List.of(new byte[]{1}).iterator();
        };
        assertUnknown(BodyPublishers.ofByteArrays(hosts));
        assertThat(iterated).as("the host's iterable may be one-shot").isFalse();
        assertUnknown(BodyPublishers.fromPublisher(BodyPublishers.ofString(BODY)));
    }

    @Test
    void okHttpBodiesMadeFromBytesStringsAndByteStringsBindTheirBytes() {
        MediaType json = MediaType.get("application/json");
        byte[] bytes = BODY.getBytes(StandardCharsets.UTF_8);
        assertThat(bind(RequestBody.create(BODY, json))).isEqualTo(DIGEST);
        assertThat(bind(RequestBody.create(bytes, json))).isEqualTo(DIGEST);
        byte[] framed = ("xx" + BODY + "yyy").getBytes(StandardCharsets.UTF_8);
        assertThat(bind(RequestBody.create(framed, json, 2, bytes.length))).isEqualTo(DIGEST);
        assertThat(bind(RequestBody.create(ByteString.encodeUtf8(BODY), json))).isEqualTo(DIGEST);
        assertThat(bind(RequestBody.create(new byte[0], json))).isNull();
    }

    @Test
    void anyOtherOkHttpBodyIsAFreshNonceAndNeverWritten() {
        AtomicBoolean written = new AtomicBoolean();
        RequestBody oneShot = new RequestBody() {
            @Override
            public MediaType contentType() {
                return null;
            }

            @Override
            public void writeTo(BufferedSink sink) {
                written.set(true);
            }
        };
        assertUnknown(oneShot);
        assertThat(written).isFalse();
        assertUnknown(new FormBody.Builder().add("invoice", "7").build());
    }

    @Test
    void apacheByteArrayAndStringEntitiesBindTheirBytesAndNoOtherEntityIsRead() {
        byte[] bytes = BODY.getBytes(StandardCharsets.UTF_8);
        assertThat(bind(new StringEntity(BODY, ContentType.APPLICATION_JSON))).isEqualTo(DIGEST);
        assertThat(bind(new ByteArrayEntity(bytes, ContentType.APPLICATION_JSON))).isEqualTo(DIGEST);
        assertThat(bind(new org.apache.http.entity.StringEntity(BODY, StandardCharsets.UTF_8))).isEqualTo(DIGEST);
        assertThat(bind(new org.apache.http.entity.ByteArrayEntity(bytes))).isEqualTo(DIGEST);

        assertUnknown(new InputStreamEntity(new ByteArrayInputStream(bytes), ContentType.APPLICATION_JSON));
        assertUnknown(new org.apache.http.entity.InputStreamEntity(new ByteArrayInputStream(bytes)));
        // A subclass could answer Warden one thing and the connection another.
        assertUnknown(new StringEntity(BODY, ContentType.APPLICATION_JSON) {
        });
    }

    /** The application's array overwritten after the decision: each body still writes the bytes bound (a ninth review). */
    @Test
    void aBodyOverTheApplicationsArrayWritesTheBytesBoundWhateverTheArrayHoldsAfterwards() throws Exception {
        byte[] bytes = BODY.getBytes(StandardCharsets.UTF_8);
        java.net.http.HttpRequest.BodyPublisher publisher = BodyPublishers.ofByteArray(bytes);
        assertThat(bind(publisher)).isEqualTo(DIGEST);
        java.util.Arrays.fill(bytes, (byte) '9');
        assertThat(published(publisher)).isEqualTo(BODY);

        byte[] first = "{\"invoice\":7,".getBytes(StandardCharsets.UTF_8);
        java.net.http.HttpRequest.BodyPublisher arrays = BodyPublishers.ofByteArrays(new ArrayList<>(List.of(first,
                "\"amount\":\"120.00\"}".getBytes(StandardCharsets.UTF_8))));
        assertThat(bind(arrays)).isEqualTo(DIGEST);
        java.util.Arrays.fill(first, (byte) '9');
        assertThat(published(arrays)).isEqualTo(BODY);

        bytes = BODY.getBytes(StandardCharsets.UTF_8);
        RequestBody okhttp = RequestBody.create(bytes, MediaType.get("application/json"));
        assertThat(bind(okhttp)).isEqualTo(DIGEST);
        java.util.Arrays.fill(bytes, (byte) '9');
        okio.Buffer written = new okio.Buffer();
        okhttp.writeTo(written);
        assertThat(written.readUtf8()).isEqualTo(BODY);

        bytes = BODY.getBytes(StandardCharsets.UTF_8);
        ByteArrayEntity apache5 = new ByteArrayEntity(bytes, ContentType.APPLICATION_JSON);
        assertThat(bind(apache5)).isEqualTo(DIGEST);
        java.util.Arrays.fill(bytes, (byte) '9');
        java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
        apache5.writeTo(out);
        assertThat(out.toString(StandardCharsets.UTF_8)).isEqualTo(BODY);

        bytes = BODY.getBytes(StandardCharsets.UTF_8);
        org.apache.http.entity.ByteArrayEntity apache4 = new org.apache.http.entity.ByteArrayEntity(bytes);
        assertThat(bind(apache4)).isEqualTo(DIGEST);
        java.util.Arrays.fill(bytes, (byte) '9');
        out.reset();
        apache4.writeTo(out);
        assertThat(out.toString(StandardCharsets.UTF_8)).isEqualTo(BODY);
    }

    /** What a JDK publisher hands its subscriber. */
    private static String published(java.net.http.HttpRequest.BodyPublisher publisher) throws Exception {
        java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
        java.util.concurrent.CompletableFuture<Void> done = new java.util.concurrent.CompletableFuture<>();
        publisher.subscribe(new java.util.concurrent.Flow.Subscriber<>() {
            @Override
            public void onSubscribe(java.util.concurrent.Flow.Subscription subscription) {
                subscription.request(Long.MAX_VALUE);
            }

            @Override
            public void onNext(java.nio.ByteBuffer buffer) {
                byte[] chunk = new byte[buffer.remaining()];
                buffer.get(chunk);
                out.writeBytes(chunk);
            }

            @Override
            public void onError(Throwable failure) {
                done.completeExceptionally(failure);
            }

            @Override
            public void onComplete() {
                done.complete(null);
            }
        });
        done.get(10, java.util.concurrent.TimeUnit.SECONDS);
        return out.toString(StandardCharsets.UTF_8);
    }

    @Test
    void aBodyWrittenAfterTheDecisionIsAFreshNonce() {
        assertUnknown(RequestBodies.WRITTEN_AFTER_DECISION);
    }

    private static String bind(java.net.http.HttpRequest.BodyPublisher publisher) {
        return RequestBodies.binding(publisher, publisher.contentLength());
    }

    private static String bind(RequestBody body) {
        try {
            return RequestBodies.binding(body, body.contentLength());
        } catch (java.io.IOException e) {
            throw new AssertionError(e);
        }
    }

    private static String bind(org.apache.hc.core5.http.HttpEntity entity) {
        return RequestBodies.binding(entity, entity.getContentLength());
    }

    private static String bind(org.apache.http.HttpEntity entity) {
        return RequestBodies.binding(entity, entity.getContentLength());
    }

    private static void assertUnknown(Object body) {
        List<String> bindings = new ArrayList<>();
        for (int i = 0; i < 2; i++) {
            bindings.add(RequestBodies.binding(body, -1));
        }
        assertThat(bindings.get(0)).hasSize(64).matches("[0-9a-f]{64}").isNotEqualTo(bindings.get(1));
    }

    private static String sha256(byte[] bytes) {
        return Bindings.hex(Bindings.sha256().digest(bytes));
    }
}
