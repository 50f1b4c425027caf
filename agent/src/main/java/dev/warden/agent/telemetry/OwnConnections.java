package dev.warden.agent.telemetry;

import java.io.IOException;
import java.lang.reflect.Field;
import java.net.Authenticator;
import java.net.CookieHandler;
import java.net.HttpURLConnection;
import java.net.Proxy;
import java.net.URI;
import java.net.URL;
import java.net.URLStreamHandler;
import java.util.Map;

/**
 * Warden's own HTTP requests (its OTLP export, its witnesses), made on its own threads, whose actions pass ungated:
 * so they consult none of the JDK's host-installable hooks. No proxy (the host's {@code ProxySelector}), no response
 * cache ({@code ResponseCache.setDefault}), no authenticator (the default one). The JDK offers no such choice for two
 * more, so they are taken out here: the URL is made with the JDK's own handler for its scheme, not what a host's
 * {@code URL.setURLStreamHandlerFactory} answers (whose handler would open, and be, the connection), and the
 * connection forgets the {@code CookieHandler} the JDK copied into it ({@code CookieHandler.setDefault}, asked for
 * cookies as the request is written). Both need the JDK's HTTP packages opened to Warden's loader, as the agent does
 * at start; where they are not (a loader the agent did not open them to), a request is refused while the host has
 * installed a cookie handler, and a host's handler factory is not avoided (docs/THREATS.md). An {@code https}
 * connection gets the TLS Warden kept at start ({@link OwnTls}), not the host's default socket factory and verifier.
 * Here, in the telemetry package, because that package is all of Warden that the OpenTelemetry agent's extension
 * loader sees ({@link dev.warden.agent.launcher.OpenTelemetryExtension}).
 */
public final class OwnConnections {

    /** Answers no challenge: Warden sends no credentials this way. */
    private static final Authenticator NONE = new Authenticator() {
    };

    private static final Map<String, URLStreamHandler> JDK_HANDLERS = jdkHandlers();
    private static final Field COOKIE_HANDLER = field("sun.net.www.protocol.http.HttpURLConnection", "cookieHandler");
    private static final Field HTTPS_DELEGATE = field("sun.net.www.protocol.https.HttpsURLConnectionImpl", "delegate");

    private OwnConnections() {
    }

    public static HttpURLConnection open(URI target) throws IOException {
        HttpURLConnection connection = (HttpURLConnection) url(target).openConnection(Proxy.NO_PROXY);
        forgetCookieHandler(connection);
        connection.setUseCaches(false);
        connection.setAuthenticator(NONE);
        connection.setInstanceFollowRedirects(false);
        if (connection instanceof javax.net.ssl.HttpsURLConnection https) {
            OwnTls.apply(https);
        }
        return connection;
    }

    @SuppressWarnings("deprecation") // URL.of(URI, URLStreamHandler) exists from JDK 20 only
    private static URL url(URI target) throws IOException {
        URLStreamHandler handler = target.getScheme() == null ? null : JDK_HANDLERS.get(target.getScheme().toLowerCase(java.util.Locale.ROOT));
        return handler == null ? target.toURL() : new URL(null, target.toString(), handler);
    }

    private static void forgetCookieHandler(HttpURLConnection connection) throws IOException {
        try {
            Object http = HTTPS_DELEGATE != null && HTTPS_DELEGATE.getDeclaringClass().isInstance(connection)
                    ? HTTPS_DELEGATE.get(connection) : connection;
            if (COOKIE_HANDLER != null && COOKIE_HANDLER.getDeclaringClass().isInstance(http)) {
                COOKIE_HANDLER.set(http, null);
                return;
            }
        } catch (IllegalAccessException | RuntimeException unreachable) {
            // refused below if it matters
        }
        if (CookieHandler.getDefault() != null) {
            throw new IOException("the application has installed a CookieHandler, which Warden's own request would run on its thread");
        }
    }

    private static Map<String, URLStreamHandler> jdkHandlers() {
        Map<String, URLStreamHandler> handlers = new java.util.HashMap<>();
        for (String scheme : new String[] {"http", "https"}) {
            try {
                handlers.put(scheme, (URLStreamHandler) Class.forName("sun.net.www.protocol." + scheme + ".Handler")
                        .getDeclaredConstructor().newInstance());
            } catch (ReflectiveOperationException | RuntimeException notOpened) {
                // the URL is made as any other then
            }
        }
        return Map.copyOf(handlers);
    }

    private static Field field(String type, String name) {
        try {
            Field field = Class.forName(type).getDeclaredField(name);
            field.setAccessible(true);
            return field;
        } catch (ReflectiveOperationException | RuntimeException notOpened) {
            return null;
        }
    }
}
