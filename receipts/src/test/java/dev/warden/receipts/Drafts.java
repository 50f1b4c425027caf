package dev.warden.receipts;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/** Sample drafts for tests: deterministic, so encodings and hashes can be compared with fixed vectors. */
final class Drafts {
    static final Instant T0 = Instant.parse("2026-11-22T10:15:30.123456789Z");
    static final String POLICY = "9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08"; // sha256("test")

    private Drafts() {
    }

    static ReceiptDraft sql(int n) {
        String digest = ActionDigest.of("jdbc", "SELECT", "accounts", new TreeMap<>(Map.of("sql", "SELECT name FROM accounts WHERE id = ?")));
        return new ReceiptDraft(
                String.format("01935f3c-7b2a-7000-8000-%012d", n), T0.plusMillis(n),
                "support-bot", "alice@example.com", "s-42",
                "jdbc", "SELECT", "accounts", digest,
                Map.of("sql", "SELECT name FROM accounts WHERE id = ?", "tables", "accounts"),
                "PERMIT", true, List.of("support-may-read-accounts"), "permitted by support-may-read-accounts",
                Map.of("maxRows", "100"), POLICY);
    }

    static ReceiptDraft withSummary(Map<String, String> summary) {
        ReceiptDraft d = sql(0);
        return new ReceiptDraft(d.id(), d.time(), d.actor(), d.onBehalfOf(), d.session(), d.surface(), d.operation(),
                d.target(), d.actionDigest(), summary, d.outcome(), d.enforced(), d.rules(), d.reason(), d.obligations(),
                d.policyVersion());
    }
}
