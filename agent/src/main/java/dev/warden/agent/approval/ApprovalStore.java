package dev.warden.agent.approval;

import dev.warden.receipts.ApprovalRequest;
import dev.warden.receipts.SignedApproval;

import java.time.Instant;
import java.util.List;

/**
 * Where approval requests are published and approvers' decisions arrive: the receipts directory's
 * approvals area (with state in this process), or Redis (with {@code state=redis://}), shared by every
 * JVM that uses it. Closing a request is atomic: of two actions racing for one request's approvals,
 * across threads and JVMs, one gets them.
 */
public interface ApprovalStore extends AutoCloseable {

    /** Publishes a new request for approvers. */
    void open(ApprovalRequest request);

    /** The open request for the action {@code key} names (digest and identity), unexpired at {@code now}; null when none. */
    ApprovalRequest pending(String key, Instant now);

    /** The decisions approvers delivered for a request, unverified, and what could not be read. */
    Delivered decisions(String requestId);

    /**
     * Closes an open request once and for all ({@code approved}, {@code rejected}): it stays closed at least until
     * {@link #CLOSED_KEPT} after it expires, long after any approval of it could still be presented.
     *
     * @return false when it was closed already: its approvals are not this caller's to use
     */
    boolean close(ApprovalRequest request, String status);

    /**
     * How long a closed request is remembered as closed after it expires: its approvals expire with it (they cannot
     * outlive it), and this is the margin for clocks that disagree between a gate and the approvers.
     */
    java.time.Duration CLOSED_KEPT = java.time.Duration.ofDays(14);

    /**
     * How many requests are open and unexpired at {@code now}, for telemetry; -1 when this store cannot
     * say cheaply (a shared store: its requests are every JVM's).
     */
    default long openCount(Instant now) {
        return -1;
    }

    /** Where the approvals are, for reasons: {@code receipts/approvals}, {@code redis://host:port}. */
    String describe();

    @Override
    default void close() {
    }

    /** Decisions as delivered: the readable ones, and one line for each that is not. */
    record Delivered(List<SignedApproval> readable, List<String> unreadable) {
        public static final Delivered NONE = new Delivered(List.of(), List.of());
    }
}
