package dev.warden.rules;

import org.drools.base.base.ClassObjectType;
import org.drools.base.definitions.rule.impl.RuleImpl;
import org.drools.base.rule.EntryPointId;
import org.drools.core.impl.InternalRuleBase;
import org.drools.core.reteoo.EntryPointNode;
import org.drools.core.reteoo.ObjectTypeNode;
import org.kie.api.KieBase;
import org.kie.api.definition.KiePackage;
import org.kie.api.definition.rule.Rule;
import org.kie.api.event.rule.AgendaEventListener;
import org.kie.api.runtime.KieSession;
import org.kie.api.runtime.KieSessionsPool;
import org.kie.api.runtime.rule.EntryPoint;
import org.kie.api.runtime.rule.FactHandle;

import java.util.Collection;

/**
 * A pooled stateful session that is emptied after each evaluation by deleting every fact in it: the
 * facts inserted for the evaluation and whatever the rules inserted. Drools then drops only the
 * partial matches and matches those facts made, so the cost follows what matched, not the number of
 * rules (a stateless session resets every node memory of the policy instead: over half the time of
 * an evaluation at 1,000 rules).
 *
 * <p>That empties the session only when every match holds one of the deleted facts. A rule whose
 * conditions Drools joins to its internal initial fact (an empty {@code when}, or one that starts with
 * {@code not}, {@code exists}, {@code forall} or {@code accumulate}) keeps its match, fired once,
 * across evaluations, where it must fire in every evaluation; a timer outlives its evaluation. Such
 * policies keep the {@link ResettingSession}.
 */
final class RetractingSession implements RuleSession {

    private final KieSession session;

    RetractingSession(KieSessionsPool pool, Verdict verdict, AgendaEventListener listener) {
        session = pool.newKieSession();
        if (verdict != null) {
            session.setGlobal(CompiledPolicy.VERDICT_GLOBAL, verdict);
        }
        session.addEventListener(listener);
    }

    /** Why deleting the facts would not empty a session of {@code base}, or null when it would. */
    static String unsupportedBy(KieBase base) {
        EntryPointNode facts = ((InternalRuleBase) base).getRete().getEntryPointNode(EntryPointId.DEFAULT);
        ObjectTypeNode initialFact = facts == null ? null : facts.getObjectTypeNodes().get(ClassObjectType.InitialFact_ObjectType);
        // Every rule base has the initial fact's node; only a rule that needs the fact is joined below it.
        if (initialFact != null && !initialFact.getObjectSinkPropagator().isEmpty()) {
            return "a rule matches without a fact (empty when, or a leading not, exists, forall or accumulate)";
        }
        for (KiePackage kiePackage : base.getKiePackages()) {
            for (Rule rule : kiePackage.getRules()) {
                if (rule instanceof RuleImpl impl && impl.getTimer() != null) {
                    return "rule '" + rule.getName() + "' has a timer";
                }
            }
        }
        return null;
    }

    @Override
    public void fire(Object[] facts) {
        for (Object fact : facts) {
            session.insert(fact);
        }
        session.fireAllRules();
        for (EntryPoint entryPoint : session.getEntryPoints()) {
            deleteAll(entryPoint);
        }
    }

    /** Deletes every fact of {@code entryPoint}: those inserted for the evaluation, by rules, or logically. */
    private static void deleteAll(EntryPoint entryPoint) {
        Collection<FactHandle> handles = entryPoint.getFactHandles();
        if (handles.isEmpty()) {
            return;
        }
        for (FactHandle handle : handles.toArray(FactHandle[]::new)) {
            entryPoint.delete(handle);
        }
    }

    @Override
    public void discard() {
        // A pooled session goes back to its pool reset; the next evaluator takes a clean one.
        session.dispose();
    }
}
