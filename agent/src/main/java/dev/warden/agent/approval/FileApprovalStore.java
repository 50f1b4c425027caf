package dev.warden.agent.approval;

import dev.warden.agent.context.PastAction;
import dev.warden.receipts.ApprovalRequest;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Approvals through the receipts directory, for a gate whose state is in this process (one writer
 * per receipts directory). Which requests are open and which were used is this gate's own memory,
 * rebuilt from the receipt log at start, never read back from the files: removing a file from the
 * approvals area cannot reopen a request whose approvals were used.
 */
public final class FileApprovalStore implements ApprovalStore {

    private static final int MAX_OPEN = 100_000;

    private final ApprovalsArea area;
    private final Map<String, ApprovalRequest> open = new ConcurrentHashMap<>();
    private final Map<String, String> byKey = new ConcurrentHashMap<>();
    private final Set<String> closed = ConcurrentHashMap.newKeySet();

    public FileApprovalStore(ApprovalsArea area) {
        this.area = area;
    }

    @Override
    public void open(ApprovalRequest request) {
        if (open.size() >= MAX_OPEN) {
            open.values().removeIf(old -> old.expires().isBefore(request.time()));
        }
        open.put(request.id(), request);
        byKey.put(ApprovalStage.key(request), request.id());
        try {
            area.publish(request);
        } catch (IOException e) {
            throw new UncheckedIOException("the request could not be published in " + area.root() + ": " + e.getMessage(), e);
        }
    }

    @Override
    public ApprovalRequest pending(String key, Instant now) {
        String id = byKey.get(key);
        ApprovalRequest request = id == null ? null : open.get(id);
        if (request == null || closed.contains(id) || !request.expires().isAfter(now)) {
            return null;
        }
        return request;
    }

    @Override
    public long openCount(Instant now) {
        return open.entrySet().stream().filter(entry -> !closed.contains(entry.getKey()) && entry.getValue().expires().isAfter(now)).count();
    }

    @Override
    public Delivered decisions(String requestId) {
        return area.readDecisions(requestId);
    }

    @Override
    public synchronized boolean close(String requestId, String status) {
        if (!closed.add(requestId)) {
            return false;
        }
        open.remove(requestId);
        try {
            area.markClosed(requestId, status);
        } catch (IOException | RuntimeException e) {
            // only a notice for the approvers' CLI: the gate's memory and the receipt log say it is closed
            dev.warden.agent.logging.WardenLog.warn("could not mark request " + requestId + " closed: " + e.getMessage());
        }
        return true;
    }

    @Override
    public String describe() {
        return area.root().toString();
    }

    @Override
    public void replay(PastAction past, String key) {
        Map<String, String> summary = past.summary();
        String request = summary.get(ApprovalStage.REQUEST);
        if (request == null) {
            return;
        }
        String status = summary.get(ApprovalStage.STATUS);
        if (ApprovalStage.APPROVED.equals(status) || ApprovalStage.REJECTED.equals(status)) {
            closed.add(request);
            open.remove(request);
            return;
        }
        if (!request.equals(past.action().id()) || !ApprovalStage.PENDING.equals(status) || closed.contains(request)) {
            return;
        }
        try {
            ApprovalRequest held = new ApprovalRequest(request, past.action().time(),
                    expiry(summary.get(ApprovalStage.EXPIRES)), past.action().digest(),
                    tier(summary.get("tier")), Integer.parseInt(summary.getOrDefault(ApprovalStage.NEEDS, "1")), new TreeMap<>(),
                    null, past.action().actor(), past.action().onBehalfOf(), past.action().session(), past.action().surface(),
                    past.action().operation(), past.action().target(), new TreeMap<>(summary), null);
            open.put(request, held);
            byKey.put(key, request);
        } catch (RuntimeException unreadable) {
            // a request whose receipt does not say enough is not reopened: its action is held anew
        }
    }

    private static Instant expiry(String text) {
        return dev.warden.receipts.ApprovalStatement.parseTime(text);
    }

    private static int tier(String text) {
        return text != null && text.matches("T[0-3]") ? text.charAt(1) - '0' : -1;
    }
}
