package dev.warden.e2e;

import dev.warden.e2e.EgressServers.CountingHttpServer;
import dev.warden.e2e.EgressServers.CountingTcpServer;
import dev.warden.e2e.host.HttpHost;
import dev.warden.receipts.Receipt;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.IOException;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * An unchanged application sending HTTP through every common Java client, sync and async, and
 * opening raw sockets and NIO channels, run with only {@code -javaagent}: permitted requests arrive,
 * refused ones never do and fail with the specified {@code IOException}; every redirect hop is
 * decided; the {@code net} catch-all sees what no HTTP client did and checks what one did (DNS
 * rebinding); scenario S9 with every SSRF disguise; bad input; one verified receipt per decision.
 * <p>
 * Nothing here can reach beyond 127.0.0.1, even with a broken gate: steps aimed at other addresses
 * are sent through a "trap" proxy on loopback that counts what arrives, and must count nothing.
 */
class EgressEndToEndTest {

    static final List<String> CLIENTS = List.of("jdk", "jdk-async", "huc", "okhttp", "okhttp-async",
            "apache5", "apache5-async", "apache4", "spring-jdk", "spring-huc", "spring-apache");
    static final List<String> REDIRECTING_CLIENTS = List.of("jdk", "jdk-async", "huc", "okhttp", "okhttp-async",
            "apache5", "apache5-async", "apache4");

    @TempDir
    static Path workspace;

    private static CountingHttpServer api;
    private static CountingHttpServer trap;
    private static CountingTcpServer raw;
    private static CountingTcpServer rawForbidden;
    private static CountingTcpServer rawTrap;
    private static Steps steps;
    private static HostJvm.Result host;
    private static List<Receipt> receipts;
    private static Receipts.Verification verification;

    @BeforeAll
    static void runHost() throws Exception {
        api = new CountingHttpServer();
        trap = new CountingHttpServer();
        raw = new CountingTcpServer();
        rawForbidden = new CountingTcpServer();
        rawTrap = new CountingTcpServer();
        steps = rawSteps(steps("http://localhost:" + api.port(), "trap=" + trap.port()));

        Receipts store = Receipts.in(workspace);
        // The egress surfaces, and native code for Netty's transport; the clients' temporary files
        // (Netty unpacking its library) are the file surface's to test.
        host = HostJvm.withAgent(store.agentArguments()).with("surfaces=http,net,native")
                .with("rules=" + EgressRules.withPorts(workspace.resolve("rules"), api.port(), raw.port()))
                .env("JAVA_TOOL_OPTIONS", "-Djdk.net.hosts.file=" + hostsFile())
                .run(HttpHost.class, steps.instructions());
        receipts = store.all();
        verification = store.verify();
    }

    @AfterAll
    static void stopServers() throws Exception {
        for (AutoCloseable server : new AutoCloseable[] {api, trap, raw, rawForbidden, rawTrap}) {
            if (server != null) {
                server.close();
            }
        }
    }

    /**
     * The host's name resolution, as a hosts file: {@code api.warden.test} is an allow-listed "public"
     * API name that resolves to 127.0.0.1 (DNS rebinding); nothing else resolves but localhost.
     */
    private static Path hostsFile() throws Exception {
        Path hosts = workspace.resolve("hosts");
        Files.writeString(hosts, "127.0.0.1 localhost " + InetAddress.getLocalHost().getHostName()
                + "\n127.0.0.1 api.warden.test\n");
        return hosts;
    }

