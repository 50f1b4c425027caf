package dev.warden.receipts;

import java.util.Set;

/** The four outcomes a decision can have (DESIGN §4). Kept as strings so the format stays open to readers. */
final class Outcomes {
    static final Set<String> KNOWN = Set.of("PERMIT", "DENY", "SILENCE", "HOLD");

    private Outcomes() {
    }

    static String requireKnown(String outcome) {
        // Every receipt's draft comes here: the engine passes the constants' own strings, compared by reference first.
        if (outcome != "PERMIT" && outcome != "DENY" && outcome != "SILENCE" && outcome != "HOLD" && !KNOWN.contains(outcome)) {
            throw new IllegalArgumentException("outcome must be one of " + KNOWN + ", not " + outcome);
        }
        return outcome;
    }
}
