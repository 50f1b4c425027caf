package dev.warden.agent.approval;

import dev.warden.agent.context.PastAction;
import dev.warden.receipts.ApprovalRequest;
import dev.warden.receipts.ApprovalStatement;
import dev.warden.rules.approvals.ApprovalPolicy;

import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Which approval requests this gate holds open and which it closed, as its own memory (in-process state): rebuilt from
 * the receipt log, never read back from the approvals area, and kept in the state snapshot. A closed request is
 * remembered for the process's life; a snapshot keeps it until {@link ApprovalStore#CLOSED_KEPT} after it expired.
 */
final class RequestLedger {

    private static final int MAX_OPEN = 100_000;
    /** Bounds of what a snapshot holds. */
    private static final int MAX_KEPT = 10_000_000;
    private static final int MAX_TEXT = 1 << 20;

    private final Map<String, ApprovalRequest> open = new ConcurrentHashMap<>();
    /** The request each action (its digest and identity) was last held under. */
    private final Map<String, String> byKey = new ConcurrentHashMap<>();
    /** Closed request ids, and until when (epoch millis) a snapshot keeps each. */
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
    boolean close(ApprovalRequest request) {
        if (closed.putIfAbsent(request.id(), keptUntil(request.expires())) != null) {
            return false;
        }
        open.remove(request.id());
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
            closed.putIfAbsent(request, keptUntil(expiry(summary.get(ApprovalStage.EXPIRES), past.action().time())));
            open.remove(request);
            return;
        }
        if (!request.equals(past.action().id()) || !ApprovalStage.PENDING.equals(status) || closed.containsKey(request)) {
            return;
        }
        try {
            // What the stage reads of a request it finds again: not the summary, which the approvals area holds.
            ApprovalRequest held = new ApprovalRequest(request, past.action().time(),
                    ApprovalStatement.parseTime(summary.get(ApprovalStage.EXPIRES)), past.action().digest(),
                    ApprovalReplay.tier(summary.get("tier")), Integer.parseInt(summary.getOrDefault(ApprovalStage.NEEDS, "1")),
                    new TreeMap<>(), null, past.action().actor(), past.action().onBehalfOf(), past.action().session(),
                    past.action().surface(), past.action().operation(), past.action().target(), new TreeMap<>(), null);
            open.put(request, held);
            byKey.put(ApprovalStage.key(held), request);
        } catch (RuntimeException unreadable) {
            // a request whose receipt does not say enough is not reopened: its action is held anew
        }
    }

    /**
     * The open requests unexpired at {@code nowMillis} with the actions held under them, and the closed ones a snapshot
     * still keeps; all of it or nothing ({@link IOException} when it is more than a snapshot holds).
     */
    void writeTo(DataOutputStream out, long nowMillis) throws IOException {
        Map<String, byte[]> live = new LinkedHashMap<>();
        open.forEach((id, request) -> {
            if (!closed.containsKey(id) && request.expires().toEpochMilli() > nowMillis) {
                live.put(id, request.toJson());
            }
        });
        List<Map.Entry<String, String>> held = new ArrayList<>();
        byKey.forEach((key, id) -> {
            if (live.containsKey(id)) {
                held.add(Map.entry(key, id));
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
        for (byte[] json : live.values()) {
            bytes(out, json);
        }
        out.writeInt(held.size());
        for (Map.Entry<String, String> entry : held) {
            bytes(out, entry.getKey().getBytes(StandardCharsets.UTF_8));
            bytes(out, entry.getValue().getBytes(StandardCharsets.UTF_8));
        }
        out.writeInt(remembered.size());
        for (Map.Entry<String, Long> entry : remembered) {
            bytes(out, entry.getKey().getBytes(StandardCharsets.UTF_8));
            out.writeLong(entry.getValue());
        }
    }

    /**
     * Takes on what {@link #writeTo} wrote, as of {@code nowMillis}, in place of what it held.
     *
     * @throws IOException when the bytes are not such a ledger
     */
    void restore(DataInputStream in, long nowMillis) throws IOException {
        Map<String, ApprovalRequest> readOpen = new LinkedHashMap<>();
        int openCount = count(in);
        for (int i = 0; i < openCount; i++) {
            try {
                ApprovalRequest request = ApprovalRequest.parse(bytes(in));
                readOpen.put(request.id(), request);
            } catch (IllegalArgumentException unreadable) {
                throw new IOException("an open request: " + unreadable.getMessage(), unreadable);
            }
        }
        Map<String, String> readHeld = new LinkedHashMap<>();
        int heldCount = count(in);
        for (int i = 0; i < heldCount; i++) {
            String key = text(in);
            String id = text(in);
            if (!readOpen.containsKey(id)) {
                throw new IOException("an action held under " + id + ", which is not open");
            }
            readHeld.put(key, id);
        }
        Map<String, Long> readClosed = new LinkedHashMap<>();
        int closedCount = count(in);
        for (int i = 0; i < closedCount; i++) {
            String id = text(in);
            long until = in.readLong();
            if (until > nowMillis) {
                readClosed.put(id, until);
            }
        }
        clear();
        open.putAll(readOpen);
        byKey.putAll(readHeld);
        closed.putAll(readClosed);
    }

    void clear() {
        open.clear();
        byKey.clear();
        closed.clear();
    }

    /** Until when a snapshot keeps a request closed that expires at {@code expires}. */
    private static long keptUntil(Instant expires) {
        return expires.plus(ApprovalStore.CLOSED_KEPT).toEpochMilli();
    }

    /** When a closing receipt says its request expires; as late as any request could when it does not say. */
    private static Instant expiry(String text, Instant recorded) {
        try {
            return ApprovalStatement.parseTime(text);
        } catch (RuntimeException unreadable) {
            return recorded.plus(ApprovalPolicy.LONGEST_WITHIN);
        }
    }

    private static int count(DataInputStream in) throws IOException {
        int count = in.readInt();
        if (count < 0 || count > MAX_KEPT) {
            throw new IOException("a count of " + count + " requests");
        }
        return count;
    }

    // Lengths, not writeUTF: an id or an identity comes from what the host's actions said, of any length.
    private static void bytes(DataOutputStream out, byte[] bytes) throws IOException {
        if (bytes.length > MAX_TEXT) {
            throw new IOException("a field of " + bytes.length + " bytes, more than a snapshot holds");
        }
        out.writeInt(bytes.length);
        out.write(bytes);
    }

    private static byte[] bytes(DataInputStream in) throws IOException {
        int length = in.readInt();
        if (length < 0 || length > MAX_TEXT) {
            throw new IOException("a field of " + length + " bytes");
        }
        byte[] bytes = new byte[length];
        in.readFully(bytes);
        return bytes;
    }

    private static String text(DataInputStream in) throws IOException {
        return new String(bytes(in), StandardCharsets.UTF_8);
    }
}
