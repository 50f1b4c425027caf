package dev.warden.agent.approval;

import dev.warden.bootstrap.JdkCrypto;
import dev.warden.agent.context.PastAction;
import dev.warden.agent.context.ReplayedState;
import dev.warden.agent.context.StateStore;
import dev.warden.receipts.ApprovalRequest;
import dev.warden.rules.approvals.ApprovalPolicy;
import dev.warden.rules.approvals.TierApproval;
import dev.warden.rules.cache.BuildId;
import dev.warden.rules.state.Window;

import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.ZoneId;
import java.util.HexFormat;
import java.util.Map;
import java.util.TreeMap;

/**
 * The approval stage's state as the context stage's replay of the receipt log rebuilds it: the counted tiers' actions
 * in the state store (where the stage counts them), and the requests opened and closed in a {@link RequestLedger}.
 * The store is kept with the state snapshot; the ledger is kept beside it here.
 */
final class ApprovalReplay implements ReplayedState {

    private final ApprovalPolicy policy;
    private final ZoneId zone;
    private final StateStore counters;
    private final RequestLedger ledger;

    ApprovalReplay(ApprovalPolicy policy, ZoneId zone, StateStore counters, RequestLedger ledger) {
        this.policy = policy;
        this.zone = zone;
        this.counters = counters;
        this.ledger = ledger;
    }

    /** This build's replay, and the counted tiers: which tiers count, per whom, in which window. */
    @Override
    public String fingerprint() {
        StringBuilder tiers = new StringBuilder();
        for (Map.Entry<Integer, TierApproval> entry : new TreeMap<>(policy.byTier()).entrySet()) {
            TierApproval needs = entry.getValue();
            if (!needs.always()) { // what counts is whether the tier counts, not up to what
                Window window = needs.window();
                tiers.append(needs.tier()).append('|').append(needs.per()).append('|')
                        .append(window.text()).append('|').append(window.millis()).append('|').append(window.unit()).append('\n');
            }
        }
        byte[] digest = JdkCrypto.sha256().digest(tiers.toString().getBytes(StandardCharsets.UTF_8));
        return "build=" + BuildId.of(ApprovalReplay.class, RequestLedger.class, ApprovalStage.class, ApprovalRequest.class)
                + ";tiers=" + HexFormat.of().formatHex(digest);
    }

    @Override
    public void replay(PastAction past, long nowMillis) {
        ledger.replay(past);
        String tierText = past.summary().get("tier");
        int tier = tier(tierText);
        if (!past.proceeded() || past.observation() || tier < 0 || past.summary().containsKey(ApprovalStage.REQUEST)) {
            return; // counted are the actions that ran under the count, not those that needed approval
        }
        TierApproval needs = policy.forTier(tier);
        if (needs == null || needs.always()) {
            return;
        }
        Window.Span span = needs.window().span(past.action().time(), zone);
        if (span.expiresAtMillis() > nowMillis) {
            counters.adjust(ApprovalStage.counterKey(needs, past.action()), span.current(), span.expiresAtMillis(), 1);
        }
    }

    @Override
    public void writeTo(DataOutputStream out, long nowMillis) throws IOException {
        ledger.writeTo(out, nowMillis);
    }

    @Override
    public void restore(DataInputStream in, long nowMillis) throws IOException {
        ledger.restore(in, nowMillis);
    }

    @Override
    public void clear() {
        ledger.clear();
    }

    /** The tier a receipt's summary names ({@code T0} to {@code T3}), -1 for none. */
    static int tier(String text) {
        boolean named = text != null && text.length() == 2 && text.charAt(0) == 'T' && text.charAt(1) >= '0' && text.charAt(1) <= '3';
        return named ? text.charAt(1) - '0' : -1;
    }
}
