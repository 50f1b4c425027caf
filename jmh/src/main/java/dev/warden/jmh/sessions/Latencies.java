package dev.warden.jmh.sessions;

import java.util.Arrays;
import java.util.List;

/**
 * One session's timings of one kind of action, in nanoseconds: a fixed array the session's own thread
 * fills (one slot per measured turn), so recording costs no allocation and no lock on the path measured.
 */
final class Latencies {

    private final long[] nanos;
    private int count;

    Latencies(int capacity) {
        nanos = new long[capacity];
    }

    void record(long elapsedNanos) {
        nanos[count++] = elapsedNanos;
    }

    int count() {
        return count;
    }

    /** Every session's timings of one kind together, sorted: the population the percentiles are taken over. */
    static long[] merged(List<Latencies> all) {
        long[] merged = new long[all.stream().mapToInt(Latencies::count).sum()];
        int at = 0;
        for (Latencies one : all) {
            System.arraycopy(one.nanos, 0, merged, at, one.count);
            at += one.count;
        }
        Arrays.sort(merged);
        return merged;
    }

    /** Nearest rank: the smallest value that at least {@code fraction} of the sorted values do not exceed. */
    static long percentile(long[] sorted, double fraction) {
        if (sorted.length == 0) {
            throw new IllegalArgumentException("no values");
        }
        // The epsilon keeps a product such as 0.999 * 1000 that lands a hair above 999 from moving up a rank.
        int rank = (int) Math.ceil(fraction * sorted.length - 1e-9);
        return sorted[Math.max(0, rank - 1)];
    }
}
