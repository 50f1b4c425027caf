package dev.warden.e2e.host.adversary;

import okhttp3.Interceptor;
import okhttp3.MediaType;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.RequestBody;
import okhttp3.Response;
import org.apache.hc.client5.http.async.AsyncExecChainHandler;
import org.apache.hc.client5.http.async.methods.SimpleHttpResponse;
import org.apache.hc.client5.http.async.methods.SimpleRequestBuilder;
import org.apache.hc.client5.http.classic.ExecChainHandler;
import org.apache.hc.client5.http.config.RequestConfig;
import org.apache.hc.client5.http.classic.methods.HttpGet;
import org.apache.hc.client5.http.impl.ChainElement;
import org.apache.hc.client5.http.impl.async.CloseableHttpAsyncClient;
import org.apache.hc.client5.http.impl.async.HttpAsyncClients;
import org.apache.hc.client5.http.impl.classic.CloseableHttpClient;
import org.apache.hc.client5.http.impl.classic.HttpClients;
import org.apache.hc.core5.http.ClassicHttpRequest;
import org.apache.hc.core5.http.HttpRequestInterceptor;
import org.apache.hc.core5.http.io.support.ClassicRequestBuilder;
import org.apache.hc.core5.http.message.BasicHttpRequest;
import org.apache.hc.core5.http.nio.entity.AsyncEntityProducers;
import org.apache.hc.core5.util.Timeout;

import java.io.OutputStream;
import java.net.HttpURLConnection;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ProxySelector;
import java.net.Socket;
import java.net.URI;
import java.net.URL;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

/**
 * Class 3 of issue 11: "a grant covers exactly what was decided". Each technique first makes the
 * GET the least-privilege policy permits (as an attacker would, to earn whatever that decision
 * grants), then tries to send something else on the strength of it: another method or path on the
 * same host:port over a raw socket, NIO, a connection whose method changes after its connect was
 * decided, or an interceptor's or exec-chain handler's rewrite (OkHttp, Apache 5 classic and async); another address disguised as the granted one; a proxy
 * endpoint that is never itself decided; a request smuggled onto the permitted GET's pooled connection by a head that
 * frames another body than the one written ({@link FramingTechniques}).
 */
public final class GrantsHost {

    private static final MediaType TEXT = MediaType.get("text/plain");
    private static final RequestConfig TIMEOUTS = RequestConfig.custom().setConnectionRequestTimeout(Timeout.ofSeconds(10))
            .setResponseTimeout(Timeout.ofSeconds(10)).build();

