package dev.warden.agent.context;

import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The model calls of each budget that hold a reservation in this JVM and have not reported their usage yet. A call's
 * estimate is only as good as the text's tokens per character, which whoever writes the text chooses: alone, a call
 * overshoots by its own error at most, but calls running together would each reserve too little and overshoot
 * together. So a call that joins others in flight reserves its bound ({@link Budgets}). A call that never reports
 * stops counting after {@link #FORGOTTEN_AFTER_MILLIS}.
 */
final class CallsInFlight {

    static final long FORGOTTEN_AFTER_MILLIS = 10 * 60_000L;
    private static final int MAX_KEYS = 100_000;

    /** Each key's calls and when they started; changed only inside the map's {@code compute}, one key at a time. */
    private final Map<String, Map<String, Long>> byKey = new ConcurrentHashMap<>();

    /** Counts {@code callId} in flight for {@code key}; whether no other call was (atomically, against every other join). */
    boolean joinAlone(String key, String callId, long nowMillis) {
        if (byKey.size() >= MAX_KEYS) {
            byKey.clear(); // sessions by the hundred thousand: the next calls reserve estimates again
        }
        boolean[] alone = new boolean[1];
        byKey.compute(key, (k, calls) -> {
            Map<String, Long> live = calls == null ? new HashMap<>() : calls;
            live.values().removeIf(started -> nowMillis - started > FORGOTTEN_AFTER_MILLIS);
            alone[0] = live.isEmpty();
            live.put(callId, nowMillis);
            return live;
        });
        return alone[0];
    }

    /** The call ran under another id (a held call resumed), which its usage report will name. */
    void renamed(String key, String from, String to) {
        byKey.computeIfPresent(key, (k, calls) -> {
            Long started = calls.remove(from);
            if (started != null) {
                calls.put(to, started);
            }
            return calls;
        });
    }

    /** The call reported, or did not run. */
    void left(String key, String callId) {
        byKey.computeIfPresent(key, (k, calls) -> {
            calls.remove(callId);
            return calls.isEmpty() ? null : calls;
        });
    }
}
