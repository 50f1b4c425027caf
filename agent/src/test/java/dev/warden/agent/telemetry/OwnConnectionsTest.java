package dev.warden.agent.telemetry;

import com.sun.net.httpserver.HttpServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.net.Authenticator;
import java.net.CacheRequest;
import java.net.CacheResponse;
import java.net.HttpURLConnection;
import java.net.InetSocketAddress;
import java.net.PasswordAuthentication;
import java.net.Proxy;
import java.net.ResponseCache;
import java.net.URI;
import java.net.URLConnection;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Warden's own requests run on threads whose actions pass ungated, so they leave out the hooks a host can install
 * for every connection: a default authenticator and a response cache, each recording here when the JDK calls it.
 */
class OwnConnectionsTest {

    private final List<String> called = new CopyOnWriteArrayList<>();
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
        assertThat(called).contains("authenticator", "response cache");
    }
}
