package dev.warden.verifier;

import dev.warden.receipts.ApprovalCitation;
import dev.warden.receipts.ApprovalStatement;
import dev.warden.receipts.ApproverKeys;
import dev.warden.receipts.KeyFormatException;
import dev.warden.receipts.PolicyArchive;
import dev.warden.receipts.PolicyBundleFiles;
import dev.warden.receipts.Receipt;
import dev.warden.receipts.VerificationKey;
import dev.warden.verifier.Problem.Kind;

import java.io.IOException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * The approvals in a receipt log, checked offline (docs/APPROVALS.md, "For auditors"). Fed every
 * readable receipt in order. A HOLD receipt whose {@code approval.request} is its own id opens a
 * request. Every receipt that cites approvals must cite, for a request opened earlier in the log and
 * for that request's exact action (digest and identity), Ed25519 signatures by approver keys archived
 * with the receipt's policy, unexpired when used and expiring no later than the request; a permitted
 * action must cite enough distinct approvers, each approval used once, of a request neither used
 * before nor rejected.
 */
public final class ApprovalsCheck {

    static final String REQUEST = "approval.request";
    static final String EXPIRES = "approval.expires";
    static final String NEEDS = "approval.needs";
    static final String APPROVERS = "approval.approvers";
    static final String STATUS = "approval.status";
    static final String APPROVED = "approved";
    static final String USE_RULE = "warden.approval";

    private final PolicyArchive archive;
    private final Map<String, Request> requests = new LinkedHashMap<>();
    private final Set<String> usedSignatures = new HashSet<>();
    private final Map<String, Optional<ApproverKeys>> keys = new HashMap<>();
    private final List<Problem> problems = new ArrayList<>();

    /** A request the log opened, and what became of it. */
    public static final class Request {
        final Receipt held;
        final Instant expires;
        final int needs;
        final String approvers;
        String status = "held";
        final List<String> by = new ArrayList<>();

        Request(Receipt held, Instant expires, int needs, String approvers) {
            this.held = held;
            this.expires = expires;
            this.needs = needs;
            this.approvers = approvers;
        }

        public String id() {
            return held.id();
        }

        /** held, approved, rejected, or expired at {@code at}. */
        public String status(Instant at) {
            return status.equals("held") && !at.isBefore(expires) ? "expired" : status;
        }

        /** {@code 0193... T3 approved by a1, a3: tool invoice_delete_all ...}. */
        public String line(Instant at) {
            String state = status(at);
            return id() + " " + held.summary().getOrDefault("tier", "-") + " " + state + (by.isEmpty() ? "" : " by " + String.join(", ", by))
                    + ": " + held.surface() + " " + held.operation() + " on " + held.target() + ", asked by " + held.actor()
                    + (held.onBehalfOf() == null ? "" : " for " + held.onBehalfOf()) + " at " + ApprovalStatement.time(held.time())
                    + ", needs " + needs + ", expires " + ApprovalStatement.time(expires);
        }
    }

    public ApprovalsCheck(PolicyArchive archive) {
        this.archive = archive;
    }

    /** One readable receipt, in log order. */
    public void receipt(Receipt r) {
        boolean opens = "HOLD".equals(r.outcome()) && r.id().equals(r.summary().get(REQUEST));
        if (!opens && r.approvals().isEmpty()) {
            if (APPROVED.equals(r.summary().get(STATUS)) && "PERMIT".equals(r.outcome())) {
                // Found by a review (2026-12-06): a request rewritten in a shared store to need nobody ran its action.
                problem(Problem.subject(r), "runs the action as approved (request " + r.summary().get(REQUEST) + ") citing no approval");
            }
            return; // almost every receipt: nothing to check, and no name to make for a problem
        }
        String name = Problem.subject(r);
        if (opens) {
            opened(r, name);
        }
        if (r.approvals().isEmpty()) {
            return;
        }
        Request held = null;
        for (ApprovalCitation cited : r.approvals()) {
            Request of = requests.get(cited.request());
            if (of == null) {
                problem(name, "cites " + cited.approver() + "'s decision on request " + cited.request()
                        + ", which no earlier HOLD receipt opened");
                return;
            }
            if (held != null && held != of) {
                problem(name, "cites decisions on two requests (" + held.id() + ", " + of.id() + ")");
                return;
            }
            held = of;
        }
        if (!Objects.equals(r.actionDigest(), held.held.actionDigest()) || !Objects.equals(r.actor(), held.held.actor())
                || !Objects.equals(r.onBehalfOf(), held.held.onBehalfOf()) || !Objects.equals(r.session(), held.held.session())) {
            problem(name, "cites approvals of request " + held.id() + " for another action (its digest or identity differs from the held one)");
            return;
        }
        boolean valid = true;
        for (ApprovalCitation cited : r.approvals()) {
            valid &= signatureHolds(r, name, held, cited);
        }
        if (!valid) {
            return;
        }
        boolean use = r.rules().contains(USE_RULE);
        if ("PERMIT".equals(r.outcome()) && !use) {
            permitted(r, name, held);
        } else if ("DENY".equals(r.outcome()) && r.approvals().stream().anyMatch(c -> c.decision().equals(ApprovalStatement.REJECT))) {
            rejected(r, name, held);
        }
    }