    private static Steps steps(String apiBase, String trapOption) {
        Steps steps = new Steps();
        for (String client : CLIENTS) {
            steps.add("permitted " + client, client + "|GET|" + apiBase + "/api/" + client + "?q=secret-value&page=2", 1);
        }
        for (String client : CLIENTS) {
            steps.add("forbidden " + client, client + "|GET|" + apiBase + "/forbidden/" + client, 1);
        }
        for (String client : REDIRECTING_CLIENTS) {
            steps.add("redirect " + client,
                    client + "|GET|" + apiBase + "/api/redirect/" + client + "/to/forbidden/hop/" + client, 2);
        }
        // Dot-segments a lenient server resolves to /forbidden: url.path.ambiguous, which the pack refuses.
        steps.add("dot-segments jdk", "jdk|GET|" + apiBase + "/api/../forbidden/dots-jdk", 1);
        steps.add("encoded dot-segments huc", "huc|GET|" + apiBase + "/api/%2e%2e/forbidden/dots-huc", 1);
        steps.add("path parameter dot-segments huc", "huc|GET|" + apiBase + "/api/..;/forbidden/dots-param", 1);
        steps.add("dot-segments out of a forbidden path huc", "huc|GET|" + apiBase + "/forbidden/../api/dots-back-out", 1);
        steps.add("permitted redirect", "jdk|GET|" + apiBase + "/api/redirect/ok/to/api/landed", 2);
        steps.add("redirect into metadata",
                "jdk|GET|" + apiBase + "/api/redirect?to=http://169.254.169.254/latest/meta-data/|" + trapOption, 2);
        steps.add("request sent by an interceptor", "okhttp|GET|" + apiBase + "/api/outer|nested=" + apiBase + "/forbidden/nested", 2);
        steps.add("small body", "jdk|POST|" + apiBase + "/api/upload-small|body=100", 1);
        steps.add("large body", "okhttp|POST|" + apiBase + "/api/upload-large|body=2048", 1);
        // The digest binds the body: bytes the client holds (JDK, OkHttp), or a nonce for a stream (huc).
        for (String client : List.of("jdk", "okhttp", "huc")) {
            steps.add("body x via " + client, client + "|POST|" + apiBase + "/api/body-" + client + "|body=100", 1);
            steps.add("body x again via " + client, client + "|POST|" + apiBase + "/api/body-" + client + "|body=100", 1);
            steps.add("body y via " + client, client + "|POST|" + apiBase + "/api/body-" + client + "|body=100|fill=y", 1);
        }

        // S9: the SSRF disguises. Each would reach 127.0.0.1 or leave the host if it were not refused.
        String apiPort = apiBase.substring(apiBase.lastIndexOf(':') + 1);
        steps.add("metadata address", "jdk|GET|http://169.254.169.254/latest/meta-data/|" + trapOption, 1);
        steps.add("metadata name", "huc|GET|http://Metadata.Google.Internal./computeMetadata/v1/|" + trapOption, 1);
        steps.add("private range", "okhttp|GET|http://10.0.0.1/admin|" + trapOption, 1);
        steps.add("decimal loopback", "huc|GET|http://2130706433:" + apiPort + "/api/decimal", 1);
        steps.add("hex loopback", "okhttp|GET|http://0x7f000001:" + apiPort + "/api/hex", 1);
        steps.add("octal short loopback", "huc|GET|http://0177.1:" + apiPort + "/api/octal", 1);
        steps.add("upper-case hex with trailing dot", "huc|GET|http://0X7F.0.0.1.:" + apiPort + "/api/hex-dot", 1);
        steps.add("mapped IPv6 loopback", "jdk|GET|http://[::ffff:127.0.0.1]:" + apiPort + "/api/mapped", 1);
        steps.add("full-width metadata", "huc|GET|http://１６９．２５４．１６９．２５４/latest/meta-data/|" + trapOption, 1);
        steps.add("circled-digit loopback", "huc|GET|http://①②⑦.⓪.⓪.①:" + apiPort + "/api/circled|" + trapOption, 1);
        steps.add("unicode name via okhttp", "okhttp|GET|http://пример.испытание/|" + trapOption, 1);
        steps.add("unicode name via huc", "huc|GET|http://пример.испытание/|" + trapOption, 1);
        steps.add("userinfo via jdk", "jdk|GET|http://localhost:" + apiPort + "@evil.warden.test/api/userinfo|" + trapOption, 1);
        steps.add("userinfo via huc", "huc|GET|http://localhost:" + apiPort + "@evil.warden.test/api/userinfo|" + trapOption, 1);
        steps.add("loopback port off the allow-list", "jdk|GET|" + apiBase.replace(apiPort, trapOption.substring(5)) + "/api/other-port", 1);
        steps.add("rebinding via okhttp", "okhttp|GET|http://api.warden.test:" + apiPort + "/api/rebind-okhttp", 2);
        // The JDK client turns any connect failure into a ConnectException and retries it once by
        // default (jdk.httpclient.disableRetryConnect): the retry is another connect, decided again.
        steps.add("rebinding via jdk-async", "jdk-async|GET|http://api.warden.test:" + apiPort + "/api/rebind-jdk", 3);
        // The same address as localhost's, whose connection the JDK client's pool keeps: the name still connects, and
        // is checked (and retried once, as above).
        steps.add("rebinding on a pooled connection via jdk", "jdk|GET|" + apiBase + "/api/pooled-first|then=http://api.warden.test:"
                + apiPort + "/api/rebind-pooled", 4);

        // Bad input: decided, recorded, refused; nothing sent, nothing crashes.
        steps.add("port out of range", "huc|GET|http://localhost:70000/api/bad-port|" + trapOption, 1);
        steps.add("IPv4 part out of range", "huc|GET|http://999.1.1.1/|" + trapOption, 1);
        steps.add("empty label in host", "huc|GET|http://exa..mple.com/|" + trapOption, 1);
        steps.add("percent-encoded host", "huc|GET|http://%31%32%37.0.0.1/|" + trapOption, 1);
        steps.add("64 KB of headers via jdk", "jdk|GET|" + apiBase + "/api/headers-jdk|headers=1000", 1);
        steps.add("64 KB of headers via okhttp", "okhttp|GET|" + apiBase + "/api/headers-okhttp|headers=1000", 1);
        steps.add("non-ASCII host", "huc|GET|http://bücher.example/|" + trapOption, 1);
        return steps;
    }

