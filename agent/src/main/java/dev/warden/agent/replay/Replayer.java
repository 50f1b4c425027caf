package dev.warden.agent.replay;

import dev.warden.agent.approval.ApprovalStage;
import dev.warden.agent.config.Mode;
import dev.warden.agent.context.ContextStage;
import dev.warden.agent.context.History;
import dev.warden.agent.context.InProcessStateStore;
import dev.warden.agent.context.ReceiptHistory;
import dev.warden.agent.engine.WardenEngine;
import dev.warden.agent.identity.IdentityResolver;
import dev.warden.agent.policytest.OfflinePolicy;
import dev.warden.agent.record.ReceiptRecorder;
import dev.warden.bootstrap.Decision;
import dev.warden.instrumentation.api.ActionDescription;
import dev.warden.instrumentation.api.ActionEnricher;
import dev.warden.instrumentation.api.FactModel;
import dev.warden.instrumentation.api.RecordedFacts;
import dev.warden.receipts.ReceiptDraft;

import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.regex.Pattern;

/**
 * Re-decides recorded receipts, in the log's order, against a candidate policy through the agent's own
 * engine (identity, rules, context stage, in enforce mode, no ruling reuse), each action described as
 * its receipt recorded it. One context stage over an in-process store is fed in order, at each
 * receipt's time, with the candidate's own decisions and the recorded usage reports: limits, budgets,
 * loops and chains count what would have run under the candidate. Approvals are not replayed.
 */
public final class Replayer {

    /** Model calls whose usage report has not been replayed yet are forgotten past this many. */
    private static final int MAX_AWAITING_USAGE = 100_000;
    /** How the engine marks a summary value it cut short. */
    private static final Pattern TRUNCATED = Pattern.compile("\\.\\.\\.\\[\\d+ more chars]$");
    private static final String USAGE_REPORTING_SURFACE = "model";

    private final OfflinePolicy policy;
    private final Instant from;
    private final Instant to;
    private final ReplayClock clock = new ReplayClock();
    private final ContextStage context = new ContextStage(new InProcessStateStore(clock::millis), History.NONE, clock::millis);
    private final Map<String, ActionEnricher> enrichers = new HashMap<>();
    private final List<ReceiptDraft> decided = new ArrayList<>(1);
    /** Recorded model-call id to the id the candidate's decision got, for its usage report. */
    private final Map<String, String> awaitingUsage = new HashMap<>();
    private final ReplayReport report;
    private WardenEngine engine;

    /**
     * @param from     decisions before it are re-decided for the state they leave, not compared (null: from the start)
     * @param to       where the replay stops, exclusive (null: the end of the log)
     * @param examples how many changes of each kind the report keeps as examples
     */
    public Replayer(OfflinePolicy policy, Instant from, Instant to, int examples) {
        this.policy = policy;
        this.from = from;
        this.to = to;
        this.report = new ReplayReport(examples);
        report.candidate(policy.compiled().version());
        policy.enrichers().forEach((surface, enricher) -> enrichers.put(surface, new RecordedEnricher(enricher)));
        engine = engine();
    }

    public ReplayReport report() {
        return report;
    }

    /** Replays the next receipt of the log. */
    public void replay(ReceiptDraft recorded) {
        if (to != null && !recorded.time().isBefore(to)) {
            report.skipped("at or after --to");
            return;
        }
        if (recorded.rules().contains(ReceiptHistory.OBSERVATION_RULE)) {
            observed(recorded);
            report.skipped("usage reports after a model call (fed to the context stage, not decisions)");
            return;
        }
        String skip = skipped(recorded);
        if (skip != null) {
            report.skipped(skip);
            return;
        }
        clock.set(recorded.time());
        ReceiptDraft now = decide(recorded);
        if (USAGE_REPORTING_SURFACE.equals(recorded.surface()) && "PERMIT".equals(now.outcome())) {
            if (awaitingUsage.size() >= MAX_AWAITING_USAGE) {
                awaitingUsage.clear();
            }
            awaitingUsage.put(recorded.id(), now.id());
        }
        if (from != null && recorded.time().isBefore(from)) {
            report.skipped("before --from (re-decided for the state they leave only)");
            return;
        }
        compare(recorded, now);
    }

    /** Why a receipt is not a decision the rules made, or null when it is one. */
    private static String skipped(ReceiptDraft recorded) {
        if (recorded.surface().equals("warden")) {
            return "Warden's own records (recovery, witness refusals)";
        }
        if (recorded.rules().contains(ApprovalStage.APPROVAL_RULE)) {
            return "approval uses (approvals are not replayed)";
        }
        if (recorded.rules().contains(Decision.FAIL_CLOSED_RULE)) {
            return "Warden's failures (fail-closed: not the rules' decision)";
        }
        return null;
    }

    private ReceiptDraft decide(ReceiptDraft recorded) {
        if (!enrichers.containsKey(recorded.surface())) {
            // A surface this jar has no module for: its receipt's facts as they are.
            enrichers.put(recorded.surface(), new RecordedEnricher(new Unknown()));
            engine = engine();
        }
        report.unseen(recorded.surface(), policy.enrichers().containsKey(recorded.surface())
                ? policy.enrichers().get(recorded.surface()).unrecorded()
                : List.of("no module for this surface in this jar: every fact is read as text or a number"));
        if (recorded.summary().values().stream().anyMatch(value -> value != null && TRUNCATED.matcher(value).find())) {
            report.recordTruncated();
        }
        decided.clear();
        engine.decide(RecordedEnricher.request(recorded));
        return decided.get(decided.size() - 1);
    }

    private void compare(ReceiptDraft recorded, ReceiptDraft now) {
        report.replayed(recorded.policyVersion());
        ReplayChange.Decided before = new ReplayChange.Decided(recorded.outcome(), recorded.rules(), recorded.reason(),
                recorded.obligations());
        ReplayChange.Decided after = new ReplayChange.Decided(now.outcome(), now.rules(), now.reason(), now.obligations());
        if ("PERMIT".equals(recorded.outcome()) && !recorded.approvals().isEmpty() && "HOLD".equals(now.outcome())) {
            report.recordHeldAgain();
            return;
        }
        ReplayChange.Kind kind = ReplayChange.Kind.of(before, after);
        if (kind != null) {
            report.changed(new ReplayChange(kind, recorded.id(), recorded.time(), recorded.surface(), recorded.operation(),
                    recorded.target(), recorded.actor(), before, after));
        }
    }

    /** A model call's usage, as recorded, settles the candidate's reservation for that call. */
    private void observed(ReceiptDraft report) {
        String replayedCall = awaitingUsage.remove(report.target());
        if (replayedCall == null) {
            return; // the candidate refused the call, or it was not replayed
        }
        clock.set(report.time());
        Map<String, Object> usage = RecordedFacts.typed(RecordedEnricher.actionFacts(report.summary()), Set.of());
        context.observed(replayedCall, report.actor(), report.session(), usage, new TreeMap<>());
    }

    private WardenEngine engine() {
        return new WardenEngine(enrichers, new IdentityResolver("agent"), policy.holder(),
                ReceiptRecorder.capturing(decided::add), Mode.ENFORCE, false, context, clock);
    }

    /** The enricher of a surface without a module here: only {@link ActionEnricher#recorded}'s default is used. */
    private static final class Unknown implements ActionEnricher {
        @Override
        public ActionDescription describe(dev.warden.bootstrap.ActionRequest request) {
            throw new UnsupportedOperationException("replay describes actions from their receipts");
        }

        @Override
        public FactModel facts() {
            return FactModel.anyOperation(Set.of());
        }
    }
}
