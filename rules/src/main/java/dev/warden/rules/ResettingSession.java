package dev.warden.rules;

import org.kie.api.event.rule.AgendaEventListener;
import org.kie.api.runtime.KieSessionsPool;
import org.kie.api.runtime.StatelessKieSession;

import java.util.List;

/**
 * A pooled stateless session: Drools resets every node memory of the policy after each evaluation,
 * so its cost grows with the number of rules. Used only for policies a {@link RetractingSession}
 * cannot empty (see {@link RetractingSession#unsupportedBy}).
 */
final class ResettingSession implements RuleSession {

    private final StatelessKieSession session;

    ResettingSession(KieSessionsPool pool, Verdict verdict, AgendaEventListener listener) {
        session = pool.newStatelessKieSession();
        if (verdict != null) {
            session.setGlobal(CompiledPolicy.VERDICT_GLOBAL, verdict);
        }
        session.addEventListener(listener);
    }

    @Override
    public void fire(Object[] facts) {
        if (facts.length == 1) {
            session.execute(facts[0]);
        } else {
            session.execute(List.of(facts));
        }
    }

    @Override
    public void discard() {
        // Nothing to give back: every execute leaves the pooled session reset.
    }
}