    private static Steps rawSteps(Steps steps) {
        steps.add("socket permitted", "socket|127.0.0.1:" + raw.port(), 1);
        steps.add("channel permitted", "channel|127.0.0.1:" + raw.port(), 1);
        steps.add("socket refused", "socket|127.0.0.1:" + rawForbidden.port(), 1);
        steps.add("channel refused", "channel|127.0.0.1:" + rawForbidden.port(), 1);
        steps.add("socket to metadata", "socket|169.254.169.254:80|trap=" + rawTrap.port(), 1);
        steps.add("channel adaptor permitted", "adaptor|127.0.0.1:" + raw.port(), 1);
        steps.add("channel adaptor refused", "adaptor|127.0.0.1:" + rawForbidden.port(), 1);
        steps.add("async channel permitted (future)", "async-future|127.0.0.1:" + raw.port(), 1);
        steps.add("async channel permitted (handler)", "async-handler|127.0.0.1:" + raw.port(), 1);
        steps.add("async channel refused (future)", "async-future|127.0.0.1:" + rawForbidden.port(), 1);
        steps.add("async channel refused (handler)", "async-handler|127.0.0.1:" + rawForbidden.port(), 1);
        steps.add("socket opened by a proxy selector", "socket|127.0.0.1:" + raw.port() + "|selector=127.0.0.1:" + rawForbidden.port(), 2);
        steps.add("netty nio permitted", "netty-nio|127.0.0.1:" + raw.port(), 1);
        steps.add("netty nio refused", "netty-nio|127.0.0.1:" + rawForbidden.port(), 1);
        steps.add("netty epoll permitted", "netty-epoll|127.0.0.1:" + raw.port(), 1);
        steps.add("netty epoll refused", "netty-epoll|127.0.0.1:" + rawForbidden.port(), 1);
        steps.add("netty fast open permitted", "netty-tfo-direct|127.0.0.1:" + raw.port(), 1);
        steps.add("netty fast open refused", "netty-tfo-direct|127.0.0.1:" + rawForbidden.port(), 1);
        steps.add("netty fast open refused (composite)", "netty-tfo-composite|127.0.0.1:" + rawForbidden.port(), 1);
        return steps;
    }

