package dev.warden.agent.reload;

import dev.warden.agent.config.Mode;
import dev.warden.agent.control.AgentControl;
import dev.warden.agent.control.SwitchKey;
import dev.warden.agent.control.SwitchProof;
import dev.warden.agent.control.AgentMXBean;
import dev.warden.agent.control.DecisionCounters;
import dev.warden.agent.control.LastCheckpoint;
import dev.warden.agent.control.PolicyCalls;
import dev.warden.agent.control.Switchboard;
import dev.warden.agent.engine.PolicyHolder;
import dev.warden.agent.lint.FactVocabulary;
import dev.warden.agent.lint.RulesLinter;
import dev.warden.agent.record.ReceiptRecorder;
import dev.warden.receipts.PolicyArchive;
import dev.warden.receipts.ReceiptDraft;
import dev.warden.receipts.ReceiptLog;
import dev.warden.receipts.ReceiptLogOptions;
import dev.warden.rules.PolicyBundle;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Reload and rollback: a candidate is switched to only complete, archived and recorded; a failing one changes nothing. */
class PolicyControlTest {

    private static final String V1 = rule("v1 permits reads", "SELECT");
    private static final String V2 = rule("v2 permits writes", "INSERT");

    @TempDir
    Path workspace;

    private Path rules;
    private Path receiptsDirectory;
    private final List<ReceiptDraft> recorded = new CopyOnWriteArrayList<>();
    private PolicyHolder holder;
    private PolicyControl control;

    @BeforeEach
    void start() throws Exception {
        rules = Files.createDirectories(workspace.resolve("rules"));
        receiptsDirectory = Files.createDirectories(workspace.resolve("receipts"));
        Files.writeString(rules.resolve("policy.drl"), V1);
        PolicyBundle first = PolicyBundle.load(rules);
        new PolicyArchive(receiptsDirectory).archive(first.version(), first.encoded());
        holder = PolicyHolder.compileInBackground(first, Duration.ofMinutes(2), Thread::new);
        holder.await();
        control = new PolicyControl(() -> rules, holder, receiptsDirectory, ReceiptRecorder.capturing(recorded::add),
                new RulesLinter(FactVocabulary.installedModules()), Clock.systemUTC());
    }

    @Test
    void aNewVersionIsArchivedAndRecordedBeforeItIsInForce() throws Exception {
        String v1 = holder.version();
        Files.writeString(rules.resolve("policy.drl"), V2);
        PolicyChange change = control.reload("command");

        assertThat(change.kind()).isEqualTo(PolicyChange.Kind.SWITCHED);
        String v2 = holder.version();
        assertThat(change.to()).isEqualTo(v2).isNotEqualTo(v1);
        assertThat(change.line()).isEqualTo("switched " + v1.substring(0, 12) + " -> " + v2.substring(0, 12) + " (command)");
        assertThat(new PolicyArchive(receiptsDirectory).read(v2)).isPresent();
        assertThat(recorded).singleElement().satisfies(receipt -> {
            assertThat(receipt.surface()).isEqualTo("warden");
            assertThat(receipt.operation()).isEqualTo("policy-switched");
            assertThat(receipt.policyVersion()).isEqualTo(v2);
            assertThat(receipt.summary()).containsEntry("policy.from", v1).containsEntry("policy.to", v2)
                    .containsEntry("policy.trigger", "command");
            assertThat(receipt.rules()).containsExactly(PolicyControl.RULE);
        });
        // The snapshot is one version: its rules are v2's.
        assertThat(holder.current().await().ruleNames()).contains("v2 permits writes").doesNotContain("v1 permits reads");

        assertThat(control.reload("watch").kind()).isEqualTo(PolicyChange.Kind.UNCHANGED);
        assertThat(recorded).hasSize(1);
    }

