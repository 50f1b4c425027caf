package dev.warden.e2e.host;

import okhttp3.Call;
import okhttp3.Callback;
import okhttp3.MediaType;
import okhttp3.OkHttpClient;
import okhttp3.RequestBody;
import okhttp3.Response;
import org.apache.hc.client5.http.async.methods.SimpleHttpRequest;
import org.apache.hc.client5.http.async.methods.SimpleHttpResponse;
import org.apache.hc.client5.http.async.methods.SimpleRequestBuilder;
import org.apache.hc.client5.http.classic.methods.HttpUriRequestBase;
import org.apache.hc.client5.http.impl.async.CloseableHttpAsyncClient;
import org.apache.hc.client5.http.impl.async.HttpAsyncClients;
import org.apache.hc.client5.http.impl.classic.CloseableHttpClient;
import org.apache.hc.client5.http.impl.classic.HttpClients;
import org.apache.hc.core5.http.ContentType;
import org.apache.hc.core5.http.io.entity.ByteArrayEntity;
import org.apache.hc.core5.http.io.entity.EntityUtils;
import org.springframework.http.client.HttpComponentsClientHttpRequestFactory;
import org.springframework.http.client.JdkClientHttpRequestFactory;
import org.springframework.http.client.SimpleClientHttpRequestFactory;
import org.springframework.web.client.RestClient;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Authenticator;
import java.net.CookieHandler;
import java.net.HttpURLConnection;
import java.net.PasswordAuthentication;
import java.net.InetSocketAddress;
import java.net.Proxy;
import java.net.ProxySelector;
import java.net.Socket;
import java.net.URI;
import java.net.URL;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.channels.AsynchronousSocketChannel;
import java.nio.channels.CompletionHandler;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

/**
 * An ordinary application that talks HTTP through every common Java client and knows nothing of
 * Warden. It runs the steps it is given and prints one line per step, which the end-to-end tests read:
 *
 * <pre>
 *   java HttpHost STEP...
 *   STEP = CLIENT|METHOD|URL[|OPTION...]          CLIENT = jdk jdk-async huc okhttp okhttp-async apache5
 *                                                          apache5-async apache4 spring-jdk spring-huc spring-apache
 *                                                          url (any protocol, the JDK's URLConnection; METHOD unused)
 *                                                 (\r\n in METHOD and raw-target: a line break, passed on as given)
 *        | socket|HOST:PORT[|trap=PORT]  |  channel|HOST:PORT  |  adaptor|HOST:PORT (a channel's socket())
 *        | async-future|HOST:PORT  |  async-handler|HOST:PORT  (an AsynchronousSocketChannel's two connects)
 *        | netty-TRANSPORT|HOST:PORT   TRANSPORT = nio epoll tfo-direct tfo-composite (epoll, TCP Fast Open) io_uring io_uring-tfo
 *        | netty-unix|PATH  |  netty-unix-subclass|PATH   (epoll, a unix-domain socket; the second with an
 *                                                          address of the application's own subclass)
 *        | netty-udp|HOST:PORT[|payload=P][|count=N]      (epoll datagrams: N written, then flushed together;
 *                                                          one goes through sendTo, several through sendmmsg)
 *        | netty-io_uring-udp|HOST:PORT[|payload=P][|count=N]  (the same over the incubator's io_uring transport,
 *                                                          which submits each datagram's sendmsg to the kernel's ring)
 *        | netty-unix-datagram|PATH[|payload=P]          (epoll, one unix-domain datagram to the socket at PATH)
 *        | jdk-websocket|GET|URL  |  okhttp-websocket|GET|URL   (a WebSocket's opening handshake to URL as ws://:
 *                                                          status=101, or the status of a server that did not switch)
 *        | cookie-handler|NAME=VALUE                       (CookieHandler.setDefault: a handler of the host's that
 *                                                          gives every request the cookie NAME=VALUE)
 *        | authenticator|USER:PASSWORD                     (Authenticator.setDefault: the host's, answering every
 *                                                          challenge with USER)
 *        | property|NAME=VALUE                             (System.setProperty, as the host's own code may: before
 *                                                          a client's first use, allowRestrictedHeaders)
 *   OPTION = headers=N (N padding headers) | body=N (N-byte body) | fill=C (the body's byte, x by default)
 *            | header=NAME:VALUE;NAME:VALUE (these headers, in this order)
 *            | trap=PORT (send via this proxy)
 *          | nested=URL (okhttp: an interceptor GETs URL while the call runs)
 *          | selector=HOST:PORT (socket: the default ProxySelector connects there during the connect)
 *          | target=HOST:PORT (apache4, apache5, apache5-async: execute(target, request), the request's URL aside)
 *          | then=URL (apache4: the same client then GETs URL, with the header X-Note: the value of note=TEXT; jdk: the
 *                      same client then GETs URL: then=[status=S body=B] or then=[DENIED ...])
 *          | mutate=C (jdk-async, okhttp, apache5, apache4: the application's own code overwrites every byte of the body's
 *                      array with C after the request is decided, before it is written: the JDK client's sendAsync on
 *                      an executor the host holds until then, an interceptor or exec-chain handler of the others)
 *          | raw-target=T (apache5, apache5-async: the request built from the URL's host and T as its raw path,
 *                          new BasicClassicHttpRequest(METHOD, host, T), an absolute form included)
 *          | as-post (okhttp, apache5, apache5-async: an interceptor or exec-chain handler of the application's sends
 *                     the request as a POST, its headers kept, as a gateway that takes only POSTs asks; of the body
 *                     "form", but bodiless through apache5-async)
 *   out:  OK step=N status=S body=B  |  DENIED step=N thrown=T denial=D cause=C message=M  |  ERROR step=N ...
 * </pre>
 *
 * {@code trap=PORT} routes the request through a proxy on 127.0.0.1: steps aimed at addresses that
 * must never be contacted use it, so that even a broken gate could not send anything off this host.
 */