    static Stream<String> clients() {
        return CLIENTS.stream();
    }

    static Stream<String> redirectingClients() {
        return REDIRECTING_CLIENTS.stream();
    }

    @Test
    void theHostRunsToTheEndWhateverIsRefused() {
        assertThat(host.exitCode()).as(host.toString()).isZero();
        assertThat(host.lines()).as(host.toString()).contains("DONE").noneMatch(line -> line.startsWith("ERROR"));
    }

    @ParameterizedTest
    @MethodSource("clients")
    void permittedRequestsArriveOnceThroughEveryClient(String client) {
        assertThat(steps.result(host, "permitted " + client)).contains("status=200 body=pong /api/" + client);
        assertThat(api.requests("/api/" + client)).isEqualTo(1);
    }

    @ParameterizedTest
    @MethodSource("clients")
    void refusedRequestsNeverArriveAndFailWithAnIOException(String client) {
        assertThat(steps.result(host, "forbidden " + client))
                .contains("denial=java.net.NoRouteToHostException cause=ActionDeniedException",
                        "message=warden: denied by default-deny: no rule permits http GET on localhost: ",
                        "holds no role that permits http:localhost:get (receipt ");
        assertThat(api.requests("/forbidden/" + client)).isZero();
    }

    @Test
    void aPathThatDotSegmentsLeadOutOfThePermittedOnesIsRefused() {
        for (String step : List.of("dot-segments jdk", "encoded dot-segments huc", "path parameter dot-segments huc",
                "dot-segments out of a forbidden path huc")) {
            assertThat(steps.result(host, step)).as(step).contains("denied by a path servers read two ways is refused");
        }
        assertThat(api.requestsContaining("dots-")).isZero();
    }

    @Test
    void asyncRefusalsArriveAsFailedFuturesAndCallbacksNotThrows() {
        // HttpHost reports the throwable it caught: the future's ExecutionException is unwrapped, so
        // an IOException here means the future (or OkHttp's onFailure) carried exactly the denial.
        assertThat(steps.result(host, "forbidden jdk-async")).contains("thrown=java.net.NoRouteToHostException");
        assertThat(steps.result(host, "forbidden okhttp-async")).contains("thrown=java.net.NoRouteToHostException");
        assertThat(steps.result(host, "forbidden apache5-async")).contains("thrown=java.net.NoRouteToHostException");
        assertThat(steps.result(host, "forbidden spring-apache")).contains("thrown=org.springframework.web.client.ResourceAccessException");
    }

    @ParameterizedTest
    @MethodSource("redirectingClients")
    void aRedirectIntoAForbiddenPathIsRefusedAtTheHop(String client) {
        assertThat(steps.result(host, "redirect " + client)).startsWith("DENIED").contains("default-deny");
        assertThat(api.requests("/api/redirect/" + client + "/to/forbidden/hop/" + client)).isEqualTo(1);
        assertThat(api.requests("/forbidden/hop/" + client)).isZero();
        assertThat(receiptsFor("/forbidden/hop/" + client)).singleElement().satisfies(hop -> {
            assertThat(hop.outcome()).isEqualTo("SILENCE");
            assertThat(hop.summary()).containsEntry("http.redirect", "true");
        });
    }

    @Test
    void aPermittedRedirectIsDecidedHopByHop() {
        assertThat(steps.result(host, "permitted redirect")).contains("status=200 body=pong /api/landed");
        assertThat(api.requests("/api/landed")).isEqualTo(1);
        assertThat(receiptsFor("/api/landed")).singleElement().satisfies(hop -> assertThat(hop.outcome()).isEqualTo("PERMIT"));
    }

    @Test
    void aRedirectIntoTheMetadataEndpointIsRefusedAtTheHop() {
        assertThat(steps.result(host, "redirect into metadata")).startsWith("DENIED").contains("no private destinations");
        assertThat(trap.total()).isZero();
    }