    public static void main(String[] args) throws Exception {
        FramingTechniques.allowRestrictedHeaders(); // before the JDK's clients are first used: Adversary's is
        Adversary adversary = Adversary.from(args);
        Techniques.run("permitted-get", () -> "OK " + adversary.permittedGet("/api/baseline"));
        technique(adversary, "raw-socket-post-after-get", () -> adversary.rawRequest(adversary.api(), "POST", "/api/t/raw-socket-post-after-get"));
        technique(adversary, "socketchannel-post-after-get", () -> {
            try (SocketChannel channel = SocketChannel.open(adversary.api())) {
                channel.write(ByteBuffer.wrap(adversary.request("POST", "/api/t/socketchannel-post-after-get").getBytes(StandardCharsets.US_ASCII)));
                return "answer=" + Adversary.firstLine(channel.socket().getInputStream());
            }
        });
        technique(adversary, "spoofed-hostname-other-address", () -> {
            // An address that calls itself the granted host but is another one: 127.0.0.2 named "127.0.0.1".
            InetAddress disguised = InetAddress.getByAddress(adversary.apiHost(),
                    adversary.tcp("spoofed-hostname-other-address").getAddress().getAddress());
            try (Socket socket = new Socket()) {
                return Adversary.touch(socket, new InetSocketAddress(disguised, adversary.apiPort()));
            }
        });
        technique(adversary, "literal-grant-other-address", () -> {
            try (Socket socket = new Socket()) {
                return Adversary.touch(socket, adversary.tcp("literal-grant-other-address"));
            }
        });
        technique(adversary, "socks-proxy-socket", () -> {
            try (Socket socket = new Socket(new java.net.Proxy(java.net.Proxy.Type.SOCKS, adversary.tcp("socks-proxy-socket")))) {
                return Adversary.touch(socket, adversary.api());
            }
        });
        technique(adversary, "socks-proxy-url-connection", () -> {
            HttpURLConnection connection = timed(new URL(adversary.url("/api/decoy/socks-proxy-url-connection"))
                    .openConnection(new java.net.Proxy(java.net.Proxy.Type.SOCKS, adversary.tcp("socks-proxy-url-connection"))));
            return "status=" + connection.getResponseCode();
        });
        technique(adversary, "okhttp-socks-proxy", () -> {
            OkHttpClient client = new OkHttpClient.Builder()
                    .proxy(new java.net.Proxy(java.net.Proxy.Type.SOCKS, adversary.tcp("okhttp-socks-proxy"))).build();
            try (Response response = client.newCall(new Request.Builder().url(adversary.url("/api/decoy/okhttp-socks-proxy")).build()).execute()) {
                return "status=" + response.code();
            }
        });
        technique(adversary, "http-proxy-url-connection", () -> {
            HttpURLConnection connection = timed(new URL(adversary.url("/api/decoy/http-proxy-url-connection"))
                    .openConnection(new java.net.Proxy(java.net.Proxy.Type.HTTP, adversary.tcp("http-proxy-url-connection"))));
            return "status=" + connection.getResponseCode();
        });
        technique(adversary, "jdk-client-http-proxy", () -> {
            HttpClient client = HttpClient.newBuilder().proxy(ProxySelector.of(adversary.tcp("jdk-client-http-proxy")))
                    .connectTimeout(Duration.ofSeconds(10)).build();
            return "status=" + client.send(HttpRequest.newBuilder(URI.create(adversary.url("/api/decoy/jdk-client-http-proxy")))
                    .timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString()).statusCode();
        });
        technique(adversary, "huc-get-becomes-post", () -> {
            HttpURLConnection connection = timed(new URL(adversary.url("/api/decoy/huc-get-becomes-post")).openConnection());
            connection.setDoOutput(true); // the method is still GET when connect() is decided
            connection.connect();
            try (OutputStream out = connection.getOutputStream()) { // ... and POST from here on
                out.write("evil".getBytes(StandardCharsets.US_ASCII));
            }
            return "status=" + connection.getResponseCode() + " method=" + connection.getRequestMethod();
        });
        technique(adversary, "okhttp-app-interceptor-post", () -> okhttp(adversary, "okhttp-app-interceptor-post", false,
                chain -> chain.proceed(chain.request().newBuilder().post(RequestBody.create("evil", TEXT)).build())));
        technique(adversary, "okhttp-app-interceptor-path", () -> okhttp(adversary, "okhttp-app-interceptor-path", false,
                chain -> chain.proceed(chain.request().newBuilder().url(adversary.url("/admin/okhttp-app-interceptor-path")).build())));
        technique(adversary, "okhttp-network-interceptor-post", () -> okhttp(adversary, "okhttp-network-interceptor-post", true,
                chain -> chain.proceed(chain.request().newBuilder().post(RequestBody.create("evil", TEXT)).build())));
        technique(adversary, "okhttp-app-interceptor-other-port", () -> okhttp(adversary, "okhttp-app-interceptor-other-port", false,
                chain -> chain.proceed(chain.request().newBuilder().url("http://" + adversary.apiHost() + ":"
                        + adversary.tcpPort("okhttp-app-interceptor-other-port") + "/api/t/okhttp-app-interceptor-other-port").build())));
        technique(adversary, "apache5-exec-handler-post", () -> {
            ExecChainHandler rewrite = (request, scope, chain) -> {
                ClassicHttpRequest post = ClassicRequestBuilder.post(URI.create(adversary.url("/api/t/apache5-exec-handler-post")))
                        .setEntity("evil").build();
                return chain.proceed(post, scope);
            };
            // After ProtocolExec, where the request is decided; before the connection is leased.
            try (CloseableHttpClient client = HttpClients.custom().setDefaultRequestConfig(TIMEOUTS)
                    .addExecInterceptorAfter(ChainElement.PROTOCOL.name(), "rewrite", rewrite).build()) {
                return apache(client, adversary, "apache5-exec-handler-post");
            }
        });
        technique(adversary, "apache5-request-interceptor-path", () -> {
            HttpRequestInterceptor rewrite = (request, entity, context) -> request.setPath("/admin/apache5-request-interceptor-path");
            try (CloseableHttpClient client = HttpClients.custom().setDefaultRequestConfig(TIMEOUTS).addRequestInterceptorLast(rewrite).build()) {
                return apache(client, adversary, "apache5-request-interceptor-path");
            }
        });
        technique(adversary, "apache5-async-exec-handler-post", () -> {
            AsyncExecChainHandler rewrite = (request, entity, scope, chain, callback) -> chain.proceed(
                    new BasicHttpRequest("POST", new org.apache.hc.core5.http.HttpHost("http", adversary.apiHost(), adversary.apiPort()),
                            "/api/t/apache5-async-exec-handler-post"),
                    AsyncEntityProducers.create("evil"), scope, callback);
            // After AsyncProtocolExec, where the request is decided; before the connection is leased.
            try (CloseableHttpAsyncClient client = HttpAsyncClients.custom().setDefaultRequestConfig(TIMEOUTS)
                    .addExecInterceptorAfter(ChainElement.PROTOCOL.name(), "rewrite", rewrite).build()) {
                return apacheAsync(client, adversary, "apache5-async-exec-handler-post");
            }
        });
        technique(adversary, "apache5-async-request-interceptor-path", () -> {
            // The async client runs request interceptors only when a connection is ready to send.
            HttpRequestInterceptor rewrite = (request, entity, context) -> request.setPath("/admin/apache5-async-request-interceptor-path");
            try (CloseableHttpAsyncClient client = HttpAsyncClients.custom().setDefaultRequestConfig(TIMEOUTS)
                    .addRequestInterceptorLast(rewrite).build()) {
                return apacheAsync(client, adversary, "apache5-async-request-interceptor-path");
            }
        });
        technique(adversary, "okhttp-framing-length-on-get", () -> FramingTechniques.okhttpLengthOnGet(adversary, "okhttp-framing-length-on-get"));
        technique(adversary, "apache4-framing-length-on-get", () -> FramingTechniques.apache4LengthOnGet(adversary, "apache4-framing-length-on-get"));
        technique(adversary, "apache4-framing-unframed-body", () -> FramingTechniques.apache4UnframedBody(adversary, "apache4-framing-unframed-body"));
        technique(adversary, "apache5-framing-interceptor-length",
                () -> FramingTechniques.apache5InterceptorLength(adversary, "apache5-framing-interceptor-length"));
        technique(adversary, "apache5-async-framing-interceptor-length",
                () -> FramingTechniques.apache5AsyncInterceptorLength(adversary, "apache5-async-framing-interceptor-length"));
        technique(adversary, "jdk-client-framing-length-on-get",
                () -> FramingTechniques.jdkClientLengthOnGet(adversary, "jdk-client-framing-length-on-get"));
        technique(adversary, "jdk-client-framing-transfer-encoding",
                () -> FramingTechniques.jdkClientTransferEncoding(adversary, "jdk-client-framing-transfer-encoding"));
        technique(adversary, "huc-framing-length-on-get", () -> FramingTechniques.urlConnectionLengthOnGet(adversary, "huc-framing-length-on-get"));
        technique(adversary, "apache4-framing-spaced-length-name",
                () -> FramingTechniques.apache4SpacedLengthName(adversary, "apache4-framing-spaced-length-name"));
        technique(adversary, "apache5-framing-spaced-length-name",
                () -> FramingTechniques.apache5SpacedLengthName(adversary, "apache5-framing-spaced-length-name"));
        technique(adversary, "okhttp-framing-colon-in-length-name",
                () -> FramingTechniques.okhttpColonInLengthName(adversary, "okhttp-framing-colon-in-length-name"));
        technique(adversary, "huc-framing-spaced-length-name",
                () -> FramingTechniques.urlConnectionSpacedLengthName(adversary, "huc-framing-spaced-length-name"));
        Techniques.done();
    }

