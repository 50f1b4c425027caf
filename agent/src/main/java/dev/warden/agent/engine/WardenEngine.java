package dev.warden.agent.engine;

import dev.warden.agent.approval.ApprovalResult;
import dev.warden.agent.approval.ApprovalStage;
import dev.warden.agent.config.Mode;
import dev.warden.agent.context.ContextAction;
import dev.warden.agent.context.ContextStage;
import dev.warden.agent.context.InProcessStateStore;
import dev.warden.agent.context.StateCheck;
import dev.warden.agent.control.Switchboard;
import dev.warden.agent.control.Switches;
import dev.warden.agent.identity.IdentityResolver;
import dev.warden.agent.record.ReceiptRecorder;
import dev.warden.bootstrap.ActionRequest;
import dev.warden.bootstrap.Decision;
import dev.warden.bootstrap.Gate;
import dev.warden.bootstrap.Obligations;
import dev.warden.instrumentation.api.ActionDescription;
import dev.warden.instrumentation.api.ActionEnricher;
import dev.warden.receipts.ActionDigest;
import dev.warden.receipts.ReceiptDraft;
import dev.warden.receipts.ReceiptSummary;
import dev.warden.receipts.ReceiptWriteException;
import dev.warden.rules.Action;
import dev.warden.rules.Ruling;