    @Test
    void bodiesAreCappedBySize() {
        assertThat(steps.result(host, "small body")).contains("status=200");
        assertThat(steps.result(host, "large body")).contains("denied by request bodies are capped");
        assertThat(api.requests("/api/upload-large")).isZero();
        assertThat(receiptsFor("/api/upload-small")).singleElement()
                .satisfies(receipt -> assertThat(receipt.summary()).containsEntry("http.body.size", "100"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"jdk", "okhttp", "huc"})
    void theActionDigestBindsTheBodyWhereTheClientHoldsItAndANonceWhereItDoesNot(String client) {
        List<String> digests = receiptsFor("/api/body-" + client).stream().map(Receipt::actionDigest).toList();
        assertThat(digests).as("x, x again, y: all sent").hasSize(3);
        assertThat(api.requests("/api/body-" + client)).isEqualTo(3);
        assertThat(digests.get(2)).as("another body of the same size").isNotEqualTo(digests.get(0));
        if (client.equals("huc")) {
            assertThat(digests.get(1)).as("written after the decision: never the same action").isNotEqualTo(digests.get(0));
        } else {
            assertThat(digests.get(1)).as("the same bytes").isEqualTo(digests.get(0));
        }
    }

    @Test
    void s9MetadataAndPrivateDestinationsAreRefusedWhateverTheSpelling() {
        assertDenied("metadata address", "no private destinations", "169.254.169.254");
        assertDenied("metadata name", "no private destinations", "metadata.google.internal");
        assertDenied("private range", "no private destinations", "10.0.0.1");
        assertDenied("full-width metadata", "no private destinations", "169.254.169.254");
        assertThat(trap.total()).as("requests that reached the trap proxy").isZero();
    }

    @Test
    void s9LoopbackInDisguiseIsSeenForWhatItIs() {
        assertDenied("decimal loopback", "loopback by name only", "127.0.0.1");
        assertDenied("hex loopback", "loopback by name only", "127.0.0.1");
        // 0177 is 127 to inet_aton and 177 to the JDK, which the client connects through: neither, refused as malformed.
        assertDenied("octal short loopback", "malformed requests", "0177.1");
        assertDenied("upper-case hex with trailing dot", "loopback by name only", "127.0.0.1");
        assertDenied("mapped IPv6 loopback", "loopback by name only", "127.0.0.1");
        assertDenied("circled-digit loopback", "loopback by name only", "127.0.0.1");
        for (String path : List.of("/api/decimal", "/api/hex", "/api/octal", "/api/hex-dot", "/api/mapped", "/api/circled")) {
            assertThat(api.requests(path)).as(path).isZero();
        }
    }

    @Test
    void s9InternationalisedNamesAreDecidedInPunycodeWhicheverClientParsedThem() {
        assertDenied("unicode name via okhttp", "default-deny", "xn--e1afmkfd.xn--80akhbyknj4f");
        assertDenied("unicode name via huc", "default-deny", "xn--e1afmkfd.xn--80akhbyknj4f");
        assertDenied("non-ASCII host", "default-deny", "xn--bcher-kva.example");
    }

    @Test
    void s9UserinfoDoesNotDisguiseTheRealHost() {
        assertDenied("userinfo via jdk", "default-deny", "evil.warden.test");
        assertDenied("userinfo via huc", "default-deny", "evil.warden.test");
        assertThat(receiptFor("userinfo via jdk").summary()).containsEntry("url.userinfo", "true");
        assertThat(trap.total()).isZero();
    }

    @Test
    void s9LoopbackPortsOffTheAllowListAreRefused() {
        assertDenied("loopback port off the allow-list", "default-deny", "localhost");
        assertThat(trap.total()).isZero();
    }

    @Test
    void s9AnAllowListedNameThatResolvesToLoopbackIsRefusedAtConnect() {
        assertThat(steps.result(host, "rebinding via okhttp")).startsWith("DENIED").contains("denied by DNS rebinding");
        assertThat(steps.result(host, "rebinding via jdk-async")).startsWith("DENIED").contains("denied by DNS rebinding");
        assertThat(api.requests("/api/rebind-okhttp")).isZero();
        assertThat(api.requests("/api/rebind-jdk")).isZero();
        // Found by a tenth review (2026-12-07): the JDK client's pool keyed a plain connection by address alone, and
        // the name took localhost's kept-alive connection with no connect to check (before: then=[status=200 ...]).
        assertThat(steps.result(host, "rebinding on a pooled connection via jdk")).contains("status=200 body=pong /api/pooled-first")
                .contains("then=[DENIED").contains("denied by DNS rebinding");
        assertThat(api.requests("/api/rebind-pooled")).isZero();
        assertThat(receipts).filteredOn(receipt -> "true".equals(receipt.summary().get("net.rebinding")))
                .as(describe(receipts)).hasSize(1 + 2 + 2)
                .allSatisfy(receipt -> {
                    assertThat(receipt.surface()).isEqualTo("net");
                    assertThat(receipt.target()).isEqualTo("api.warden.test");
                    assertThat(receipt.summary()).containsEntry("address.class", "loopback")
                            .containsEntry("http.decided.class", "public");
                });
    }

    @Test
    void rawSocketsAndChannelsAreCaughtByTheNetSurface() throws IOException {
        assertThat(steps.result(host, "socket permitted")).contains("answer=PONG");
        assertThat(steps.result(host, "channel permitted")).contains("answer=PONG");
        assertThat(steps.result(host, "channel adaptor permitted")).contains("answer=PONG");
        assertThat(steps.result(host, "async channel permitted (future)")).contains("answer=PONG");
        assertThat(steps.result(host, "async channel permitted (handler)")).contains("answer=PONG");
        // and Netty's three (nettyOnEveryTransportIsCaughtByTheNetSurface), the proxy selector's outer one
        assertThat(raw.connections()).isEqualTo(5 + 3 + 1);
        assertThat(receipts).filteredOn(receipt -> "async-channel".equals(receipt.summary().get("net.via"))).hasSize(4);
        assertThat(steps.result(host, "socket refused")).contains("denied by default-deny: no rule permits net CONNECT on 127.0.0.1");
        assertThat(steps.result(host, "channel refused")).contains("denied by default-deny: no rule permits net CONNECT on 127.0.0.1");
        assertThat(steps.result(host, "channel adaptor refused")).contains("denied by default-deny: no rule permits net CONNECT on 127.0.0.1");
        assertThat(steps.result(host, "async channel refused (future)"))
                .contains("thrown=java.net.NoRouteToHostException")
                .contains("denied by default-deny: no rule permits net CONNECT on 127.0.0.1");
        assertThat(steps.result(host, "async channel refused (handler)"))
                .contains("thrown=java.net.NoRouteToHostException")
                .contains("denied by default-deny: no rule permits net CONNECT on 127.0.0.1");
        assertThat(rawForbidden.connectionsBeforeNow()).isZero();
        assertThat(steps.result(host, "socket to metadata")).contains("denied by no private destinations");
        assertThat(rawTrap.connections()).isZero();
    }

    @Test
    void requestsSentByCodeAPermittedRequestRunsAreDecidedToo() throws IOException {
        // An OkHttp interceptor (a token refresh, say) sends its own request inside the permitted call.
        assertThat(steps.result(host, "request sent by an interceptor"))
                .startsWith("OK").contains("status=200")
                .contains("nested=[DENIED").contains("denied by default-deny: no rule permits http GET on localhost");
        assertThat(api.requests("/forbidden/nested")).isZero();
        // A proxy selector is asked inside the socket's own connect, and connects somewhere itself.
        assertThat(steps.result(host, "socket opened by a proxy selector"))
                .contains("answer=PONG")
                .contains("inner=[DENIED").contains("denied by default-deny: no rule permits net CONNECT on 127.0.0.1");
        assertThat(rawForbidden.connectionsBeforeNow()).isZero();
    }

    @Test
    void nettyOnEveryTransportIsCaughtByTheNetSurface() throws IOException {
        // NIO goes through SocketChannelImpl; epoll connects in JNI; TCP Fast Open's SYN leaves with sendto.
        assertThat(steps.result(host, "netty nio permitted")).contains("answer=PONG");
        assertThat(steps.result(host, "netty epoll permitted")).contains("answer=PONG");
        assertThat(steps.result(host, "netty fast open permitted")).contains("answer=PONG");
        for (String refused : List.of("netty nio refused", "netty epoll refused", "netty fast open refused",
                "netty fast open refused (composite)")) {
            assertThat(steps.result(host, refused)).as(refused)
                    .startsWith("DENIED")
                    .contains("denied by default-deny: no rule permits net CONNECT on 127.0.0.1");
        }
        // Counted after every connection the kernel completed, accepted or not: a fast-open SYN that
        // slipped out before a later refusal would show here.
        assertThat(rawForbidden.connectionsBeforeNow()).isZero();
        assertThat(receipts).filteredOn(receipt -> "netty-native".equals(receipt.summary().get("net.via"))).hasSize(5);
        assertThat(receipts).filteredOn(receipt -> "channel".equals(receipt.summary().get("net.via"))
                && receipt.summary().get("net.port").equals(String.valueOf(raw.port()))).hasSize(2 + 1); // channel, adaptor; Netty NIO
    }

    @Test
    void badInputIsDecidedRecordedAndRefusedWithoutCrashing() {
        assertThat(steps.result(host, "port out of range")).contains("malformed request: port 70000 out of range");
        assertThat(steps.result(host, "IPv4 part out of range")).contains("malformed request: IPv4 address part out of range");
        assertThat(steps.result(host, "empty label in host")).contains("malformed request: empty or over-long label in host name");
        assertThat(steps.result(host, "percent-encoded host")).contains("malformed request: invalid character in host name");
        assertThat(steps.result(host, "64 KB of headers via jdk")).contains("denied by header floods");
        assertThat(steps.result(host, "64 KB of headers via okhttp")).contains("denied by header floods");
        assertThat(api.requests("/api/headers-jdk") + api.requests("/api/headers-okhttp")).isZero();
        assertThat(receiptFor("64 KB of headers via jdk").summary()).containsEntry("http.header.count", "1000");
        assertThat(trap.total()).isZero();
    }

    @Test
    void receiptsRecordNamesNeverValues() {
        Receipt permitted = receiptFor("permitted okhttp");
        assertThat(permitted.surface()).isEqualTo("http");
        assertThat(permitted.operation()).isEqualTo("GET");
        assertThat(permitted.target()).isEqualTo("localhost");
        assertThat(permitted.summary())
                .containsEntry("url.query.keys", "q,page")
                .containsEntry("address.class", "loopback")
                .containsEntry("http.client", "okhttp");
        assertThat(String.join(" ", permitted.summary().values())).doesNotContain("secret-value");
        assertThat(receiptFor("64 KB of headers via okhttp").summary().get("http.header.names"))
                .startsWith("x-pad-0,x-pad-1,").doesNotContain("vvvv");
    }

    @Test
    void everyDecisionHasExactlyOneReceiptAndPermittedConnectsAreNotDecidedAgain() {
        // Name lookups are actions too (net RESOLVE), made whenever the JDK's cache has no answer: how
        // many depends on timing, so they are counted apart. Only the allow-listed names are looked up.
        List<Receipt> lookups = receipts.stream().filter(EgressEndToEndTest::isLookup).toList();
        assertThat(lookups).isNotEmpty().allSatisfy(lookup -> {
            assertThat(lookup.target()).isIn("localhost", "api.warden.test");
            assertThat(lookup.outcome()).isEqualTo("PERMIT");
        });
        // Netty's native transport is loaded once, a native action of its own (permitted by the pack).
        assertThat(receipts).filteredOn(receipt -> receipt.surface().equals("native"))
                .allSatisfy(load -> assertThat(load.outcome()).isEqualTo("PERMIT"));
        List<Receipt> decisions = receipts.stream()
                .filter(receipt -> !isLookup(receipt) && !receipt.surface().equals("native")).toList();
        assertThat(decisions).as(describe(receipts)).hasSize(steps.expectedDecisions());
        // The only net connects decided are the raw steps' and the three rebinding checks: the connects of
        // every permitted HTTP request, sync or async, rode on their HTTP decision.
        assertThat(decisions).filteredOn(receipt -> receipt.surface().equals("net")).hasSize(20 + 3 + 2);
        assertThat(receipts).allSatisfy(receipt -> assertThat(receipt.enforced()).isTrue());
    }

    @Test
    void theDenialMessageNamesTheReceiptThatRecordsIt() {
        String receiptId = steps.result(host, "forbidden huc").replaceAll(".*\\(receipt ([0-9a-f-]+)\\)$", "$1");
        assertThat(receipts).anySatisfy(receipt -> {
            assertThat(receipt.id()).isEqualTo(receiptId);
            assertThat(receipt.summary()).containsEntry("url.path", "/forbidden/huc");
        });
    }

    @Test
    void theAuditorsVerifierAcceptsTheReceipts() {
        assertThat(verification.exitCode()).as(verification.output()).isZero();
    }

    private static void assertDenied(String step, String rule, String target) {
        assertThat(steps.result(host, step)).startsWith("DENIED").contains("denied by " + rule);
        assertThat(receiptFor(step).target()).isEqualTo(target);
    }

    private static Receipt receiptFor(String step) {
        String id = steps.result(host, step).replaceAll(".*\\(receipt ([0-9a-f-]+)\\)$", "$1");
        if (!steps.result(host, step).startsWith("DENIED")) {
            String path = steps.instruction(step).replaceAll("^[^|]+\\|[^|]+\\|[a-z]+://[^/]+", "").replaceAll("[?|].*", "");
            return receiptsFor(path).get(0);
        }
        return receipts.stream().filter(receipt -> receipt.id().equals(id)).findFirst()
                .orElseThrow(() -> new AssertionError("no receipt " + id + " for " + step));
    }

    private static boolean isLookup(Receipt receipt) {
        return receipt.surface().equals("net") && receipt.operation().equals("RESOLVE");
    }

    private static String describe(List<Receipt> receipts) {
        StringBuilder out = new StringBuilder();
        for (Receipt receipt : receipts) {
            out.append(receipt.surface()).append(' ').append(receipt.operation()).append(' ').append(receipt.target())
                    .append(' ').append(receipt.outcome()).append(' ').append(receipt.summary().get("http.client"))
                    .append(' ').append(receipt.summary().get("url.path")).append('\n');
        }
        return out.toString();
    }

    private static List<Receipt> receiptsFor(String path) {
        return receipts.stream().filter(receipt -> path.equals(receipt.summary().get("url.path"))).toList();
    }

    /** The host's steps by name, in order, with how many decisions each makes. */
    static final class Steps {
        private final Map<String, String> instructions = new LinkedHashMap<>();
        private final Map<String, Integer> decisions = new LinkedHashMap<>();

        void add(String name, String instruction, int decisionCount) {
            instructions.put(name, instruction);
            decisions.put(name, decisionCount);
        }

        List<String> instructions() {
            return new ArrayList<>(instructions.values());
        }

        String instruction(String name) {
            return instructions.get(name);
        }

        int expectedDecisions() {
            return decisions.values().stream().mapToInt(Integer::intValue).sum();
        }

        String result(HostJvm.Result host, String name) {
            int index = new ArrayList<>(instructions.keySet()).indexOf(name);
            if (index < 0) {
                throw new IllegalArgumentException("no step " + name);
            }
            return host.step(index);
        }
    }
}
