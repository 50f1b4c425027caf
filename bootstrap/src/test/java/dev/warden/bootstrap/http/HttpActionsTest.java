package dev.warden.bootstrap.http;

import dev.warden.bootstrap.ActionDeniedException;
import dev.warden.bootstrap.ActionRequest;
import dev.warden.bootstrap.Decision;
import dev.warden.bootstrap.ActionScope;
import dev.warden.bootstrap.TestGate;
import dev.warden.bootstrap.Outcome;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.NoRouteToHostException;
import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * What the gate is asked about a request (its raw parts: describing is the engine's), what is
 * decided again when written, the grants a permitted request leaves, and how a refusal reaches the
 * client. The facts rules see are tested with the enricher, in instrumentation-http.
 */
class HttpActionsTest {

    private final List<ActionRequest> decided = new ArrayList<>();

    @AfterEach
    void uninstall() {
        TestGate.clear();
    }

    private void gateAnswering(Outcome outcome) {
        TestGate.answerAll(outcome, decided);
    }

    @Test
    void theGateIsAskedAboutTheRequestAsTheClientHoldsItWithoutDescribingIt() {
        gateAnswering(Outcome.PERMIT);
        OutboundRequest request = OutboundRequest.of("test", "post", URI.create("https://user:pw@API.example.com./v1/x?token=s3cret&page=2"),
                List.of("Authorization", "X-Trace"), 12, false);

        assertThat(refusalFor(request)).isNull();

        ActionRequest action = decided.get(0);
        assertThat(action.surface()).isEqualTo("http");
        assertThat(action.operation()).as("the enricher's to say").isNull();
        assertThat(action.target()).isNull();
        assertThat(action.attributes()).containsOnlyKeys(OutboundRequest.ATTRIBUTE);
        assertThat(action.attribute(OutboundRequest.ATTRIBUTE)).isEqualTo(request);
    }

    @Test
    void theRequestCopiesItsHeaderNamesAndNeverPrintsItsQuery() {
        List<String> names = new ArrayList<>(List.of("Accept"));
        OutboundRequest request = new OutboundRequest("test", "GET", "http", "h", 80, "/", "token=s3cret", false, names, -1, false);
        names.add("Cookie");

        assertThat(request.headerNames()).containsExactly("Accept");
        assertThat(request.action().toString()).doesNotContain("s3cret").contains("query=12 chars");
    }

    @Test
    void theSameRequestSentAgainIsTheSameActionEveryVisiblePartMakesAnother() {
        gateAnswering(Outcome.PERMIT);
        OutboundRequest request = new OutboundRequest("test", "GET", "http", "api.example.com", 80, "/v1", "a=1", false,
                List.of("Accept"), -1, false);
        List<OutboundRequest> variants = List.of(
                new OutboundRequest("other", "GET", "http", "api.example.com", 80, "/v1", "a=1", false, List.of("Accept"), -1, false),
                new OutboundRequest("test", "PUT", "http", "api.example.com", 80, "/v1", "a=1", false, List.of("Accept"), -1, false),
                new OutboundRequest("test", "GET", "https", "api.example.com", 80, "/v1", "a=1", false, List.of("Accept"), -1, false),
                new OutboundRequest("test", "GET", "http", "api.example.org", 80, "/v1", "a=1", false, List.of("Accept"), -1, false),
                new OutboundRequest("test", "GET", "http", "api.example.com", 81, "/v1", "a=1", false, List.of("Accept"), -1, false),
                new OutboundRequest("test", "GET", "http", "api.example.com", 80, "/v2", "a=1", false, List.of("Accept"), -1, false),
                new OutboundRequest("test", "GET", "http", "api.example.com", 80, "/v1", "b=1", false, List.of("Accept"), -1, false),
                new OutboundRequest("test", "GET", "http", "api.example.com", 80, "/v1", "a=1", true, List.of("Accept"), -1, false),
                new OutboundRequest("test", "GET", "http", "api.example.com", 80, "/v1", "a=1", false, List.of("Cookie"), -1, false),
                new OutboundRequest("test", "GET", "http", "api.example.com", 80, "/v1", "a=1", false, List.of("Accept"), 5, false),
                new OutboundRequest("test", "GET", "http", "api.example.com", 80, "/v1", "a=1", false, List.of("Accept"), -1, true),
                // The same characters, split differently between path and query.
                new OutboundRequest("test", "GET", "http", "api.example.com", 80, "/v1a=1", null, false, List.of("Accept"), -1, false));

        refusalFor(request);
        refusalFor(new OutboundRequest("test", "GET", "http", "api.example.com", 80, "/v1", "a=1", false,
                List.of("Accept"), -1, false));
        variants.forEach(HttpActionsTest::refusalFor);

        assertThat(decided.get(1)).isEqualTo(decided.get(0)).hasSameHashCodeAs(decided.get(0));
        for (ActionRequest variant : decided.subList(2, decided.size())) {
            assertThat(variant).isNotEqualTo(decided.get(0));
        }
    }

    @Test
    void aRequestTargetIsSplitIntoPathAndQuery() {
        OutboundRequest withQuery = OutboundRequest.ofRequestTarget("test", "GET", "http", "h", 80, "/v1/x?page=2&q",
                false, List.of(), -1, false);
        OutboundRequest withoutQuery = OutboundRequest.ofRequestTarget("test", "GET", "http", "h", 80, "/v1/x",
                false, List.of(), -1, false);

        assertThat(withQuery.path()).isEqualTo("/v1/x");
        assertThat(withQuery.query()).isEqualTo("page=2&q");
        assertThat(withoutQuery.path()).isEqualTo("/v1/x");
        assertThat(withoutQuery.query()).isNull();
    }

    @Test
    void aRefusalIsAnIoExceptionCarryingTheDecision() {
        gateAnswering(Outcome.DENY);
        IOException refusal = refusalFor(OutboundRequest.of("test", "GET", URI.create("http://10.0.0.1/"), List.of(), -1, false));

        assertThat(refusal).isInstanceOf(NoRouteToHostException.class)
                .hasMessage("warden: denied by rule: because (receipt receipt-1)")
                .cause().isInstanceOf(ActionDeniedException.class);
    }

    @Test
    void theSameRequestWrittenAsDecidedIsNotDecidedAgain() {
        gateAnswering(Outcome.PERMIT);
        Object call = new Object();
        OutboundRequest request = new OutboundRequest("okhttp", "GET", "http", "api.example.com", -1, "/v1", "a=1", false,
                List.of("Accept"), -1, false);
        decideFor(call, request);

        // Spelled differently, with the headers a client adds before it writes: the same on the wire.
        assertThat(HttpActions.refusalForWrite(call, new OutboundRequest("okhttp", "get", "HTTP", "API.example.com", 80, "/v1", "a=1",
                false, List.of("Accept", "Host", "User-Agent"), -1, false))).isNull();
        assertThat(HttpActions.refusalForWrite(call, "GET", "/v1?a=1")).isNull();

        assertThat(decided).hasSize(1);
    }

    @Test
    void whatIsWrittenIsDecidedAgainWhenItIsNotWhatWasDecided() {
        gateAnswering(Outcome.SILENCE);
        OutboundRequest request = new OutboundRequest("okhttp", "GET", "http", "api.example.com", 80, "/v1", "a=1", false,
                List.of(), -1, false);
        List<OutboundRequest> rewritten = List.of(
                new OutboundRequest("okhttp", "POST", "http", "api.example.com", 80, "/v1", "a=1", false, List.of(), -1, false),
                new OutboundRequest("okhttp", "GET", "https", "api.example.com", 80, "/v1", "a=1", false, List.of(), -1, false),
                new OutboundRequest("okhttp", "GET", "http", "api.example.org", 80, "/v1", "a=1", false, List.of(), -1, false),
                new OutboundRequest("okhttp", "GET", "http", "api.example.com", 81, "/v1", "a=1", false, List.of(), -1, false),
                new OutboundRequest("okhttp", "GET", "http", "api.example.com", 80, "/admin", "a=1", false, List.of(), -1, false),
                new OutboundRequest("okhttp", "GET", "http", "api.example.com", 80, "/v1", "a=2", false, List.of(), -1, false),
                new OutboundRequest("okhttp", "GET", "http", "api.example.com", 80, "/v1", "a=1", true, List.of(), -1, false),
                new OutboundRequest("okhttp", "GET", "http", "api.example.com", 80, "/v1", "a=1", false, List.of(), 4, false));
        for (OutboundRequest written : rewritten) {
            Object call = new Object();
            gateAnswering(Outcome.PERMIT);
            decideFor(call, request);
            decided.clear();
            gateAnswering(Outcome.SILENCE);

            assertThat(HttpActions.refusalForWrite(call, written)).as(written.toString()).isInstanceOf(NoRouteToHostException.class);
            assertThat(decided).singleElement().satisfies(action -> assertThat(action.attribute(OutboundRequest.ATTRIBUTE)).isEqualTo(written));
        }
    }

    @Test
    void theHeaderValuesDecidedMustBeTheOnesWrittenTheClientsOwnHeadersAside() {
        gateAnswering(Outcome.PERMIT);
        OutboundRequest request = new OutboundRequest("okhttp", "GET", "http", "api.example.com", -1, "/pay", null, false,
                List.of("X-Amount", "X-Note"), -1, false);
        List<String> decidedLines = List.of("X-Amount", "5", "X-Note", "rent");
        Object call = new Object();
        decideFor(call, request, RequestHeaders.digest(decidedLines));
        decided.clear();

        // The same values, respelled and with the client's own headers under other names: written as decided.
        assertThat(HttpActions.refusalForWrite(call, request, null, List.of("host", "api.example.com", "x-note", "rent",
                "X-AMOUNT", "5", "User-Agent", "okhttp/4", "traceparent", "00-1-2-01"))).isNull();
        assertThat(HttpActions.refusalForWrite(call, "GET", "/pay", null, List.of("X-Amount", "5", "X-Note", "rent", "Host", "api.example.com"))).isNull();
        assertThat(decided).isEmpty();

        // Another value of a header decided (an interceptor's), one added to it (a cookie store's), one removed.
        for (List<String> written : List.of(List.of("X-Amount", "500000", "X-Note", "rent"),
                List.of("X-Amount", "5", "X-Amount", "500000", "X-Note", "rent"), List.of("X-Note", "rent", "Host", "api.example.com"))) {
            decided.clear();
            gateAnswering(Outcome.SILENCE);
            assertThat(HttpActions.refusalForWrite(call, request, null, written)).as(written.toString()).isInstanceOf(NoRouteToHostException.class);
            assertThat(decided).singleElement().satisfies(action ->
                    assertThat(action.binding()).as("the values written are bound").isEqualTo(RequestHeaders.binding(null, RequestHeaders.digest(written))));
        }
    }

    @Test
    void aRequestDecidedAgainAsWrittenBindsTheHeaderValuesItWrites() {
        gateAnswering(Outcome.PERMIT);
        Object call = new Object();
        decideFor(call, new OutboundRequest("okhttp", "GET", "http", "api.example.com", -1, "/pay", null, false,
                List.of("X-Amount"), -1, false), RequestHeaders.digest(List.of("X-Amount", "5")));
        decided.clear();
        OutboundRequest post = new OutboundRequest("okhttp", "POST", "http", "api.example.com", -1, "/pay", null, false,
                List.of("X-Amount"), -1, false);

        assertThat(HttpActions.refusalForWrite(call, post, null, List.of("X-Amount", "500000"))).isNull();
        assertThat(HttpActions.refusalForWrite(new Object(), post, null, List.of("X-Amount", "5"))).isNull();

        assertThat(decided).hasSize(2);
        assertThat(decided.get(0).binding()).isNotEqualTo(decided.get(1).binding())
                .isEqualTo(RequestHeaders.binding(null, RequestHeaders.digest(List.of("X-Amount", "500000"))));
        // Written again as it was decided the second time: not decided a third.
        assertThat(HttpActions.refusalForWrite(call, post, null, List.of("x-amount", "500000", "Content-Length", "0"))).isNull();
        assertThat(decided).hasSize(2);
    }

    @Test
    void aHostHeaderAskingForAnotherHostOrPortThanTheWrittenRequestsIsRefusedWithAReceipt() {
        gateAnswering(Outcome.PERMIT);
        OutboundRequest request = new OutboundRequest("okhttp", "GET", "http", "127.0.0.1", 8080, "/api/x", null, false,
                List.of("Host"), -1, false);
        Object call = new Object();
        decideFor(call, request);
        for (List<String> asked : List.of(List.of("Host", "internal.example"), List.of("host", "127.0.0.1:9090"),
                List.of("Host", "127.0.0.1"), List.of("Host", "127.0.0.1:8080", "Host", "internal.example"),
                List.of("Host", "127.0.0.1:80a"), List.of("Host", ""))) {
            decided.clear();
            IOException refusal = HttpActions.refusalForWrite(call, request, null, asked);
            assertThat(refusal).as(asked.toString()).isInstanceOf(NoRouteToHostException.class).hasMessageContaining("127.0.0.1:8080");
            assertThat(decided).as("a receipt, whatever the policy").singleElement().satisfies(action ->
                    assertThat(action.attributes()).containsKey(Decision.UNREADABLE_ATTRIBUTE));
        }
        decided.clear();
        for (List<String> asked : List.of(List.of("Host", "127.0.0.1:8080"), List.of("host", " 127.0.0.1:8080 "), List.of("X-Note", "a"))) {
            assertThat(HttpActions.refusalForWrite(call, request, null, asked)).as(asked.toString()).isNull();
        }
        OutboundRequest https = new OutboundRequest("okhttp", "GET", "https", "API.example.com", -1, "/", null, false, List.of(), -1, false);
        decideFor(call, https);
        assertThat(HttpActions.refusalForWrite(call, https, null, List.of("Host", "api.example.com."))).as("the default port").isNull();
        assertThat(HttpActions.refusalForWrite(call, https, null, List.of("Host", "api.example.com:443"))).isNull();
        OutboundRequest v6 = new OutboundRequest("okhttp", "GET", "http", "::1", 8080, "/", null, false, List.of(), -1, false);
        decideFor(call, v6);
        assertThat(HttpActions.refusalForWrite(call, v6, null, List.of("Host", "[::1]:8080"))).isNull();
    }

    /** A ninth review: {@code HttpURLConnection}'s and the JDK client's own {@code Host} values, read where they are. */
    @Test
    void aHostTheJdkClientsWriteUnderAllowRestrictedHeadersIsComparedToo() {
        gateAnswering(Outcome.PERMIT);
        OutboundRequest request = new OutboundRequest("http-url-connection", "GET", "http", "127.0.0.1", 8080, "/api/x",
                null, false, List.of(), -1, false);
        for (List<String> asked : List.of(List.of("internal.example"), List.of("127.0.0.1:9090"), List.of("127.0.0.1:8080", "127.0.0.1:8080"))) {
            decided.clear();
            assertThat(HttpActions.refusalOfAskedHostIn(request, asked)).as(asked.toString())
                    .isInstanceOf(NoRouteToHostException.class).hasMessageContaining("127.0.0.1:8080");
            assertThat(decided).as("a receipt, whatever the policy").singleElement().satisfies(action ->
                    assertThat(action.attributes()).containsKey(Decision.UNREADABLE_ATTRIBUTE));
        }
        decided.clear();
        assertThat(HttpActions.refusalOfAskedHostIn(request, List.of())).isNull();
        assertThat(HttpActions.refusalOfAskedHostIn(request, List.of("127.0.0.1:8080"))).isNull();
        assertThat(decided).isEmpty();
    }

    /** A ninth review: Apache 5 writes an application's raw path, an absolute form naming another host included. */
    @Test
    void aRequestTargetInAbsoluteFormNamingAnotherHostThanTheWrittenRequestsIsRefusedWithAReceipt() {
        gateAnswering(Outcome.PERMIT);
        Object call = new Object();
        for (String target : List.of("http://internal.example/api/x", "http://127.0.0.1:9090/api/x", "https://127.0.0.1/api/x")) {
            OutboundRequest written = new OutboundRequest("apache-httpclient5", "GET", "http", "127.0.0.1", 8080, target,
                    null, false, List.of(), -1, false);
            decideFor(call, written);
            decided.clear();
            assertThat(HttpActions.refusalForWrite(call, written, null, List.of())).as(target)
                    .isInstanceOf(NoRouteToHostException.class).hasMessageContaining("absolute form").hasMessageContaining("127.0.0.1:8080");
            assertThat(decided).singleElement().satisfies(action ->
                    assertThat(action.attributes()).containsKey(Decision.UNREADABLE_ATTRIBUTE));
        }
        // The copy a client makes for a plain HTTP proxy names the request's own host.
        OutboundRequest proxied = new OutboundRequest("apache-httpclient5", "GET", "http", "127.0.0.1", 8080,
                "http://127.0.0.1:8080/api/x", null, false, List.of(), -1, false);
        decideFor(call, proxied);
        decided.clear();
        assertThat(HttpActions.refusalForWrite(call, proxied, null, List.of())).isNull();
        assertThat(decided).isEmpty();
    }

    @Test
    void aRequestLineInAbsoluteFormNamesItsDestination() {
        gateAnswering(Outcome.PERMIT);
        Object request = new Object();
        OutboundRequest asDecided = new OutboundRequest("apache-httpclient4", "GET", "http", "api.example.com", 8080, "/v1",
                "a=1", false, List.of("Accept"), -1, false);
        decideFor(request, asDecided);

        // As written to a plain HTTP proxy: the same request.
        assertThat(HttpActions.refusalForWrite(request, "GET", "http://api.example.com:8080/v1?a=1")).isNull();
        assertThat(decided).hasSize(1);

        // Another destination in the request line is decided as that destination.
        gateAnswering(Outcome.SILENCE);
        assertThat(HttpActions.refusalForWrite(request, "GET", "http://metadata.internal/v1?a=1")).isInstanceOf(NoRouteToHostException.class);
        assertThat(decided.get(1).attribute(OutboundRequest.ATTRIBUTE)).isEqualTo(new OutboundRequest("apache-httpclient4", "GET",
                "http", "metadata.internal", -1, "/v1", "a=1", false, List.of("Accept"), -1, false));
    }

    @Test
    void aRequestAskingItsServerForAnotherHostThanDecidedIsRefusedWithAReceipt() {
        gateAnswering(Outcome.PERMIT);
        Object request = new Object();
        decideFor(request, new OutboundRequest("apache-httpclient4", "GET", "http", "127.0.0.1", 18081, "/api/x", null, false,
                List.of(), -1, false));

        // Apache 4: execute(new HttpHost("127.0.0.1", 18081), new HttpGet("http://evil.example/api/x")) writes
        // "GET /api/x" to 127.0.0.1:18081 with "Host: evil.example".
        IOException refusal = HttpActions.refusalForWrite(request, "GET", "/api/x", "http", "evil.example", -1, null);

        assertThat(refusal).isInstanceOf(NoRouteToHostException.class).hasMessageContaining("evil.example:80")
                .hasMessageContaining("127.0.0.1:18081");
        assertThat(decided).hasSize(2).last().satisfies(action -> assertThat(action.attributes())
                .containsKey(Decision.UNREADABLE_ATTRIBUTE));
        assertThat(HttpActions.refusalForWrite(request, "GET", "/api/x", "http", "127.0.0.1", 80, null)).as("another port")
                .isInstanceOf(NoRouteToHostException.class);
        assertThat(HttpActions.refusalForWrite(request, "GET", "/api/x", null, "127.0.0.2", -1, null)).as("a virtual host")
                .isInstanceOf(NoRouteToHostException.class);
        assertThat(decided).hasSize(4);
    }

    @Test
    void aRequestAskingForTheHostItWasDecidedForIsWrittenAsDecided() {
        gateAnswering(Outcome.PERMIT);
        Object request = new Object();
        decideFor(request, new OutboundRequest("apache-httpclient4", "GET", "http", "localhost", 8080, "/api/x", null, false,
                List.of(), -1, false));

        assertThat(HttpActions.refusalForWrite(request, "GET", "/api/x", "http", "LOCALHOST.", 8080, null)).isNull();
        assertThat(HttpActions.refusalForWrite(request, "GET", "/api/x", null, "localhost", -1, null)).as("the route's port").isNull();
        assertThat(HttpActions.refusalForWrite(request, "GET", "/api/x", null, null, -1, null)).as("asks for nothing").isNull();
        assertThat(decided).as("no decision but the first").hasSize(1);
    }

    @Test
    void aWrittenRequestLineNoDecisionCoversIsDecided() {
        gateAnswering(Outcome.SILENCE);
        assertThat(HttpActions.refusalForWrite(new Object(), "POST", "/admin")).isInstanceOf(NoRouteToHostException.class);
        assertThat(decided).singleElement().satisfies(action -> assertThat(action.attribute(OutboundRequest.ATTRIBUTE))
                .isEqualTo(new OutboundRequest("unknown", "POST", null, null, -1, "/admin", null, false, List.of(), -1, false)));
    }

    @Test
    void aHeadThatDoesNotFrameItsBodyIsRefusedWithAReceiptWhateverThePolicy() {
        gateAnswering(Outcome.PERMIT);

        IOException refusal = HttpActions.refusalOfFraming(MessageFraming.ofHead(List.of("36"), List.of(), MessageFraming.NO_BODY));

        assertThat(refusal).isInstanceOf(NoRouteToHostException.class).hasMessageContaining("Content-Length: 36 on a request with no body")
                .cause().isInstanceOf(ActionDeniedException.class);
        assertThat(decided).singleElement().satisfies(action -> assertThat(String.valueOf(action.attribute(Decision.UNREADABLE_ATTRIBUTE)))
                .contains("does not frame the body"));
        assertThat(((ActionDeniedException) refusal.getCause()).decision().rules()).containsExactly("warden.fail-closed");
    }

    @Test
    void aHeadThatFramesItsBodyAsksNothing() {
        gateAnswering(Outcome.DENY);
        assertThat(HttpActions.refusalOfFraming(MessageFraming.ofHead(List.of("5"), List.of(), 5))).isNull();
        AtomicReference<IOException> internal = new AtomicReference<>();
        TestGate.capability().runInternally(() -> internal.set(HttpActions.refusalOfFraming("Content-Length: 36 on a request with no body")));
        assertThat(internal.get()).as("Warden's own requests").isNull();
        assertThat(decided).isEmpty();
    }

    @Test
    void aFramingRefusedInTheScopeOfTheDecidingCallIsThatCallsDecision() {
        gateAnswering(Outcome.PERMIT);
        ActionScope scope = ActionScope.enter(HttpActions.SURFACE);
        try {
            IOException refusal = HttpActions.refusalOfFraming(scope, "a Transfer-Encoding of the application's");
            assertThat(refusal).isInstanceOf(NoRouteToHostException.class).hasMessageContaining("Transfer-Encoding");
            assertThat(scope.decision().blocks()).isTrue();
            assertThat(HttpActions.refusalOfFraming(scope, null)).isNull();
        } finally {
            scope.exit();
        }
        assertThat(decided).hasSize(1);
    }

    @Test
    void aPermittedRequestGrantsOneConnectToItsClientsCodeOnly() throws Exception {
        gateAnswering(Outcome.PERMIT);
        refusalFor(new OutboundRequest("okhttp", "GET", "http", "LOCALHOST.", 8123, "/", null, false, List.of(), -1, false));
        Host host = Host.of("localhost");
        InetAddress loopback = InetAddress.getLoopbackAddress();

        assertThat(ConnectGrants.take(host, 8123, loopback, AddressClass.LOOPBACK, "com.example.Agent")).as("a raw socket of the host's").isNull();
        assertThat(ConnectGrants.take(host, 8124, loopback, AddressClass.LOOPBACK, "okhttp3.internal.platform.Platform")).as("another port").isNull();
        assertThat(ConnectGrants.take(host, 8123, loopback, AddressClass.LOOPBACK, "okhttp3.internal.platform.Platform")).as("the client's connect").isNotNull();
        assertThat(ConnectGrants.take(host, 8123, loopback, AddressClass.LOOPBACK, "okhttp3.internal.platform.Platform")).as("a second connect").isNull();
    }

    @Test
    void aBurstOfRequestsDecidedBeforeAnyConnectsGetsAConnectEach() {
        gateAnswering(Outcome.PERMIT);
        int burst = 100; // jmh/sessions.sh's 100 sessions opening their first connection at once
        for (int i = 0; i < burst; i++) {
            refusalFor(new OutboundRequest("http-url-connection", "GET", "http", "127.0.0.1", 8127, "/api/" + i, null,
                    false, List.of(), -1, false));
        }
        Host host = Host.of("127.0.0.1");
        InetAddress loopback = InetAddress.getLoopbackAddress();

        for (int i = 0; i < burst; i++) {
            assertThat(ConnectGrants.take(host, 8127, loopback, AddressClass.LOOPBACK, "sun.net.www.http.HttpClient")).as("connect " + i).isNotNull();
        }
        assertThat(ConnectGrants.take(host, 8127, loopback, AddressClass.LOOPBACK, "sun.net.www.http.HttpClient")).as("one more").isNull();
    }

    @Test
    void destinationsWithNothingLeftToTakeMakeRoomAndALiveGrantStays() throws Exception {
        gateAnswering(Outcome.PERMIT);
        InetAddress somewhere = InetAddress.getByAddress("live.example", new byte[] {93, (byte) 184, (byte) 216, 34});
        refusalFor(new OutboundRequest("okhttp", "GET", "https", "live.example", 8200, "/", null, false, List.of(), -1, false));
        for (int i = 0; i <= ConnectGrants.MAX_DESTINATIONS; i++) { // a crawler: each host once, its connect made
            Host host = Host.of("host-" + i + ".example");
            refusalFor(new OutboundRequest("okhttp", "GET", "https", host.name(), 8201, "/", null, false, List.of(), -1, false));
            assertThat(ConnectGrants.take(host, 8201, somewhere, AddressClass.PUBLIC, "okhttp3.internal.platform.Platform")).isNotNull();
        }

        assertThat(ConnectGrants.take(Host.of("live.example"), 8200, somewhere, AddressClass.PUBLIC,
                "okhttp3.internal.platform.Platform")).as("the request still in flight keeps its connect").isNotNull();
    }

    @Test
    void aPublicNameThatConnectsInsideIsReportedAsRebindingEveryTimeItIsTried() throws Exception {
        gateAnswering(Outcome.PERMIT);
        refusalFor(new OutboundRequest("okhttp", "GET", "http", "rebind.example", 8124, "/", null, false, List.of(), -1, false));
        InetAddress inside = InetAddress.getByAddress("rebind.example", new byte[] {127, 0, 0, 1});

        for (int attempt = 0; attempt < 2; attempt++) { // a client's retry is judged like its first try
            assertThat(ConnectGrants.take(Host.of("rebind.example"), 8124, inside, AddressClass.LOOPBACK,
                    "okhttp3.internal.platform.Platform")).satisfies(grant -> {
                assertThat(grant.rebinding()).isTrue();
                assertThat(grant.decided()).isEqualTo(AddressClass.PUBLIC);
            });
        }
    }

    @Test
    void aRequestDecidedForItsRoutesTargetAsksThatServerForNoOtherHost() {
        gateAnswering(Outcome.PERMIT);
        Object carrier = new Object();
        decideFor(carrier, new OutboundRequest("apache-httpclient5", "GET", "http", "127.0.0.1", 8141, "/api/x", null, false, List.of(), -1, false));

        assertThat(HttpActions.refusalOfAnotherAuthority(carrier, new OutboundRequest("apache-httpclient5", "GET", "http", "evil.example", -1,
                "/api/x", null, false, List.of(), -1, false))).isNotNull().hasMessageContaining("evil.example:80, not for 127.0.0.1:8141");
        assertThat(HttpActions.refusalOfAnotherAuthority(carrier, new OutboundRequest("apache-httpclient5", "GET", "http", "127.0.0.1", 8142,
                "/api/x", null, false, List.of(), -1, false))).as("another port").isNotNull();
        assertThat(HttpActions.refusalOfAnotherAuthority(carrier, new OutboundRequest("apache-httpclient5", "GET", "http", "127.0.0.1", 8141,
                "/api/x", null, false, List.of(), -1, false))).as("the target itself").isNull();
        assertThat(HttpActions.refusalOfAnotherAuthority(new Object(), new OutboundRequest("apache-httpclient5", "GET", "http", "evil.example", -1,
                "/api/x", null, false, List.of(), -1, false))).as("a request no decision was made for: decided as written").isNull();
    }

    @Test
    void anAddressOfThisMachineReachesThisHostWhateverItsRange() throws Exception {
        InetAddress own = null;
        InetAddress broadcast = null;
        for (java.net.NetworkInterface network : java.util.Collections.list(java.net.NetworkInterface.getNetworkInterfaces())) {
            for (java.net.InterfaceAddress address : network.getInterfaceAddresses()) {
                if (address.getAddress() instanceof java.net.Inet4Address && AddressClass.of(address.getAddress()) != AddressClass.LOOPBACK
                        && AddressClass.of(address.getAddress()) != AddressClass.LINK_LOCAL && address.getBroadcast() != null) {
                    own = address.getAddress();
                    broadcast = address.getBroadcast();
                }
            }
        }
        // Every machine the suite runs on has one (a container's eth0 included): without it this test would check nothing.
        assertThat(own).as("an IPv4 address of this machine's besides loopback, which this test needs").isNotNull();
        assertThat(AddressClass.reached(broadcast)).as("its network's broadcast " + broadcast.getHostAddress()).isEqualTo(AddressClass.LOOPBACK);
        byte[] mapped = new byte[16];
        mapped[10] = (byte) 0xff;
        mapped[11] = (byte) 0xff;
        System.arraycopy(own.getAddress(), 0, mapped, 12, 4);

        assertThat(AddressClass.reached(own)).as(own.getHostAddress()).isEqualTo(AddressClass.LOOPBACK);
        assertThat(AddressClass.reached(java.net.Inet6Address.getByAddress(null, mapped, -1))).as("::ffff:" + own.getHostAddress())
                .isEqualTo(AddressClass.LOOPBACK);
        assertThat(AddressClass.of(own)).as("its range, as a literal is spelled").isNotEqualTo(AddressClass.LOOPBACK);
        assertThat(AddressClass.reached(InetAddress.getByAddress(new byte[] {93, (byte) 184, (byte) 216, 34}))).isEqualTo(AddressClass.PUBLIC);
        assertThat(AddressClass.reached(InetAddress.getByAddress(new byte[] {(byte) 169, (byte) 254, (byte) 169, (byte) 254})))
                .isEqualTo(AddressClass.LINK_LOCAL);

        gateAnswering(Outcome.PERMIT);
        refusalFor(new OutboundRequest("okhttp", "GET", "http", "own.example", 8130, "/", null, false, List.of(), -1, false));
        assertThat(ConnectGrants.take(Host.of("own.example"), 8130, InetAddress.getByAddress("own.example", own.getAddress()),
                AddressClass.reached(own), "okhttp3.internal.platform.Platform").rebinding()).as("a public name at this machine's address").isTrue();
    }

    @Test
    void aPermittedNameThatResolvesToLoopbackOrLinkLocalIsReportedUnlessItsSpellingSaysSo() throws Exception {
        gateAnswering(Outcome.PERMIT);
        InetAddress metadata = InetAddress.getByAddress("billing.internal", new byte[] {(byte) 169, (byte) 254, (byte) 169, (byte) 254});
        InetAddress loopback = InetAddress.getByAddress("billing.internal", new byte[] {127, 0, 0, 1});
        InetAddress privately = InetAddress.getByAddress("billing.internal", new byte[] {10, 0, 0, 7});
        for (InetAddress inside : List.of(metadata, loopback)) {
            refusalFor(new OutboundRequest("okhttp", "GET", "http", "billing.internal", 8128, "/", null, false, List.of(), -1, false));
            assertThat(ConnectGrants.take(Host.of("billing.internal"), 8128, inside, AddressClass.of(inside),
                    "okhttp3.internal.platform.Platform")).as(inside.getHostAddress()).satisfies(grant -> {
                assertThat(grant.rebinding()).isTrue();
                assertThat(grant.decided()).isEqualTo(AddressClass.PRIVATE);
            });
        }
        assertThat(ConnectGrants.take(Host.of("billing.internal"), 8128, privately, AddressClass.PRIVATE,
                "okhttp3.internal.platform.Platform").rebinding()).as("a private name at a private address").isFalse();

        refusalFor(new OutboundRequest("okhttp", "GET", "http", "localhost", 8129, "/", null, false, List.of(), -1, false));
        refusalFor(new OutboundRequest("okhttp", "GET", "http", "localhost", 8129, "/", null, false, List.of(), -1, false));
        assertThat(ConnectGrants.take(Host.of("localhost"), 8129, InetAddress.getByAddress("localhost", new byte[] {127, 0, 0, 1}),
                AddressClass.LOOPBACK, "okhttp3.internal.platform.Platform").rebinding()).as("localhost at loopback").isFalse();
        assertThat(ConnectGrants.take(Host.of("localhost"), 8129, InetAddress.getByAddress("localhost", metadata.getAddress()),
                AddressClass.LINK_LOCAL, "okhttp3.internal.platform.Platform").rebinding()).as("localhost at link-local").isTrue();

        assertThat(ConnectGrants.contradicts(AddressClass.LOOPBACK, AddressClass.LOOPBACK, true)).isFalse();
        assertThat(ConnectGrants.contradicts(AddressClass.LINK_LOCAL, AddressClass.LINK_LOCAL, true)).as("a literal").isFalse();
        assertThat(ConnectGrants.contradicts(AddressClass.PRIVATE, AddressClass.PUBLIC, false)).isFalse();
    }

    @Test
    void aGrantForALiteralAddressCoversThatAddressOnly() throws Exception {
        gateAnswering(Outcome.PERMIT);
        refusalFor(new OutboundRequest("okhttp", "GET", "http", "127.0.0.1", 8125, "/", null, false, List.of(), -1, false));

        assertThat(ConnectGrants.take(Host.of("127.0.0.1"), 8125, InetAddress.getByAddress(new byte[] {127, 0, 0, 2}),
                AddressClass.LOOPBACK, "okhttp3.internal.platform.Platform")).isNull();
    }

    @Test
    void aConnectFromCodeThatIsNotTheRequestsClientIsDecided() throws Exception {
        gateAnswering(Outcome.PERMIT);
        refusalFor(new OutboundRequest("okhttp", "GET", "http", "localhost", 8126, "/", null, false, List.of(), -1, false));
        decided.clear();
        gateAnswering(Outcome.SILENCE);

        assertThat(connect(new InetSocketAddress("localhost", 8126), "socket")).isInstanceOf(NoRouteToHostException.class);
        assertThat(decided).singleElement().satisfies(connect -> assertThat(connect.surface()).isEqualTo("net"));
    }

    @Test
    void aConnectNoRequestCoveredIsDecided() throws Exception {
        gateAnswering(Outcome.SILENCE);
        assertThat(connect(new InetSocketAddress(InetAddress.getByAddress(new byte[] {(byte) 169, (byte) 254, (byte) 169, (byte) 254}), 80), "socket"))
                .hasMessageContaining("warden: denied");
        assertThat(decided).singleElement().satisfies(connect -> {
            assertThat(connect.operation()).isEqualTo("CONNECT");
            assertThat(connect.target()).isEqualTo("169.254.169.254");
            assertThat(connect.attributes()).containsEntry("address.class", "link-local").containsEntry("net.via", "socket");
        });
    }

    private static IOException refusalFor(OutboundRequest request) {
        ActionScope scope = ActionScope.enter(HttpActions.SURFACE);
        try {
            return HttpActions.refusalFor(scope, request);
        } finally {
            scope.exit();
        }
    }

    private static void decideFor(Object carrier, OutboundRequest request) {
        decideFor(carrier, request, null);
    }

    private static void decideFor(Object carrier, OutboundRequest request, String headers) {
        ActionScope scope = ActionScope.enter(HttpActions.SURFACE);
        try {
            assertThat(HttpActions.refusalFor(scope, request, null, null, headers)).isNull();
            HttpActions.decidedFor(carrier, scope, request);
        } finally {
            scope.exit();
        }
    }

    private static IOException connect(java.net.SocketAddress endpoint, String via) {
        ActionScope scope = ActionScope.enter(NetActions.SURFACE);
        try {
            return NetActions.refusalFor(scope, endpoint, via);
        } finally {
            scope.exit();
        }
    }
}
