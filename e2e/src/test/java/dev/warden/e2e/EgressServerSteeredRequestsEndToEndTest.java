package dev.warden.e2e;

import dev.warden.e2e.host.HttpHost;
import dev.warden.receipts.Receipt;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * What a permitted request's server, or the way a request is written, can make a client send beyond its decision,
 * under a policy that permits {@code GET /api/...} on one API on 127.0.0.1 (and any method on any of its paths but
 * {@code /admin...}, as docs/HTTP.md's "API hosts are allowed" does), a {@code net} connect to a "database"
 * port (docs/HTTP.md's example), and refuses the query key {@code delete}:
 * <ul>
 *   <li>a {@code 305 Use Proxy} answer: {@code HttpURLConnection} sent the request again through the proxy the server
 *   named (the database port, which then answered as the API), or, naming the API itself, looped twenty-one
 *   requests on one receipt. Following it is refused, with a receipt;</li>
 *   <li>a redirect hop of {@code HttpURLConnection} recorded the previous request line, query values included, as a
 *   header name: its names are its headers;</li>
 *   <li>Apache HttpClient 4's {@code execute(target, new HttpGet("http://evil.example/api/x"))} sent
 *   {@code Host: evil.example} to the permitted target, with a receipt naming neither: refused at the write;</li>
 *   <li>{@code ?%64elete=42} (a server decodes {@code delete}) passed the rule on the key, and 64 keys before it hid
 *   it: keys are decoded, and {@code url.query.count} lets a rule refuse more keys than rules see;</li>
 *   <li>a body Apache 4 skipped after an early answer to {@code Expect: 100-continue}, and a method or raw path holding
 *   a line break, wrote requests no decision saw: refused where they would be written or decided.</li>
 * </ul>
 * The API and the database port are counting servers this test runs; the host prints what its client returned.
 */
class EgressServerSteeredRequestsEndToEndTest {

    private static final String SECRET = "sk-live-secret123";

    @TempDir
    static Path workspace;

    private static CountingServer api;
    private static CountingServer database;
    private static HostJvm.Result host;
    private static List<Receipt> receipts;
    private static Receipts store;
    /** A host whose own code allowed the JDK clients' restricted headers, and its receipts. */
    private static HostJvm.Result allowing;
    private static Receipts allowingStore;
    /** A host whose own cookie handler and authenticator give its clients' requests values, and its receipts. */
    private static HostJvm.Result handing;
    private static Receipts handingStore;

    @BeforeAll
    static void sendWhatServersSteer() throws Exception {
        api = new CountingServer(true);
        database = new CountingServer(false);
        store = Receipts.in(workspace);
        String base = "http://127.0.0.1:" + api.port();
        String sixtyFourKeys = IntStream.range(0, 64).mapToObj(i -> "k" + i + "=1").collect(Collectors.joining("&"));
        host = HostJvm.withAgent(store.agentArguments())
                .with("rules=" + rules(workspace.resolve("rules"), api.port(), database.port()))
                .run(HttpHost.class, List.of(
                        "huc|GET|" + base + "/api/redir?api_key=" + SECRET + "&to=%2Fapi%2Fok",
                        "huc|GET|" + base + "/api/redir?code=305&to=http%3A%2F%2F127.0.0.1%3A" + database.port() + "%2F",
                        "huc|GET|" + base + "/api/loop?code=305&to=http%3A%2F%2F127.0.0.1%3A" + api.port() + "%2F",
                        "apache4|GET|http://evil.example/api/x|target=127.0.0.1:" + api.port(),
                        "huc|GET|" + base + "/api/items?%64elete=42",
                        "huc|GET|" + base + "/api/items?" + sixtyFourKeys + "&delete=42",
                        "huc|GET|" + base + "/api/items?" + sixtyFourKeys,
                        "apache4|GET|" + base + "/api/y|target=127.0.0.1:" + api.port(),
                        "okhttp|GET|" + base + "/api/vhost/okhttp|header=Host:internal.example",
                        "apache5|GET|" + base + "/api/vhost/apache5|header=Host:internal.example",
                        "apache5-async|GET|" + base + "/api/vhost/apache5-async|header=Host:internal.example",
                        "okhttp|GET|" + base + "/api/vhost/okhttp-other-port|header=Host:127.0.0.1:" + database.port(),
                        "okhttp|GET|" + base + "/api/vhost/okhttp-itself|header=Host:127.0.0.1:" + api.port(),
                        "apache5|GET|" + base + "/api/vhost/apache5-itself|header=host:127.0.0.1:" + api.port(),
                        // 34 bytes: "GET /api/second HTTP/1.1\r\nX-Note: ", what Apache 4 writes next on the connection.
                        "apache4|POST|" + base + "/api/upload/early|body=34|header=Expect:100-continue|then=" + base
                                + "/api/second|note=DELETE /admin/x HTTP/1.1",
                        // A method ending its request line: "DELETE /admin/... HTTP/1.1", then a header holding the rest.
                        "okhttp|DELETE /admin/okhttp HTTP/1.1\\r\\nX-Note:|" + base + "/api/ok",
                        "apache4|DELETE /admin/apache4 HTTP/1.1\\r\\nX-Note:|" + base + "/api/ok",
                        "apache5|DELETE /admin/apache5 HTTP/1.1\\r\\nX-Note:|" + base + "/api/ok",
                        "apache5-async|DELETE /admin/apache5-async HTTP/1.1\\r\\nX-Note:|" + base + "/api/ok",
                        // A raw path ending its request line: the path a rule's not matches "/admin.*" does not match.
                        "apache5|GET|" + base + "|raw-target=/admin/raw-apache5 HTTP/1.1\\r\\nX-Note:",
                        "apache5-async|GET|" + base + "|raw-target=/admin/raw-apache5-async HTTP/1.1\\r\\nX-Note:"));
        receipts = store.all();
        allowingStore = Receipts.in(Files.createDirectories(workspace.resolve("allowing")));
        allowing = HostJvm.withAgent(allowingStore.agentArguments())
                .with("rules=" + rules(workspace.resolve("any-path-rules"), api.port(), database.port(), ".*"))
                .run(HttpHost.class, List.of(
                        "property|sun.net.http.allowRestrictedHeaders=true",
                        "property|jdk.httpclient.allowRestrictedHeaders=host",
                        "huc|GET|" + base + "/api/vhost/huc|header=Host:internal.example",
                        "jdk|GET|" + base + "/api/vhost/jdk|header=Host:internal.example",
                        "jdk-async|GET|" + base + "/api/vhost/jdk-async|header=Host:internal.example",
                        "huc|GET|" + base + "/api/vhost/huc-other-port|header=Host:127.0.0.1:" + database.port(),
                        "huc|GET|" + base + "/api/vhost/huc-itself|header=Host:127.0.0.1:" + api.port(),
                        "jdk|GET|" + base + "/api/vhost/jdk-itself|header=host:127.0.0.1:" + api.port(),
                        "apache5|GET|" + base + "|raw-target=http://internal.example/api/absolute/apache5",
                        "apache5-async|GET|" + base + "|raw-target=http://internal.example/api/absolute/apache5-async",
                        "apache5|GET|" + base + "|raw-target=http://127.0.0.1:" + database.port() + "/api/absolute/other-port",
                        "apache5|GET|" + base + "|raw-target=http://127.0.0.1:" + api.port() + "/api/absolute/itself"));
        handingStore = Receipts.in(Files.createDirectories(workspace.resolve("handing")));
        handing = HostJvm.withAgent(handingStore.agentArguments())
                .with("rules=" + noCookiesOrCredentials(workspace.resolve("handing-rules"), api.port()))
                .run(HttpHost.class, List.of(
                        "huc|GET|" + base + "/api/handlers/control",
                        "authenticator|agent:" + SECRET,
                        "huc|GET|" + base + "/api/private/huc",
                        "jdk|GET|" + base + "/api/private/jdk",
                        "cookie-handler|session=" + SECRET,
                        "huc|GET|" + base + "/api/handlers/cookie-huc",
                        "jdk|GET|" + base + "/api/handlers/cookie-jdk",
                        "jdk-async|GET|" + base + "/api/handlers/cookie-jdk-async",
                        "jdk-websocket|GET|" + base + "/api/upgrade/jdk",
                        "okhttp-websocket|GET|" + base + "/api/upgrade/okhttp"));
    }

    @AfterAll
    static void stopServers() throws IOException {
        api.close();
        database.close();
    }

    @Test
    void aRedirectHopsHeaderNamesAreItsHeadersNeverThePreviousRequestLine() {
        assertThat(host.step(0)).as(host.toString()).contains("status=200 body=pong /api/ok");
        Receipt hop = receipts.stream().filter(receipt -> "/api/ok".equals(receipt.summary().get("url.path")))
                .findFirst().orElseThrow(() -> new AssertionError("no receipt of the hop in " + receipts));
        assertThat(hop.summary()).containsEntry("http.redirect", "true");
        List<String> names = Arrays.asList(hop.summary().getOrDefault("http.header.names", "").split(","));
        assertThat(names).as("header names are tokens").allSatisfy(name -> assertThat(name).doesNotContain(" ", "?", "/"));
        assertThat(hop.summary().get("http.header.count")).isEqualTo(Integer.toString(names.size()));
        assertThat(receipts).as("no receipt carries a query value")
                .allSatisfy(receipt -> assertThat(receipt.summary() + " " + receipt.reason()).doesNotContainIgnoringCase(SECRET));
    }

    @Test
    void a305UseProxyIsNotFollowedToTheProxyTheServerNames() {
        assertThat(host.step(1)).as(host.toString()).startsWith("DENIED step=1").contains("305 Use Proxy");
        assertThat(database.connections()).as("the database port is never sent the request").isZero();
        assertThat(receipts).filteredOn(receipt -> receipt.reason().contains("305 Use Proxy")
                        && receipt.reason().contains("127.0.0.1:" + database.port()))
                .singleElement().satisfies(receipt -> {
                    assertThat(receipt.outcome()).isEqualTo("DENY");
                    assertThat(receipt.surface()).isEqualTo("http");
                });
        assertThat(receipts).as("no connect to the database port was decided either")
                .noneMatch(receipt -> Integer.toString(database.port()).equals(receipt.summary().get("net.port")));
    }

    @Test
    void a305NamingThePermittedServerItselfIsNotFollowedEither() {
        assertThat(host.step(2)).as(host.toString()).startsWith("DENIED step=2").contains("305 Use Proxy");
        assertThat(api.requestsTo("/api/loop")).as("sent once, not looped on one receipt").hasSize(1);
        assertThat(receipts).filteredOn(receipt -> "/api/loop".equals(receipt.summary().get("url.path")))
                .singleElement().satisfies(receipt -> assertThat(receipt.outcome()).isEqualTo("PERMIT"));
    }

    @Test
    void apache4AskingThePermittedServerForAnotherHostIsRefusedAtTheWrite() {
        assertThat(host.step(3)).as(host.toString()).startsWith("DENIED step=3").contains("evil.example");
        assertThat(api.requests()).as("nothing asks the API for evil.example")
                .noneMatch(request -> request.host().contains("evil.example"));
        assertThat(api.requestsTo("/api/x")).isEmpty();
        assertThat(receipts).filteredOn(receipt -> receipt.reason().contains("evil.example:80")
                        && receipt.reason().contains("127.0.0.1:" + api.port()))
                .singleElement().satisfies(receipt -> assertThat(receipt.outcome()).isEqualTo("DENY"));
        // The same call with a URL naming the target itself is written as decided.
        assertThat(host.step(7)).as(host.toString()).contains("status=200 body=pong /api/y");
        assertThat(api.requestsTo("/api/y")).singleElement().satisfies(request ->
                assertThat(request.host()).isEqualTo("127.0.0.1:" + api.port()));
    }

    /**
     * Found by an eighth review (2026-12-07): OkHttp and the Apache 5 clients write an application's {@code Host} as
     * given, so a request decided for the API asked it for {@code internal.example}, a name no decision saw, which a
     * server hosting several names serves. Refused at the write now, with a receipt; a {@code Host} naming the API
     * itself is written as decided.
     */
    @Test
    void aHostHeaderAskingThePermittedServerForAnotherHostIsRefusedAtTheWrite() {
        for (int step = 8; step <= 10; step++) {
            assertThat(host.step(step)).as(host.toString()).startsWith("DENIED step=" + step).contains("internal.example");
        }
        assertThat(host.step(11)).as(host.toString()).startsWith("DENIED step=11").contains("127.0.0.1:" + database.port());
        assertThat(api.requests()).as("nothing asks the API for another host")
                .noneMatch(request -> request.host().contains("internal.example") || request.host().endsWith(":" + database.port()));
        assertThat(receipts).filteredOn(receipt -> receipt.reason().contains("internal.example:80")
                        && receipt.reason().contains("127.0.0.1:" + api.port()))
                .hasSize(3).allSatisfy(receipt -> assertThat(receipt.outcome()).isEqualTo("DENY"));
        assertThat(host.step(12)).as(host.toString()).contains("status=200 body=pong /api/vhost/okhttp-itself");
        assertThat(host.step(13)).as(host.toString()).contains("status=200 body=pong /api/vhost/apache5-itself");
    }

    /**
     * Found by a ninth review (2026-12-07): {@code sun.net.http.allowRestrictedHeaders} and
     * {@code jdk.httpclient.allowRestrictedHeaders} are system properties, which the host's own code can set before the
     * JDK's clients are first used; then {@code HttpURLConnection} and the JDK client write an application's
     * {@code Host} as given, and a request decided for the API asked it for {@code internal.example} (before: each
     * arrived so). Refused now, with a receipt, where {@code HttpURLConnection} writes its head and where the JDK
     * client's request is decided; a {@code Host} naming the API itself is written as decided.
     */
    @Test
    void aHostHeaderTheHostsOwnCodeAllowedTheJdkClientsToSetAsksForNoOtherHost() throws Exception {
        for (int step = 2; step <= 5; step++) {
            assertThat(allowing.step(step)).as(allowing.toString()).startsWith("DENIED step=" + step)
                    .contains(step == 5 ? "127.0.0.1:" + database.port() : "internal.example");
        }
        assertThat(api.requests()).as("nothing asks the API for another host")
                .noneMatch(request -> request.host().contains("internal.example") || request.host().endsWith(":" + database.port()));
        for (String refused : List.of("/api/vhost/huc", "/api/vhost/jdk", "/api/vhost/jdk-async", "/api/vhost/huc-other-port")) {
            assertThat(api.requestsTo(refused)).as(refused).isEmpty();
        }
        assertThat(allowingStore.all()).filteredOn(receipt -> receipt.reason().contains("internal.example:80")
                        && receipt.reason().contains("127.0.0.1:" + api.port()) && !receipt.reason().contains("absolute form"))
                .hasSize(3).allSatisfy(receipt -> assertThat(receipt.outcome()).isEqualTo("DENY"));
        assertThat(allowing.step(6)).as(allowing.toString()).contains("status=200 body=pong /api/vhost/huc-itself");
        assertThat(allowing.step(7)).as(allowing.toString()).contains("status=200 body=pong /api/vhost/jdk-itself");
        assertThat(allowingStore.verify().exitCode()).isZero();
    }

    /**
     * Found by a ninth review (2026-12-07): Apache HttpClient 5 writes an application's raw path as given, so
     * {@code new BasicClassicHttpRequest("GET", api, "http://internal.example/...")}, decided for the API (under a
     * policy permitting any of its paths), wrote {@code GET http://internal.example/... HTTP/1.1} to it, which a server
     * honouring absolute form (RFC 9112 §3.2.2) serves for {@code internal.example} (before: each arrived so). Refused
     * at the write now, with a receipt; an absolute form naming the API itself is written as decided.
     */
    @Test
    void anAbsoluteFormRequestTargetAskingThePermittedServerForAnotherHostIsRefusedAtTheWrite() throws Exception {
        for (int step = 8; step <= 10; step++) {
            assertThat(allowing.step(step)).as(allowing.toString()).startsWith("DENIED step=" + step)
                    .contains(step == 10 ? "127.0.0.1:" + database.port() : "internal.example");
        }
        assertThat(api.requests()).as("nothing asks the API for another host")
                .noneMatch(request -> request.target().contains("internal.example") || request.target().contains(":" + database.port() + "/"));
        assertThat(allowingStore.all()).filteredOn(receipt -> receipt.reason().contains("absolute form")
                        && receipt.reason().contains("internal.example:80") && receipt.reason().contains("127.0.0.1:" + api.port()))
                .hasSize(2).allSatisfy(receipt -> assertThat(receipt.outcome()).isEqualTo("DENY"));
        assertThat(allowing.step(11)).as(allowing.toString()).contains("status=200 body=pong /api/absolute/itself");
    }

    /**
     * Found by a second round of the ninth review (2026-12-07): the host's {@code CookieHandler.setDefault} and
     * {@code Authenticator.setDefault} give {@code HttpURLConnection}'s and the JDK client's requests a {@code Cookie}
     * and an {@code Authorization} after the decision: {@code HttpURLConnection} adds the cookies where it writes its
     * head, and the credentials to the request it sends again after a {@code 401} (decided, but without the name
     * {@code authorization}, which {@code getRequestProperties()} hides), the JDK client's filters add both to a
     * request no rule saw (the one after a {@code 401} was never decided). Under a rule refusing both headers, each
     * arrived at the API (before: {@code OK ... status=200}, the secret in a header). Now each such request is decided
     * as written and refused, with a receipt (the {@code HttpURLConnection} caller sees the {@code 401}, whose retry was
     * refused); nothing reaches the API with either header.
     */
    @Test
    void cookiesAndCredentialsTheHostsHandlersAddAfterTheDecisionAreDecidedAsWritten() throws Exception {
        assertThat(handing.step(0)).as(handing.toString()).contains("status=200 body=pong /api/handlers/control");
        // HttpURLConnection's getResponseCode() answers the 401 whose retry, with the credentials, was refused.
        assertThat(handing.step(2)).as(handing.toString()).contains("status=401");
        for (int step : new int[]{3, 5, 6, 7}) {
            assertThat(handing.step(step)).as(handing.toString()).startsWith("DENIED step=" + step)
                    .contains("no cookies or credentials");
        }
        assertThat(api.requests()).as("nothing reaches the API with the host's cookie or credentials")
                .noneMatch(request -> request.cookie() != null || request.authorization() != null);
        assertThat(api.requestsTo("/api/handlers/cookie-huc")).isEmpty();
        assertThat(api.requestsTo("/api/handlers/cookie-jdk")).isEmpty();
        assertThat(api.requestsTo("/api/handlers/cookie-jdk-async")).isEmpty();
        assertThat(handingStore.all()).filteredOn(receipt -> receipt.rules().contains("no cookies or credentials"))
                .hasSize(5).allSatisfy(receipt -> assertThat(receipt.outcome()).isEqualTo("DENY"));
        assertThat(handingStore.verify().exitCode()).isZero();
    }

    /**
     * Found by an eleventh review (2026-12-07): the JDK client's WebSocket handshake ({@code newWebSocketBuilder()}) asks
     * the server to switch protocols with a {@code Connection: Upgrade} and an {@code Upgrade: websocket} the client sets
     * itself, beside the application's headers, so its decision saw neither name, and a rule refusing protocol switches
     * by {@code http.header.names} (HTTP.md, Limits) let it through: the counting API read the handshake (before:
     * {@code OK ... status=200}, one request to {@code /api/upgrade/jdk}), where OkHttp's, whose two are its request's
     * own headers, was refused. Now both are decided with those names and refused, with a receipt; neither reaches the API.
     */
    @Test
    void aWebSocketHandshakeIsDecidedWithTheHeadersThatSwitchProtocols() throws Exception {
        for (int step : new int[]{8, 9}) {
            assertThat(handing.step(step)).as(handing.toString()).startsWith("DENIED step=" + step)
                    .contains("no protocol switches");
        }
        assertThat(api.requestsTo("/api/upgrade/jdk")).isEmpty();
        assertThat(api.requestsTo("/api/upgrade/okhttp")).isEmpty();
        assertThat(handingStore.all()).filteredOn(receipt -> receipt.rules().contains("no protocol switches"))
                .hasSize(2).allSatisfy(receipt -> {
                    assertThat(receipt.outcome()).isEqualTo("DENY");
                    assertThat(receipt.summary().get("http.header.names")).contains("connection").contains("upgrade");
                });
    }

    /**
     * Found by a tenth review (2026-12-07): an application's {@code Expect: 100-continue} on a permitted upload through
     * Apache HttpClient 4, answered {@code 403} before its body by a server that then reads the body it was promised,
     * made Apache 4 skip the body and pool the connection; its next request's first 34 bytes were read as that body and
     * the rest, the application's header value, as {@code DELETE /admin/x}, which the API served (before: the host saw
     * {@code then=[status=200 body=pong /admin/x]}, and the receipts two permitted requests). Now the head written on
     * a connection that owes a body is refused, fail-closed with a receipt (Apache 4's retry handler leaves the
     * refusal alone, and the connection is dropped): nothing more is read on that connection.
     */
    @Test
    void aBodySkippedAfterAnEarlyAnswerToExpectContinueSmugglesNoRequest() {
        assertThat(host.step(14)).as(host.toString()).startsWith("DENIED step=14").contains("declared a body the client never wrote");
        assertThat(api.requestsTo("/admin/x")).as("no request the API reads from the skipped body").isEmpty();
        assertThat(api.requestsTo("/api/upload/early")).hasSize(1);
        assertThat(api.requestsTo("/api/second")).isEmpty();
        assertThat(receipts).filteredOn(receipt -> receipt.reason().contains("declared a body the client never wrote"))
                .singleElement().satisfies(receipt -> assertThat(receipt.outcome()).isEqualTo("DENY"));
    }

    /**
     * Found by a tenth review (2026-12-07): OkHttp writes an application's method as given, so
     * {@code DELETE /admin/okhttp HTTP/1.1\r\nX-Note:} on a request to {@code /api/ok}, decided for that path under a
     * rule permitting any method of the API but its {@code /admin} paths (HTTP.md's "API hosts are allowed"), was
     * written as {@code DELETE /admin/okhttp}, the real request line in a header (before: {@code status=200 body=pong
     * /admin/okhttp}, on a permitted receipt). Apache HttpClient 4, 5 and 5 async, and Apache 5's raw paths, write a
     * control character as {@code ?} (before: the API read no request from those lines, which were not the ones
     * decided either). Now a method that is not a token and a target holding a control character are refused,
     * fail-closed with a receipt.
     */
    @Test
    void aRequestLineEndedInsideItsMethodOrPathIsRefused() {
        for (int step = 15; step <= 20; step++) {
            assertThat(host.step(step)).as(host.toString()).startsWith("DENIED step=" + step)
                    .contains("request line is not the one it is written as");
        }
        assertThat(api.requests()).as("no request line the decision did not see")
                .noneMatch(request -> request.path().startsWith("/admin/"));
        assertThat(receipts).filteredOn(receipt -> receipt.reason().contains("request line is not the one it is written as"))
                .hasSize(6).allSatisfy(receipt -> assertThat(receipt.outcome()).isEqualTo("DENY"));
    }

    @Test
    void aQueryKeyIsDecidedAsTheServerDecodesIt() {
        assertThat(host.step(4)).as(host.toString()).startsWith("DENIED step=4").contains("no delete parameter");
        assertThat(receipts).filteredOn(receipt -> receipt.rules().contains("no delete parameter")
                        && "1".equals(receipt.summary().get("url.query.count")))
                .singleElement().satisfies(receipt -> assertThat(receipt.summary()).containsEntry("url.query.keys", "delete"));
    }

    @Test
    void moreKeysThanRulesSeeAreCountedAndRefused() {
        assertThat(host.step(5)).as(host.toString()).startsWith("DENIED step=5").contains("more query keys than rules see");
        assertThat(host.step(6)).as(host.toString()).contains("status=200 body=pong /api/items");
        assertThat(receipts).filteredOn(receipt -> "65".equals(receipt.summary().get("url.query.count")))
                .singleElement().satisfies(receipt -> assertThat(receipt.outcome()).isEqualTo("DENY"));
        assertThat(api.requests()).as("what reached the API: no delete, however written")
                .noneMatch(request -> request.decodedTarget().contains("delete"));
        assertThat(api.requestsTo("/api/items")).hasSize(1);
    }

    @Test
    void theAuditorsVerifierAcceptsTheReceipts() throws Exception {
        assertThat(store.verify().exitCode()).isZero();
    }

    /** The loopback API's GETs, the database port a `net` rule permits (HTTP.md's example), and rules on query keys. */
    private static Path rules(Path directory, int apiPort, int databasePort) throws IOException {
        return rules(directory, apiPort, databasePort, "/api/.*");
    }

    /** {@link #rules(Path, int, int)} permitting the API's paths that match {@code paths}. */
    private static Path rules(Path directory, int apiPort, int databasePort, String paths) throws IOException {
        LoopbackApiRules.permittingGets(directory, apiPort, paths);
        Files.writeString(directory.resolve("steered.drl"), """
                package rules.steered;

                import dev.warden.rules.Action;
                global dev.warden.rules.Verdict verdict;

                rule "the database server"
                when
                    Action(surface == "net", operation == "CONNECT", target == "127.0.0.1", number("net.port") == %d)
                then
                    verdict.permit("the application's database");
                end

                // As HTTP.md's "API hosts are allowed" writes it: any method, any path but the admin ones.
                rule "the API but its admin paths"
                when
                    Action(surface == "http", target == "127.0.0.1", number("url.port") == %d,
                           text("url.path") not matches "/admin.*")
                then
                    verdict.permit("the API, not its admin paths");
                end

                rule "no delete parameter"
                when
                    Action(surface == "http", names("url.query.keys") contains "delete")
                then
                    verdict.deny("the agent may not delete through the API");
                end

                rule "more query keys than rules see"
                when
                    Action(surface == "http", number("url.query.count") > 64)
                then
                    verdict.deny("more query keys than rules see");
                end
                """.formatted(databasePort, apiPort));
        return directory;
    }

    /** The loopback API's GETs, and no cookie or credentials sent to it, and no switch of protocols. */
    private static Path noCookiesOrCredentials(Path directory, int apiPort) throws IOException {
        LoopbackApiRules.permittingGets(directory, apiPort, "/api/.*");
        Files.writeString(directory.resolve("handlers.drl"), """
                package rules.handlers;

                import dev.warden.rules.Action;
                global dev.warden.rules.Verdict verdict;

                rule "no cookies or credentials"
                when
                    Action(surface == "http", names("http.header.names") contains "cookie"
                           || names("http.header.names") contains "authorization")
                then
                    verdict.deny("the agent sends the API no cookies or credentials");
                end

                rule "no protocol switches"
                when
                    Action(surface == "http", names("http.header.names") contains "upgrade")
                then
                    verdict.deny("the agent speaks HTTP to the API, nothing a switch of protocols would carry");
                end
                """);
        return directory;
    }

    /** One request as the server read it: its request target, Host header, and Cookie and Authorization (or null). */
    record Request(String target, String host, String cookie, String authorization) {

        /** The path, also of a request sent to this server as a proxy ({@code GET http://host:port/path}). */
        String path() {
            int scheme = target.indexOf("://");
            int start = scheme > 0 && target.indexOf('/', scheme + 3) > 0 ? target.indexOf('/', scheme + 3) : 0;
            int question = target.indexOf('?', start);
            return question < 0 ? target.substring(start) : target.substring(start, question);
        }

        String decodedTarget() {
            return URLDecoder.decode(target, StandardCharsets.UTF_8);
        }
    }

    /**
     * Answers {@code /…?code=N&to=URL} with that redirect and anything else with {@code pong PATH}, one request per
     * connection; counts connections and records every request. A request through it as a proxy (absolute form) is
     * answered the same way.
     */
    private static final class CountingServer implements AutoCloseable {
        private final ServerSocket socket = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        private final List<Request> requests = new CopyOnWriteArrayList<>();
        private final AtomicInteger connections = new AtomicInteger();

        private final boolean redirects;

        /** @param redirects whether it answers {@code code} and {@code to} (the API), or {@code pong} to anything */
        CountingServer(boolean redirects) throws IOException {
            this.redirects = redirects;
            Thread acceptor = new Thread(this::serve, "counting-server");
            acceptor.setDaemon(true);
            acceptor.start();
        }

        int port() {
            return socket.getLocalPort();
        }

        int connections() {
            return connections.get();
        }

        List<Request> requests() {
            return List.copyOf(requests);
        }

        List<Request> requestsTo(String path) {
            return requests.stream().filter(request -> request.path().equals(path)).toList();
        }

        private void serve() {
            while (!socket.isClosed()) {
                try {
                    Socket connection = socket.accept();
                    connections.incrementAndGet();
                    // One thread per connection: a client that opens a connection and never writes on it (one the
                    // previous build followed a 305 with, then gave up) must not hold up the next.
                    Thread answering = new Thread(() -> answer(connection), "counting-server-connection");
                    answering.setDaemon(true);
                    answering.start();
                } catch (IOException closed) {
                    // the end
                }
            }
        }

        /**
         * Answers one request, or, to a request for {@code /api/private/...} without credentials, a {@code 401} asking
         * for Basic ones on a connection kept open for the next.
         */
        private void answer(Socket accepted) {
            try (Socket connection = accepted) {
                Request request;
                List<String> head;
                do {
                    head = head(connection.getInputStream());
                    if (head.isEmpty() || head.get(0).split(" ").length != 3) {
                        return; // a connect without a request
                    }
                    request = new Request(head.get(0).split(" ")[1], java.util.Objects.toString(value(head, "Host"), ""), value(head, "Cookie"),
                            value(head, "Authorization"));
                    requests.add(request);
                } while (challenged(request, connection) || answeredBeforeItsBody(head, connection));
                String target = request.target();
                String code = parameter(target, "code");
                String to = parameter(target, "to");
                String answer;
                if (redirects && to != null) {
                    answer = "HTTP/1.1 " + (code == null ? "302" : code) + " Redirect\r\nLocation: " + to
                            + "\r\nContent-Length: 0\r\nConnection: close\r\n\r\n";
                } else {
                    String body = "pong " + request.path();
                    answer = "HTTP/1.1 200 OK\r\nContent-Length: " + body.length() + "\r\nConnection: close\r\n\r\n" + body;
                }
                connection.getOutputStream().write(answer.getBytes(StandardCharsets.US_ASCII));
            } catch (IOException closedOrReset) {
                // the client's to see
            }
        }

        /** Whether {@code request} was answered with a {@code 401}, the connection kept for the next request. */
        private static boolean challenged(Request request, Socket connection) throws IOException {
            if (!request.path().startsWith("/api/private/") || request.authorization() != null) {
                return false;
            }
            connection.getOutputStream().write(("HTTP/1.1 401 Unauthorized\r\nWWW-Authenticate: Basic realm=\"api\"\r\n"
                    + "Content-Length: 0\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
            return true;
        }

        /**
         * Whether the request of {@code head} asked {@code Expect: 100-continue} and was answered {@code 403} before its
         * body, as a server does that refuses an upload by its head; the connection is kept, and the body it declared
         * read and dropped (RFC 9110 §10.1.1 lets a server go on reading it; nginx does), before the next request.
         */
        private static boolean answeredBeforeItsBody(List<String> head, Socket connection) throws IOException {
            if (!"100-continue".equalsIgnoreCase(value(head, "Expect"))) {
                return false;
            }
            connection.getOutputStream().write("HTTP/1.1 403 Forbidden\r\nContent-Length: 0\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
            connection.getInputStream().readNBytes(Integer.parseInt(java.util.Objects.toString(value(head, "Content-Length"), "0")));
            return true;
        }

        /** The first value of the header {@code name} in {@code head}, or null. */
        private static String value(List<String> head, String name) {
            return head.stream().skip(1).filter(line -> line.regionMatches(true, 0, name + ":", 0, name.length() + 1))
                    .map(line -> line.substring(name.length() + 1).trim()).findFirst().orElse(null);
        }

        private static String parameter(String target, String name) {
            int question = target.indexOf('?');
            if (question < 0) {
                return null;
            }
            for (String pair : target.substring(question + 1).split("&")) {
                if (pair.startsWith(name + "=")) {
                    return URLDecoder.decode(pair.substring(name.length() + 1), StandardCharsets.UTF_8);
                }
            }
            return null;
        }

        /** The request head's lines, up to the blank line; empty when the client sent none. */
        private static List<String> head(InputStream in) throws IOException {
            ByteArrayOutputStream head = new ByteArrayOutputStream();
            int matched = 0;
            for (int b; matched < 4 && (b = in.read()) >= 0; ) {
                head.write(b);
                matched = (b == "\r\n\r\n".charAt(matched)) ? matched + 1 : (b == '\r' ? 1 : 0);
            }
            return matched == 4 ? head.toString(StandardCharsets.ISO_8859_1).lines().toList() : List.of();
        }

        @Override
        public void close() throws IOException {
            socket.close();
        }
    }
}