    private void rejected(Receipt r, String name, Request held) {
        if (!held.status.equals("held")) {
            problem(name, "records a rejection of request " + held.id() + ", which was " + held.status + " already");
        }
        held.status = "rejected";
        r.approvals().forEach(c -> held.by.add(c.approver()));
    }

    private void opened(Receipt r, String name) {
        try {
            Instant expires = ApprovalStatement.parseTime(r.summary().get(EXPIRES));
            int needs = Integer.parseInt(r.summary().get(NEEDS));
            if (needs < 1) {
                throw new NumberFormatException("needs " + needs);
            }
            requests.put(r.id(), new Request(r, expires, needs, r.summary().getOrDefault(APPROVERS, "")));
        } catch (RuntimeException e) {
            problem(name, "opens approval request " + r.id() + " without a readable expiry and number of approvers (" + e.getMessage() + ")");
        }
    }

    private boolean signatureHolds(Receipt r, String name, Request held, ApprovalCitation cited) {
        Optional<ApproverKeys> approvers = approvers(r.policyVersion(), held.approvers);
        if (approvers.isEmpty()) {
            return problem(name, "cites " + cited.approver() + "'s decision, but the approvers' keys of policy " + r.policyVersion()
                    + " are not in the policy archive");
        }
        VerificationKey key = approvers.get().of(cited.approver());
        if (key == null) {
            return problem(name, "cites a decision by " + cited.approver() + ", whose key is not among the approvers ("
                    + String.join(", ", approvers.get().all().keySet()) + ") archived with policy " + r.policyVersion());
        }
        ApprovalStatement statement;
        try {
            statement = cited.statement(r.actionDigest());
        } catch (IllegalArgumentException e) {
            return problem(name, "cites an unreadable decision by " + cited.approver() + ": " + e.getMessage());
        }
        if (!statement.verifiedBy(key, cited.signature())) {
            return problem(name, cited.approver() + "'s signature does not verify over request " + cited.request()
                    + " and this receipt's action digest (forged, altered, or signed for another action)");
        }
        if (cited.expires().isAfter(held.expires)) {
            return problem(name, cited.approver() + "'s decision expires after its request does (" + ApprovalStatement.time(held.expires) + ")");
        }
        if (!r.time().isBefore(cited.expires())) {
            return problem(name, "uses " + cited.approver() + "'s decision after it expired at " + ApprovalStatement.time(cited.expires()));
        }
        return true;
    }

    private void permitted(Receipt r, String name, Request held) {
        Set<String> names = new HashSet<>();
        Set<VerificationKey> signers = new HashSet<>();
        ApproverKeys approvers = approvers(r.policyVersion(), held.approvers).orElseThrow();
        for (ApprovalCitation cited : r.approvals()) {
            if (!cited.decision().equals(ApprovalStatement.APPROVE)) {
                problem(name, "runs the action citing " + cited.approver() + "'s " + cited.decision());
                return;
            }
            if (!names.add(cited.approver()) || !signers.add(approvers.of(cited.approver()))) {
                problem(name, "cites the same approver (" + cited.approver() + ") twice");
                return;
            }
            if (!usedSignatures.add(cited.signature())) {
                problem(name, "uses " + cited.approver() + "'s approval of request " + held.id() + " a second time");
                return;
            }
        }
        if (names.size() < held.needs) {
            problem(name, "runs request " + held.id() + " with " + names.size() + " approver(s) where " + held.needs + " are needed");
            return;
        }
        if (held.status.equals("rejected")) {
            problem(name, "runs request " + held.id() + ", which " + String.join(", ", held.by) + " rejected earlier");
            return;
        }
        if (held.status.equals("approved")) {
            problem(name, "runs request " + held.id() + " a second time");
            return;
        }
        held.status = "approved";
        r.approvals().forEach(c -> held.by.add(c.approver()));
    }

    private Optional<ApproverKeys> approvers(String policyVersion, String directory) {
        return keys.computeIfAbsent(policyVersion + "\u0000" + directory, ignored -> {
            try {
                Optional<byte[]> bundle = policyVersion == null ? Optional.empty() : archive.read(policyVersion);
                return bundle.map(bytes -> {
                    try {
                        return ApproverKeys.from(PolicyBundleFiles.decode(bytes), directory);
                    } catch (KeyFormatException | IllegalArgumentException e) {
                        return null;
                    }
                });
            } catch (IOException e) {
                return Optional.empty();
            }
        });
    }

    private boolean problem(String subject, String why) {
        problems.add(new Problem(Kind.INVALID, subject, why));
        return false;
    }

    /** What is wrong with the approvals seen so far. */
    public List<Problem> problems() {
        return List.copyOf(problems);
    }

    /** Every request the log opened, in order. */
    public List<Request> requests() {
        return List.copyOf(requests.values());
    }
}
