package dev.warden.receipts;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The inputs of the published test vectors (docs/RECEIPTS.md, "Test vectors"): three receipts of one
 * chain, the tree over them, and a checkpoint signed with the committed test key. Run {@link #main}
 * to print the values; {@code TestVectorsTest} checks them against the frozen copy.
 */
final class TestVectors {
    static final String CHAIN = "0193a8c0-0000-7000-8000-000000000000";
    static final String ORIGIN = "warden/test-vectors";
    static final Path KEY = Path.of("src/test/resources/vectors/test-key.pem");
    static final Path PUBLIC_KEY = Path.of("src/test/resources/vectors/test-key.pub.pem");

    private TestVectors() {
    }

    static List<ReceiptDraft> drafts() {
        Instant t = Instant.parse("2026-11-22T10:15:30.000000250Z");
        return List.of(
                new ReceiptDraft("0193a8c0-0001-7000-8000-000000000001", t, "support-bot", "alice@example.com", "s-1",
                        "jdbc", "SELECT", "accounts",
                        ActionDigest.of("jdbc", "SELECT", "accounts", new java.util.TreeMap<>(Map.of("sql", "SELECT name FROM accounts WHERE id = ?"))),
                        Map.of("sql", "SELECT name FROM accounts WHERE id = ?", "tables", "accounts"),
                        "PERMIT", true, List.of("support-may-read-accounts"), "permitted", Map.of("maxRows", "100"),
                        "9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08"),
                new ReceiptDraft("0193a8c0-0002-7000-8000-000000000002", t.plusSeconds(1), "support-bot", null, null,
                        "http", "POST", "api.example.com", null,
                        Map.of("path", "/v1/refunds", "Authorization", "Bearer abc"),
                        "DENY", true, List.of("no-refunds-over-100", "deny-unknown-hosts"),
                        "quote \" backslash \\ newline \n tab \t bell \u0007 é ✓ 😀", Map.of(),
                        "9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08"),
                new ReceiptDraft("0193a8c0-0003-7000-8000-000000000003", t.plusSeconds(2), "support-bot", null, "s-1",
                        "tool", "send_email", "send_email", null, Map.of(), "HOLD", false, List.of(), null, Map.of(), null));
    }

    /** The receipts, chained from genesis. */
    static List<Receipt> receipts() {
        List<Receipt> receipts = new ArrayList<>();
        String prev = Receipt.GENESIS_PREVIOUS;
        for (ReceiptDraft d : drafts()) {
            Receipt r = Receipt.seal(CHAIN, receipts.size(), prev, d.withSummaryScrubbed());
            receipts.add(r);
            prev = r.hash();
        }
        return receipts;
    }

    static SignedNote checkpoint() {
        CompactRange tree = new CompactRange();
        receipts().forEach(r -> tree.append(r.leafHash()));
        Checkpoint body = Checkpoint.following(ORIGIN, tree.size(), Hex.of(tree.root()), 0);
        try {
            return SignedNote.sign(body.body(), ORIGIN, Ed25519Keys.readPrivate(KEY));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The 16-byte MAC the writer stores with receipt 0 under the test key. */
    static String mac(Receipt r) {
        try {
            byte[] out = new byte[ReceiptMac.LENGTH];
            ReceiptMac.of(Ed25519Keys.readPrivate(KEY)).mac(r.leafHash(), out);
            return Hex.of(out);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Name → value, in the order the docs list them. */
    static Map<String, String> values() {
        Map<String, String> v = new LinkedHashMap<>();
        List<Receipt> receipts = receipts();
        for (Receipt r : receipts) {
            v.put("receipt" + r.sequence() + ".json", new String(r.canonicalBytes(), java.nio.charset.StandardCharsets.UTF_8));
            v.put("receipt" + r.sequence() + ".hex", Hex.of(r.canonicalBytes()));
            v.put("receipt" + r.sequence() + ".leafHash", r.hash());
        }
        v.put("receipt0.mac", mac(receipts.get(0)));
        v.put("node(leaf0,leaf1)", Hex.of(TreeHashes.node(receipts.get(0).leafHash(), receipts.get(1).leafHash())));
        v.put("root(3)", Hex.of(InclusionProofs.root(receipts.stream().map(Receipt::leafHash).toList(), 0, 3)));
        v.put("checkpoint", checkpoint().format());
        ApprovalStatement statement = approvalStatement();
        v.put("approval.statement", new String(statement.bytes(), java.nio.charset.StandardCharsets.US_ASCII));
        Receipt approved = approvedReceipt();
        v.put("approval.signature", approved.approvals().get(0).signature());
        v.put("approvedReceipt.json", new String(approved.canonicalBytes(), java.nio.charset.StandardCharsets.UTF_8));
        v.put("approvedReceipt.leafHash", approved.hash());
        return v;
    }

    /** Approver a1's approval (signed with the test key) of request receipt 2 for receipt 0's action digest. */
    static ApprovalStatement approvalStatement() {
        Receipt request = receipts().get(2);
        return new ApprovalStatement(request.id(), receipts().get(0).actionDigest(), ApprovalStatement.APPROVE,
                request.time().plusSeconds(86_400));
    }

    /** A receipt citing that approval, chained after receipt 2 (not part of the tree or checkpoint above). */
    static Receipt approvedReceipt() {
        try {
            SignedApproval approval = SignedApproval.sign(approvalStatement(), "a1", Ed25519Keys.readPrivate(KEY), null);
            Receipt first = receipts().get(0);
            ReceiptDraft d = first.draft();
            ReceiptDraft draft = new ReceiptDraft("0193a8c0-0004-7000-8000-000000000004", d.time().plusSeconds(3), d.actor(),
                    d.onBehalfOf(), d.session(), d.surface(), d.operation(), d.target(), d.actionDigest(), d.summary(), "PERMIT",
                    true, List.of("support-may-read-accounts", "approval:T2"), "permitted; approved by a1", Map.of(),
                    d.policyVersion(), List.of(approval.citation()));
            return Receipt.seal(CHAIN, 3, receipts().get(2).hash(), draft);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public static void main(String[] args) {
        values().forEach((k, val) -> System.out.println("=== " + k + "\n" + val));
    }
}