import java.time.Clock;
import java.time.Instant;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * The path of one action inside the agent: identify, describe, decide (the rules, which may read the
 * context stage's facts), check the policy's state rules (context: limits, budgets, loops, chains),
 * hold for approval (tiers that need it), record, settle, answer. Any failure on that path refuses the action; a decision is returned only once
 * its receipt is written.
 */
public final class WardenEngine implements Gate.Engine {

    /** Receipt summaries keep this much of a value: a 1 MB statement must not make a 1 MB receipt. */
    private static final int MAX_SUMMARY_VALUE = 1024;
    /**
     * A receipt's target and reason keep this much: far more than any target a library acts on (a path the kernel
     * takes, a table name a database keeps), while a receipt stays far below the 16 MiB Chronicle appends. A file write
     * to a path of 20 million characters made a receipt the log could not append: refused, and with no receipt (a
     * review, 2026-12-07).
     */
    private static final int MAX_RECORDED_TEXT = 64 * 1024;

    /** Attributes that name one call rather than what it does (a tool call's id) end in this. */
    static final String PER_CALL_SUFFIX = "callId";
    /** What a call carried that its callee never receives ({@code tool.arguments.unbound}): a fact, not the action. */
    static final String UNRECEIVED_SUFFIX = ".unbound";
    /**
     * The name a call was given when another tool runs it ({@code tool.calledAs}: a request handed to the executor of
     * another {@code @Tool}): a fact, not the action, so a call respelled each time (a dispatch that folds case) repeats it.
     */
    static final String CALLED_AS_SUFFIX = ".calledAs";

    /** The rule id of receipts that record an observation rather than a decision. */
    static final String OBSERVATION_RULE = "warden.observation";

    /** Summary facts of a decision a rule in shadow spoke in: its would-be outcome, the shadow rules, the would-be reason. */
    public static final String SHADOW_OUTCOME = "shadow.outcome";
    public static final String SHADOW_RULES = "shadow.rules";
    public static final String SHADOW_REASON = "shadow.reason";

    /** The surface whose permitted actions report what they used once they ran (tokens). */
    private static final String USAGE_REPORTING_SURFACE = "model";

    private static final ClassLoader AGENT_LOADER = WardenEngine.class.getClassLoader();

    private final Map<String, ActionEnricher> enrichers;
    private final DescribedActions descriptions = new DescribedActions();
    /** Made once: a method reference written in {@code decide} would be a new object per decision. */
    private final java.util.function.Function<ActionRequest, DescribedAction> describer = this::describeOnce;
    private final IdentityResolver identities;
    private final PolicyHolder policy;
    private final ReceiptRecorder receipts;
    private final Switchboard switches;
    private final boolean reuseRulings;
    private final ContextStage context;
    private final ApprovalStage approvals;
    private final java.time.Duration holdWait;
    private final Clock clock;
    /**
     * Permitted model calls whose usage has not been reported yet, with the identity each was decided for: the gate's
     * {@code observe} is public, so only a report for such a call, once, is taken (a forged or repeated report of
     * lower usage must not lower what a budget counts), and it counts for whom the call was decided, not for whoever
     * the reporting thread is (a streaming provider reports on a thread of its own).
     */
    private final Map<String, IdentityResolver.Identity> awaitingUsage = new java.util.concurrent.ConcurrentHashMap<>();
    private static final int MAX_AWAITING_USAGE = 100_000;
    /** The observe stage (OpenTelemetry); set once at start, before the gate opens. */
    private volatile dev.warden.agent.observe.DecisionObserver observer = dev.warden.agent.observe.DecisionObserver.NONE;
    /** Warden's own files, refused before the rules; set once at start, before the gate opens. */
    private volatile WardensOwn[] wardensOwn = new WardensOwn[0]; // an array: walked on every decision

    public WardenEngine(Map<String, ActionEnricher> enrichers, IdentityResolver identities, PolicyHolder policy,
                 ReceiptRecorder receipts, Mode mode, boolean reuseRulings) {
        this(enrichers, identities, policy, receipts, mode, reuseRulings,
                new ContextStage(new InProcessStateStore(System::currentTimeMillis)), Clock.systemUTC());
    }

    public WardenEngine(Map<String, ActionEnricher> enrichers, IdentityResolver identities, PolicyHolder policy,
                 ReceiptRecorder receipts, Mode mode, boolean reuseRulings, ContextStage context, Clock clock) {
        this(enrichers, identities, policy, receipts, mode, reuseRulings, context, null, java.time.Duration.ZERO, clock);
    }

    /**
     * @param approvals the approval stage, or null when nothing can be approved (a hold then stands)
     * @param holdWait  how long a held call waits for its approvals before it is refused (zero: not at all)
     */
    public WardenEngine(Map<String, ActionEnricher> enrichers, IdentityResolver identities, PolicyHolder policy,
                 ReceiptRecorder receipts, Mode mode, boolean reuseRulings, ContextStage context, ApprovalStage approvals,
                 java.time.Duration holdWait, Clock clock) {
        this(enrichers, identities, policy, receipts, Switchboard.fixed(mode), reuseRulings, context, approvals, holdWait, clock);
    }

    /** @param switches the operator's live switches (mode, kill switch), read once per decision */
    public WardenEngine(Map<String, ActionEnricher> enrichers, IdentityResolver identities, PolicyHolder policy,
                 ReceiptRecorder receipts, Switchboard switches, boolean reuseRulings, ContextStage context, ApprovalStage approvals,
                 java.time.Duration holdWait, Clock clock) {
        if (approvals != null && !approvals.rebuiltBy(context)) {
            // The approval stage's memory is what this context stage's replay rebuilt: another's would be empty.
            throw new IllegalArgumentException("the approval stage was made over another context stage");
        }
        this.context = context;
        this.approvals = approvals;
        this.holdWait = holdWait;
        this.clock = clock;
        this.enrichers = Map.copyOf(enrichers);
        this.identities = identities;
        this.policy = policy;
        this.receipts = receipts;
        this.switches = switches;
        this.reuseRulings = reuseRulings;
        if (approvals != null) {
            // A call waiting for its approvals asks again at once whether it may still run (afterApproval).
            switches.whenSwitched(approvals::wake);
            policy.whenSwitched(approvals::wake);
        }
    }

    /** Decisions are told to {@code observer} once their receipt is written (telemetry). */
    public void observeWith(dev.warden.agent.observe.DecisionObserver observer) {
        this.observer = observer;
    }

    /** Actions that touch {@code guarded} are refused whatever the policy and the mode ({@link WardensOwn}). */
    public void protect(WardensOwn guarded) {
        WardensOwn[] more = java.util.Arrays.copyOf(wardensOwn, wardensOwn.length + 1);
        more[more.length - 1] = guarded;
        this.wardensOwn = more;
    }

    @Override
    public Decision decide(ActionRequest request) {
        // Drools looks its services up through the context loader: on a host thread that is the host's.
        Thread thread = Thread.currentThread();
        ClassLoader hostLoader = thread.getContextClassLoader();
        thread.setContextClassLoader(AGENT_LOADER);
        try {
            return decideInAgent(request);
        } finally {
            thread.setContextClassLoader(hostLoader);
        }
    }

    private Decision decideInAgent(ActionRequest request) {
        long started = System.nanoTime();
        // One snapshot per decision: a reload switching versions meanwhile cannot give it a mix of two.
        PolicySnapshot policy = this.policy.current();
        String id = ActionIds.next();
        Instant time = clock.instant();
        Switches switched = switches.current(); // the operator's switches for this decision: one volatile read
        IdentityResolver.Identity identity = identities.resolve(request);
        DescribedAction described;
        String digest; // this execution's: the described action's, with the values it binds
        Ruling ruling;
        StateCheck state = null;
        ApprovalResult approval = ApprovalResult.NONE;
        ContextAction action = null;
        Object unreadable = request.attribute(Decision.UNREADABLE_ATTRIBUTE);
        if (unreadable != null) {
            // The advice could not read the call: refused as Warden's failure, and recorded.
            described = described(request.surface(), new ActionDescription("UNREADABLE", "", java.util.Set.of(),
                    request.attributes(), Map.of("warden.error", unreadable.toString())));
            digest = described.digest();
            ruling = Ruling.failure(Decision.FAIL_CLOSED_RULE, unreadable.toString());
        } else try {
            described = descriptions.describe(request, describer);
            digest = described.digest(request.binding());
            String noRoom = receipts.refusal();
            String killed = switched.killReason(request.surface());
            WardensOwn touched = null;
            String own = null;
            for (WardensOwn guarded : wardensOwn) {
                own = guarded.refusal(request.surface(), described.description());
                if (own != null) {
                    touched = guarded;
                    break;
                }
            }
            if (noRoom != null) {
                // Too little space left for receipts: every action is refused, and still recorded while there is room.
                ruling = Ruling.failure(Decision.FAIL_CLOSED_RULE, noRoom);
            } else if (killed != null) {
                ruling = Ruling.failure(Switchboard.KILL_RULE, "kill switch: " + killed);
            } else if (touched != null) {
                ruling = Ruling.failure(touched.rule(), own);
            } else {
                action = contextAction(id, time, request.surface(), described, digest, identity, java.util.Set.of());
                ruling = rule(policy, id, request.surface(), described, identity, action);
                if (!ruling.failed()) {
                    // Asked only now: until the policy compiled (the ruling waited for it) it has no state rules.
                    state = context.check(policy.state(), action.withLabels(ruling.labels()));
                    ruling = ruling.deniedBy(state.rules(), state.reasons()).boundBy(state.obligations());
                    if (approvals != null && state.rules().isEmpty()) {
                        approval = approvals.check(policy.approvals(), policy.version(), policy.bundle().files(),
                                policy.state().zone(), action, ruling);
                        ruling = approval.applyTo(ruling);
                    }
                }
            }
        } catch (RuntimeException | Error failure) {
            ActionDescription description = new ActionDescription(String.valueOf(request.operation()),
                    String.valueOf(request.target()), java.util.Set.of(), Map.of(), Map.of("warden.error", failure.toString()));
            described = described(request.surface(), description);
            digest = described.digest();
            ruling = Ruling.failure(Decision.FAIL_CLOSED_RULE, "could not evaluate the action: " + failure);
        }
        // Warden's own failures, kill switches and own things are refused whatever the mode; rule outcomes follow the mode.
        boolean enforced = Switchboard.enforced(switched, request.surface(), ruling.rules()) || touchesOwn(ruling);
        ReceiptDraft recorded;
        String receiptId; // this action's receipt, or the first full receipt of the refusal burst it was counted in
        try {
            recorded = draft(policy, id, time, request.surface(), identity, described, digest, ruling, enforced,
                    facts(state == null ? Map.of() : state.facts(), approval.facts())).withApprovals(approval.cited());
            receiptId = receipts.record(recorded);
        } catch (ReceiptWriteException | RuntimeException failure) {
            if (state != null) {
                state.settle(false);
            }
            approval.settle(false);
            return observed(null, Decision.failClosed("receipt could not be written: " + failure.getMessage(), null), started);
        }
        Decision decision = new Decision(ruling.outcome(), enforced, ruling.rules(), ruling.reason(), receiptId, ruling.obligations());
        decision = afterApproval(policy, approval, recorded, decision, action);
        if (state != null) {
            if (!java.util.Objects.equals(decision.receiptId(), receiptId)) {
                state.ranAs(decision.receiptId()); // resumed after a wait: its usage will name that receipt
            }
            state.settle(!decision.blocks());
        }
        approval.settle(!decision.blocks());
        if (USAGE_REPORTING_SURFACE.equals(request.surface()) && decision.outcome() == dev.warden.bootstrap.Outcome.PERMIT) {
            if (awaitingUsage.size() >= MAX_AWAITING_USAGE) {
                awaitingUsage.clear(); // calls that never reported: their reports are no longer taken
            }
            awaitingUsage.put(decision.receiptId(), identity);
        }
        return observed(recorded, decision, started);
    }

    private Decision observed(ReceiptDraft recorded, Decision decision, long started) {
        observer.decided(recorded, decision, System.nanoTime() - started);
        return decision;
    }

    /**
     * What follows the receipt of an action the approval stage saw: a new request is published for the
     * approvers; used approvals are recorded, one receipt each; and with {@code hold-wait}, a held call
     * waits for its approvals and proceeds under a receipt of its own if they arrive in time.
     */
    private Decision afterApproval(PolicySnapshot policy, ApprovalResult approval, ReceiptDraft recorded, Decision decision,
                                   ContextAction action) {
        switch (approval.kind()) {
            case APPROVED -> recordUses(approval, recorded);
            case HOLD -> {
                if (!decision.enforced()) {
                    return decision;
                }
                if (approval.opened() != null) {
                    try {
                        approvals.store().open(approval.opened().withSummary(shownToApprovers(recorded), recorded.reason()));
                    } catch (RuntimeException failure) {
                        dev.warden.agent.logging.WardenLog.warn("could not publish approval request " + recorded.id() + ": " + failure.getMessage());
                        return decision;
                    }
                }
                if (holdWait.isZero() || holdWait.isNegative()) {
                    return decision;
                }
                ApprovalResult decided = approvals.await(approval, policy.approvals(), policy.version(), policy.bundle().files(),
                        recorded.actionDigest(), recorded.time(), holdWait, () -> overtaken(policy, recorded.surface(), approval) == null);
                Ruling overtaken = overtaken(policy, recorded.surface(), approval);
                if (overtaken != null) {
                    return endedWait(overtaken, decided, recorded, decision);
                }
                if (decided == null) {
                    return decision;
                }
                // The hold's own obligations: what the rules attached, to bind the permit the approval makes of it.
                Ruling after = decided.applyTo(new Ruling(dev.warden.bootstrap.Outcome.HOLD, recorded.rules(), recorded.reason(),
                        decision.obligations(), java.util.Set.of(), approval.request().tier(), false, true));
                String id = ActionIds.next();
                Map<String, String> summary = new TreeMap<>(recorded.summary());
                summary.putAll(decided.facts());
                ReceiptDraft resumed = new ReceiptDraft(id, clock.instant(), recorded.actor(), recorded.onBehalfOf(), recorded.session(),
                        recorded.surface(), recorded.operation(), recorded.target(), recorded.actionDigest(), summary,
                        after.outcome().name(), true, after.rules(), after.reason(), obligations(after.obligations()), policy.version(),
                        decided.cited());
                try {
                    receipts.record(resumed);
                } catch (ReceiptWriteException | RuntimeException failure) {
                    return decision;
                }
                if (decided.kind() == ApprovalResult.Kind.APPROVED) {
                    recordUses(decided, resumed);
                }
                return new Decision(after.outcome(), true, after.rules(), after.reason(), id, after.obligations());
            }
            default -> {
            }
        }
        return decision;
    }

    /**
     * What the published request says the action would do: its HOLD receipt's summary, and the obligations an approval
     * runs it under ({@value ApprovalStage#OBLIGATIONS}), so that an approver knows a read is masked or limited. The key is
     * one only the decision writes: no action's description brings it.
     */
    private static Map<String, String> shownToApprovers(ReceiptDraft held) {
        if (held.obligations().isEmpty()) {
            return held.summary();
        }
        Map<String, String> shown = new TreeMap<>(held.summary());
        StringBuilder obligations = new StringBuilder();
        new TreeMap<>(held.obligations()).forEach((name, value) ->
                obligations.append(obligations.length() == 0 ? "" : ", ").append(name).append('=').append(value));
        shown.put(ApprovalStage.OBLIGATIONS, obligations.toString());
        return shown;
    }

    /**
     * What keeps a call that waited for its approvals under {@code heldUnder} from running now, or null: a kill switch
     * thrown meanwhile on its surface or on every surface (it refuses every action, this one too), or another policy
     * put in force (the hold, and the approver keys the wait checked, were that policy's: the call stays held, and a
     * retry is decided afresh under the policy in force). Asked after the wait, whatever ended it.
     */
    private Ruling overtaken(PolicySnapshot heldUnder, String surface, ApprovalResult held) {
        String killed = switches.current().killReason(surface);
        if (killed != null) {
            return Ruling.failure(Switchboard.KILL_RULE, "kill switch: " + killed + " (while the call waited for approval "
                    + held.request().id() + ")");
        }
        PolicySnapshot now = policy.current();
        if (now != heldUnder) {
            return new Ruling(dev.warden.bootstrap.Outcome.HOLD, java.util.List.of(held.rule()), "policy " + heldUnder.version()
                    + " was switched to " + now.version() + " while the call waited for approval " + held.request().id()
                    + ": a retry is decided under " + now.version(), Obligations.NONE, java.util.Set.of(), held.request().tier(),
                    false, true);
        }
        return null;
    }

    /**
     * The end of a wait {@link #overtaken} stopped: a receipt of its own, with what became of the request ({@code decided},
     * if the wait took its approvals or rejection just before; else it is still pending, and its approvals are not
     * used). The call is refused; if that receipt cannot be written, as held.
     */
    private Decision endedWait(Ruling overtaken, ApprovalResult decided, ReceiptDraft recorded, Decision held) {
        String id = ActionIds.next();
        Map<String, String> summary = new TreeMap<>(recorded.summary());
        if (decided != null) {
            summary.putAll(decided.facts());
        }
        try {
            receipts.record(new ReceiptDraft(id, clock.instant(), recorded.actor(), recorded.onBehalfOf(), recorded.session(),
                    recorded.surface(), recorded.operation(), recorded.target(), recorded.actionDigest(), summary,
                    overtaken.outcome().name(), true, overtaken.rules(), overtaken.reason(), Map.of(), policy.version()));
        } catch (ReceiptWriteException | RuntimeException failure) {
            return held;
        }
        return new Decision(overtaken.outcome(), true, overtaken.rules(), overtaken.reason(), id, Obligations.NONE);
    }

    /** One receipt per used approval, citing it and the action it was used by. */
    private void recordUses(ApprovalResult approval, ReceiptDraft permit) {
        for (dev.warden.receipts.ApprovalCitation used : approval.cited()) {
            Map<String, String> summary = new TreeMap<>();
            summary.put(ApprovalStage.REQUEST, used.request());
            summary.put(ApprovalStage.STATUS, "used");
            summary.put("approval.approver", used.approver());
            summary.put("approval.action", permit.id());
            try {
                receipts.record(new ReceiptDraft(ActionIds.next(), clock.instant(), permit.actor(), permit.onBehalfOf(),
                        permit.session(), "approval", "use", used.request(), permit.actionDigest(), summary, "PERMIT", true,
                        java.util.List.of(ApprovalStage.APPROVAL_RULE), "approval by " + used.approver() + " of request "
                        + used.request() + " used by action " + permit.id(), Map.of(), permit.policyVersion(),
                        java.util.List.of(used)));
            } catch (ReceiptWriteException | RuntimeException failure) {
                dev.warden.agent.logging.WardenLog.warn("could not record the use of " + used.approver() + "'s approval: " + failure);
            }
        }
    }

    private static Map<String, String> facts(Map<String, String> state, Map<String, String> approval) {
        if (approval.isEmpty()) {
            return state;
        }
        Map<String, String> all = new TreeMap<>(state);
        all.putAll(approval);
        return all;
    }

    private static ContextAction contextAction(String id, Instant time, String surface, DescribedAction described,
                                               String digest, IdentityResolver.Identity identity, java.util.Set<String> labels) {
        ActionDescription description = described.description();
        return new ContextAction(id, time, surface, description.operation(), description.target(), description.targets(),
                description.attributes(), digest, identity.actor(), identity.onBehalfOf(), identity.session(), labels);
    }

    /**
     * The rules' word on the action: recalled when this identity's identical action was ruled on before
     * under the same policy, else evaluated. Only a ruling over the description's own facts is kept:
     * never one that read the context stage's facts (what the agent did before), never a failure, and
     * never one whose reason quotes its action's id. The
     * policy's state rules are checked after, on every action, so a recalled ruling never skips them.
     */
    private Ruling rule(PolicySnapshot policy, String id, String surface, DescribedAction described,
                        IdentityResolver.Identity identity, ContextAction action) {
        String version = policy.version();
        Ruling recalled = reuseRulings ? described.recall(version, identity) : null;
        if (recalled != null) {
            return recalled;
        }
        ActionDescription description = described.description();
        Ruling ruling = policy.evaluate(new Action(id, surface, description.operation(), description.target(),
                description.targets(), description.attributes(), identity.actor(), identity.onBehalfOf(), identity.session())
                .withState(name -> context.view(policy.state(), action).read(name)));
        if (reuseRulings && !ruling.failed() && !ruling.readState()
                && !String.valueOf(ruling.reason()).contains(id)) {
            described.remember(version, identity, ruling);
        }
        return ruling;
    }

    /**
     * Records what a permitted action reported after it ran (a model call's token usage) as a receipt
     * of its own, whose target is the observed action's id, for the identity that action was decided for,
     * with where the state stands after it (the context stage settles budgets and counts tokens).
     */
    @Override
    public void observe(String actionId, String surface, String kind, Map<String, Object> facts) {
        IdentityResolver.Identity identity = actionId == null || facts == null || !USAGE_REPORTING_SURFACE.equals(surface)
                ? null : awaitingUsage.remove(actionId);
        if (identity == null) {
            dev.warden.agent.logging.WardenLog.warn("ignored a report for action " + actionId + " that awaits none");
            return;
        }
        Map<String, String> summary = new TreeMap<>();
        facts.forEach((name, value) -> summary.put(name, truncate(String.valueOf(value))));
        java.util.List<dev.warden.agent.context.BudgetSpend> spent =
                context.observed(actionId, identity.actor(), identity.session(), facts, summary);
        SortedMap<String, String> digested = new TreeMap<>(summary);
        ReceiptDraft report = null;
        try {
            report = new ReceiptDraft(ActionIds.next(), clock.instant(), identity.actor(), identity.onBehalfOf(),
                    identity.session(), surface, kind, actionId, ActionDigest.of(surface, kind, actionId, digested), summary,
                    "PERMIT", true, java.util.List.of(OBSERVATION_RULE), "reported after action " + actionId,
                    Map.of(), policy.version());
            receipts.record(report);
        } catch (ReceiptWriteException | RuntimeException failure) {
            dev.warden.agent.logging.WardenLog.warn("could not record " + kind + " of action " + actionId + ": " + failure);
            report = null;
        }
        observer.reported(report, facts, spent);
    }

    private ActionDescription describe(ActionRequest request) {
        ActionEnricher enricher = enrichers.get(request.surface());
        if (enricher != null) {
            return enricher.describe(request);
        }
        Map<String, String> summary = new LinkedHashMap<>();
        request.attributes().forEach((name, value) -> summary.put(name, String.valueOf(value)));
        String target = request.target() == null ? "" : request.target();
        return new ActionDescription(String.valueOf(request.operation()), target, java.util.Set.of(target),
                request.attributes(), summary);
    }

    private DescribedAction describeOnce(ActionRequest request) {
        return described(request.surface(), describe(request));
    }

    private static DescribedAction described(String surface, ActionDescription description) {
        Map<String, String> summary = new TreeMap<>();
        description.summary().forEach((name, value) -> {
            if (!DecisionKeys.written(name)) { // only the decision writes those: a replay reads them back as decided
                summary.put(name, truncate(value));
            }
        });
        SortedMap<String, String> attributes = digestAttributes(description);
        String digest = ActionDigest.of(surface, description.operation(), description.target(), attributes);
        return new DescribedAction(description, digest,
                () -> ActionDigest.template(surface, description.operation(), description.target(), attributes),
                ReceiptSummary.of(summary));
    }

    private ReceiptDraft draft(PolicySnapshot policy, String id, Instant time, String surface, IdentityResolver.Identity identity,
                               DescribedAction described, String digest, Ruling ruling, boolean enforced,
                               Map<String, String> stateFacts) {
        Map<String, String> summary = described.summary();
        if (!ruling.labels().isEmpty() || ruling.tier() >= 0 || !stateFacts.isEmpty() || ruling.shadow() != null) {
            summary = new TreeMap<>(summary);
            summary.putAll(stateFacts);
            if (ruling.shadow() != null) {
                // What the rules in shadow would have made of it: recorded, never enforced.
                summary.put(SHADOW_OUTCOME, ruling.shadow().outcome().name());
                summary.put(SHADOW_RULES, String.join("; ", ruling.shadow().rules()));
                summary.put(SHADOW_REASON, truncate(ruling.shadow().reason()));
            }
            if (!ruling.labels().isEmpty()) {
                summary.put("labels", String.join(",", ruling.labels()));
            }
            if (ruling.tier() >= 0) {
                summary.put("tier", "T" + ruling.tier());
            }
        }
        ActionDescription description = described.description();
        return new ReceiptDraft(id, time, identity.actor(), identity.onBehalfOf(), identity.session(), surface,
                description.operation(), truncate(description.target(), MAX_RECORDED_TEXT), digest,
                summary, ruling.outcome().name(), enforced, ruling.rules(), truncate(ruling.reason(), MAX_RECORDED_TEXT),
                obligations(ruling.obligations()), policy.version());
    }

    private boolean touchesOwn(Ruling ruling) {
        for (WardensOwn guarded : wardensOwn) {
            if (ruling.rules().contains(guarded.rule())) {
                return true;
            }
        }
        return false;
    }

    /**
     * The digest binds the action exactly, unredacted: an approval for one action must not unlock another.
     * It leaves out what only names the call ({@code tool.callId}: attributes ending in {@value #PER_CALL_SUFFIX}),
     * so that a model repeating a call under a new id repeats the same action, and what the callee never receives
     * ({@value #UNRECEIVED_SUFFIX}: the names of tool arguments no parameter binds), so that a model adding a new member
     * each time repeats it too, and the name a request gave a call another tool runs ({@value #CALLED_AS_SUFFIX}). It adds what the surface binds beyond
     * the facts ({@link ActionDescription#bound()}: an HTTP request's query values).
     */
    private static SortedMap<String, String> digestAttributes(ActionDescription description) {
        SortedMap<String, String> attributes = new TreeMap<>();
        description.attributes().forEach((name, value) -> {
            if (!name.endsWith(PER_CALL_SUFFIX) && !name.endsWith(UNRECEIVED_SUFFIX) && !name.endsWith(CALLED_AS_SUFFIX)) {
                attributes.put(name, value instanceof Collection<?> values ? members(values) : String.valueOf(value));
            }
        });
        attributes.putAll(description.bound());
        return attributes;
    }

    /**
     * A collection as one text that no other collection has: a list's members in order (a command's arguments), any
     * other collection's sorted, each written as the length of its UTF-8 bytes, {@code :} and itself. Joined with commas, sorted,
     * {@code cp f "f f"} and {@code cp "f f" f} were one action, and one approval ran both (a review, 2026-12-06).
     */
    private static String members(Collection<?> values) {
        java.util.stream.Stream<String> members = values.stream().map(String::valueOf);
        StringBuilder text = new StringBuilder();
        (values instanceof java.util.List ? members : members.sorted())
                .forEach(member -> text.append(member.getBytes(java.nio.charset.StandardCharsets.UTF_8).length).append(':').append(member));
        return text.toString();
    }

    private static Map<String, String> obligations(Obligations obligations) {
        if (!obligations.limitsRows() && obligations.redact().isEmpty() && !obligations.maskPii() && !obligations.capsOutput()) {
            return Map.of(); // almost every decision: no map per receipt
        }
        Map<String, String> described = new TreeMap<>();
        if (obligations.limitsRows()) {
            described.put("maxRows", Long.toString(obligations.maxRows()));
        }
        if (!obligations.redact().isEmpty()) {
            described.put("redact", String.join(",", new java.util.TreeSet<>(obligations.redact())));
        }
        if (obligations.maskPii()) {
            described.put("maskPii", "true");
        }
        if (obligations.capsOutput()) {
            described.put("maxOutput", Long.toString(obligations.maxOutputTokens()));
        }
        return described;
    }

    private static String truncate(String value) {
        return truncate(value, MAX_SUMMARY_VALUE);
    }

    /** The digest is made of the whole action before this: only what the receipt shows is cut. */
    private static String truncate(String value, int most) {
        if (value == null || value.length() <= most) {
            return value;
        }
        return value.substring(0, most) + "...[" + (value.length() - most) + " more chars]";
    }
}
