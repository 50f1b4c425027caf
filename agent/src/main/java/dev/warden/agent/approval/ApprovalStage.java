package dev.warden.agent.approval;

import dev.warden.agent.context.ContextAction;
import dev.warden.agent.context.ContextStage;
import dev.warden.agent.context.StateStore;
import dev.warden.bootstrap.Decision;
import dev.warden.bootstrap.Outcome;
import dev.warden.receipts.ApprovalRequest;
import dev.warden.receipts.ApprovalStatement;
import dev.warden.receipts.ApproverKeys;
import dev.warden.receipts.KeyFormatException;
import dev.warden.receipts.SignedApproval;
import dev.warden.receipts.VerificationKey;
import dev.warden.rules.Ruling;
import dev.warden.rules.approvals.ApprovalPolicy;
import dev.warden.rules.approvals.TierApproval;
import dev.warden.rules.state.Per;
import dev.warden.rules.state.Window;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * The approval stage: after the rules permitted an action (or held it) and the state rules let it
 * through, an action of a tier that needs approval is held until enough distinct approvers signed
 * its exact digest. The first hold opens a request (its id is the HOLD receipt's); the same action
 * retried by the same identity finds it, and runs once the approvals are there, using them up.
 * A counted tier ({@code after: 1000, per: actor, window: 1mo}) takes a unit of the context stage's
 * state store while it is under its count, and needs approval beyond it. What the receipt log says of
 * both (the counts, the requests opened and closed) is rebuilt by the context stage's replay
 * ({@link FileApprovalStore#replayedHere}), which the state snapshot brings forward.
 */
public final class ApprovalStage {

    public static final String REQUEST = "approval.request";
    /** How the keys of the tiers' counters begin in the state store. */
    private static final String TIER_COUNTERS = "tier:";
    public static final String STATUS = "approval.status";
    public static final String EXPIRES = "approval.expires";
    public static final String NEEDS = "approval.needs";
    public static final String HAVE = "approval.have";
    public static final String APPROVERS = "approval.approvers";
    public static final String IGNORED = "approval.ignored";
    public static final String COUNTED = "approval.counted";
    /** In a published request's summary: the obligations its approval runs the action under ({@code maxRows=10, redact=ssn}). */
    public static final String OBLIGATIONS = "approval.obligations";
    public static final String PENDING = "pending";
    public static final String APPROVED = "approved";
    public static final String REJECTED = "rejected";
    /** The rule of receipts that record a used approval (not actions of their own). */
    public static final String APPROVAL_RULE = "warden.approval";

    /** A hold the rules asked for, of a tier the approvals say nothing about: one approver, within a day. */
    private static final Duration DEFAULT_WITHIN = Duration.ofHours(24);
    private static final long POLL_MILLIS = 25;

    private final ApprovalStore store;
    private final StateStore counters;
    private final ContextStage context;
    private final Clock clock;
    private volatile Keys keys = new Keys(null, null, null, null);
    /** What waiting calls wait on between looks at the store; {@link #wake} counts in {@code wakes} and notifies it. */
    private final Object wakeup = new Object();
    private long wakes; // guarded by wakeup

    private record Keys(String version, String directory, ApproverKeys approvers, String error) {
    }

    /** @param context the stage whose replay of the receipt log rebuilds what this one knows of the past */
    public ApprovalStage(ApprovalStore store, ContextStage context, Clock clock) {
        this.store = store;
        this.counters = context.store();
        this.context = context;
        this.clock = clock;
    }

    public ApprovalStore store() {
        return store;
    }

    /** Whether what this stage knows of the past is rebuilt by {@code stage}'s replay. */
    public boolean rebuiltBy(ContextStage stage) {
        return context == stage;
    }

    /**
     * The stage's word on one action the rules permitted or held. Never throws: a store or key that
     * cannot be read refuses the action, naming it.
     *
     * @param bundleFiles the policy's files, where its approvers' keys are
     */
    public ApprovalResult check(ApprovalPolicy policy, String policyVersion, Map<String, byte[]> bundleFiles, ZoneId zone,
                                ContextAction action, Ruling ruling) {
        int tier = ruling.tier();
        TierApproval needs = tier >= 0 ? policy.forTier(tier) : null;
        boolean ruledHold = ruling.outcome() == Outcome.HOLD;
        if (needs == null && !ruledHold) {
            return ApprovalResult.NONE;
        }
        if (ruling.outcome() != Outcome.PERMIT && !ruledHold) {
            return ApprovalResult.NONE;
        }
        if (needs == null) {
            needs = new TierApproval(tier, 1, DEFAULT_WITHIN, 0, Per.ACTOR, null);
        }
        RuntimeException unreplayed = context.replayFailure();
        if (unreplayed != null) {
            // What the log says was approved, closed or counted cannot be known: not guessed at.
            return failed("the approvals could not be rebuilt from the receipt log: "
                    + (unreplayed.getMessage() != null ? unreplayed.getMessage() : unreplayed.toString()));
        }
        try {
            Map<String, String> facts = new LinkedHashMap<>();
            dev.warden.agent.context.StateCheck.Settlement settlement = null;
            if (!needs.always() && !ruledHold) {
                String key = counterKey(needs, action);
                Window.Span span = needs.window().span(action.time(), zone);
                StateStore.Acquisition taken = counters.acquire(key, span, 1, needs.after());
                String counted = "T" + tier + " " + (taken.before() + 1) + " of " + needs.after() + " "
                        + needs.window().describe() + " for " + action.ownerText(needs.per());
                if (taken.granted()) {
                    facts.put(COUNTED, counted);
                    return new ApprovalResult(ApprovalResult.Kind.NONE, null, null, facts, List.of(), null, null,
                            proceeded -> {
                                if (!proceeded) {
                                    counters.adjust(key, taken.bucket(), span.expiresAtMillis(), -1);
                                }
                            });
                }
                facts.put(COUNTED, counted + ": beyond " + needs.after() + ", needs approval");
            }
            Keys approvers = keys(policy, policyVersion, bundleFiles);
            String rule = "approval:" + (tier >= 0 ? "T" + tier : "hold");
            if (approvers.error() != null) {
                return failed("approvers' keys cannot be read: " + approvers.error());
            }
            Instant now = clock.instant();
            ApprovalRequest pending = store.pending(key(action), now);
            if (pending != null) {
                ApprovalResult decided = evaluate(askedNow(pending, needs), action.digest(), approvers.approvers(), rule, now,
                        facts, settlement);
                if (decided != null) {
                    return decided;
                }
                // closed meanwhile by another action: this one is held anew
            }
            ApprovalRequest opened = new ApprovalRequest(action.id(), action.time(), now.plus(needs.within()), action.digest(),
                    tier, needs.approvers(), encoded(approvers.approvers()), policyVersion, action.actor(), action.onBehalfOf(),
                    action.session(), action.surface(), action.operation(), action.target(), new TreeMap<>(),
                    ruledHold ? ruling.reason() : "tier T" + tier + " needs " + needs.describe());
            facts.put(REQUEST, opened.id());
            facts.put(STATUS, PENDING);
            facts.put(EXPIRES, ApprovalStatement.time(opened.expires()));
            facts.put(NEEDS, Integer.toString(opened.needs()));
            facts.put(HAVE, "0");
            facts.put(APPROVERS, policy.approversDirectory() == null ? "" : policy.approversDirectory());
            return new ApprovalResult(ApprovalResult.Kind.HOLD, rule, awaiting(opened, opened.needs(), 0), facts, List.of(), opened, opened, null);
        } catch (RuntimeException failure) {
            return failed("approvals " + store.describe() + " could not answer: "
                    + (failure.getMessage() != null ? failure.getMessage() : failure.toString()));
        }
    }

    /**
     * Waits, until {@code wait} after the hold was decided by the gate's clock (and at most {@code wait}
     * by the wall clock), for the approvals of a request the action was just held under. Returns the
     * approval or rejection, or null when the wait ran out or {@code stands} said it may not go on (the hold stands;
     * the request is left as it is).
     *
     * @param heldAt when the hold was decided (its receipt's time): the wait counts from the decision,
     *               not from whenever this thread gets to ask
     * @param stands whether the wait may go on (no kill switch, the same policy): asked before each look at the
     *               store, and at once when {@link #wake} is called
     */
    public ApprovalResult await(ApprovalResult held, ApprovalPolicy policy, String policyVersion, Map<String, byte[]> bundleFiles,
                                String digest, Instant heldAt, Duration wait, java.util.function.BooleanSupplier stands) {
        ApprovalRequest request = held.request();
        Instant until = heldAt.plus(wait);
        long wallDeadline = System.nanoTime() + wait.toNanos();
        String unanswered = null;
        try {
            while (true) {
                long seen = wakes();
                if (!stands.getAsBoolean()) {
                    return null; // asked before the store: a request is not closed for a call that may not run
                }
                Instant now = clock.instant();
                if (!now.isBefore(until) || !now.isBefore(request.expires()) || System.nanoTime() - wallDeadline >= 0) {
                    return null;
                }
                Keys approvers = keys(policy, policyVersion, bundleFiles);
                if (approvers.error() != null) {
                    return null;
                }
                try {
                    ApprovalResult decided = evaluate(request, digest, approvers.approvers(), held.rule(), now,
                            new LinkedHashMap<>(), null);
                    if (decided == null) {
                        return null; // closed by another action
                    }
                    if (decided.kind() != ApprovalResult.Kind.HOLD) {
                        return decided;
                    }
                } catch (RuntimeException failure) {
                    // A store that did not answer this time (slower than its timeout) is asked again until the wait ends.
                    if (unanswered == null) {
                        unanswered = String.valueOf(failure.getMessage());
                        dev.warden.agent.logging.WardenLog.warn("approvals " + store.describe() + " did not answer while "
                                + request.id() + " waits (" + unanswered + "); asking again");
                    }
                }
                pause(seen);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return null;
        }
    }

    /**
     * Wakes every waiting call to ask again whether its wait stands: the operator's switches or the policy in force
     * changed. A kill switch ends a wait at once, not at the wait's next look at the store or at its end.
     */
    public void wake() {
        synchronized (wakeup) {
            wakes++;
            wakeup.notifyAll();
        }
    }

    private long wakes() {
        synchronized (wakeup) {
            return wakes;
        }
    }

    /** Until the next look at the store, or a {@link #wake} since {@code seen} (one before this call is not missed). */
    private void pause(long seen) throws InterruptedException {
        synchronized (wakeup) {
            if (wakes == seen) {
                wakeup.wait(POLL_MILLIS);
            }
        }
    }

    /**
     * The request a retry found, as the policy in force asks it: what the request names was the policy's when it was opened
     * (or a store the application can reach was written to), so it needs never fewer approvers than this action's tier now
     * does. The retry's wait ({@code hold-wait}) counts the same: it counted the request's own, and ran on one approval
     * what the policy, raised to two meanwhile or moving the action to a tier of two, asked two for (an eleventh review,
     * 2026-12-07).
     */
    private static ApprovalRequest askedNow(ApprovalRequest pending, TierApproval needs) {
        return pending.needs() >= needs.approvers() ? pending : pending.withNeeds(needs.approvers());
    }

    /**
     * The request's delivered decisions, checked: a valid rejection closes it (rejected); enough valid,
     * distinct approvals close it (approved, theirs to use now); otherwise it is still held. Null when
     * the request was closed meanwhile by another action.
     */
    private ApprovalResult evaluate(ApprovalRequest request, String digest, ApproverKeys approvers, String rule,
                                    Instant now, Map<String, String> facts,
                                    dev.warden.agent.context.StateCheck.Settlement settlement) {
        int needs = request.needs();
        ApprovalStore.Delivered delivered = store.decisions(request.id());
        List<String> ignored = new ArrayList<>(delivered.unreadable());
        List<SignedApproval> approvals = new ArrayList<>();
        SignedApproval rejection = null;
        Set<String> names = new HashSet<>();
        Set<VerificationKey> signers = new HashSet<>();
        for (SignedApproval decision : delivered.readable()) {
            String why = invalid(decision, request, digest, approvers, now);
            if (why != null) {
                ignored.add(decision.approver() + ": " + why);
                continue;
            }
            if (!decision.statement().approves()) {
                rejection = decision;
                break;
            }
            VerificationKey key = approvers.of(decision.approver());
            if (names.add(decision.approver()) && signers.add(key)) {
                approvals.add(decision);
            } else {
                ignored.add(decision.approver() + ": the same approver (key) again");
            }
        }
        facts.put(REQUEST, request.id());
        facts.put(EXPIRES, ApprovalStatement.time(request.expires()));
        facts.put(NEEDS, Integer.toString(needs));
        if (!ignored.isEmpty()) {
            facts.put(IGNORED, String.join("; ", ignored));
        }
        if (rejection != null) {
            if (!store.close(request, REJECTED)) {
                return null;
            }
            facts.put(STATUS, REJECTED);
            String reason = "request " + request.id() + " was rejected by " + rejection.approver()
                    + (rejection.reason() == null ? "" : ": " + rejection.reason());
            return new ApprovalResult(ApprovalResult.Kind.REJECTED, rule, reason, facts, List.of(rejection.citation()), null,
                    request, settlement);
        }
        if (approvals.size() >= needs) {
            List<SignedApproval> used = approvals.subList(0, needs);
            if (!store.close(request, APPROVED)) {
                return null;
            }
            facts.put(STATUS, APPROVED);
            facts.put(HAVE, Integer.toString(used.size()));
            String reason = "approved by " + String.join(", ", used.stream().map(SignedApproval::approver).toList())
                    + " (request " + request.id() + ")";
            return new ApprovalResult(ApprovalResult.Kind.APPROVED, rule, reason, facts,
                    used.stream().map(SignedApproval::citation).toList(), null, request, settlement);
        }
        facts.put(STATUS, PENDING);
        facts.put(HAVE, Integer.toString(approvals.size()));
        return new ApprovalResult(ApprovalResult.Kind.HOLD, rule, awaiting(request, needs, approvals.size()), facts, List.of(), null,
                request, settlement);
    }

    /** Why a decision does not count for this request and action; null when it does. */
    private static String invalid(SignedApproval decision, ApprovalRequest request, String digest, ApproverKeys approvers,
                                  Instant now) {
        ApprovalStatement statement = decision.statement();
        VerificationKey key = approvers.of(decision.approver());
        if (key == null) {
            return "not an approver of this policy";
        }
        if (!statement.request().equals(request.id())) {
            return "signed for request " + statement.request();
        }
        if (!statement.digest().equals(digest)) {
            return "signed for another action (digest " + statement.digest() + ")";
        }
        if (!decision.verifiedBy(key)) {
            return "the signature does not verify under " + decision.approver() + "'s key";
        }
        if (statement.expires().isAfter(request.expires())) {
            return "expires after its request does";
        }
        if (!statement.expires().isAfter(now)) {
            return "expired at " + ApprovalStatement.time(statement.expires());
        }
        return null;
    }

    private static String awaiting(ApprovalRequest request, int needs, int have) {
        return "awaiting approval " + request.id() + " (" + needs + (needs == 1 ? " approver" : " distinct approvers")
                + ", " + have + " so far, until " + ApprovalStatement.time(request.expires()) + ")";
    }

    private ApprovalResult failed(String reason) {
        return new ApprovalResult(ApprovalResult.Kind.FAILED, Decision.FAIL_CLOSED_RULE, reason, Map.of(), List.of(), null, null, null);
    }

    /** Which action a request is for: its digest and who asks for whom, in which session. */
    public static String key(ContextAction action) {
        return key(action.digest(), action.actor(), action.onBehalfOf(), action.session());
    }

    static String key(ApprovalRequest request) {
        return key(request.digest(), request.actor(), request.onBehalfOf(), request.session());
    }

    private static String key(String digest, String actor, String onBehalfOf, String session) {
        String identity = String.valueOf(actor) + '\u0000' + onBehalfOf + '\u0000' + session;
        return digest + ":" + java.util.HexFormat.of().formatHex(dev.warden.bootstrap.JdkCrypto.sha256()
                .digest(identity.getBytes(StandardCharsets.UTF_8)));
    }

    static String counterKey(TierApproval needs, ContextAction action) {
        return TIER_COUNTERS + "T" + needs.tier() + ":" + action.owner(needs.per());
    }

    private Keys keys(ApprovalPolicy policy, String version, Map<String, byte[]> files) {
        Keys known = keys;
        String directory = policy.approversDirectory();
        if (version != null && version.equals(known.version()) && java.util.Objects.equals(directory, known.directory())) {
            return known;
        }
        Keys made;
        try {
            // Without an approvers directory nobody can approve: a hold the rules ask for stands.
            made = new Keys(version, directory, ApproverKeys.from(directory == null ? Map.of() : files,
                    directory == null ? "" : directory), null);
        } catch (KeyFormatException e) {
            made = new Keys(version, directory, null, e.getMessage());
        }
        keys = made;
        return made;
    }

    private static SortedMap<String, String> encoded(ApproverKeys approvers) {
        SortedMap<String, String> encoded = new TreeMap<>();
        approvers.all().forEach((name, key) -> encoded.put(name, Base64.getEncoder().encodeToString(key.raw())));
        return encoded;
    }
}
