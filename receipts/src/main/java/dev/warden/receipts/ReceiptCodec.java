package dev.warden.receipts;

import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The canonical encoding of a receipt: one RFC 8785 JSON object whose members are written here in
 * their JCS order (UTF-16 code-unit order of the names). docs/RECEIPTS.md lists them with their types.
 */
final class ReceiptCodec {
    /** Member names in the order JCS sorts them; a test checks that this is sorted. */
    static final List<String> MEMBERS = List.of(
            "actionDigest", "actor", "chain", "enforced", "id", "obligations", "onBehalfOf", "operation",
            "outcome", "policyVersion", "prev", "reason", "rules", "seq", "session", "summary", "surface",
            "target", "time", "v");
    /** Present only in receipts that cite approvals, between {@code actor} and {@code chain}. */
    static final String APPROVALS = "approvals";

    private static final java.util.Set<String> MEMBER_SET = java.util.Set.copyOf(MEMBERS);
    // Verifiers parse millions of receipts: one re-encoding buffer per thread, not one per receipt.
    private static final ThreadLocal<CanonicalJsonWriter> CHECK_WRITER = ThreadLocal.withInitial(CanonicalJsonWriter::new);

    private ReceiptCodec() {
    }

    /** Seals a receipt for tools and tests, with any {@code previousHash} they give (the log's own path is below). */
    static Receipt seal(CanonicalJsonWriter w, MessageDigest digest, String chain, long sequence,
                        String previousHash, ReceiptDraft d) {
        encode(w.reset(), Receipt.FORMAT_VERSION, chain, sequence, previousHash, d);
        byte[] leaf = TreeHashes.leaf(digest, w.buffer(), 0, w.length());
        return Receipt.sealed(chain, sequence, previousHash, d, w.toByteArray(), leaf);
    }

    /**
     * Seals a receipt whose encoding stays in {@code w} only (the log copies it straight into the queue), after the
     * receipt whose leaf hash is {@code previousLeaf}: its hex is spelled into the encoding, never made a String.
     */
    static Receipt sealInPlace(CanonicalJsonWriter w, MessageDigest digest, String chain, long sequence,
                               byte[] previousLeaf, ReceiptDraft d) {
        if (d.summary() instanceof ReceiptSummary summary) {
            ReceiptTemplate.forDraft(w, Receipt.FORMAT_VERSION, chain, d, summary).encode(w, sequence, previousLeaf, d);
        } else {
            encode(w.reset(), Receipt.FORMAT_VERSION, chain, sequence, Hex.of(previousLeaf), d);
        }
        byte[] leaf = TreeHashes.leaf(digest, w.buffer(), 0, w.length());
        return Receipt.sealed(chain, sequence, previousLeaf, d, leaf);
    }


    static void encode(CanonicalJsonWriter w, int version, String chain, long sequence, String previousHash,
                       ReceiptDraft d) {
        untilActionDigest(w).value(d.actionDigest());
        untilId(w, chain, d).value(d.id());
        untilPrev(w, d).asciiValue(previousHash);
        untilSeq(w, d).value(sequence);
        untilTime(w, d).timeValue(d.time());
        end(w, version);
    }

    // The members in runs between those that change from receipt to receipt (actionDigest, id, prev, seq,
    // time), so that a ReceiptTemplate can keep the runs of an action's receipts as bytes. The action digest
    // changes with a statement's bound values and a request's body, while the rest of the receipt does not.

    static CanonicalJsonWriter untilActionDigest(CanonicalJsonWriter w) {
        return w.beginObject().name("actionDigest");
    }

    static CanonicalJsonWriter untilId(CanonicalJsonWriter w, String chain, ReceiptDraft d) {
        w.name("actor").value(d.actor());
        if (!d.approvals().isEmpty()) {
            w.name(APPROVALS).beginArray();
            for (ApprovalCitation approval : d.approvals()) {
                approval.encode(w);
            }
            w.endArray();
        }
        return w.name("chain").value(chain)
                .name("enforced").value(d.enforced())
                .name("id");
    }

    static CanonicalJsonWriter untilPrev(CanonicalJsonWriter w, ReceiptDraft d) {
        return w.name("obligations").value(d.obligations())
                .name("onBehalfOf").value(d.onBehalfOf())
                .name("operation").value(d.operation())
                .name("outcome").value(d.outcome())
                .name("policyVersion").value(d.policyVersion())
                .name("prev");
    }

    static CanonicalJsonWriter untilSeq(CanonicalJsonWriter w, ReceiptDraft d) {
        return w.name("reason").value(d.reason())
                .name("rules").value(d.rules())
                .name("seq");
    }

    static CanonicalJsonWriter untilTime(CanonicalJsonWriter w, ReceiptDraft d) {
        return w.name("session").value(d.session())
                .name("summary").value(d.summary())
                .name("surface").value(d.surface())
                .name("target").value(d.target())
                .name("time");
    }

    static void end(CanonicalJsonWriter w, int version) {
        w.name("v").value(version).endObject();
    }

    static Receipt parse(byte[] bytes) throws MalformedReceiptException {
        Receipt common = CanonicalReceiptReader.read(bytes, false);
        return common != null ? common : parseAny(bytes);
    }

    /** {@link #parse}, keeping {@code bytes} themselves: for bytes copied out of the log for this receipt alone. */
    static Receipt parseOwned(byte[] bytes) throws MalformedReceiptException {
        Receipt common = CanonicalReceiptReader.read(bytes, true);
        return common != null ? common : parseAny(bytes);
    }

    /**
     * The draft of a receipt, on the common path without hashing it: for a reader that trusts the log it reads (the
     * agent replaying its own log into its state; checking the log is the verifier's). The same checks of the bytes
     * as {@link #parse}.
     */
    static ReceiptDraft parseDraft(byte[] bytes) throws MalformedReceiptException {
        ReceiptDraft common = CanonicalReceiptReader.readDraft(bytes);
        return common != null ? common : parseAny(bytes).draft();
    }

