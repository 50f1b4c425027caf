package dev.warden.agent.approval;

import dev.warden.agent.context.InProcessStateStore;
import dev.warden.rules.approvals.ApprovalPolicy;
import org.junit.jupiter.api.Test;
import org.yaml.snakeyaml.Yaml;

import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** What a state snapshot of the approval stage's memory is made for: the tiers that count, per whom, in which window. */
class ApprovalReplayTest {

    private static final String POLICY = """
            tiers:
              T1: [tool:invoice:update]
              T2: [tool:invoice:delete]
            approvals:
              approvers: approvers/
              T1: {after: 1000, per: actor, window: 1mo, approvers: 1}
              T2: {approvers: 1, within: 1h}
            """;

    @Test
    void theFingerprintChangesWithWhatTheReplayCountsByAndOnlyWithThat() {
        String fingerprint = fingerprint(POLICY);
        assertThat(fingerprint(POLICY.replace("after: 1000", "after: 5"))).as("up to what a tier counts: read when deciding")
                .isEqualTo(fingerprint);
        assertThat(fingerprint(POLICY.replace("within: 1h", "within: 2h").replace("approvers: 1}", "approvers: 2}")))
                .as("who approves, and within what").isEqualTo(fingerprint);
        for (String changed : List.of(POLICY.replace("per: actor", "per: session"), POLICY.replace("window: 1mo", "window: 1d"),
                POLICY.replace("T1: {after: 1000, per: actor, window: 1mo, approvers: 1}", "T1: {approvers: 1}"),
                POLICY.replace("T2: {approvers: 1, within: 1h}", "T2: {after: 3, per: actor, window: 1d, approvers: 1}"))) {
            assertThat(fingerprint(changed)).as(changed).isNotEqualTo(fingerprint);
        }
    }

    private static String fingerprint(String yaml) {
        ApprovalPolicy policy = ApprovalPolicy.parse(new Yaml().<Map<String, Object>>load(yaml));
        return new ApprovalReplay(policy, ZoneOffset.UTC, new InProcessStateStore(() -> 0L), new RequestLedger()).fingerprint();
    }
}
