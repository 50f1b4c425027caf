package dev.warden.agent.budget;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;

/**
 * Token usage reported by model calls, kept per actor and per session for budgets. In memory, for
 * the life of the process; a shared store (for several instances of an app) would sit behind the
 * same two methods.
 */
public final class UsageLedger {

    private final Map<String, LongAdder> byActor = new ConcurrentHashMap<>();
    private final Map<String, LongAdder> bySession = new ConcurrentHashMap<>();

    /** Adds {@code tokens} to both counters (a null actor or session is not counted) and returns their totals. */
    public Totals add(String actor, String session, long tokens) {
        return new Totals(add(byActor, actor, tokens), add(bySession, session, tokens));
    }

    public long actorTokens(String actor) {
        return total(byActor, actor);
    }

    public long sessionTokens(String session) {
        return total(bySession, session);
    }

    /** Running totals after an addition; -1 where there was no actor or session to count for. */
    public record Totals(long actorTokens, long sessionTokens) {
    }

    private static long add(Map<String, LongAdder> counters, String key, long tokens) {
        if (key == null) {
            return -1;
        }
        LongAdder counter = counters.computeIfAbsent(key, ignored -> new LongAdder());
        counter.add(tokens);
        return counter.sum();
    }

    private static long total(Map<String, LongAdder> counters, String key) {
        LongAdder counter = key == null ? null : counters.get(key);
        return counter == null ? 0 : counter.sum();
    }
}
