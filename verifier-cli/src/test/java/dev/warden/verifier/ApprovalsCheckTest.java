package dev.warden.verifier;

import dev.warden.receipts.ActionDigest;
import dev.warden.receipts.ApprovalCitation;
import dev.warden.receipts.ApprovalStatement;
import dev.warden.receipts.Ed25519Keys;
import dev.warden.receipts.ReceiptDraft;
import dev.warden.receipts.ReceiptLog;
import dev.warden.receipts.ReceiptLogOptions;
import dev.warden.receipts.SignedApproval;
import dev.warden.receipts.SigningKey;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Approvals forged into a log by a writer that holds the signing key (so chain and checkpoints are
 * valid): the verifier flags each, offline, from the approvers' keys archived with the policy.
 */
class ApprovalsCheckTest {

    private static final Instant T0 = Instant.parse("2026-11-22T09:00:00Z");
    private static final String REQUEST = "01935f3c-7b2a-7000-8000-000000000001";

    @TempDir
    Path tmp;

    private final Map<String, SigningKey> approvers = new TreeMap<>();
    private SigningKey mallory;
    private byte[] bundle;
    private String version;
    private final String digest = ActionDigest.of("tool", "invoice_delete_all", "invoice_delete_all",
            new TreeMap<>(Map.of("arg.customer", "globex")));
    private final String otherDigest = ActionDigest.of("tool", "invoice_delete_all", "invoice_delete_all",
            new TreeMap<>(Map.of("arg.customer", "acme")));

    @BeforeEach
    void policyWithThreeApprovers() throws Exception {
        Map<String, byte[]> files = new TreeMap<>();
        files.put("s4.yaml", "approvals: {approvers: approvers/, T3: {approvers: 2}}".getBytes(StandardCharsets.UTF_8));
        for (String name : List.of("a1", "a2", "a3")) {
            approvers.put(name, Ed25519Keys.generate(tmp.resolve(name + ".pem"), tmp.resolve(name + ".pub.pem")));
            files.put("approvers/" + name + ".pem", Files.readAllBytes(tmp.resolve(name + ".pub.pem")));
        }
        mallory = Ed25519Keys.generate(tmp.resolve("mallory.pem"), tmp.resolve("mallory.pub.pem"));
        bundle = bundle(files);
        version = SampleLog.sha256(bundle);
    }

    @Test
    void twoDistinctValidApprovalsWithinTheWindowVerifyAndAreReported() throws Exception {
        Path log = log(hold(), permit(T0.plusSeconds(60), digest, approve("a1"), approve("a2")));
        Cli verify = verify(log);
        assertThat(verify.exitCode()).as(verify.out()).isZero();
        Cli report = Cli.run("approvals", log, "--at", T0.plusSeconds(120));
        assertThat(report.exitCode()).as(report.out()).isZero();
        assertThat(report.out()).contains(REQUEST + " T3 approved by a1, a2: tool invoice_delete_all")
                .contains("1 approval requests in 2 receipts: 0 held, 1 approved, 0 rejected, 0 expired; 0 problems");
    }

    @Test
    void anApprovalByAKeyThePolicyDoesNotListIsFlagged() throws Exception {
        ApprovalCitation byMallory = SignedApproval.sign(statement(digest, "approve"), "mallory", mallory, null).citation();
        ApprovalCitation asA2 = SignedApproval.sign(statement(digest, "approve"), "a2", mallory, null).citation();
        assertFlagged(log(hold(), permit(T0.plusSeconds(60), digest, approve("a1"), byMallory)),
                "cites a decision by mallory, whose key is not among the approvers (a1, a2, a3) archived with policy " + version);
        assertFlagged(log(hold(), permit(T0.plusSeconds(60), digest, approve("a1"), asA2)),
                "a2's signature does not verify over request " + REQUEST);
    }

    @Test
    void theSameApproverTwiceIsFlagged() throws Exception {
        assertFlagged(log(hold(), permit(T0.plusSeconds(60), digest, approve("a1"), approve("a1"))),
                "cites the same approver (a1) twice");
    }

    @Test
    void anApprovalSignedForAnotherDigestIsFlagged() throws Exception {
        ApprovalCitation forAcme = SignedApproval.sign(statement(otherDigest, "approve"), "a2", approvers.get("a2"), null).citation();
        assertFlagged(log(hold(), permit(T0.plusSeconds(60), digest, approve("a1"), forAcme)),
                "a2's signature does not verify over request " + REQUEST + " and this receipt's action digest");
        assertFlagged(log(hold(), permit(T0.plusSeconds(60), otherDigest, approve("a1"), approve("a2"))),
                "cites approvals of request " + REQUEST + " for another action");
    }

    @Test
    void anExpiredApprovalIsFlagged() throws Exception {
        assertFlagged(log(hold(), permit(T0.plus(Duration.ofHours(25)), digest, approve("a1"), approve("a2"))),
                "uses a1's decision after it expired at 2026-11-23T09:00:00.000000000Z");
    }

    @Test
    void anApprovalReusedForASecondExecutionIsFlagged() throws Exception {
        assertFlagged(log(hold(), permit(T0.plusSeconds(60), digest, approve("a1"), approve("a2")),
                        permit(T0.plusSeconds(61), digest, approve("a1"), approve("a2"))),
                "uses a1's approval of request " + REQUEST + " a second time");
    }

