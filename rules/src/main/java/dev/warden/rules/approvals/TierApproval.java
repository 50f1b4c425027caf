package dev.warden.rules.approvals;

import dev.warden.rules.state.Per;
import dev.warden.rules.state.Window;

import java.time.Duration;

/**
 * What a tier needs before its actions run: {@code approvers} distinct approvers, each approval usable
 * within {@code within} of the request. A counted tier ({@code after}) needs approval only once its
 * actions exceed {@code after} per actor, session or user in {@code window}: the first {@code after}
 * run without.
 *
 * @param after  0 when every action of the tier needs approval
 * @param window null when {@code after} is 0
 */
public record TierApproval(int tier, int approvers, Duration within, long after, Per per, Window window) {

    /** Whether every action of the tier needs approval, not only those beyond a count. */
    public boolean always() {
        return after == 0;
    }

    /** {@code 2 approvers within 24h}, for reasons. */
    public String describe() {
        return approvers + (approvers == 1 ? " approver" : " distinct approvers") + " within " + ApprovalPolicy.describe(within);
    }
}
