package dev.warden.agent.witness;

import dev.warden.agent.telemetry.OwnConnections;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.HttpURLConnection;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

/**
 * Sends one {@code add-checkpoint} request. {@link HttpURLConnection} rather than the JDK's
 * {@code HttpClient}: it does its I/O on the calling thread, which is one of Warden's own (marked
 * internal, so never gated), where {@code HttpClient} would connect from a selector thread of its own.
 */
final class WitnessClient {
    /** What the witness answered. */
    record Response(int status, String contentType, String body) {
    }

    private final Duration connectTimeout;
    private final Duration readTimeout;

    WitnessClient(Duration connectTimeout, Duration readTimeout) {
        this.connectTimeout = connectTimeout;
        this.readTimeout = readTimeout;
    }

    Response send(WitnessEndpoint witness, AddCheckpoint request) throws IOException {
        HttpURLConnection connection = OwnConnections.open(witness.addCheckpoint());
        try {
            connection.setRequestMethod("POST");
            connection.setConnectTimeout((int) connectTimeout.toMillis());
            connection.setReadTimeout((int) readTimeout.toMillis());
            connection.setDoOutput(true);
            byte[] body = request.body();
            connection.setFixedLengthStreamingMode(body.length);
            connection.setRequestProperty("Content-Type", "text/plain; charset=utf-8");
            try (OutputStream out = connection.getOutputStream()) {
                out.write(body);
            }
            int status = connection.getResponseCode();
            InputStream in = status >= 400 ? connection.getErrorStream() : connection.getInputStream();
            String text = in == null ? "" : new String(readAtMost(in, AddCheckpoint.MAX_BODY), StandardCharsets.UTF_8);
            return new Response(status, String.valueOf(connection.getContentType()), text);
        } finally {
            connection.disconnect();
        }
    }

    private static byte[] readAtMost(InputStream in, int limit) throws IOException {
        try (in) {
            byte[] bytes = in.readNBytes(limit + 1);
            if (bytes.length > limit) {
                throw new IOException("the witness's answer is longer than " + limit + " bytes");
            }
            return bytes;
        }
    }
}