public final class HttpHost {

    private static final long TIMEOUT_SECONDS = 30;

    public static void main(String[] args) {
        for (int step = 0; step < args.length; step++) {
            System.out.println(run(step, args[step]));
        }
        System.out.println("DONE");
        System.exit(0); // async clients keep non-daemon threads
    }

    private static String run(int step, String instruction) {
        String[] parts = instruction.split("\\|");
        String client = parts[0];
        try {
            if (client.equals("property")) {
                String[] property = parts[1].split("=", 2);
                System.setProperty(property[0], property[1]);
                return "OK step=" + step + " " + parts[1];
            }
            if (client.equals("cookie-handler")) {
                CookieHandler.setDefault(new FixedCookies(parts[1]));
                return "OK step=" + step + " " + instruction;
            }
            if (client.equals("authenticator")) {
                String[] credentials = parts[1].split(":", 2);
                Authenticator.setDefault(new FixedCredentials(credentials[0], credentials[1]));
                return "OK step=" + step + " " + instruction;
            }
            if (client.equals("netty-udp") || client.equals("netty-io_uring-udp")) {
                Map<String, String> options = options(parts, 2);
                int colon = parts[1].lastIndexOf(':');
                InetSocketAddress target = new InetSocketAddress(parts[1].substring(0, colon), Integer.parseInt(parts[1].substring(colon + 1)));
                return "OK step=" + step + " " + NettyConnect.sendDatagrams(client.equals("netty-io_uring-udp"), target, options.getOrDefault("payload", "netty-udp"),
                        Integer.parseInt(options.getOrDefault("count", "1")));
            }
            if (client.equals("netty-unix-datagram")) {
                return "OK step=" + step + " " + NettyConnect.sendUnixDatagram(parts[1], options(parts, 2).getOrDefault("payload", "netty-unix"));
            }
            if (client.startsWith("netty-unix")) {
                return "OK step=" + step + " " + NettyConnect.connectUnix(parts[1], client.endsWith("-subclass"));
            }
            if (List.of("socket", "channel", "adaptor", "async-future", "async-handler").contains(client) || client.startsWith("netty-")) {
                return "OK step=" + step + " " + connect(client, parts[1], options(parts, 2));
            }
            // A method may hold a line break, written \r\n in the step: what an application passes on as given.
            Exchange exchange = new Exchange(parts[1].replace("\\r\\n", "\r\n"), parts[2], options(parts, 3));
            return "OK step=" + step + " " + send(client, exchange);
        } catch (Throwable failure) {
            return describeFailure(step, failure);
        }
    }

