package dev.warden.agent.control;

import dev.warden.agent.config.Mode;
import dev.warden.agent.engine.ActionIds;
import dev.warden.agent.record.ReceiptRecorder;
import dev.warden.bootstrap.Decision;
import dev.warden.receipts.ActionDigest;
import dev.warden.receipts.ReceiptDraft;
import dev.warden.receipts.ReceiptWriteException;

import java.time.Clock;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.Supplier;

/**
 * The operator's live switches: the mode (enforce or shadow) of the agent and of each surface, and the
 * kill switch (refuse everything, on one surface or all, with a reason). The engine reads
 * {@link #current()} once per decision; every switch is a receipt (surface {@code warden}, operation
 * {@code switch}) naming who threw it, what and why.
 *
 * <p>A switch that tightens (a kill, enforce) applies first and is then recorded: an operator stopping an
 * incident is not held back by a full disk, and a failed record is reported to the caller. A switch
 * that loosens (shadow, revive) applies only once its receipt is written.
 */
public final class Switchboard {
    /** The rule of actions refused by a kill switch. */
    public static final String KILL_RULE = "warden.kill-switch";
    /** The rule of a switch's own receipt. */
    public static final String SWITCH_RULE = "warden.switch";
    /** The rule of a loosening switch refused for want of the control key ({@link SwitchKey}). */
    public static final String KEY_RULE = "warden.switch-key";
    static final String SURFACE = "warden";
    static final String OPERATION = "switch";
    static final String ALL = "all";

    private final ReceiptRecorder receipts;   // null: fixed at start, nothing can switch
    private final Set<String> surfaces;
    private final Supplier<String> policyVersion;
    private final Clock clock;
    private volatile Switches current;
    /** Told each time other switches are in force (calls waiting for approval are woken to see them). */
    private final List<Runnable> listeners = new java.util.concurrent.CopyOnWriteArrayList<>();

    private Switchboard(Switches initial, ReceiptRecorder receipts, Set<String> surfaces, Supplier<String> policyVersion, Clock clock) {
        this.current = initial;
        this.receipts = receipts;
        this.surfaces = Set.copyOf(surfaces);
        this.policyVersion = policyVersion;
        this.clock = clock;
    }

    /** Switches that stay as configured (tests, benchmarks, policy tests). */
    public static Switchboard fixed(Mode mode) {
        return new Switchboard(Switches.of(mode), null, Set.of(), () -> null, Clock.systemUTC());
    }

    /** @param surfaces the gated surfaces: what a switch may name */
    public static Switchboard live(Mode mode, ReceiptRecorder receipts, Set<String> surfaces, Supplier<String> policyVersion, Clock clock) {
        return new Switchboard(Switches.of(mode), receipts, surfaces, policyVersion, clock);
    }

    /** The switches now: one volatile read. */
    public Switches current() {
        return current;
    }

    public Set<String> surfaces() {
        return surfaces;
    }

    /** Runs {@code listener} each time a switch is put in force, on the thread that threw it. */
    public void whenSwitched(Runnable listener) {
        listeners.add(listener);
    }

    /** Whether a decision with these rules is applied: always a refusal by Warden itself (a failure, a kill switch). */
    public static boolean enforced(Switches switches, String surface, List<String> rules) {
        return switches.mode(surface) == Mode.ENFORCE || rules.contains(Decision.FAIL_CLOSED_RULE) || rules.contains(KILL_RULE);
    }

    /** @param surface a gated surface, or null / {@code all} for the whole agent */
    public synchronized void mode(Mode mode, String surface, Operator who) throws ReceiptWriteException {
        String target = surface(surface);
        Switches next = current.withMode(target, mode);
        String what = (target == null ? "agent" : target) + " mode " + name(mode);
        Map<String, String> facts = facts("mode", target, who);
        facts.put("mode", name(mode));
        throwSwitch(next, mode == Mode.ENFORCE, facts, what + " (by " + who + ")");
    }