    @Test
    void aCandidateThatDoesNotCompileOrLintLeavesTheRunningVersionAndIsRecorded() throws Exception {
        String v1 = holder.version();
        Files.writeString(rules.resolve("policy.drl"), V2.replace("then", "then oops("));
        PolicyChange broken = control.reload("watch");
        assertThat(broken.kind()).isEqualTo(PolicyChange.Kind.REJECTED);
        assertThat(broken.message()).startsWith("does not compile");

        Files.writeString(rules.resolve("policy.drl"), V2.replace("\"jdbc\"", "\"jbdc\""));
        PolicyChange typo = control.reload("watch");
        assertThat(typo.kind()).isEqualTo(PolicyChange.Kind.REJECTED);
        assertThat(typo.message()).contains("lint error").contains("unknown surface 'jbdc'");

        assertThat(holder.version()).isEqualTo(v1);
        assertThat(recorded).extracting(ReceiptDraft::operation).containsExactly("policy-rejected", "policy-rejected");
        assertThat(recorded).allSatisfy(receipt -> {
            assertThat(receipt.policyVersion()).isEqualTo(v1);
            assertThat(receipt.outcome()).isEqualTo("DENY");
            assertThat(receipt.summary()).containsEntry("policy.running", v1).containsKey("policy.error");
        });
        assertThat(new PolicyArchive(receiptsDirectory).versionsStartingWith("")).containsExactly(v1);
    }

    /**
     * A start whose rules did not compile refuses every action until a version that compiles is loaded: a reload of the
     * same rules compiles them again (the failure may have been transient), and the fixed rules are put in force.
     */
    @Test
    void aVersionInForceThatDidNotCompileIsCompiledAgainOnReloadAndAFixReplacesIt() throws Exception {
        Files.writeString(rules.resolve("policy.drl"), V2.replace("then", "then oops("));
        PolicyBundle broken = PolicyBundle.load(rules);
        PolicyHolder failing = PolicyHolder.compileInBackground(broken, Duration.ofMinutes(2), Thread::new);
        assertThatThrownBy(failing::await).isInstanceOf(dev.warden.rules.PolicyCompilationException.class);
        PolicyControl fixing = new PolicyControl(() -> rules, failing, receiptsDirectory, ReceiptRecorder.capturing(recorded::add),
                new RulesLinter(FactVocabulary.installedModules()), Clock.systemUTC());

        PolicyChange again = fixing.reload("operator");
        assertThat(again.kind()).as(again.line()).isEqualTo(PolicyChange.Kind.REJECTED);
        assertThat(again.message()).startsWith("does not compile");

        Files.writeString(rules.resolve("policy.drl"), V2);
        PolicyChange fixed = fixing.reload("watch");
        assertThat(fixed.kind()).as(fixed.line()).isEqualTo(PolicyChange.Kind.SWITCHED);
        assertThat(failing.current().failed()).isFalse();
        assertThat(recorded).extracting(ReceiptDraft::operation).containsExactly("policy-rejected", "policy-switched");
    }

    @Test
    void rollbackSwitchesToAVersionThatRanByAUniquePrefix() throws Exception {
        String v1 = holder.version();
        Files.writeString(rules.resolve("policy.drl"), V2);
        control.reload("command");

        PolicyChange back = control.rollback(v1.substring(0, 8));
        assertThat(back.kind()).isEqualTo(PolicyChange.Kind.SWITCHED);
        assertThat(holder.version()).isEqualTo(v1);
        assertThat(recorded.get(1).summary()).containsEntry("policy.to", v1).containsEntry("policy.trigger", "rollback");
        assertThat(control.rollback(v1).kind()).isEqualTo(PolicyChange.Kind.UNCHANGED);

        assertThatThrownBy(() -> control.rollback("0000")).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("no archived policy version starts with 0000");
        assertThatThrownBy(() -> control.rollback("XYZ")).hasMessageContaining("lowercase hex");
        assertThatThrownBy(() -> control.rollback("")).hasMessageContaining("lowercase hex");
    }

    @Test
    void theAgentMBeanReloadsAndRollsBackThroughPolicyControlWithTheOperatorAsTrigger() throws Exception {
        String v1 = holder.version();
        List<String> internal = new CopyOnWriteArrayList<>();
        AgentMXBean agent = new AgentControl(Switchboard.fixed(Mode.ENFORCE), new DecisionCounters(), holder::version,
                new LastCheckpoint(Clock.systemUTC()), () -> 0, () -> 0, new PolicyCalls(control, work -> {
                    internal.add("internal");
                    work.run();
                }), SwitchKey.of(KEY));
        Files.writeString(rules.resolve("policy.drl"), V2);

        String v2Line = agent.reload("alice pid 7", proof(agent, "reload", "alice pid 7"));
        String v2 = holder.version();
        assertThat(v2Line).isEqualTo("switched " + v1.substring(0, 12) + " -> " + v2.substring(0, 12) + " (reload by alice pid 7 via jmx)");
        assertThat(agent.rollback(v1.substring(0, 10), "bob", proof(agent, "rollback", v1.substring(0, 10), "bob"))).startsWith("switched " + v2.substring(0, 12) + " -> " + v1.substring(0, 12));
        assertThat(holder.version()).isEqualTo(v1);
        assertThat(agent.rollback(v1, null, proof(agent, "rollback", v1, null))).startsWith("unchanged: ");
        assertThat(recorded).extracting(receipt -> receipt.summary().get("policy.trigger"))
                .containsExactly("reload by alice pid 7 via jmx", "rollback by bob via jmx");
        assertThatThrownBy(() -> agent.rollback("0000", "bob", proof(agent, "rollback", "0000", "bob"))).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("no archived policy version starts with 0000");
        assertThat(internal).as("run as Warden's own work").hasSize(4);
    }

