package dev.warden.receipts;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * A held action waiting for approvers, as the gate publishes it for them (a file in the receipts
 * directory's approvals area, or a Redis hash): what it would do, who asked, for whom, until when,
 * and who may approve. Its id is the id of the HOLD receipt that opened it. It is the gate's notice to
 * people, not evidence: the gate honours an approval only when it is signed over the digest of the
 * action the gate itself held under that id. The gate publishes it signed ({@link PublishedRequest}), so that
 * the approvers' CLI shows and signs only what the gate held.
 *
 * @param tier      0-3, or -1 when the rules held an action of no tier
 * @param needs     how many distinct approvers must approve
 * @param approvers the approvers' names and raw Ed25519 public keys (standard base64), so that the
 *                  approvers' CLI can tell which one a private key is
 * @param summary   the HOLD receipt's summary: what the action would do, redacted as receipts are
 */
public record ApprovalRequest(String id, Instant time, Instant expires, String digest, int tier, int needs,
                              SortedMap<String, String> approvers, String policyVersion, String actor,
                              String onBehalfOf, String session, String surface, String operation, String target,
                              SortedMap<String, String> summary, String reason) {

    private static final Set<String> MEMBERS = Set.of("actor", "approvers", "digest", "expires", "id", "needs",
            "onBehalfOf", "operation", "policyVersion", "reason", "session", "summary", "surface", "target", "tier", "time", "v");
    private static final int MAX_BYTES = 1 << 20;

    public ApprovalRequest {
        new ApprovalStatement(id, digest, ApprovalStatement.APPROVE, expires); // checks the id, digest and expiry
        approvers = new TreeMap<>(approvers);
        summary = new TreeMap<>(summary);
    }

    /** The same request, saying what the action would do (its receipt's summary) and why it is held. */
    public ApprovalRequest withSummary(Map<String, String> described, String why) {
        return new ApprovalRequest(id, time, expires, digest, tier, needs, approvers, policyVersion, actor, onBehalfOf, session,
                surface, operation, target, new TreeMap<>(described), why);
    }

    /** The same request, needing {@code approvers} distinct approvers. */
    public ApprovalRequest withNeeds(int approvers) {
        return new ApprovalRequest(id, time, expires, digest, tier, approvers, this.approvers, policyVersion, actor, onBehalfOf,
                session, surface, operation, target, summary, reason);
    }

    /** {@code T3}, or {@code -} for none. */
    public String tierName() {
        return tier < 0 ? "-" : "T" + tier;
    }

    /** What the approver signs to approve or reject it. */
    public ApprovalStatement statement(String decision) {
        return new ApprovalStatement(id, digest, decision, expires);
    }

    public byte[] toJson() {
        return toJson(null);
    }

    /** The request's JSON, with the gate's {@code signature} among its members when it is not null. */
    byte[] toJson(String signature) {
        CanonicalJsonWriter w = new CanonicalJsonWriter();
        w.beginObject()
                .name("actor").value(actor)
                .name("approvers").value(approvers)
                .name("digest").value(digest)
                .name("expires").asciiValue(Timestamps.format(expires))
                .name("id").value(id)
                .name("needs").value(needs)
                .name("onBehalfOf").value(onBehalfOf)
                .name("operation").value(operation)
                .name("policyVersion").value(policyVersion)
                .name("reason").value(reason)
                .name("session").value(session);
        if (signature != null) {
            w.name("signature").value(signature);
        }
        w.name("summary").value(summary)
                .name("surface").value(surface)
                .name("target").value(target)
                .name("tier").value(tier)
                .name("time").asciiValue(Timestamps.format(time))
                .name("v").value(1)
                .endObject();
        return w.toByteArray();
    }

    /** @throws IllegalArgumentException saying what is wrong */
    public static ApprovalRequest parse(byte[] json) {
        Map<?, ?> m = object(json);
        if (!MEMBERS.equals(m.keySet())) {
            throw new IllegalArgumentException("not an approval request (format 1)");
        }
        return of(m);
    }

    /** The JSON object of a request, as parsed. @throws IllegalArgumentException when it is none */
    static Map<?, ?> object(byte[] json) {
        if (json.length > MAX_BYTES) {
            throw new IllegalArgumentException("an approval request is at most " + MAX_BYTES + " bytes");
        }
        Object parsed;
        try {
            parsed = JsonParser.parse(json);
        } catch (MalformedReceiptException e) {
            throw new IllegalArgumentException("not JSON: " + e.getMessage());
        }
        if (!(parsed instanceof Map<?, ?> m) || !Long.valueOf(1).equals(m.get("v"))) {
            throw new IllegalArgumentException("not an approval request (format 1)");
        }
        return m;
    }

    /** Whether {@code members} are a request's, and {@code extra} besides. */
    static boolean requestMembers(Set<?> members, String extra) {
        return members.size() == MEMBERS.size() + 1 && members.containsAll(MEMBERS) && members.contains(extra);
    }

    /** The request an object's members say (the members checked by the caller). */
    static ApprovalRequest of(Map<?, ?> m) {
        return new ApprovalRequest(text(m, "id", true), time(m, "time"), time(m, "expires"), text(m, "digest", true),
                (int) number(m, "tier"), (int) number(m, "needs"), map(m, "approvers"), text(m, "policyVersion", false),
                text(m, "actor", false), text(m, "onBehalfOf", false), text(m, "session", false), text(m, "surface", true),
                text(m, "operation", true), text(m, "target", false), map(m, "summary"), text(m, "reason", false));
    }

    private static Instant time(Map<?, ?> m, String name) {
        return ApprovalStatement.parseTime(text(m, name, true));
    }

    private static String text(Map<?, ?> m, String name, boolean required) {
        Object value = m.get(name);
        if (value == null && !required) {
            return null;
        }
        if (!(value instanceof String s)) {
            throw new IllegalArgumentException(name + " is not a string");
        }
        return s;
    }

    private static long number(Map<?, ?> m, String name) {
        if (!(m.get(name) instanceof Long n) || n < -1 || n > 64) {
            throw new IllegalArgumentException(name + " is not a small integer");
        }
        return n;
    }

    private static SortedMap<String, String> map(Map<?, ?> m, String name) {
        if (!(m.get(name) instanceof Map<?, ?> raw)) {
            throw new IllegalArgumentException(name + " is not an object");
        }
        Map<String, String> out = new LinkedHashMap<>();
        for (Map.Entry<?, ?> e : raw.entrySet()) {
            if (e.getValue() != null && !(e.getValue() instanceof String)) {
                throw new IllegalArgumentException(name + "." + e.getKey() + " is not a string");
            }
            out.put((String) e.getKey(), (String) e.getValue());
        }
        return new TreeMap<>(out);
    }
}
