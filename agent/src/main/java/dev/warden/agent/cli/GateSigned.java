package dev.warden.agent.cli;

import dev.warden.receipts.ApprovalRequest;
import dev.warden.receipts.PublishedRequest;
import dev.warden.receipts.SignedApproval;
import dev.warden.receipts.VerificationKey;

import java.util.Base64;
import java.util.List;

/**
 * What the approvers' commands may show and sign: a request as the gate published it, checked against the log's public
 * key the approver was given (never one read where the requests are, which whoever writes there can replace). The
 * approvals area is a directory the host can write: a notice of a held {@code DELETE} rewritten to say {@code SELECT}
 * was approved as a SELECT and ran as the DELETE (found by a review, 2026-12-06).
 */
final class GateSigned {

    private final List<VerificationKey> logKeys;

    GateSigned(List<VerificationKey> logKeys) {
        this.logKeys = List.copyOf(logKeys);
    }

    /** Why {@code published}, read under {@code id}, is not a request the gate published; null when it is. */
    String problem(String id, PublishedRequest published) {
        if (published.signature() == null) {
            return "request " + id + " is not signed by the gate (published by a gate older than this command, or rewritten"
                    + " without its signature)";
        }
        if (!published.verifiedByAnyOf(logKeys)) {
            return "request " + id + " is not what the gate published: its signature does not verify under the log's public"
                    + " key given with --public-key (the request was altered after the gate signed it, or another log signed it)";
        }
        if (!published.request().id().equals(id)) {
            return "request " + id + " holds another request, " + published.request().id();
        }
        return null;
    }

    /**
     * Why a delivered decision does not count for {@code request} (the gate's own check, for what the list shows):
     * another request or action, or a signature its approver's key does not verify; null when it counts.
     */
    static String problem(ApprovalRequest request, SignedApproval decision) {
        String key = request.approvers().get(decision.approver());
        if (key == null) {
            return decision.approver() + " is not one of its approvers";
        }
        if (!decision.statement().request().equals(request.id()) || !decision.statement().digest().equals(request.digest())) {
            return "signed for another request or action";
        }
        try {
            return decision.verifiedBy(new VerificationKey(Base64.getDecoder().decode(key))) ? null
                    : "its signature does not verify under " + decision.approver() + "'s key";
        } catch (IllegalArgumentException unreadableKey) {
            return decision.approver() + "'s key is unreadable";
        }
    }
}
