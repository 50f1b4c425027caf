package dev.warden.agent.telemetry;

import dev.warden.bootstrap.Gate;
import io.opentelemetry.exporter.internal.marshal.Marshaler;
import io.opentelemetry.sdk.common.CompletableResultCode;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.HttpURLConnection;
import java.net.URI;
import java.time.Duration;
import java.util.function.Supplier;

/**
 * POSTs one OTLP/HTTP protobuf request. {@link HttpURLConnection}, on the calling thread (the SDK's
 * export thread), run as Warden's own work with the gate's capability: the export is never gated, so a
 * policy that refuses all egress still exports. (OkHttp's and the JDK {@code HttpClient}'s threads of
 * their own would not carry the capability.)
 */
public final class OtlpHttp {

    private static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(5);
    private static final Duration READ_TIMEOUT = Duration.ofSeconds(10);

    private final URI endpoint;
    private final Supplier<Gate.Capability> capability;

    /**
     * @param endpoint   the URL the request goes to ({@code http://collector:4318/v1/traces})
     * @param capability the gate's capability; null outside an agent (unit tests) and before the gate is installed
     */
    public OtlpHttp(URI endpoint, Supplier<Gate.Capability> capability) {
        this.endpoint = endpoint;
        this.capability = capability;
    }

    /** {@code http://host:4318} + {@code /v1/traces}: OTLP/HTTP's path of a signal under a base URL. */
    public static OtlpHttp forSignal(URI base, String signal, Supplier<Gate.Capability> capability) {
        String text = base.toString();
        return new OtlpHttp(URI.create((text.endsWith("/") ? text : text + "/") + "v1/" + signal), capability);
    }

    public URI endpoint() {
        return endpoint;
    }

    /** Sends the request; the result fails (never throws) when the collector cannot be reached or refuses it. */
    public CompletableResultCode send(Marshaler request) {
        IOException[] failure = new IOException[1];
        int[] status = new int[1];
        Runnable post = () -> {
            try {
                status[0] = post(request);
            } catch (IOException e) {
                failure[0] = e;
            }
        };
        try {
            Gate.Capability internal = capability.get();
            if (internal == null) {
                post.run();
            } else {
                internal.runInternally(post);
            }
        } catch (RuntimeException unexpected) {
            return CompletableResultCode.ofExceptionalFailure(unexpected);
        }
        if (failure[0] != null) {
            return CompletableResultCode.ofExceptionalFailure(failure[0]);
        }
        return status[0] / 100 == 2 ? CompletableResultCode.ofSuccess()
                : CompletableResultCode.ofExceptionalFailure(new IOException(endpoint + " answered " + status[0]));
    }

    private int post(Marshaler request) throws IOException {
        HttpURLConnection connection = OwnConnections.open(endpoint);
        try {
            connection.setRequestMethod("POST");
            connection.setConnectTimeout((int) CONNECT_TIMEOUT.toMillis());
            connection.setReadTimeout((int) READ_TIMEOUT.toMillis());
            connection.setDoOutput(true);
            connection.setFixedLengthStreamingMode(request.getBinarySerializedSize());
            connection.setRequestProperty("Content-Type", "application/x-protobuf");
            try (OutputStream out = connection.getOutputStream()) {
                request.writeBinaryTo(out);
            }
            int status = connection.getResponseCode();
            try (InputStream in = status >= 400 ? connection.getErrorStream() : connection.getInputStream()) {
                if (in != null) {
                    in.readNBytes(64 * 1024); // the answer is not needed; read some so the connection can be kept
                }
            }
            return status;
        } finally {
            connection.disconnect();
        }
    }
}