    @Test
    void aRejectedRequestApprovedLaterIsFlagged() throws Exception {
        ReceiptDraft rejected = draft("01935f3c-7b2a-7000-8000-000000000002", T0.plusSeconds(30), digest, "DENY", List.of("approval:T3"),
                List.of(SignedApproval.sign(statement(digest, "reject"), "a1", approvers.get("a1"), "no").citation()));
        assertFlagged(log(hold(), rejected, permit(T0.plusSeconds(60), digest, approve("a2"), approve("a3"))),
                "runs request " + REQUEST + ", which a1 rejected earlier");
    }

    @Test
    void aTamperedApprovalIsFlagged() throws Exception {
        ApprovalCitation real = approve("a2");
        ApprovalCitation earlier = new ApprovalCitation(real.request(), real.approver(), real.decision(),
                real.expires().minusSeconds(3600), real.signature());
        assertFlagged(log(hold(), permit(T0.plusSeconds(60), digest, approve("a1"), earlier)), "a2's signature does not verify");
    }

    @Test
    void tooFewApproversAreFlagged() throws Exception {
        assertFlagged(log(hold(), permit(T0.plusSeconds(60), digest, approve("a1"))),
                "runs request " + REQUEST + " with 1 approver(s) where 2 are needed");
    }

    /** Found by a review (2026-12-06): a request rewritten in a shared store to need nobody ran its action, and the log verified. */
    @Test
    void anActionRunAsApprovedCitingNoApprovalIsFlagged() throws Exception {
        ReceiptDraft approvedByNobody = new ReceiptDraft("01935f3c-7b2a-7000-8000-000000000009", T0.plusSeconds(60), "invoice-assistant",
                "ulla", "s4", "tool", "invoice_delete_all", "invoice_delete_all", digest,
                Map.of("approval.request", REQUEST, "approval.status", "approved", "approval.needs", "0"), "PERMIT", true,
                List.of("role invoicing allows", "approval:T3"), "forged", Map.of(), version);
        assertFlagged(log(hold(), approvedByNobody), "runs the action as approved (request " + REQUEST + ") citing no approval");
    }

    private void assertFlagged(Path log, String problem) {
        Cli verify = verify(log);
        assertThat(verify.exitCode()).as(verify.out()).isEqualTo(1);
        assertThat(verify.out()).contains("INVALID: receipt ").contains(problem);
        Cli report = Cli.run("approvals", log);
        assertThat(report.exitCode()).isEqualTo(1);
        assertThat(report.out()).contains(problem);
    }

    private Cli verify(Path log) {
        return Cli.run("verify", log, "--public-key", log.resolveSibling(log.getFileName() + ".pub.pem"));
    }

    private ApprovalStatement statement(String signedDigest, String decision) {
        return new ApprovalStatement(REQUEST, signedDigest, decision, T0.plus(Duration.ofHours(24)));
    }

    private ApprovalCitation approve(String approver) {
        return SignedApproval.sign(statement(digest, "approve"), approver, approvers.get(approver), null).citation();
    }

    private ReceiptDraft hold() {
        Map<String, String> summary = new TreeMap<>(Map.of("approval.request", REQUEST, "approval.status", "pending",
                "approval.expires", ApprovalStatement.time(T0.plus(Duration.ofHours(24))), "approval.needs", "2",
                "approval.approvers", "approvers/", "tier", "T3"));
        return new ReceiptDraft(REQUEST, T0, "invoice-assistant", "ulla", "s4", "tool", "invoice_delete_all", "invoice_delete_all",
                digest, summary, "HOLD", true, List.of("approval:T3"), "awaiting approval " + REQUEST, Map.of(), version);
    }

    private ReceiptDraft permit(Instant time, String actionDigest, ApprovalCitation... cited) {
        return draft(String.format("01935f3c-7b2a-7000-8000-%012d", time.getEpochSecond() % 1_000_000), time, actionDigest, "PERMIT",
                List.of("role invoicing allows", "approval:T3"), List.of(cited));
    }

    private ReceiptDraft draft(String id, Instant time, String actionDigest, String outcome, List<String> rules, List<ApprovalCitation> cited) {
        return new ReceiptDraft(id, time, "invoice-assistant", "ulla", "s4", "tool", "invoice_delete_all", "invoice_delete_all",
                actionDigest, Map.of("approval.request", REQUEST), outcome, true, rules, "forged", Map.of(), version, cited);
    }

    private Path log(ReceiptDraft... drafts) throws Exception {
        Path directory = Files.createTempDirectory(tmp, "log");
        List<ReceiptDraft> all = new ArrayList<>(List.of(drafts));
        try (ReceiptLog log = ReceiptLog.open(ReceiptLogOptions.defaults(directory).withOrigin("warden/test")
                .withCheckpoints(Integer.MAX_VALUE, Duration.ofDays(1)))) {
            log.archivePolicy(version, bundle);
            for (ReceiptDraft draft : all) {
                log.append(draft);
            }
            Files.copy(log.publicKeyFile(), directory.resolveSibling(directory.getFileName() + ".pub.pem"));
        }
        return directory;
    }

    /** The policy bundle encoding of docs/RECEIPTS.md, written here from the format, not from the gate's code. */
    private static byte[] bundle(Map<String, byte[]> files) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.writeBytes("warden-policy-bundle/1\n".getBytes(StandardCharsets.US_ASCII));
        files.forEach((path, content) -> {
            out.writeBytes(path.getBytes(StandardCharsets.UTF_8));
            out.write(0);
            out.writeBytes(ByteBuffer.allocate(Long.BYTES).putLong(content.length).array());
            out.writeBytes(content);
        });
        return out.toByteArray();
    }
}
