package dev.warden.agent.telemetry;

import java.io.IOException;
import java.net.Authenticator;
import java.net.HttpURLConnection;
import java.net.Proxy;
import java.net.URI;

/**
 * Warden's own HTTP requests (its OTLP export, its witnesses), made on its own threads, whose actions pass ungated:
 * so they consult none of the JDK's host-installable hooks they can leave out. No proxy (the host's
 * {@code ProxySelector}), no response cache ({@code ResponseCache.setDefault}), no authenticator (the default one);
 * the JDK offers no such choice for a {@code CookieHandler} or a {@code URLStreamHandlerFactory} (docs/THREATS.md).
 * Here, in the telemetry package, because that package is all of Warden that the OpenTelemetry agent's extension
 * loader sees ({@link dev.warden.agent.launcher.OpenTelemetryExtension}).
 */
public final class OwnConnections {

    /** Answers no challenge: Warden sends no credentials this way. */
    private static final Authenticator NONE = new Authenticator() {
    };

    private OwnConnections() {
    }

    public static HttpURLConnection open(URI target) throws IOException {
        HttpURLConnection connection = (HttpURLConnection) target.toURL().openConnection(Proxy.NO_PROXY);
        connection.setUseCaches(false);
        connection.setAuthenticator(NONE);
        connection.setInstanceFollowRedirects(false);
        return connection;
    }
}
