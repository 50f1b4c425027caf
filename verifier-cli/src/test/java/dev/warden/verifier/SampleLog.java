package dev.warden.verifier;

import dev.warden.receipts.ActionDigest;
import dev.warden.receipts.Receipt;
import dev.warden.receipts.ReceiptDraft;
import dev.warden.receipts.ReceiptLog;
import dev.warden.receipts.ReceiptLogOptions;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/** A real receipts directory written by {@link ReceiptLog}: ten receipts, checkpoints after 4 and 8, and at close. */
record SampleLog(Path directory, Path publicKey, List<Receipt> receipts) {
    static final byte[] POLICY = "rule \"support-may-read-accounts\" when ... then permit".getBytes(StandardCharsets.UTF_8);
    static final String POLICY_VERSION = sha256(POLICY);
    static final Instant T0 = Instant.parse("2026-11-22T09:00:00Z");

    static SampleLog write(Path directory) throws Exception {
        return write(directory, 10);
    }

    static SampleLog write(Path directory, int count) throws Exception {
        ReceiptLogOptions options = ReceiptLogOptions.defaults(directory).withOrigin("warden/test")
                // The signer never fires on its own here (no count or time it can reach): the explicit
                // checkpoints below and the one at close are all there is, so the counts are deterministic.
                .withCheckpoints(Integer.MAX_VALUE, Duration.ofDays(1));
        List<Receipt> receipts = new ArrayList<>();
        try (ReceiptLog log = ReceiptLog.open(options)) {
            log.archivePolicy(POLICY_VERSION, POLICY);
            for (int i = 0; i < count; i++) {
                receipts.add(log.append(draft(i)));
                if (i % 4 == 3) {
                    log.checkpoint(); // deterministic checkpoints, whatever the signer thread does meanwhile
                }
            }
            return new SampleLog(directory, log.publicKeyFile(), receipts);
        }
    }

    static ReceiptDraft draft(int i) {
        boolean deny = i % 3 == 2;
        String actor = i % 2 == 0 ? "support-bot" : "billing-bot";
        return new ReceiptDraft(String.format("01935f3c-7b2a-7000-8000-%012d", i), T0.plusSeconds(i),
                actor, "alice@example.com", "s-" + (i / 5), i % 4 == 1 ? "http" : "jdbc", i % 4 == 1 ? "GET" : "SELECT",
                i % 4 == 1 ? "api.example.com" : "accounts",
                ActionDigest.of("jdbc", "SELECT", "accounts", new TreeMap<>(Map.of("n", String.valueOf(i)))),
                Map.of("sql", "SELECT name FROM accounts WHERE id = ?"), deny ? "DENY" : "PERMIT", true,
                List.of(deny ? "no-bulk-export" : "support-may-read-accounts"), deny ? "bulk export" : "permitted",
                Map.of(), POLICY_VERSION);
    }

    Receipt receipt(int sequence) {
        return receipts.get(sequence);
    }

    static String sha256(byte[] bytes) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }
}