    /** Earns the grant with a permitted GET on this thread, then runs the technique. */
    private static void technique(Adversary adversary, String name, Techniques.Attempt attempt) {
        Techniques.run(name, () -> "prime=" + Techniques.attempt(() -> adversary.permittedGet("/api/prime"))
                + " action=" + Techniques.attempt(() -> "RAN " + attempt.run()));
    }

    private static HttpURLConnection timed(java.net.URLConnection connection) {
        connection.setConnectTimeout(10_000);
        connection.setReadTimeout(10_000);
        return (HttpURLConnection) connection;
    }

    private static String okhttp(Adversary adversary, String technique, boolean network, Interceptor rewrite) throws Exception {
        OkHttpClient.Builder builder = new OkHttpClient.Builder();
        OkHttpClient client = (network ? builder.addNetworkInterceptor(rewrite) : builder.addInterceptor(rewrite)).build();
        try (Response response = client.newCall(new Request.Builder().url(adversary.url("/api/decoy/" + technique)).build()).execute()) {
            return "status=" + response.code();
        }
    }

    private static String apache(CloseableHttpClient client, Adversary adversary, String technique) throws Exception {
        return "status=" + client.execute(new HttpGet(adversary.url("/api/decoy/" + technique)), response -> response.getCode());
    }

    private static String apacheAsync(CloseableHttpAsyncClient client, Adversary adversary, String technique) throws Exception {
        client.start();
        SimpleHttpResponse response = client.execute(SimpleRequestBuilder.get(adversary.url("/api/decoy/" + technique)).build(), null)
                .get(15, TimeUnit.SECONDS);
        return "status=" + response.getCode();
    }

    private GrantsHost() {
    }
}
