package dev.warden.rules.approvals;

import dev.warden.rules.PolicyBundle;
import dev.warden.rules.PolicyCompilationException;
import dev.warden.rules.PolicyCompiler;
import dev.warden.rules.PolicyFile;
import dev.warden.rules.roles.Scopes;
import dev.warden.rules.state.Per;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ApprovalPolicyTest {

    private static final String S4 = """
            tiers:
              T0: [tool:invoice:read]
              T1: [tool:invoice:update:status]
              T2: [tool:invoice:delete]
              T3: [tool:invoice:delete:all]
            approvals:
              approvers: approvers/        # a1.pem = approver a1
              T1: {after: 1000, per: actor, window: 1mo, approvers: 1}
              T2: {approvers: 1}
              T3: {approvers: 2, within: 24h}
            """;

    @Test
    void scenarioS4ReadsAsWritten() {
        ApprovalPolicy policy = parse(S4);
        assertThat(policy.approversDirectory()).isEqualTo("approvers/");
        assertThat(policy.forTier(0)).isNull();
        TierApproval t1 = policy.forTier(1);
        assertThat(t1.after()).isEqualTo(1000);
        assertThat(t1.per()).isEqualTo(Per.ACTOR);
        assertThat(t1.window().describe()).isEqualTo("this month");
        assertThat(policy.forTier(2).within()).isEqualTo(Duration.ofHours(24));
        assertThat(policy.forTier(3).approvers()).isEqualTo(2);
        assertThat(policy.forTier(3).describe()).isEqualTo("2 distinct approvers within 24h");
        assertThat(policy.tiers().of(Scopes.pathsOf("tool", "invoice_delete_all", "invoice_delete_all", Set.of()), Set.of())).isEqualTo(3);
        assertThat(policy.tiers().of(Scopes.pathsOf("tool", "invoice_delete", "invoice_delete", Set.of()), Set.of())).isEqualTo(2);
        assertThat(policy.tiers().of(Scopes.pathsOf("tool", "crm_read", "crm_read", Set.of()), Set.of())).isEqualTo(-1);
    }

    @Test
    void aTierHoldsAProgramByAnyNameItGoesBy() {
        ApprovalPolicy policy = parse("tiers: {T2: [process:rm:exec, \"jdbc:public.\\\"Invoice\\\":delete\"]}");

        assertThat(policy.tiers().of(Scopes.namesOf("process", "EXEC", "/usr/bin/../bin/rm", Set.of(),
                Map.of("process.program.path", "/usr/bin/rm")::get), Set.of())).isEqualTo(2);
        assertThat(policy.tiers().of(Scopes.namesOf("jdbc", "DELETE", "\"Invoice\"", Set.of(), null), Set.of())).isEqualTo(2);
        assertThat(policy.tiers().of(Scopes.namesOf("jdbc", "DELETE", "invoices", Set.of(), null), Set.of())).isEqualTo(-1);
    }

    @Test
    void mistakesAreNamed() {
        assertError("tiers: {T4: [tool:x:y]}", "tiers: 'T4' is not a tier (T0, T1, T2 or T3)");
        assertError("tiers: {T1: [nothing]}", "tiers, T1: scope 'nothing' needs a surface");
        assertError("tiers: {T2: [jdbc:invoices]}", "tiers, T2: scope 'jdbc:invoices' never matches: a jdbc scope is jdbc:TARGET:OPERATION");
        assertError("approvals: {T2: {approvers: 1}}", "approvals needs approvers: the directory of the approvers' public keys");
        assertError("approvals: {approvers: keys/}", "approvals names no tier");
        assertError("approvals: {approvers: keys/, T2: {}}", "approvals, T2 needs approvers: how many distinct approvers must sign");
        assertError("approvals: {approvers: keys/, T2: {approvers: 0}}", "approvals, T2, approvers must be a whole number above zero");
        assertError("approvals: {approvers: keys/, T2: {approvers: 1, within: 2 days}}", "approvals, T2, within: '2 days' is not a duration");
        assertError("approvals: {approvers: keys/, T1: {approvers: 1, after: 10}}", "approvals, T1: after needs a window");
        assertError("approvals: {approvers: keys/, T1: {approvers: 1, per: actor}}", "approvals, T1: per and window count actions only together with after");
        assertError("approvals: {approvers: keys/, T1: {approvers: 1, after: 10, window: 3mo}}", "approvals, T1: window '3mo'");
        assertError("approvals: {approvers: ../keys/, T2: {approvers: 1}}", "must be a directory inside the rules directory");
        assertError("approvals: {approvers: keys/, T2: {approvers: 1, quorum: 2}}", "unknown key 'quorum' in approvals, T2");
    }

    @Test
    void aTierNeedingMoreApproversThanTheDirectoryHoldsDoesNotCompile() {
        PolicyBundle bundle = PolicyBundle.of(Map.of("s4.yaml", S4.getBytes(StandardCharsets.UTF_8),
                "approvers/a1.pem", "-----BEGIN PUBLIC KEY-----".getBytes(StandardCharsets.US_ASCII)));
        assertThatThrownBy(() -> new PolicyCompiler().compile(bundle)).isInstanceOf(PolicyCompilationException.class)
                .hasMessageContaining("a tier needs 2 distinct approvers but approvers/ holds 1 approver key(s)");
    }

    @Test
    void approvalsWrittenInTwoFilesIsAnError() {
        ApprovalPolicy one = parse("approvals: {approvers: keys/, T2: {approvers: 1}}");
        assertThatThrownBy(() -> one.and(one)).hasMessage("approvals is written in two files: say it in one");
        ApprovalPolicy tiers = parse("tiers: {T2: [tool:a:b]}");
        assertThatThrownBy(() -> tiers.and(tiers)).hasMessage("tier T2 is defined twice");
        assertThat(one.and(tiers).tiers().scopes()).containsOnlyKeys(2);
    }

    private static ApprovalPolicy parse(String yaml) {
        return PolicyFile.parse(yaml.getBytes(StandardCharsets.UTF_8)).approvals();
    }

    private static void assertError(String yaml, String message) {
        assertThatThrownBy(() -> parse(yaml)).as(yaml).isInstanceOf(IllegalArgumentException.class).hasMessageContaining(message);
    }

}
