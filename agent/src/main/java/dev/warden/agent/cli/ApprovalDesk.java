package dev.warden.agent.cli;

import dev.warden.agent.approval.ApprovalStore;
import dev.warden.receipts.PublishedRequest;
import dev.warden.receipts.SignedApproval;

import java.io.IOException;
import java.util.List;

/**
 * What the approvers' commands read and write: the requests the gate published and the decisions
 * approvers delivered, in a receipts directory's approvals area or in Redis.
 */
interface ApprovalDesk extends AutoCloseable {

    /** Every published request id. */
    List<String> requestIds() throws IOException;

    /**
     * The request as published under this id, its signature unchecked; null when none was.
     *
     * @throws IllegalArgumentException when unreadable
     */
    PublishedRequest request(String id) throws IOException;

    /** The gate's status for a closed request ({@code approved}, {@code rejected}), or null while open. */
    String closedStatus(String id) throws IOException;

    ApprovalStore.Delivered decisions(String id) throws IOException;

    /**
     * Delivers a decision once.
     *
     * @return false when this approver already decided on the request
     */
    boolean deliver(SignedApproval approval) throws IOException;

    /** Where, for messages. */
    String describe();

    @Override
    default void close() {
    }
}
