package dev.warden.agent.approval;

import dev.warden.agent.context.PastAction;
import dev.warden.receipts.ApprovalRequest;
import dev.warden.receipts.ApprovalStatement;

import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Which approval requests this gate holds open and which it closed, as its own memory (in-process state): rebuilt from
 * the receipt log, never read back from the approvals area, and kept in the state snapshot. A closed request is
 * remembered while an approval of it could still be presented and a while after, so its approvals are used once.
 */
final class RequestLedger {

    static final int MAX_OPEN = 100_000;
    /** How long a closed request is remembered after it expires: as long as a shared store keeps its closed mark. */
    static final Duration CLOSED_KEPT = RedisApprovalStore.KEPT_AFTER_EXPIRY.multipliedBy(2);
    /** A closing receipt that does not say when its request expires: remembered as long as any request can live. */
    private static final Duration LONGEST_LIFE = Duration.ofDays(366);
    /** Bounds of what a snapshot holds. */
    private static final int MAX_KEPT = 10_000_000;
    private static final int MAX_REQUEST_BYTES = 1 << 20;

    private final Map<String, ApprovalRequest> open = new ConcurrentHashMap<>();
    private final Map<String, String> byKey = new ConcurrentHashMap<>();
    /** Closed request ids, and until when (epoch millis) each is remembered. */
    private final Map<String, Long> closed = new ConcurrentHashMap<>();

    void open(ApprovalRequest request) {
        if (open.size() >= MAX_OPEN) {
            open.values().removeIf(old -> old.expires().isBefore(request.time()));
        }
        open.put(request.id(), request);
        byKey.put(ApprovalStage.key(request), request.id());
    }

    /** The open request for the action {@code key} names, unexpired at {@code now}; null when none. */
    ApprovalRequest pending(String key, Instant now) {
        String id = byKey.get(key);
        ApprovalRequest request = id == null ? null : open.get(id);
        if (request == null || closed.containsKey(id) || !request.expires().isAfter(now)) {
            return null;
        }
        return request;
    }

    long openCount(Instant now) {
        return open.entrySet().stream().filter(entry -> !closed.containsKey(entry.getKey()) && entry.getValue().expires().isAfter(now))
                .count();
    }

    /** @return false when it was closed already: its approvals are not this caller's to use */
    boolean close(String id, Instant now) {
        ApprovalRequest request = open.get(id);
        Instant expires = request == null ? now : request.expires(); // not open any more: pruned once it had expired
        if (closed.putIfAbsent(id, expires.plus(CLOSED_KEPT).toEpochMilli()) != null) {
            return false;
        }
        open.remove(id);
        return true;
    }

    /** A recorded receipt: the requests the log opened and closed. */
    void replay(PastAction past) {
        Map<String, String> summary = past.summary();
        String request = summary.get(ApprovalStage.REQUEST);
        if (request == null) {
            return;
        }
        String status = summary.get(ApprovalStage.STATUS);
        if (ApprovalStage.APPROVED.equals(status) || ApprovalStage.REJECTED.equals(status)) {
            Instant expires = expiry(summary.get(ApprovalStage.EXPIRES), past.action().time());
            closed.putIfAbsent(request, expires.plus(CLOSED_KEPT).toEpochMilli());
            open.remove(request);
            return;
        }
        if (!request.equals(past.action().id()) || !ApprovalStage.PENDING.equals(status) || closed.containsKey(request)) {
            return;
        }
        try {
            ApprovalRequest held = new ApprovalRequest(request, past.action().time(),
                    ApprovalStatement.parseTime(summary.get(ApprovalStage.EXPIRES)), past.action().digest(),
                    tier(summary.get("tier")), Integer.parseInt(summary.getOrDefault(ApprovalStage.NEEDS, "1")), new TreeMap<>(),
                    null, past.action().actor(), past.action().onBehalfOf(), past.action().session(), past.action().surface(),
                    past.action().operation(), past.action().target(), new TreeMap<>(summary), null);
            open.put(request, held);
            byKey.put(ApprovalStage.key(held), request);
        } catch (RuntimeException unreadable) {
            // a request whose receipt does not say enough is not reopened: its action is held anew
        }
    }

    /** The open requests unexpired at {@code nowMillis}, and the closed ones still remembered. */
    void writeTo(DataOutputStream out, long nowMillis) throws IOException {
        List<ApprovalRequest> live = new ArrayList<>();
        open.forEach((id, request) -> {
            if (!closed.containsKey(id) && request.expires().toEpochMilli() > nowMillis) {
                live.add(request);
            }
        });
        List<Map.Entry<String, Long>> remembered = new ArrayList<>();
        closed.forEach((id, until) -> {
            if (until > nowMillis) {
                remembered.add(Map.entry(id, until));
            }
        });
        if (live.size() > MAX_KEPT || remembered.size() > MAX_KEPT) {
            throw new IOException(live.size() + " open and " + remembered.size() + " closed requests, more than a snapshot holds");
        }
        out.writeInt(live.size());
        for (ApprovalRequest request : live) {
            byte[] json = request.toJson();
            out.writeInt(json.length);
            out.write(json);
        }
        out.writeInt(remembered.size());
        for (Map.Entry<String, Long> entry : remembered) {
            out.writeUTF(entry.getKey());
            out.writeLong(entry.getValue());
        }
    }

    /**
     * Takes on what {@link #writeTo} wrote, in place of what it held.
     *
     * @throws IOException when the bytes are not such a ledger
     */
    void restore(DataInputStream in) throws IOException {
        Map<String, ApprovalRequest> readOpen = new TreeMap<>();
        int openCount = count(in);
        for (int i = 0; i < openCount; i++) {
            int length = in.readInt();
            if (length < 0 || length > MAX_REQUEST_BYTES) {
                throw new IOException("a request of " + length + " bytes");
            }
            try {
                ApprovalRequest request = ApprovalRequest.parse(in.readNBytes(length));
                readOpen.put(request.id(), request);
            } catch (IllegalArgumentException unreadable) {
                throw new IOException("an open request: " + unreadable.getMessage(), unreadable);
            }
        }
        Map<String, Long> readClosed = new TreeMap<>();
        int closedCount = count(in);
        for (int i = 0; i < closedCount; i++) {
            readClosed.put(in.readUTF(), in.readLong());
        }
        clear();
        readOpen.values().forEach(request -> {
            open.put(request.id(), request);
            byKey.put(ApprovalStage.key(request), request.id());
        });
        closed.putAll(readClosed);
    }

    void clear() {
        open.clear();
        byKey.clear();
        closed.clear();
    }

    private static int count(DataInputStream in) throws IOException {
        int count = in.readInt();
        if (count < 0 || count > MAX_KEPT) {
            throw new IOException("a count of " + count + " requests");
        }
        return count;
    }

    /** When a closing receipt says its request expires; as late as any request could when it does not say. */
    private static Instant expiry(String text, Instant recorded) {
        try {
            return ApprovalStatement.parseTime(text);
        } catch (RuntimeException unreadable) {
            return recorded.plus(LONGEST_LIFE);
        }
    }

    private static int tier(String text) {
        return text != null && text.matches("T[0-3]") ? text.charAt(1) - '0' : -1;
    }
}
