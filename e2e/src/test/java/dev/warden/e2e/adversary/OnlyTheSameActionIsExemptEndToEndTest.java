package dev.warden.e2e.adversary;

import dev.warden.e2e.SharedServices;
import dev.warden.e2e.host.adversary.ExemptionHost;
import dev.warden.e2e.host.adversary.NestingTool;
import dev.warden.e2e.host.adversary.SideEffectListener;
import dev.warden.e2e.host.adversary.SideEffectSocketFactory;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.api.parallel.ResourceLock;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.MethodSource;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Issue 11, class 2 (scenario S13): only the inner half of the same action is exempt. Code that runs
 * while a JDBC, tool or HTTP call is under way (or while nothing is being decided at all) is an
 * action of its own: an application's {@code Connection} overrides ({@code setReadOnly},
 * {@code getAutoCommit}, {@code isValid}, and {@code getMetaData}, which only Warden calls), its own
 * {@code Driver}, a wrapper statement running other SQL than it was asked, a SQL function with side
 * effects called by a permitted SELECT, SQL in the URL ({@code INIT=}), driver callbacks during
 * connect (H2's database event listener, PgJDBC's socket factory), a forbidden tool inside a
 * permitted tool, and callbacks inside a permitted HTTP request (a response cache running SQL, an
 * authenticator sending a request; EgressEndToEndTest covers proxy selectors and interceptors).
 */
@ResourceLock(SharedServices.DATABASES)
class OnlyTheSameActionIsExemptEndToEndTest {

    static final List<String> TECHNIQUES = List.of(
            "connection-wrapper-set-read-only",
            "connection-wrapper-get-auto-commit",
            "connection-wrapper-is-valid",
            "connection-wrapper-metadata-read-by-warden",
            "driver-wrapper-connect",
            "h2-function-alias-in-select",
            "statement-wrapper-runs-other-sql",
            "prepared-wrapper-runs-other-sql",
            "url-init-insert",
            "url-init-runscript",
            SideEffectListener.TECHNIQUE,
            SideEffectSocketFactory.TECHNIQUE,
            NestingTool.TECHNIQUE,
            "huc-response-cache-sql",
            "huc-authenticator-request");

    @TempDir
    static Path workspace;

    private static final Map<Policy, AdversaryRun> RUNS = new EnumMap<>(Policy.class);

    @BeforeAll
    static void attack() throws Exception {
        for (Policy policy : Policy.values()) {
            AdversaryRun run = AdversaryRun.prepare(policy, workspace, TECHNIQUES);
            Path script = Files.writeString(run.directory().resolve("init.sql"),
                    "INSERT INTO pwned(technique) VALUES ('url-init-runscript');\n");
            RUNS.put(policy, run.setting("script", script.toString())
                    .setting("scratch", run.directory().resolve("scratch").toString())
                    .run(ExemptionHost.class));
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
    void thePermittedReadAndToolStillWorkUnderLeastPrivilege() {
        AdversaryRun run = RUNS.get(Policy.LEAST_PRIVILEGE);
        assertThat(run.line("permitted-select")).startsWith("OK rows=" + (TECHNIQUES.size() + 1));
        // The permitted tool ran (its own effect arrived) even though the tool it called was refused.
        assertThat(run.api().count("GET", "/api/effect/permitted-tool/lookup_note")).isEqualTo(1);
        // The permitted GETs a response cache and an authenticator were consulted for still arrived.
        assertThat(run.api().count("GET", "/api/decoy/huc-response-cache-sql")).isEqualTo(1);
        assertThat(run.line("huc-authenticator-request")).startsWith("RAN status=200");
    }

    @Test
    void underDenyAllNeitherTheReadNorTheToolRuns() {
        AdversaryRun run = RUNS.get(Policy.DENY_ALL);
        assertThat(run.line("permitted-select")).startsWith("DENIED warden: denied by default-deny");
        assertThat(run.api().arrivals()).isEmpty();
    }
}
