package dev.warden.agent.context;

import dev.warden.rules.state.Window;

import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Map;

/**
 * The tokens model calls reported, per actor and per session, for as long as the state lives (and
 * rebuilt from the receipt log like the rest). Rules read them as {@code usage.actor.total} and
 * {@code usage.session.total}; each usage receipt records them after its call.
 */
final class TokenUsage implements StateContributor {

    private static final Window.Span FOREVER = Window.FOREVER.span(Instant.EPOCH, ZoneOffset.UTC);

    static final String ACTOR_TOTAL = "usage.actor.total";
    static final String SESSION_TOTAL = "usage.session.total";

    private final StateStore store;

    TokenUsage(StateStore store) {
        this.store = store;
    }

    @Override
    public void check(ContextAction action, StateCheck check) {
        // Nothing to reserve: budgets do that. The totals are facts for rules and receipts.
    }

    @Override
    public void observed(String actor, String session, Map<String, Object> usage, Map<String, String> facts) {
        long tokens = tokens(usage.get("usage.total"), usage.get("usage.input"), usage.get("usage.output"));
        if (tokens < 0) {
            return;
        }
        facts.put("usage.actor.total", Long.toString(add("actor:" + actor, tokens)));
        facts.put("usage.session.total", Long.toString(add(session(actor, session), tokens)));
    }

    /**
     * Whose session total a call counts in: its session's, else its actor's calls made with no session, as a budget
     * counts them ({@link ContextAction#owner}). Before the ninth review (2026-12-07) a call with no session (a streaming
     * model called directly, no memory id) counted in none and read 0, so no rule on {@code usage.session.total} held it.
     */
    private static String session(String actor, String session) {
        return session != null ? "session:" + session : "no-session:" + actor;
    }

    @Override
    public void replay(PastAction past, long nowMillis) {
        if (!past.observation() || !"usage".equals(past.action().operation())) {
            return;
        }
        Map<String, String> summary = past.summary();
        long tokens = tokens(number(summary.get("usage.total")), number(summary.get("usage.input")), number(summary.get("usage.output")));
        if (tokens >= 0) {
            add("actor:" + past.action().actor(), tokens);
            add(session(past.action().actor(), past.action().session()), tokens);
        }
    }

    @Override
    public java.util.Set<String> factNames() {
        return java.util.Set.of(ACTOR_TOTAL, SESSION_TOTAL);
    }

    @Override
    public boolean assume(String name, Object value, ContextAction action) {
        if (name.equals(ACTOR_TOTAL)) {
            add("actor:" + action.actor(), Assumed.count(name, value));
            return true;
        }
        if (name.equals(SESSION_TOTAL)) {
            add(session(action.actor(), action.session()), Assumed.count(name, value));
            return true;
        }
        return false;
    }

    @Override
    public Object fact(String name, ContextAction action) {
        return switch (name) {
            case ACTOR_TOTAL -> store.total("usage:actor:" + action.actor(), FOREVER);
            case SESSION_TOTAL -> store.total("usage:" + session(action.actor(), action.session()), FOREVER);
            default -> null;
        };
    }

    private long add(String owner, long tokens) {
        store.adjust("usage:" + owner, FOREVER.current(), FOREVER.expiresAtMillis(), tokens);
        return store.total("usage:" + owner, FOREVER);
    }

    /**
     * The larger of the reported total and input plus output ({@link ReportedTokens}: until the tenth review, 2026-12-07,
     * the total alone when it was said, so a provider reporting a total of 1 for 600 tokens of parts added 1); -1 when
     * the report says none of them. Never negative counts.
     */
    private static long tokens(Object total, Object input, Object output) {
        ReportedTokens reported = ReportedTokens.of(input, output, total);
        return reported.said() ? reported.total() : -1;
    }

    private static Long number(String value) {
        try {
            return value == null ? null : Long.valueOf(value.trim());
        } catch (NumberFormatException e) {
            return null;
        }
    }
}
