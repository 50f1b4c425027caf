package dev.warden.receipts;

import java.security.MessageDigest;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * The digest that binds receipts and approvals to exactly one action: lowercase hex
 * SHA-256 of the RFC 8785 JSON object
 * <pre>{"attributes":{...},"operation":"...","surface":"...","target":"..."}</pre>
 * ({@code target} may be {@code null}; attribute values may be {@code null}).
 * It is a plain SHA-256, not a tree hash: it names an action, it is not a leaf of the log.
 */
public final class ActionDigest {
    private static final ThreadLocal<CanonicalJsonWriter> WRITER = ThreadLocal.withInitial(CanonicalJsonWriter::new);
    private static final ThreadLocal<MessageDigest> DIGEST = ThreadLocal.withInitial(Sha256::newDigest);

    private ActionDigest() {
    }

    public static String of(String surface, String operation, String target, SortedMap<String, String> attributes) {
        if (surface == null || operation == null) {
            throw new IllegalArgumentException("surface and operation are required");
        }
        CanonicalJsonWriter w = WRITER.get().reset();
        w.beginObject()
                .name("attributes").value(inJcsOrder(attributes))
                .name("operation").value(operation)
                .name("surface").value(surface)
                .name("target").value(target)
                .endObject();
        MessageDigest digest = DIGEST.get();
        digest.reset();
        digest.update(w.buffer(), 0, w.length());
        return Hex.of(digest.digest());
    }

    /** JCS sorts by UTF-16 code units, which is String's natural order; a map with another comparator is re-sorted. */
    private static Map<String, String> inJcsOrder(SortedMap<String, String> attributes) {
        if (attributes == null) {
            return Map.of();
        }
        return attributes.comparator() == null ? attributes : new TreeMap<>(attributes);
    }
}
