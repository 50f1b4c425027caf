package dev.warden.agent.cli;

import dev.warden.agent.approval.ApprovalStore;
import dev.warden.agent.approval.RedisApprovalStore;
import dev.warden.agent.config.StateLocation;
import dev.warden.agent.context.RedisStateStore;
import dev.warden.receipts.PublishedRequest;
import dev.warden.receipts.SignedApproval;

import java.time.Clock;
import java.time.Duration;
import java.util.List;

/** The approvals a gate with {@code state=redis://} shares in Redis. */
final class RedisDesk implements ApprovalDesk {

    private static final Duration TIMEOUT = Duration.ofSeconds(2);

    private final RedisApprovalStore store;

    private RedisDesk(RedisApprovalStore store) {
        this.store = store;
    }

    static RedisDesk open(String location) {
        StateLocation parsed;
        try {
            parsed = StateLocation.parse(location);
        } catch (IllegalArgumentException e) {
            throw new ApprovalsCommands.BadInput("--state " + location + ": " + e.getMessage());
        }
        // The approvers' commands read requests and deliver decisions; they publish no request, so sign none.
        return new RedisDesk(new RedisApprovalStore(new RedisStateStore(parsed, TIMEOUT, RedisStateStore.PREFIX,
                System::currentTimeMillis), Clock.systemUTC(), dev.warden.receipts.RequestSigner.UNSIGNED));
    }

    @Override
    public List<String> requestIds() {
        return store.requestIds();
    }

    @Override
    public PublishedRequest request(String id) {
        return store.published(id);
    }

    @Override
    public String closedStatus(String id) {
        return store.closedStatus(id);
    }

    @Override
    public ApprovalStore.Delivered decisions(String id) {
        return store.decisions(id);
    }

    @Override
    public boolean deliver(SignedApproval approval) {
        return store.deliver(approval);
    }

    @Override
    public String describe() {
        return store.describe();
    }

    @Override
    public void close() {
        store.close();
    }
}