    private static Map<String, String> options(String[] parts, int from) {
        Map<String, String> options = new LinkedHashMap<>();
        for (int i = from; i < parts.length; i++) {
            int equals = parts[i].indexOf('=');
            options.put(equals < 0 ? parts[i] : parts[i].substring(0, equals), equals < 0 ? "" : parts[i].substring(equals + 1));
        }
        return options;
    }

    /** One request as the step describes it, for whichever client sends it. */
    private record Exchange(String method, String url, Map<String, String> options) {

        byte[] body() {
            int size = Integer.parseInt(options.getOrDefault("body", "-1"));
            return size < 0 ? null : options.getOrDefault("fill", "x").repeat(size).getBytes(StandardCharsets.US_ASCII);
        }

        /** {@code mutate=C}: overwrites every byte of {@code body} with C, as the application's own code may. */
        void overwrite(byte[] body) {
            String fill = options.get("mutate");
            if (fill != null && body != null) {
                java.util.Arrays.fill(body, (byte) fill.charAt(0));
            }
        }

        boolean overwrites() {
            return options.containsKey("mutate");
        }

        /**
         * {@code headers=N}: N padding headers of about 64 bytes each (1000 make a 64 KB header set); then
         * {@code header=NAME:VALUE;NAME:VALUE}: these, in this order, as written.
         */
        Map<String, String> headers() {
            Map<String, String> headers = new LinkedHashMap<>();
            int count = Integer.parseInt(options.getOrDefault("headers", "0"));
            for (int i = 0; i < count; i++) {
                headers.put("X-Pad-" + i, "v".repeat(56));
            }
            String set = options.get("header");
            if (set != null) {
                for (String header : set.split(";")) {
                    headers.put(header.substring(0, header.indexOf(':')), header.substring(header.indexOf(':') + 1));
                }
            }
            return headers;
        }

        InetSocketAddress trap() {
            String port = options.get("trap");
            return port == null ? null : new InetSocketAddress("127.0.0.1", Integer.parseInt(port));
        }
    }

    private static String send(String client, Exchange exchange) throws Exception {
        switch (client) {
            case "jdk":
                return jdk(exchange, false);
            case "jdk-async":
                return jdk(exchange, true);
            case "huc":
                return huc(exchange);
            case "url":
                return anyUrl(exchange);
            case "okhttp":
                return okhttp(exchange, false);
            case "okhttp-async":
                return okhttp(exchange, true);
            case "jdk-websocket":
                return jdkWebSocket(exchange);
            case "okhttp-websocket":
                return okhttpWebSocket(exchange);
            case "apache5":
                return apache5(exchange);
            case "apache5-async":
                return apache5Async(exchange);
            case "apache4":
                return apache4(exchange);
            case "spring-jdk":
            case "spring-huc":
            case "spring-apache":
                return spring(client, exchange);
            default:
                throw new IllegalArgumentException("unknown client " + client);
        }
    }

    /** A WebSocket's opening handshake through the JDK client: {@code ws://} for the step's {@code http://} URL. */
    private static String jdkWebSocket(Exchange exchange) throws Exception {
        URI uri = URI.create(exchange.url().replaceFirst("^http", "ws"));
        try {
            HttpClient.newHttpClient().newWebSocketBuilder().buildAsync(uri, new java.net.http.WebSocket.Listener() { })
                    .get(TIMEOUT_SECONDS, TimeUnit.SECONDS);
            return "status=101";
        } catch (ExecutionException failed) {
            if (failed.getCause() instanceof java.net.http.WebSocketHandshakeException handshake) {
                return "status=" + handshake.getResponse().statusCode(); // the server answered, and did not switch
            }
            throw failed;
        }
    }

    /** A WebSocket's opening handshake through OkHttp ({@code newWebSocket}, which enqueues its call). */
    private static String okhttpWebSocket(Exchange exchange) throws Exception {
        CompletableFuture<String> result = new CompletableFuture<>();
        new OkHttpClient().newWebSocket(new okhttp3.Request.Builder().url(exchange.url().replaceFirst("^http", "ws")).build(),
                new okhttp3.WebSocketListener() {
                    @Override
                    public void onOpen(okhttp3.WebSocket socket, Response response) {
                        result.complete("status=" + response.code());
                    }

                    @Override
                    public void onFailure(okhttp3.WebSocket socket, Throwable failure, Response response) {
                        if (response != null) {
                            result.complete("status=" + response.code()); // the server answered, and did not switch
                        } else {
                            result.completeExceptionally(failure);
                        }
                    }
                });
        try {
            return result.get(TIMEOUT_SECONDS, TimeUnit.SECONDS);
        } catch (ExecutionException failed) {
            throw failed.getCause() instanceof Exception cause ? cause : failed;
        }
    }

