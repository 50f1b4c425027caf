package dev.warden.agent.policytest;

import dev.warden.agent.engine.PolicyHolder;
import dev.warden.instrumentation.api.ActionEnricher;
import dev.warden.instrumentation.api.InstrumentationModule;
import dev.warden.rules.CompiledPolicy;
import dev.warden.rules.PolicyBundle;
import dev.warden.rules.PolicyCompilationException;

import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.TimeoutException;

/**
 * A policy compiled for deciding offline (policy tests, replay) with the surfaces' enrichers: what the
 * agent's engine needs besides a clock, a context stage and somewhere to put receipts.
 */
public record OfflinePolicy(PolicyHolder holder, CompiledPolicy compiled, Map<String, ActionEnricher> enrichers) {

    public OfflinePolicy {
        enrichers = Map.copyOf(enrichers);
    }

    /**
     * @throws PolicyCompilationException when the rules do not compile
     */
    public static OfflinePolicy compile(PolicyBundle bundle, Iterable<InstrumentationModule> modules)
            throws PolicyCompilationException, InterruptedException {
        PolicyHolder holder = PolicyHolder.compileInBackground(bundle, Duration.ofMinutes(10), Thread::new);
        CompiledPolicy compiled;
        try {
            compiled = holder.await();
        } catch (TimeoutException e) {
            throw new PolicyCompilationException("the rules did not compile within 10 minutes");
        }
        Map<String, ActionEnricher> enrichers = new HashMap<>();
        for (InstrumentationModule module : modules) {
            if (module.isSurface()) {
                enrichers.put(module.surface(), module.enricher());
            }
        }
        return new OfflinePolicy(holder, compiled, enrichers);
    }
}
