package dev.warden.e2e.adversary;

import dev.warden.e2e.host.adversary.WardenSwitchesHost;
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
 * Issue 11, class 1 (scenario S13): Warden's own public classes are not a switch. The host calls
 * the public API of the classes the agent puts on the boot class path (by name, public members only:
 * what code compiled against them could call; never private fields) to replace the engine, mark its
 * thread as Warden's (or run a Warden thread's public {@code run()} on its own), ask Warden's MBeans on the platform MBean server
 * for shadow mode or a reload without the control key, redirect Warden's log through its own loader's public class, put
 * a security provider of its own first (to run inside Warden's hashing and keep the key Warden MACs with),
 * close that loader, push call-depth frames, overwrite a statement's captured SQL, or obtain an
 * egress grant for a request it never sends (or claim a client resends one), and then tries a forbidden action. Whatever a call
 * does or no longer exists, the forbidden action never reaches the database, the server or the
 * socket. {@code wardencontext-act-as} is identity, not a bypass: no rule here depends on it.
 */
class WardenClassesAreNoSwitchEndToEndTest {

    static final List<String> TECHNIQUES = List.of(
            "http-refusal-for-grant",
            "resent-request-grant",
            "resent-connection-grant",
            "gate-mark-internal-thread-sql",
            "warden-thread-run-sql",
            "jmx-loosen-sql",
            "warden-log-stream-sql",
            "security-provider-sql",
            "context-class-loader-sql",
            "gate-enter-internal-sql",
            "gate-enter-internal-http",
            "gate-enter-internal-socket",
            "calldepth-jdbc-enter",
            "calldepth-jdbc-enter-carrier",
            "calldepth-net-enter-carrier",
            "calldepth-http-enter-carrier",
            "calldepth-tool-enter",
            "model-resume-streams",
            "scope-now-sends-provider",
            "jdbc-statement-created-overwrite",
            "wardencontext-act-as",
            "agent-loader-close-sql",
            "gate-install-fake-engine");

    @TempDir
    static Path workspace;

    private static final Map<Policy, AdversaryRun> RUNS = new EnumMap<>(Policy.class);

    @BeforeAll
    static void attack() throws Exception {
        for (Policy policy : Policy.values()) {
            RUNS.put(policy, AdversaryRun.prepare(policy, workspace, TECHNIQUES)
                    .tcp("resent-request-grant")
                    .tcp("resent-connection-grant")
                    .tcp("gate-enter-internal-socket")
                    .tcp("calldepth-net-enter-carrier")
                    .run(WardenSwitchesHost.class));
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

    @ParameterizedTest
    @EnumSource(Policy.class)
    void theMBeansRefuseEveryLooseningCallFromInsideTheJvmAndRecordIt(Policy policy) {
        String line = RUNS.get(policy).line("jmx-loosen-sql");
        for (String call : List.of("mode", "mode-guess", "attribute", "surface-attribute", "reload")) {
            assertThat(" " + line).as(line).contains(" " + call + " REFUSED(SecurityException: ");
        }
        assertThat(line).contains("now enforce/enforce");
        assertThat(RUNS.get(policy).receipts()).filteredOn(receipt -> receipt.surface().equals("warden"))
                .extracting(receipt -> receipt.outcome() + " " + receipt.summary().get("switch") + " " + receipt.target() + " " + receipt.rules())
                .containsExactly("DENY mode all [warden.switch-key]", "DENY mode jdbc [warden.switch-key]", "DENY mode all [warden.switch-key]",
                        "DENY mode jdbc [warden.switch-key]", "DENY reload all [warden.switch-key]");
    }

    @ParameterizedTest
    @EnumSource(Policy.class)
    void aSecurityProviderTheHostPutsFirstRunsNothingOnWardensWorkAndIsHandedNoKey(Policy policy) {
        assertThat(RUNS.get(policy).line("security-provider-sql")).contains("digest=never").contains("mac=no key seen");
    }

    @Test
    void thePermittedReadStillWorksUnderLeastPrivilegeAndNothingUnderDenyAll() {
        assertThat(RUNS.get(Policy.LEAST_PRIVILEGE).line("permitted-select")).startsWith("OK rows=" + (TECHNIQUES.size() + 1));
        assertThat(RUNS.get(Policy.DENY_ALL).line("permitted-select")).startsWith("DENIED warden: denied by default-deny");
    }
}
