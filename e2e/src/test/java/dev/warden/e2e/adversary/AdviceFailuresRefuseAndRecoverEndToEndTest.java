package dev.warden.e2e.adversary;

import dev.warden.e2e.host.adversary.AdviceFailuresHost;
import dev.warden.receipts.Receipt;
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
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Issue 11, class 4 (item 7): advice never leaves the gate off. For each technique the host makes,
 * on one thread, a call whose host objects throw when the advice reads them (a null tool request,
 * model request defaults that throw once, a message whose text throws, an HTTP request whose
 * headers, body publisher or body length throw, also through Apache's async client and OkHttp's
 * {@code enqueue}, and a body length that throws only when the async client's stream commits
 * the request), then an ordinary forbidden call. The first is
 * refused and never reaches the server; the next is decided and recorded, so an advice that left
 * its call-depth frame behind on the thread is caught by the missing receipt.
 */
class AdviceFailuresRefuseAndRecoverEndToEndTest {

    /** Technique → the surface of its calls. */
    static final Map<String, String> TECHNIQUES = new LinkedHashMap<>();

    static {
        TECHNIQUES.put("tool-execute-null-request", "tool");
        TECHNIQUES.put("tool-execute-with-context-null-request", "tool");
        TECHNIQUES.put("model-default-parameters-throw-once", "model");
        TECHNIQUES.put("streaming-model-default-parameters-throw-once", "model");
        TECHNIQUES.put("model-message-tostring-throws", "model");
        TECHNIQUES.put("jdk-httprequest-headers-throw", "http");
        TECHNIQUES.put("jdk-httprequest-bodypublisher-throw", "http");
        TECHNIQUES.put("okhttp-body-contentlength-throws", "http");
        TECHNIQUES.put("apache5-entity-contentlength-throws", "http");
        TECHNIQUES.put("apache4-entity-contentlength-throws", "http");
        // Clients that answer through a future or a callback.
        TECHNIQUES.put("apache5-async-entity-contentlength-throws", "http");
        TECHNIQUES.put("apache5-async-entity-throws-at-write", "http");
        TECHNIQUES.put("okhttp-enqueue-body-contentlength-throws", "http");
    }

    @TempDir
    static Path workspace;

    private static final Map<Policy, AdversaryRun> RUNS = new EnumMap<>(Policy.class);

    @BeforeAll
    static void attack() throws Exception {
        for (Policy policy : Policy.values()) {
            RUNS.put(policy, AdversaryRun.prepare(policy, workspace, List.copyOf(TECHNIQUES.keySet()))
                    .run(AdviceFailuresHost.class));
        }
    }

    @AfterAll
    static void stopServers() throws Exception {
        for (AdversaryRun run : RUNS.values()) {
            run.close();
        }
    }

    static Stream<Arguments> everyTechniqueUnderEveryPolicy() {
        return Stream.of(Policy.values()).flatMap(policy -> TECHNIQUES.keySet().stream().map(technique -> Arguments.of(policy, technique)));
    }

    @ParameterizedTest(name = "{0}: {1}")
    @MethodSource("everyTechniqueUnderEveryPolicy")
    void neitherCallReachesTheServer(Policy policy, String technique) throws Exception {
        Verdicts.nothingArrived(RUNS.get(policy), technique);
    }

    @ParameterizedTest(name = "{0}: {1}")
    @MethodSource("everyTechniqueUnderEveryPolicy")
    void theUnreadableCallIsRefusedAndTheNextOneIsDecidedAndRecorded(Policy policy, String technique) {
        AdversaryRun run = RUNS.get(policy);
        String line = run.line(technique);
        assertThat(line).as("technique %s under %s: the call whose advice reads threw must be refused by Warden",
                technique, policy).startsWith("first=DENIED warden: ");
        List<Receipt> next = nextCallReceipts(run, technique);
        assertThat(next).as("technique %s under %s: the next call on the same thread must be decided and recorded "
                + "(no receipt: the first call left the gate off on its thread); the host said: %s", technique, policy, line)
                .isNotEmpty()
                .allSatisfy(receipt -> assertThat(receipt.outcome()).isNotEqualTo("PERMIT"));
        assertThat(line).as("technique %s under %s", technique, policy).contains("next=DENIED warden: ");
    }

    private static List<Receipt> nextCallReceipts(AdversaryRun run, String technique) {
        switch (TECHNIQUES.get(technique)) {
            case "tool":
                return Verdicts.receiptsFor(run, "tool", AdviceFailuresHost.nextTool(technique));
            case "model":
                return Verdicts.receiptsFor(run, "model", "next-" + technique);
            default:
                return run.receipts().stream().filter(receipt -> receipt.surface().equals("http")
                        && ("/admin/" + technique).equals(receipt.summary().get("url.path"))).toList();
        }
    }

    @ParameterizedTest
    @EnumSource(Policy.class)
    void theHostTriesEveryTechniqueToTheEnd(Policy policy) {
        Verdicts.hostRanEveryTechnique(RUNS.get(policy), List.copyOf(TECHNIQUES.keySet()));
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
    void thePermittedToolStillRunsUnderLeastPrivilegeAndNotUnderDenyAll() {
        assertThat(RUNS.get(Policy.LEAST_PRIVILEGE).line("permitted-tool")).startsWith("RAN result=ran status=200");
        assertThat(RUNS.get(Policy.LEAST_PRIVILEGE).api().count("GET", "/api/effect/permitted-tool/lookup_note")).isEqualTo(1);
        assertThat(RUNS.get(Policy.DENY_ALL).line("permitted-tool")).startsWith("DENIED warden: denied by default-deny");
        assertThat(RUNS.get(Policy.DENY_ALL).api().arrivals()).isEmpty();
    }
}