    private static String jdk(Exchange exchange, boolean async) throws Exception {
        HttpClient.Builder builder = HttpClient.newBuilder().followRedirects(HttpClient.Redirect.NORMAL);
        if (exchange.trap() != null) {
            builder.proxy(new TrapSelector(exchange.trap()));
        }
        // The JDK client takes no default handler of its own: the host hands it the ones it installed.
        if (Authenticator.getDefault() != null) {
            builder.authenticator(Authenticator.getDefault());
        }
        if (CookieHandler.getDefault() != null) {
            builder.cookieHandler(CookieHandler.getDefault());
        }
        // The client's work waits, on the host's executor, until the host has done what it does after sendAsync.
        java.util.concurrent.CountDownLatch sent = new java.util.concurrent.CountDownLatch(1);
        java.util.concurrent.ExecutorService pool = java.util.concurrent.Executors.newCachedThreadPool();
        if (exchange.overwrites()) {
            builder.executor(task -> pool.execute(() -> {
                try {
                    sent.await();
                } catch (InterruptedException stop) {
                    Thread.currentThread().interrupt();
                }
                task.run();
            }));
        }
        HttpClient client = builder.build();
        byte[] body = exchange.body();
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(exchange.url()))
                .method(exchange.method(), body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofByteArray(body));
        exchange.headers().forEach(request::header);
        try {
            HttpResponse<String> response;
            if (async) {
                CompletableFuture<HttpResponse<String>> future = client.sendAsync(request.build(), HttpResponse.BodyHandlers.ofString());
                exchange.overwrite(body);
                sent.countDown();
                response = future.get(TIMEOUT_SECONDS, TimeUnit.SECONDS);
            } else {
                response = client.send(request.build(), HttpResponse.BodyHandlers.ofString());
            }
            String then = exchange.options().get("then");
            if (then == null) {
                return outcome(response.statusCode(), response.body());
            }
            // The next request of the same client, which may take a connection its pool kept.
            String first = outcome(response.statusCode(), response.body());
            try {
                HttpResponse<String> next = client.send(HttpRequest.newBuilder(URI.create(then)).build(), HttpResponse.BodyHandlers.ofString());
                return first + " then=[" + outcome(next.statusCode(), next.body()) + "]";
            } catch (IOException refused) {
                return first + " then=[" + describeFailure(-1, refused) + "]";
            }
        } finally {
            sent.countDown();
            pool.shutdown();
        }
    }

    /** The host's cookie handler ({@code CookieHandler.setDefault}): hands every request the one cookie it was given. */
    private static final class FixedCookies extends CookieHandler {
        private final String cookie;

        FixedCookies(String cookie) {
            this.cookie = cookie;
        }

        @Override
        public Map<String, List<String>> get(URI uri, Map<String, List<String>> requestHeaders) {
            return Map.of("Cookie", List.of(cookie));
        }

        @Override
        public void put(URI uri, Map<String, List<String>> responseHeaders) {
        }
    }

    /** The host's authenticator ({@code Authenticator.setDefault}): answers every challenge with the one user it was given. */
    private static final class FixedCredentials extends Authenticator {
        private final String user;
        private final String password;

        FixedCredentials(String user, String password) {
            this.user = user;
            this.password = password;
        }

        @Override
        protected PasswordAuthentication getPasswordAuthentication() {
            return new PasswordAuthentication(user, password.toCharArray());
        }
    }

    /** Everything but localhost goes to the trap, so that a redirect off this host could not leave it either. */
    private static final class TrapSelector extends ProxySelector {
        private final InetSocketAddress trap;

        TrapSelector(InetSocketAddress trap) {
            this.trap = trap;
        }

        @Override
        public List<Proxy> select(URI uri) {
            return List.of("localhost".equals(uri.getHost()) ? Proxy.NO_PROXY : new Proxy(Proxy.Type.HTTP, trap));
        }

        @Override
        public void connectFailed(URI uri, java.net.SocketAddress address, IOException failure) {
        }
    }

    private static String huc(Exchange exchange) throws IOException {
        URL url = new URL(exchange.url());
        HttpURLConnection connection = (HttpURLConnection) (exchange.trap() == null ? url.openConnection()
                : url.openConnection(new Proxy(Proxy.Type.HTTP, exchange.trap())));
        connection.setRequestMethod(exchange.method());
        exchange.headers().forEach(connection::setRequestProperty);
        byte[] body = exchange.body();
        if (body != null) {
            connection.setDoOutput(true);
            try (OutputStream out = connection.getOutputStream()) {
                out.write(body);
            }
        }
        int status = connection.getResponseCode();
        try (InputStream in = status < 400 ? connection.getInputStream() : connection.getErrorStream()) {
            return outcome(status, in == null ? "" : new String(in.readAllBytes(), StandardCharsets.UTF_8));
        }
    }

    /** Whatever protocol the URL names ({@code ftp:}...), read through the JDK's own {@code URLConnection}. */
    private static String anyUrl(Exchange exchange) throws IOException {
        java.net.URLConnection connection = new URL(exchange.url()).openConnection();
        connection.setConnectTimeout(5_000);
        connection.setReadTimeout(2_000);
        try (InputStream in = connection.getInputStream()) {
            return "read=" + in.readAllBytes().length;
        }
    }

    private static String okhttp(Exchange exchange, boolean async) throws Exception {
        OkHttpClient.Builder builder = new OkHttpClient.Builder().retryOnConnectionFailure(false);
        if (exchange.trap() != null) {
            builder.proxy(new Proxy(Proxy.Type.HTTP, exchange.trap()));
        }
        if (exchange.options().containsKey("as-post")) {
            builder.addInterceptor(chain -> chain.proceed(chain.request().newBuilder()
                    .post(RequestBody.create("form", MediaType.get("text/plain"))).build()));
        }
        byte[] body = exchange.body();
        if (exchange.overwrites()) {
            builder.addInterceptor(chain -> {
                exchange.overwrite(body);
                return chain.proceed(chain.request());
            });
        }
        String nestedUrl = exchange.options().get("nested");
        String[] nested = new String[1];
        if (nestedUrl != null) {
            // An interceptor that sends a request of its own while the call runs, as a token refresh does.
            builder.addInterceptor(chain -> {
                nested[0] = run(-1, "okhttp|GET|" + nestedUrl);
                return chain.proceed(chain.request());
            });
        }
        OkHttpClient client = builder.build();
        okhttp3.Request.Builder request = new okhttp3.Request.Builder().url(exchange.url())
                .method(exchange.method(), body == null ? null : RequestBody.create(body, MediaType.get("text/plain")));
        exchange.headers().forEach(request::header);
        Call call = client.newCall(request.build());
        try {
            if (!async) {
                try (Response response = call.execute()) {
                    return outcome(response.code(), response.body().string()) + (nested[0] == null ? "" : " nested=[" + nested[0] + "]");
                }
            }
            CompletableFuture<String> result = new CompletableFuture<>();
            call.enqueue(new Callback() {
                @Override
                public void onFailure(Call failed, IOException e) {
                    result.completeExceptionally(e);
                }

                @Override
                public void onResponse(Call done, Response response) throws IOException {
                    try (response) {
                        result.complete(outcome(response.code(), response.body().string()));
                    }
                }
            });
            return result.get(TIMEOUT_SECONDS, TimeUnit.SECONDS);
        } finally {
            client.dispatcher().executorService().shutdown();
            client.connectionPool().evictAll();
        }
    }

    private static String apache5(Exchange exchange) throws IOException {
        var builder = HttpClients.custom();
        if (exchange.trap() != null) {
            builder.setProxy(new org.apache.hc.core5.http.HttpHost("http", "127.0.0.1", exchange.trap().getPort()));
        }
        if (exchange.options().containsKey("as-post")) {
            // After ProtocolExec, where the request is decided: the POST is the request written.
            builder.addExecInterceptorAfter(org.apache.hc.client5.http.impl.ChainElement.PROTOCOL.name(), "as-post",
                    (request, scope, chain) -> {
                        org.apache.hc.core5.http.ClassicHttpRequest post = org.apache.hc.core5.http.io.support.ClassicRequestBuilder
                                .post(URI.create(exchange.url())).setEntity("form").build();
                        post.setHeaders(request.getHeaders());
                        return chain.proceed(post, scope);
                    });
        }
        byte[] body = exchange.body();
        if (exchange.overwrites()) {
            // After ProtocolExec, where the request is decided.
            builder.addExecInterceptorAfter(org.apache.hc.client5.http.impl.ChainElement.PROTOCOL.name(), "overwrite",
                    (request, scope, chain) -> {
                        exchange.overwrite(body);
                        return chain.proceed(request, scope);
                    });
        }
        try (CloseableHttpClient client = builder.build()) {
            String raw = exchange.options().containsKey("raw-target") ? exchange.options().get("raw-target").replace("\\r\\n", "\r\n") : null;
            org.apache.hc.core5.http.ClassicHttpRequest request = raw == null
                    ? new HttpUriRequestBase(exchange.method(), URI.create(exchange.url()))
                    : new org.apache.hc.core5.http.message.BasicClassicHttpRequest(exchange.method(),
                            org.apache.hc.core5.http.HttpHost.create(URI.create(exchange.url())), raw);
            exchange.headers().forEach(request::addHeader);
            if (body != null) {
                request.setEntity(new ByteArrayEntity(body, ContentType.TEXT_PLAIN));
            }
            String target = exchange.options().get("target");
            return client.execute(target == null ? null : new org.apache.hc.core5.http.HttpHost("http",
                    target.substring(0, target.lastIndexOf(':')), Integer.parseInt(target.substring(target.lastIndexOf(':') + 1))), request,
                    response -> outcome(response.getCode(), response.getEntity() == null ? "" : EntityUtils.toString(response.getEntity())));
        }
    }

    private static String apache5Async(Exchange exchange) throws Exception {
        var builder = HttpAsyncClients.custom();
        if (exchange.trap() != null) {
            builder.setProxy(new org.apache.hc.core5.http.HttpHost("http", "127.0.0.1", exchange.trap().getPort()));
        }
        if (exchange.options().containsKey("as-post")) {
            // After AsyncProtocolExec, where the request is decided: the POST is the request written.
            builder.addExecInterceptorAfter(org.apache.hc.client5.http.impl.ChainElement.PROTOCOL.name(), "as-post",
                    (request, entity, scope, chain, callback) -> {
                        org.apache.hc.core5.http.message.BasicHttpRequest post = new org.apache.hc.core5.http.message.BasicHttpRequest(
                                "POST", scope.route.getTargetHost(), request.getPath());
                        post.setHeaders(request.getHeaders());
                        // Bodiless: an entity producer is bound by a fresh nonce, never the same action twice.
                        chain.proceed(post, null, scope, callback);
                    });
        }
        try (CloseableHttpAsyncClient client = builder.build()) {
            client.start();
            SimpleRequestBuilder request = SimpleRequestBuilder.create(exchange.method()).setUri(URI.create(exchange.url()));
            exchange.headers().forEach(request::addHeader);
            byte[] body = exchange.body();
            if (body != null) {
                request.setBody(body, ContentType.TEXT_PLAIN);
            }
            String raw = exchange.options().containsKey("raw-target") ? exchange.options().get("raw-target").replace("\\r\\n", "\r\n") : null;
            SimpleHttpRequest built = request.build();
            if (raw != null) {
                built = new SimpleHttpRequest(exchange.method(), org.apache.hc.core5.http.HttpHost.create(URI.create(exchange.url())), raw);
            }
            String target = exchange.options().get("target");
            SimpleHttpResponse response = (target == null ? client.execute(built, null)
                    : client.execute(new org.apache.hc.core5.http.HttpHost("http", target.substring(0, target.lastIndexOf(':')),
                            Integer.parseInt(target.substring(target.lastIndexOf(':') + 1))),
                            org.apache.hc.client5.http.async.methods.SimpleRequestProducer.create(built),
                            org.apache.hc.client5.http.async.methods.SimpleResponseConsumer.create(), null, null, null))
                    .get(TIMEOUT_SECONDS, TimeUnit.SECONDS);
            return outcome(response.getCode(), response.getBodyText());
        }
    }

    private static String apache4(Exchange exchange) throws IOException {
        var builder = org.apache.http.impl.client.HttpClients.custom();
        if (exchange.trap() != null) {
            builder.setProxy(new org.apache.http.HttpHost("127.0.0.1", exchange.trap().getPort()));
        }
        byte[] body = exchange.body();
        if (exchange.overwrites()) {
            // Its request interceptors run inside ProtocolExec, after the request is decided.
            builder.addInterceptorLast((org.apache.http.HttpRequestInterceptor) (written, context) -> exchange.overwrite(body));
        }
        try (org.apache.http.impl.client.CloseableHttpClient client = builder.build()) {
            var request = new org.apache.http.client.methods.HttpEntityEnclosingRequestBase() {
                @Override
                public String getMethod() {
                    return exchange.method();
                }
            };
            request.setURI(URI.create(exchange.url()));
            exchange.headers().forEach(request::addHeader);
            if (body != null) {
                request.setEntity(new org.apache.http.entity.ByteArrayEntity(body));
            }
            String target = exchange.options().get("target");
            String first;
            try (var response = target == null ? client.execute(request) : client.execute(new org.apache.http.HttpHost(
                    target.substring(0, target.lastIndexOf(':')), Integer.parseInt(target.substring(target.lastIndexOf(':') + 1)),
                    "http"), request)) {
                first = outcome(response.getStatusLine().getStatusCode(), response.getEntity() == null ? ""
                        : org.apache.http.util.EntityUtils.toString(response.getEntity()));
            }
            String then = exchange.options().get("then");
            if (then == null) {
                return first;
            }
            // The next request of the same client, on the connection its pool kept.
            var next = new org.apache.http.client.methods.HttpGet(then);
            next.addHeader("X-Note", exchange.options().getOrDefault("note", ""));
            try (var response = client.execute(next)) {
                return first + " then=[" + outcome(response.getStatusLine().getStatusCode(), response.getEntity() == null ? ""
                        : org.apache.http.util.EntityUtils.toString(response.getEntity())) + "]";
            }
        }
    }

    /** Spring's RestClient over three of the clients above: covered with no Spring-specific advice. */
    private static String spring(String client, Exchange exchange) {
        RestClient.Builder builder = RestClient.builder();
        switch (client) {
            case "spring-jdk":
                builder.requestFactory(new JdkClientHttpRequestFactory());
                break;
            case "spring-huc":
                builder.requestFactory(new SimpleClientHttpRequestFactory());
                break;
            default:
                builder.requestFactory(new HttpComponentsClientHttpRequestFactory());
        }
        RestClient rest = builder.build();
        var response = rest.method(org.springframework.http.HttpMethod.valueOf(exchange.method()))
                .uri(URI.create(exchange.url()))
                .retrieve()
                .toEntity(String.class);
        return outcome(response.getStatusCode().value(), response.getBody());
    }

    /** A raw TCP connect that reads the server's one-line answer: what a driver or an unknown client does. */
    private static String connect(String kind, String hostAndPort, Map<String, String> options) throws Exception {
        int colon = hostAndPort.lastIndexOf(':');
        InetSocketAddress address = new InetSocketAddress(hostAndPort.substring(0, colon),
                Integer.parseInt(hostAndPort.substring(colon + 1)));
        if (kind.equals("channel")) {
            try (SocketChannel channel = SocketChannel.open()) {
                channel.connect(address);
                java.nio.ByteBuffer answer = java.nio.ByteBuffer.allocate(16);
                while (channel.read(answer) >= 0 && answer.hasRemaining()) {
                    // until the server closes
                }
                return "connected=" + channel.getRemoteAddress() + " answer="
                        + new String(answer.array(), 0, answer.position(), StandardCharsets.US_ASCII).strip();
            }
        }
        if (kind.startsWith("netty-")) {
            return NettyConnect.connect(kind.substring("netty-".length()), address);
        }
        if (kind.startsWith("async-")) {
            return connectAsynchronously(kind.equals("async-handler"), address);
        }
        if (kind.equals("adaptor")) {
            // A channel's blocking java.net.Socket view: it connects through the channel, not Socket.connect.
            try (SocketChannel channel = SocketChannel.open(); Socket socket = channel.socket()) {
                socket.connect(address, 5_000);
                return "connected=" + socket.getRemoteSocketAddress() + " answer="
                        + new String(socket.getInputStream().readAllBytes(), StandardCharsets.US_ASCII).strip();
            }
        }
        String trap = options.get("trap");
        InnerConnect inner = options.containsKey("selector") ? connectFromProxySelector(options.get("selector")) : null;
        try (Socket socket = trap == null ? new Socket()
                : new Socket(new Proxy(Proxy.Type.SOCKS, new InetSocketAddress("127.0.0.1", Integer.parseInt(trap))))) {
            socket.connect(address, 5_000);
            return "connected=" + socket.getRemoteSocketAddress() + " answer="
                    + new String(socket.getInputStream().readAllBytes(), StandardCharsets.US_ASCII).strip()
                    + (inner == null ? "" : " inner=[" + inner.get() + "]");
        } finally {
            if (inner != null) {
                ProxySelector.setDefault(inner.previous);
            }
        }
    }

    /**
     * {@code selector=HOST:PORT}: a default {@link ProxySelector} that, when asked about a socket's
     * proxy (inside the socket's own connect), connects to HOST:PORT itself: code a connect runs that
     * makes a connection of its own.
     */
    private static InnerConnect connectFromProxySelector(String hostAndPort) {
        InnerConnect inner = new InnerConnect(ProxySelector.getDefault());
        ProxySelector.setDefault(new ProxySelector() {
            @Override
            public List<Proxy> select(URI uri) {
                if (!inner.asked) {
                    inner.asked = true; // its own connect asks again
                    inner.outcome = run(-1, "socket|" + hostAndPort);
                }
                return List.of(Proxy.NO_PROXY);
            }

            @Override
            public void connectFailed(URI uri, java.net.SocketAddress address, IOException failure) {
            }
        });
        return inner;
    }

    private static final class InnerConnect {
        final ProxySelector previous;
        boolean asked;
        String outcome;

        InnerConnect(ProxySelector previous) {
            this.previous = previous;
        }

        String get() {
            return outcome == null ? "never asked" : outcome;
        }
    }

    /** NIO.2: a connect that reports through a future or through a completion handler. */
    private static String connectAsynchronously(boolean withHandler, InetSocketAddress address) throws Exception {
        try (AsynchronousSocketChannel channel = AsynchronousSocketChannel.open()) {
            CompletableFuture<Void> connected = new CompletableFuture<>();
            if (withHandler) {
                channel.connect(address, connected, new CompletionHandler<Void, CompletableFuture<Void>>() {
                    @Override
                    public void completed(Void result, CompletableFuture<Void> done) {
                        done.complete(null);
                    }

                    @Override
                    public void failed(Throwable failure, CompletableFuture<Void> done) {
                        done.completeExceptionally(failure);
                    }
                });
            } else {
                channel.connect(address).get(TIMEOUT_SECONDS, TimeUnit.SECONDS);
                connected.complete(null);
            }
            connected.get(TIMEOUT_SECONDS, TimeUnit.SECONDS);
            java.nio.ByteBuffer answer = java.nio.ByteBuffer.allocate(16);
            while (answer.hasRemaining() && channel.read(answer).get(TIMEOUT_SECONDS, TimeUnit.SECONDS) >= 0) {
                // until the server closes
            }
            return "connected=" + channel.getRemoteAddress() + " answer="
                    + new String(answer.array(), 0, answer.position(), StandardCharsets.US_ASCII).strip();
        }
    }

    private static String outcome(int status, String body) {
        return "status=" + status + " body=" + (body == null ? "" : body.strip());
    }

    /** A refusal is the first throwable in the chain whose message is Warden's; anything else is an error. */
    private static String describeFailure(int step, Throwable failure) {
        Throwable top = failure instanceof ExecutionException && failure.getCause() != null ? failure.getCause() : failure;
        List<Throwable> chain = new ArrayList<>();
        for (Throwable t = failure; t != null && !chain.contains(t); t = t.getCause()) {
            chain.add(t);
        }
        for (Throwable t : chain) {
            if (t.getMessage() != null && t.getMessage().startsWith("warden:")) {
                return "DENIED step=" + step + " thrown=" + top.getClass().getName() + " denial=" + t.getClass().getName()
                        + " cause=" + (t.getCause() == null ? "none" : t.getCause().getClass().getSimpleName())
                        + " message=" + t.getMessage();
            }
        }
        return "ERROR step=" + step + " " + failure;
    }
}
