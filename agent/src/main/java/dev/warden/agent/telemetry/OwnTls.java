package dev.warden.agent.telemetry;

import javax.net.ssl.HostnameVerifier;
import javax.net.ssl.HttpsURLConnection;
import javax.net.ssl.SSLSocketFactory;
import java.io.IOException;
import java.net.URI;
import java.util.Collection;

/**
 * TLS for Warden's own {@code https} requests (its OTLP export, its witnesses), which run where actions pass
 * ungated. An {@link HttpsURLConnection} takes the JDK-wide default socket factory and host name verifier, which any
 * code may set ({@code HttpsURLConnection.setDefaultSSLSocketFactory}, {@code setDefaultHostnameVerifier},
 * {@code SSLContext.setDefault}): a host's factory would make, and be, Warden's socket, on Warden's thread. So Warden
 * keeps the JDK's default factory as the operator configured it ({@code javax.net.ssl.*}), before the host's
 * {@code main} can replace it, and gives each of its connections that factory and a verifier that accepts no name
 * the JDK's own check refused (the JDK's default verifier does the same).
 */
public final class OwnTls {

    /** The JDK's own answer when its host name check fails: refused, as with no verifier set. */
    private static final HostnameVerifier JDK_CHECK_ONLY = (host, session) -> false;

    private static volatile SSLSocketFactory atStart;

    private OwnTls() {
    }

    /**
     * Keeps the JDK's default socket factory, once, before the host's {@code main}: where an endpoint of Warden's is
     * {@code https} only, since it starts the JDK's default TLS context (its trust store read). Asking for the default
     * also fixes it for the connections made later, whose constructor would otherwise ask a host's
     * {@code SSLContext.setDefault} for it on Warden's thread.
     */
    public static void keepFor(Collection<URI> endpoints) {
        if (atStart == null && endpoints.stream().anyMatch(endpoint -> "https".equalsIgnoreCase(endpoint.getScheme()))) {
            atStart = HttpsURLConnection.getDefaultSSLSocketFactory();
        }
    }

    /** Gives Warden's own {@code connection} the TLS kept at start; refuses it when none was kept. */
    static void apply(HttpsURLConnection connection) throws IOException {
        SSLSocketFactory factory = atStart;
        if (factory == null) {
            throw new IOException("Warden keeps its TLS at start for the https endpoints configured then, and "
                    + connection.getURL() + " was not one: it would use the application's TLS socket factory");
        }
        connection.setSSLSocketFactory(factory);
        connection.setHostnameVerifier(JDK_CHECK_ONLY);
    }
}