    /**
     * The general path, for anything the {@link CanonicalReceiptReader} does not recognise (approvals cited,
     * escapes and non-ASCII text in one string, or not canonical at all): decode, re-encode and compare the
     * bytes, which checks every rule at once and names what is wrong.
     */
    static Receipt parseAny(byte[] bytes) throws MalformedReceiptException {
        if (!(JsonParser.parse(bytes) instanceof Map<?, ?> raw)) {
            throw new MalformedReceiptException("not a JSON object");
        }
        @SuppressWarnings("unchecked")
        Map<String, Object> m = (Map<String, Object>) raw;
        boolean cites = m.containsKey(APPROVALS);
        if (m.size() != MEMBERS.size() + (cites ? 1 : 0) || !MEMBER_SET.containsAll(cites ? without(m.keySet(), APPROVALS) : m.keySet())) {
            throw new MalformedReceiptException("members are " + m.keySet() + ", expected " + MEMBERS
                    + " (and " + APPROVALS + " when approvals are cited)");
        }
        List<ApprovalCitation> approvals = cites ? approvals(m.get(APPROVALS)) : List.of();
        long version = number(m, "v");
        if (version != Receipt.FORMAT_VERSION) {
            throw new MalformedReceiptException("unknown format version " + version);
        }
        String prev = requiredString(m, "prev");
        if (!Hex.isSha256(prev)) {
            throw new MalformedReceiptException("prev is not a lowercase hex SHA-256");
        }
        ReceiptDraft draft;
        try {
            draft = new ReceiptDraft(
                    requiredString(m, "id"),
                    Timestamps.parse(requiredString(m, "time")),
                    string(m, "actor"), string(m, "onBehalfOf"), string(m, "session"),
                    requiredString(m, "surface"), requiredString(m, "operation"), string(m, "target"),
                    string(m, "actionDigest"),
                    stringMap(m, "summary"),
                    requiredString(m, "outcome"),
                    bool(m, "enforced"),
                    stringList(m, "rules"),
                    string(m, "reason"),
                    stringMap(m, "obligations"),
                    string(m, "policyVersion"),
                    approvals);
        } catch (IllegalArgumentException | NullPointerException e) {
            throw new MalformedReceiptException(e.getMessage());
        }
        String chain = requiredString(m, "chain");
        long seq = number(m, "seq");
        if (seq < 0) {
            throw new MalformedReceiptException("negative seq");
        }
        CanonicalJsonWriter w = CHECK_WRITER.get().reset();
        encode(w, (int) version, chain, seq, prev, draft);
        if (!Arrays.equals(w.buffer(), 0, w.length(), bytes, 0, bytes.length)) {
            throw new MalformedReceiptException("bytes are not in canonical form");
        }
        return Receipt.sealed(chain, seq, prev, draft, bytes.clone(), TreeHashes.leaf(bytes));
    }

    private static java.util.Set<String> without(java.util.Set<String> names, String name) {
        java.util.Set<String> rest = new java.util.HashSet<>(names);
        rest.remove(name);
        return rest;
    }

    /** A non-empty array of citations: an empty one is not canonical (the member is left out instead). */
    private static List<ApprovalCitation> approvals(Object value) throws MalformedReceiptException {
        if (!(value instanceof List<?> raw) || raw.isEmpty()) {
            throw new MalformedReceiptException(APPROVALS + " is not a non-empty array");
        }
        List<ApprovalCitation> out = new ArrayList<>();
        for (Object o : raw) {
            out.add(ApprovalCitation.parse(o));
        }
        return out;
    }

    private static String string(Map<String, Object> m, String name) throws MalformedReceiptException {
        Object v = m.get(name);
        if (v != null && !(v instanceof String)) {
            throw new MalformedReceiptException(name + " is not a string");
        }
        return (String) v;
    }

    private static String requiredString(Map<String, Object> m, String name) throws MalformedReceiptException {
        String s = string(m, name);
        if (s == null) {
            throw new MalformedReceiptException(name + " is null");
        }
        return s;
    }

    private static long number(Map<String, Object> m, String name) throws MalformedReceiptException {
        if (!(m.get(name) instanceof Long n)) {
            throw new MalformedReceiptException(name + " is not an integer");
        }
        return n;
    }

    private static boolean bool(Map<String, Object> m, String name) throws MalformedReceiptException {
        if (!(m.get(name) instanceof Boolean b)) {
            throw new MalformedReceiptException(name + " is not a boolean");
        }
        return b;
    }

    private static Map<String, String> stringMap(Map<String, Object> m, String name) throws MalformedReceiptException {
        if (!(m.get(name) instanceof Map<?, ?> raw)) {
            throw new MalformedReceiptException(name + " is not an object");
        }
        Map<String, String> out = new LinkedHashMap<>();
        for (Map.Entry<?, ?> e : raw.entrySet()) {
            if (e.getValue() != null && !(e.getValue() instanceof String)) {
                throw new MalformedReceiptException(name + "." + e.getKey() + " is not a string");
            }
            out.put((String) e.getKey(), (String) e.getValue());
        }
        return out;
    }

    private static List<String> stringList(Map<String, Object> m, String name) throws MalformedReceiptException {
        if (!(m.get(name) instanceof List<?> raw)) {
            throw new MalformedReceiptException(name + " is not an array");
        }
        List<String> out = new ArrayList<>();
        for (Object o : raw) {
            if (!(o instanceof String s)) {
                throw new MalformedReceiptException(name + " holds a non-string");
            }
            out.add(s);
        }
        return out;
    }
}
