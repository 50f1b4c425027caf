package dev.warden.instrumentation.api;

import dev.warden.bootstrap.ActionRequest;

import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Turns what the advice saw into what rules and receipts see. Must be a pure function of the
 * request: the engine caches descriptions per distinct request, so a statement executed repeatedly
 * is described once. A surface whose description reads the disk (where a path or a program's link
 * leads) makes each request unique instead, with a call number its enricher drops. Anything shared by many distinct requests (a SQL shape with different
 * literals, a URL's host) is worth caching here too, bounded.
 */
public interface ActionEnricher {

    ActionDescription describe(ActionRequest request);

    /**
     * Every operation and attribute name {@link #describe} can produce, the advice's raw attributes
     * included: what the rule linter checks rules against. Each surface tests that its descriptions
     * stay within it.
     */
    FactModel facts();

    /**
     * The action as a receipt recorded it, for {@code replay}: the facts its summary keeps (redacted),
     * typed as {@link #describe} types them, with what the summary leaves out because the operation or
     * target already says it. Decision outputs (labels, tier, state and approval facts) are not passed.
     * The default reads every summary value with {@link RecordedFacts#value} and takes the target as
     * the only one touched.
     */
    default ActionDescription recorded(String operation, String target, Map<String, String> summary) {
        return new ActionDescription(operation, target, target == null || target.isEmpty() ? Set.of() : Set.of(target),
                RecordedFacts.typed(summary, Set.of()), summary);
    }

    /**
     * What this surface's receipts do not keep, so that replay cannot see it (one phrase each:
     * "SQL literals are masked: rules see the statement's shape").
     */
    default List<String> unrecorded() {
        return List.of();
    }
}
