package dev.warden.agent.telemetry;

import com.sun.net.httpserver.HttpServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.net.Authenticator;
import java.net.CacheRequest;
import java.net.CacheResponse;
import java.net.CookieHandler;
import java.net.HttpURLConnection;
import java.net.InetSocketAddress;
import java.net.PasswordAuthentication;
import java.net.Proxy;
import java.net.ResponseCache;
import java.net.URI;
import java.net.URL;
import java.net.URLConnection;
import java.net.URLStreamHandler;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Warden's own requests run on threads whose actions pass ungated, so they leave out the hooks a host can install
 * for every connection: a default authenticator, a response cache, a cookie handler and a URL stream handler factory,
 * each recording here when the JDK calls it. (The agent opens the JDK's HTTP packages to its loader at start; this
 * test JVM gets them from the module's surefire flags.)
 */
class OwnConnectionsTest {

    private static final List<String> CALLED = new CopyOnWriteArrayList<>();

    static {
        // Once per JVM: the factory stays. It answers http with a handler that records, then opens as the JDK would.
        URL.setURLStreamHandlerFactory(protocol -> "http".equals(protocol) ? new RecordingHandler() : null);
    }

    /** A host's handler for http: whatever opens a connection through it runs the host's code. */
    private static final class RecordingHandler extends URLStreamHandler {
        private final URLStreamHandler jdk;

        RecordingHandler() {
            try {
                jdk = (URLStreamHandler) Class.forName("sun.net.www.protocol.http.Handler").getDeclaredConstructor().newInstance();
            } catch (ReflectiveOperationException e) {
                throw new IllegalStateException(e);
            }
        }

        @Override
        protected URLConnection openConnection(URL url) throws IOException {
            return openConnection(url, Proxy.NO_PROXY);
        }

        @Override
        @SuppressWarnings("deprecation")
        protected URLConnection openConnection(URL url, Proxy proxy) throws IOException {
            CALLED.add("handler factory");
            return new URL(null, url.toString(), jdk).openConnection(proxy);
        }
    }

    private final List<String> called = CALLED;
    private HttpServer server;
    private URI endpoint;

    @BeforeEach
    void startAServerThatAsksForCredentials() throws IOException {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/", exchange -> {
            exchange.getResponseHeaders().add("WWW-Authenticate", "Basic realm=\"warden-test\"");
            exchange.sendResponseHeaders(401, -1);
            exchange.close();
        });
        server.start();
        endpoint = URI.create("http://127.0.0.1:" + server.getAddress().getPort() + "/v1/logs");
        Authenticator.setDefault(new Authenticator() {
            @Override
            protected PasswordAuthentication getPasswordAuthentication() {
                called.add("authenticator");
                return null;
            }
        });
        CookieHandler.setDefault(new CookieHandler() {
            @Override
            public Map<String, List<String>> get(URI uri, Map<String, List<String>> requestHeaders) {
                called.add("cookie handler");
                return Map.of();
            }

            @Override
            public void put(URI uri, Map<String, List<String>> responseHeaders) {
                called.add("cookie handler");
            }
        });
        ResponseCache.setDefault(new ResponseCache() {
            @Override
            public CacheResponse get(URI uri, String method, Map<String, List<String>> headers) {
                called.add("response cache");
                return null;
            }

            @Override
            public CacheRequest put(URI uri, URLConnection connection) {
                called.add("response cache");
                return null;
            }
        });
    }

    @AfterEach
    void removeTheHooks() {
        Authenticator.setDefault(null);
        CookieHandler.setDefault(null);
        CALLED.clear();
        ResponseCache.setDefault(null);
        server.stop(0);
    }

    @Test
    void wardensOwnRequestCallsNoHookTheHostInstalled() throws IOException {
        HttpURLConnection own = OwnConnections.open(endpoint);

        assertThat(own.getResponseCode()).isEqualTo(401);
        assertThat(called).isEmpty();
    }

    @Test
    void anOrdinaryRequestCallsThem() throws IOException {
        HttpURLConnection ordinary = (HttpURLConnection) endpoint.toURL().openConnection(Proxy.NO_PROXY);

        assertThat(ordinary.getResponseCode()).isEqualTo(401);
        assertThat(called).contains("authenticator", "response cache", "cookie handler", "handler factory");
    }

    @Test
    void anHttpsConnectionTakesTheTlsKeptAtStartNotTheHostsDefaults() throws Exception {
        URI https = URI.create("https://127.0.0.1:1/v1/traces");
        OwnTls.keepFor(List.of(https)); // as the agent does before the host's main
        javax.net.ssl.SSLSocketFactory jdks = javax.net.ssl.HttpsURLConnection.getDefaultSSLSocketFactory();
        javax.net.ssl.HostnameVerifier jdkVerifier = javax.net.ssl.HttpsURLConnection.getDefaultHostnameVerifier();
        javax.net.ssl.SSLSocketFactory hosts = new javax.net.ssl.SSLSocketFactory() {
            @Override
            public String[] getDefaultCipherSuites() {
                return new String[0];
            }

            @Override
            public String[] getSupportedCipherSuites() {
                return new String[0];
            }

            @Override
            public java.net.Socket createSocket(java.net.Socket s, String host, int port, boolean autoClose) {
                throw new IllegalStateException("the host's");
            }

            @Override
            public java.net.Socket createSocket(String host, int port) {
                throw new IllegalStateException("the host's");
            }

            @Override
            public java.net.Socket createSocket(String host, int port, java.net.InetAddress local, int localPort) {
                throw new IllegalStateException("the host's");
            }

            @Override
            public java.net.Socket createSocket(java.net.InetAddress host, int port) {
                throw new IllegalStateException("the host's");
            }

            @Override
            public java.net.Socket createSocket(java.net.InetAddress host, int port, java.net.InetAddress local, int localPort) {
                throw new IllegalStateException("the host's");
            }
        };
        javax.net.ssl.HostnameVerifier hostsVerifier = (host, session) -> true;
        javax.net.ssl.HttpsURLConnection.setDefaultSSLSocketFactory(hosts);
        javax.net.ssl.HttpsURLConnection.setDefaultHostnameVerifier(hostsVerifier);
        try {
            javax.net.ssl.HttpsURLConnection own = (javax.net.ssl.HttpsURLConnection) OwnConnections.open(https);
            assertThat(own.getSSLSocketFactory()).isSameAs(jdks);
            assertThat(own.getHostnameVerifier()).isNotSameAs(hostsVerifier);
            assertThat(own.getHostnameVerifier().verify("127.0.0.1", null)).as("only what the JDK's own check accepts").isFalse();
        } finally {
            javax.net.ssl.HttpsURLConnection.setDefaultSSLSocketFactory(jdks);
            javax.net.ssl.HttpsURLConnection.setDefaultHostnameVerifier(jdkVerifier);
        }
    }
}
