package dev.warden.agent.policytest;

import dev.warden.agent.config.Mode;
import dev.warden.agent.context.ContextAction;
import dev.warden.agent.context.ContextStage;
import dev.warden.agent.context.History;
import dev.warden.agent.context.InProcessStateStore;
import dev.warden.agent.engine.PolicyHolder;
import dev.warden.agent.record.ReceiptRecorder;
import dev.warden.agent.engine.WardenEngine;
import dev.warden.agent.identity.IdentityResolver;
import dev.warden.bootstrap.ActionRequest;
import dev.warden.instrumentation.api.ActionEnricher;
import dev.warden.instrumentation.api.InstrumentationModule;
import dev.warden.receipts.ReceiptDraft;
import dev.warden.rules.CompiledPolicy;
import dev.warden.rules.PolicyBundle;
import dev.warden.rules.PolicyCompilationException;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * Runs policy tests offline exactly as the agent decides: each action goes through the agent's own
 * {@link WardenEngine} — the surface's enricher, the rules, the context stage (in a fresh in-process store
 * holding the test's facts of the past) — in enforce mode, with the ruling cache off, and what it would
 * have recorded is compared with the expectation. Nothing is re-implemented here; only the receipt log
 * is replaced by memory.
 */
public final class PolicyTestRunner {

    /** The actor of a test that names none, as the agent's default {@code actor}. */
    static final String DEFAULT_ACTOR = "agent";

    private final PolicyHolder policy;
    private final CompiledPolicy compiled;
    private final Map<String, ActionEnricher> enrichers;
    private final Clock clock;
    private final Set<String> decidedBy = new HashSet<>();

    /**
     * @throws PolicyCompilationException when the rules do not compile
     */
    public PolicyTestRunner(PolicyBundle bundle, Iterable<InstrumentationModule> modules, Clock clock)
            throws PolicyCompilationException, InterruptedException {
        OfflinePolicy offline = OfflinePolicy.compile(bundle, modules);
        this.policy = offline.holder();
        this.compiled = offline.compiled();
        this.enrichers = offline.enrichers();
        this.clock = clock;
    }

    public PolicyTestRunner(PolicyBundle bundle, Iterable<InstrumentationModule> modules)
            throws PolicyCompilationException, InterruptedException {
        this(bundle, modules, Clock.fixed(Instant.now(), ZoneOffset.UTC));
    }

    public String version() {
        return compiled.version();
    }

    /** Every rule of the policy (hand-written and compiled from YAML roles). */
    public Set<String> rules() {
        return compiled.ruleNames();
    }

    /** The rules no test run so far was decided by. */
    public Set<String> unexercised() {
        Set<String> left = new TreeSet<>(rules());
        left.removeAll(decidedBy);
        return left;
    }

    public PolicyTestResult run(PolicyTest test) {
        long started = System.nanoTime();
        if (!enrichers.containsKey(test.surface())) {
            return failed(test, "unknown surface '" + test.surface() + "' (surfaces: " + String.join(", ", new TreeSet<>(enrichers.keySet())) + ")", started);
        }
        List<ReceiptDraft> drafts = new ArrayList<>();
        ContextStage context = new ContextStage(new InProcessStateStore(clock::millis), History.NONE, clock::millis);
        String actor = test.actor() == null ? DEFAULT_ACTOR : test.actor();
        ContextAction past = new ContextAction("policy-test", clock.instant(), test.surface(), test.operation(), test.target(),
                Set.of(), Map.of(), "", actor, test.onBehalfOf(), test.session(), Set.of());
        try {
            List<String> unknown = context.assume(compiled.state(), past, test.context());
            if (!unknown.isEmpty()) {
                return failed(test, "the policy keeps no context fact " + String.join(", ", unknown)
                        + " (it keeps " + String.join(", ", context.factNames(compiled.state())) + ")", started);
            }
        } catch (IllegalArgumentException e) {
            return failed(test, e.getMessage(), started);
        }
        WardenEngine engine = new WardenEngine(enrichers, new IdentityResolver(DEFAULT_ACTOR), policy,
                ReceiptRecorder.capturing(drafts::add), Mode.ENFORCE, false, context, clock);
        engine.decide(new ActionRequest(test.surface(), test.operation(), test.target(), identified(test)));
        ReceiptDraft draft = drafts.get(drafts.size() - 1);
        decidedBy.addAll(draft.rules());
        return new PolicyTestResult(test, draft.outcome(), draft.rules(), draft.reason(), draft.obligations(),
                failures(test.expect(), draft), null, (System.nanoTime() - started) / 1_000_000);
    }

    /** The identity rides on the request as the hints LangChain4j's advice gives ({@code actor}, {@code onBehalfOf}, {@code session}). */
    private static Map<String, Object> identified(PolicyTest test) {
        Map<String, Object> attributes = new HashMap<>(test.attributes());
        attributes.put("actor", test.actor() == null ? DEFAULT_ACTOR : test.actor());
        if (test.onBehalfOf() != null) {
            attributes.put("onBehalfOf", test.onBehalfOf());
        }
        if (test.session() != null) {
            attributes.put("session", test.session());
        }
        return attributes;
    }

    private static List<String> failures(PolicyTest.Expectation expect, ReceiptDraft draft) {
        List<String> failures = new ArrayList<>();
        if (!expect.outcome().equals(draft.outcome())) {
            failures.add("outcome: expected " + expect.outcome() + ", got " + draft.outcome() + " (" + draft.reason() + ")");
        }
        if (expect.rules() != null && !new TreeSet<>(expect.rules()).equals(new TreeSet<>(draft.rules()))) {
            failures.add("rules: expected " + expect.rules() + ", got " + draft.rules());
        }
        if (expect.rule() != null && !draft.rules().contains(expect.rule())) {
            failures.add("rule: expected '" + expect.rule() + "' among " + draft.rules());
        }
        if (expect.obligations() != null && !expect.obligations().equals(draft.obligations())) {
            failures.add("obligations: expected " + expect.obligations() + ", got " + draft.obligations());
        }
        if (expect.reason() != null && (draft.reason() == null || !draft.reason().contains(expect.reason()))) {
            failures.add("reason: expected it to contain '" + expect.reason() + "', got '" + draft.reason() + "'");
        }
        return failures;
    }

    private static PolicyTestResult failed(PolicyTest test, String error, long started) {
        return new PolicyTestResult(test, "", List.of(), "", Map.of(), List.of(), error, (System.nanoTime() - started) / 1_000_000);
    }
}
