package dev.warden.e2e.adversary;

import dev.warden.e2e.host.adversary.GrantsHost;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.MethodSource;

import java.nio.file.Path;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Issue 11, class 3 (scenario S13): a grant covers exactly what was decided. After the GET the
 * policy permits, nothing else reaches the API's host:port on the strength of that decision (a raw
 * socket's or NIO channel's POST, a connection that turns into a POST after its connect was
 * decided, an OkHttp or Apache 5 (classic or async) interceptor's or exec-chain handler's rewrite
 * into another method or path, after the decision), no other address
 * passes for the granted one (127.0.0.2 calling itself 127.0.0.1, 127.0.0.3 as it is), and no proxy
 * endpoint is connected to without a decision of its own (SOCKS for sockets, HttpURLConnection and
 * OkHttp; HTTP proxies for HttpURLConnection and the JDK client), and no request rides on the permitted GET's
 * pooled connection by a head that frames another body than the client writes (every client: an application's
 * {@code Content-Length} on a bodiless GET, an unframed body, a {@code Transfer-Encoding} of its own).
 */
class GrantsCoverOnlyWhatWasDecidedEndToEndTest {

    static final List<String> TECHNIQUES = List.of(
            "raw-socket-post-after-get",
            "socketchannel-post-after-get",
            "spoofed-hostname-other-address",
            "literal-grant-other-address",
            "socks-proxy-socket",
            "socks-proxy-url-connection",
            "okhttp-socks-proxy",
            "http-proxy-url-connection",
            "jdk-client-http-proxy",
            "huc-get-becomes-post",
            "okhttp-app-interceptor-post",
            "okhttp-app-interceptor-path",
            "okhttp-network-interceptor-post",
            "okhttp-app-interceptor-other-port",
            "apache5-exec-handler-post",
            "apache5-request-interceptor-path",
            "apache5-async-exec-handler-post",
            "apache5-async-request-interceptor-path",
            "okhttp-framing-length-on-get",
            "apache4-framing-length-on-get",
            "apache4-framing-unframed-body",
            "apache5-framing-interceptor-length",
            "apache5-async-framing-interceptor-length",
            "jdk-client-framing-length-on-get",
            "jdk-client-framing-transfer-encoding",
            "huc-framing-length-on-get",
            "apache4-framing-spaced-length-name",
            "apache5-framing-spaced-length-name",
            "okhttp-framing-colon-in-length-name",
            "huc-framing-spaced-length-name");

    /** The techniques whose head frames another body than the one written; those that send a second GET after it. */
    private static final List<String> FRAMING = TECHNIQUES.stream().filter(technique -> technique.contains("-framing-")).toList();
    private static final List<String> FRAMING_THEN_A_SECOND_GET = List.of("okhttp-framing-length-on-get", "apache4-framing-length-on-get",
            "apache5-framing-interceptor-length", "apache5-async-framing-interceptor-length", "jdk-client-framing-length-on-get",
            "huc-framing-length-on-get", "apache4-framing-spaced-length-name", "apache5-framing-spaced-length-name",
            "okhttp-framing-colon-in-length-name", "huc-framing-spaced-length-name");

    private static final List<String> ENDPOINTS = List.of("socks-proxy-socket", "socks-proxy-url-connection",
            "okhttp-socks-proxy", "http-proxy-url-connection", "jdk-client-http-proxy", "okhttp-app-interceptor-other-port");

    @TempDir
    static Path workspace;

    private static final Map<Policy, AdversaryRun> RUNS = new EnumMap<>(Policy.class);

    @BeforeAll
    static void attack() throws Exception {
        for (Policy policy : Policy.values()) {
            AdversaryRun run = AdversaryRun.prepare(policy, workspace, TECHNIQUES)
                    .tcpBesideApi("spoofed-hostname-other-address", "127.0.0.2")
                    .tcpBesideApi("literal-grant-other-address", "127.0.0.3");
            for (String technique : ENDPOINTS) {
                run.tcp(technique);
            }
            RUNS.put(policy, run.run(GrantsHost.class));
        }
    }

    @AfterAll
    static void stopServers() throws Exception {
        for (AdversaryRun run : RUNS.values()) {
            run.close();
        }
    }

    static Stream<Arguments> everyTechniqueUnderEveryPolicy() {
        return Stream.of(Policy.values()).flatMap(policy -> TECHNIQUES.stream().map(technique -> Arguments.of(policy, technique)));
    }

    @ParameterizedTest(name = "{0}: {1}")
    @MethodSource("everyTechniqueUnderEveryPolicy")
    void nothingForbiddenArrives(Policy policy, String technique) throws Exception {
        Verdicts.nothingArrived(RUNS.get(policy), technique);
    }

    @ParameterizedTest
    @EnumSource(Policy.class)
    void theHostTriesEveryTechniqueToTheEnd(Policy policy) {
        Verdicts.hostRanEveryTechnique(RUNS.get(policy), TECHNIQUES);
    }

    @ParameterizedTest
    @EnumSource(Policy.class)
    void everyRefusalHasAReceipt(Policy policy) {
        Verdicts.everyRefusalHasAReceipt(RUNS.get(policy));
    }

    @ParameterizedTest
    @EnumSource(Policy.class)
    void theLogVerifiesAndNoStrayTrafficArrived(Policy policy) {
        Verdicts.theLogVerifiesAndNoStrayTrafficArrived(RUNS.get(policy));
    }

    @ParameterizedTest
    @EnumSource(Policy.class)
    void noPermitOutsideThePolicy(Policy policy) {
        Verdicts.permitsStayWithinThePolicy(RUNS.get(policy));
    }

    @Test
    void thePermittedGetStillArrivesUnderLeastPrivilege() {
        AdversaryRun run = RUNS.get(Policy.LEAST_PRIVILEGE);
        assertThat(run.line("permitted-get")).isEqualTo("OK status=200");
        assertThat(run.api().count("GET", "/api/baseline")).isEqualTo(1);
        // every technique earned its grant first, as an attacker would
        assertThat(run.api().count("GET", "/api/prime")).isEqualTo(TECHNIQUES.size());
    }

    /**
     * A head that frames another body than the client writes is refused before it is written, with a receipt, under a
     * policy that permits the GET it belongs to; the GET sent after it on the same client is served as decided, and
     * nothing else: before, the first GET was served, the second's head split, and a DELETE no decision saw served.
     */
    @ParameterizedTest
    @MethodSource("framingTechniques")
    void aRequestWhoseHeadFramesAnotherBodyIsRefusedAndNothingButTheDecidedRequestsServed(String technique) {
        AdversaryRun run = RUNS.get(Policy.LEAST_PRIVILEGE);
        assertThat(run.line(technique)).as("the host said").contains("first=DENIED warden: denied by warden.fail-closed")
                .contains("does not frame the body").containsPattern("\\(receipt [0-9a-f-]+\\)");
        List<String> served = run.api().arrivals().stream().filter(arrival -> arrival.names(technique)).map(Object::toString).toList();
        assertThat(served).as("what the API served of %s", technique).isEqualTo(FRAMING_THEN_A_SECOND_GET.contains(technique)
                ? List.of("GET /api/decoy/" + technique) : List.of());
    }

    static Stream<String> framingTechniques() {
        return FRAMING.stream();
    }

    @Test
    void underDenyAllNothingArrivesAtAll() {
        assertThat(RUNS.get(Policy.DENY_ALL).api().arrivals()).isEmpty();
    }
}