    /** @param surface a gated surface, or null / {@code all} for the whole agent */
    public synchronized void kill(String surface, String reason, Operator who) throws ReceiptWriteException {
        if (reason == null || reason.isBlank()) {
            throw new IllegalArgumentException("a kill switch needs a reason");
        }
        String target = surface(surface);
        String why = reason.strip();
        Map<String, String> facts = facts("kill", target, who);
        facts.put("reason", why);
        throwSwitch(current.withKill(target, why), true, facts,
                "kill switch on " + (target == null ? "every surface" : target) + ": " + why + " (by " + who + ")");
    }

    /** @param surface a gated surface, or null / {@code all}: every kill switch */
    public synchronized void revive(String surface, Operator who) throws ReceiptWriteException {
        String target = surface(surface);
        throwSwitch(current.revived(target), false, facts("revive", target, who),
                "revived " + (target == null ? "every surface" : target) + " (by " + who + ")");
    }

    /**
     * Records a switch that was asked for and refused (a loosening one without the control key): the attempt is
     * evident in the log, and nothing changes. A surface this agent does not gate is recorded as {@code all}.
     *
     * @param kind   the operation asked for: {@code mode} (an attribute's too), {@code revive}, {@code reload} or {@code rollback}
     * @param asked  what it asked for, in its own words (a mode, a version), or null
     */
    public void refused(String kind, String surface, String asked, Operator who, String why) throws ReceiptWriteException {
        requireLive();
        String named = surface == null ? "" : surface.strip().toLowerCase(Locale.ROOT);
        Map<String, String> facts = facts(kind, surfaces.contains(named) ? named : null, who);
        if (asked != null) {
            facts.put("asked", clipped(asked));
        }
        if (!named.isEmpty() && !named.equals(ALL) && !surfaces.contains(named)) {
            facts.put("asked.surface", clipped(surface)); // what was asked for, though no such surface is gated
        }
        record(facts, "DENY", KEY_RULE, "refused " + kind + " (by " + who + "): " + why);
    }

    private static String clipped(String text) {
        return text.length() > 200 ? text.substring(0, 200) : text;
    }

    private void throwSwitch(Switches next, boolean tightens, Map<String, String> facts, String reason) throws ReceiptWriteException {
        requireLive();
        if (tightens) {
            put(next);
        }
        record(facts, "PERMIT", SWITCH_RULE, reason);
        put(next);
    }

    private void put(Switches next) {
        current = next;
        listeners.forEach(Runnable::run);
    }

    private void requireLive() {
        if (receipts == null) {
            throw new IllegalStateException("these switches are fixed");
        }
    }

    private void record(Map<String, String> facts, String outcome, String rule, String reason) throws ReceiptWriteException {
        String target = facts.get("surface");
        receipts.record(new ReceiptDraft(ActionIds.next(), clock.instant(), facts.get("operator"), null, null, SURFACE, OPERATION,
                target, ActionDigest.of(SURFACE, OPERATION, target, new TreeMap<>(facts)), facts, outcome, true,
                List.of(rule), reason, Map.of(), policyVersion.get()));
    }

    private Map<String, String> facts(String kind, String target, Operator who) {
        Map<String, String> facts = new TreeMap<>();
        facts.put("switch", kind);
        facts.put("surface", target == null ? ALL : target);
        facts.put("operator", who.declared());
        facts.put("channel", who.channel());
        return facts;
    }

    /** null for the whole agent; a surface this agent gates; anything else is the caller's mistake. */
    private String surface(String surface) {
        if (surface == null || surface.isBlank() || surface.strip().equalsIgnoreCase(ALL)) {
            return null;
        }
        String name = surface.strip().toLowerCase(Locale.ROOT);
        if (!surfaces.contains(name)) {
            throw new IllegalArgumentException("no gated surface '" + surface + "' (gated: " + String.join(", ", new java.util.TreeSet<>(surfaces)) + ")");
        }
        return name;
    }

    private static String name(Mode mode) {
        return mode.name().toLowerCase(Locale.ROOT);
    }
}