    private static final String KEY = "6b6579206f6620746865206f70657261746f72";

    /** What the control CLI sends: a proof under the key, over a nonce the agent issued. */
    private static String proof(AgentMXBean agent, String operation, String... arguments) {
        String nonce = agent.challenge("test").split(" ")[0];
        return SwitchProof.sign(java.util.HexFormat.of().parseHex(KEY), nonce, operation, arguments);
    }

    @Test
    void aBundlePlantedInTheArchiveThatNoReceiptNamesIsNotRolledBackTo() throws Exception {
        PolicyBundle planted = PolicyBundle.of(java.util.Map.of("policy.drl", rule("everything", "DELETE").getBytes()));
        new PolicyArchive(receiptsDirectory).archive(planted.version(), planted.encoded());

        PolicyChange change = control.rollback(planted.version());
        assertThat(change.kind()).isEqualTo(PolicyChange.Kind.REJECTED);
        assertThat(change.message()).contains("no receipt names it");
        assertThat(holder.version()).isNotEqualTo(planted.version());
    }

    /**
     * A receipt in the queue that names a version is taken as evidence only when the log vouches for it (its key's MAC):
     * an excerpt put there by someone who could write the directory, without the key, does not make a version one
     * that decided before.
     */
    @Test
    void aVersionNamedOnlyByAnExcerptTheLogDidNotWriteIsNotRolledBackTo() throws Exception {
        PolicyBundle planted = PolicyBundle.of(java.util.Map.of("policy.drl", rule("everything", "DELETE").getBytes()));
        new PolicyArchive(receiptsDirectory).archive(planted.version(), planted.encoded());
        ReceiptDraft naming = new ReceiptDraft("01935f3c-7b2a-7000-8000-000000000001", java.time.Instant.parse("2026-12-03T00:00:00Z"),
                "agent", null, null, "jdbc", "SELECT", "events", null, java.util.Map.of(), "PERMIT", true, List.of("r"), "permitted",
                java.util.Map.of(), planted.version());
        try (ReceiptLog writer = ReceiptLog.open(ReceiptLogOptions.defaults(receiptsDirectory))) {
            writer.append(naming);
        }

        PolicyChange unvouched = control.rollback(planted.version()); // its recorder writes to no log: it vouches for none
        assertThat(unvouched.kind()).isEqualTo(PolicyChange.Kind.REJECTED);
        assertThat(unvouched.message()).contains("no receipt names it").contains("1 excerpt(s) naming it carry no MAC");
        assertThat(holder.version()).isNotEqualTo(planted.version());

        try (ReceiptLog log = ReceiptLog.open(ReceiptLogOptions.defaults(receiptsDirectory))) {
            PolicyControl vouching = new PolicyControl(() -> rules, holder, receiptsDirectory, ReceiptRecorder.writingTo(log),
                    new RulesLinter(FactVocabulary.installedModules()), Clock.systemUTC());
            assertThat(vouching.rollback(planted.version()).kind()).isEqualTo(PolicyChange.Kind.SWITCHED);
            assertThat(holder.version()).isEqualTo(planted.version());
        }
    }

    private static String rule(String name, String operation) {
        return """
                package rules.reload;
                import dev.warden.rules.Action;
                global dev.warden.rules.Verdict verdict;

                rule "%s"
                when Action(surface == "jdbc", operation == "%s", targetsWithin("events"))
                then verdict.permit("%s");
                end
                """.formatted(name, operation, name);
    }
}
