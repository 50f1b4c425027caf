package dev.warden.jmh.sessions;

import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;

/**
 * What the host itself did, per {@code surface:operation} as Warden names them: counted where each action
 * is attempted (before Warden can refuse it), so that the receipts can be held against it one for one.
 */
final class ActionCounts {

    private final Map<String, LongAdder> counts = new ConcurrentHashMap<>();

    void add(String surfaceAndOperation) {
        counts.computeIfAbsent(surfaceAndOperation, k -> new LongAdder()).increment();
    }

    /** {@code jdbc:SELECT=1000 model:chat=2000 ...}, sorted by key. */
    String line() {
        StringBuilder line = new StringBuilder();
        new TreeMap<>(counts).forEach((key, count) -> line.append(line.length() == 0 ? "" : " ").append(key).append('=').append(count.sum()));
        return line.toString();
    }

    long total() {
        return counts.values().stream().mapToLong(LongAdder::sum).sum();
    }
}
