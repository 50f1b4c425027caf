package dev.warden.receipts;

import java.util.Arrays;

/**
 * The last few values one receipt field was read as, each with the exact bytes it was read from: receipts
 * repeat most fields (actor, surface, rules, summary ...), so a reader that finds the same bytes again
 * takes the value already made instead of allocating it anew. Only for immutable values, and only bytes
 * that were read successfully: the same bytes read again would give an equal value. One per thread.
 */
final class RecentValues {
    private static final int SIZE = 4;

    private final byte[][] encoded = new byte[SIZE][];
    private final Object[] values = new Object[SIZE];
    private int next;
    private int lastFound;

    /** The index of a value whose bytes {@code b} holds at {@code at}, or -1. The one found last time is tried first. */
    int find(byte[] b, int at) {
        if (holds(lastFound, b, at)) {
            return lastFound;
        }
        for (int i = 0; i < SIZE; i++) {
            if (i != lastFound && holds(i, b, at)) {
                lastFound = i;
                return i;
            }
        }
        return -1;
    }

    private boolean holds(int i, byte[] b, int at) {
        byte[] e = encoded[i];
        if (e == null) {
            return false;
        }
        int end = at + e.length;
        // The last byte first: where a value of another length ends, the new bytes rarely hold the same closing quote or bracket.
        return end <= b.length && b[end - 1] == e[e.length - 1] && Arrays.equals(e, 0, e.length, b, at, end);
    }

    Object value(int i) {
        return values[i];
    }

    /** How many bytes the value at {@code i} was read from. */
    int length(int i) {
        return encoded[i].length;
    }

    /** Keeps {@code value}, read from {@code b[from, to)}, in place of the oldest. */
    void keep(byte[] b, int from, int to, Object value) {
        encoded[next] = Arrays.copyOfRange(b, from, to);
        values[next] = value;
        lastFound = next;
        next = (next + 1) % SIZE;
    }
}
