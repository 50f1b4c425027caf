package dev.warden.agent.approval;

import dev.warden.agent.context.ReplayedState;
import dev.warden.receipts.ApprovalRequest;
import dev.warden.receipts.RequestSigner;
import dev.warden.rules.approvals.ApprovalPolicy;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.util.function.Supplier;

/**
 * Approvals through the receipts directory, for a gate whose state is in this process (one writer
 * per receipts directory). Which requests are open and which were used is this gate's own memory
 * ({@link RequestLedger}), rebuilt from the receipt log by the context stage's replay, never read back
 * from the files: removing a file from the approvals area cannot reopen a request whose approvals were used.
 */
public final class FileApprovalStore implements ApprovalStore {

    private final ApprovalsArea area;
    private final RequestSigner signer;
    private final RequestLedger ledger = new RequestLedger();

    /** @param signer signs each request published, with the receipt log's key, for the approvers' CLI to check */
    public FileApprovalStore(ApprovalsArea area, RequestSigner signer) {
        this.area = area;
        this.signer = signer;
    }

    /**
     * What the context stage's replay rebuilds of this store and of the tier counts, under the approval policy
     * {@code policy} gives at the replay: the requests into this store's ledger.
     */
    public ReplayedState.Over replayedHere(Supplier<ApprovalPolicy> policy) {
        return (store, zone) -> new ApprovalReplay(policy.get(), zone, store, ledger);
    }

    /** The same, into a ledger of each replay's own: what a pass that brings the snapshot forward rebuilds. */
    public static ReplayedState.Apart replayedApart(Supplier<ApprovalPolicy> policy) {
        return (store, zone) -> new ApprovalReplay(policy.get(), zone, store, new RequestLedger());
    }

    @Override
    public void open(ApprovalRequest request) {
        ledger.open(request);
        try {
            area.publish(signer.sign(request));
        } catch (IOException e) {
            throw new UncheckedIOException("the request could not be published in " + area.root() + ": " + e.getMessage(), e);
        }
    }

    @Override
    public ApprovalRequest pending(String key, Instant now) {
        return ledger.pending(key, now);
    }

    @Override
    public long openCount(Instant now) {
        return ledger.openCount(now);
    }

    @Override
    public Delivered decisions(String requestId) {
        return area.readDecisions(requestId);
    }

    @Override
    public boolean close(ApprovalRequest request, String status) {
        if (!ledger.close(request)) {
            return false;
        }
        try {
            area.markClosed(request.id(), status);
        } catch (IOException | RuntimeException e) {
            // only a notice for the approvers' CLI: the gate's memory and the receipt log say it is closed
            dev.warden.agent.logging.WardenLog.warn("could not mark request " + request.id() + " closed: " + e.getMessage());
        }
        return true;
    }

    @Override
    public String describe() {
        return area.root().toString();
    }
}
