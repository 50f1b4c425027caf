package dev.warden.receipts;

import java.security.MessageDigest;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * The digest that binds receipts and approvals to exactly one action: lowercase hex
 * SHA-256 of the RFC 8785 JSON object
 * <pre>{"attributes":{...},"operation":"...","parameters":"...","surface":"...","target":"..."}</pre>
 * ({@code target} may be {@code null}; attribute values may be {@code null}; {@code parameters}, the
 * digest of the values a prepared statement binds, is there only when it binds any).
 * It is a plain SHA-256, not a tree hash: it names an action, it is not a leaf of the log.
 */
public final class ActionDigest {
    private static final ThreadLocal<CanonicalJsonWriter> WRITER = ThreadLocal.withInitial(CanonicalJsonWriter::new);
    private static final ThreadLocal<MessageDigest> DIGEST = ThreadLocal.withInitial(Sha256::newDigest);
    /** A template's parameters digest in, its action's digest out: an execution allocates only the digest's String. */
    private static final ThreadLocal<byte[]> SCRATCH = ThreadLocal.withInitial(() -> new byte[64]);

    private ActionDigest() {
    }

    public static String of(String surface, String operation, String target, SortedMap<String, String> attributes) {
        return of(surface, operation, target, attributes, null);
    }

    /** @param parameters the lowercase hex digest of the values the action binds, or null when it binds none */
    public static String of(String surface, String operation, String target, SortedMap<String, String> attributes,
                            String parameters) {
        CanonicalJsonWriter w = write(surface, operation, target, attributes, parameters);
        MessageDigest digest = DIGEST.get();
        digest.reset();
        digest.update(w.buffer(), 0, w.length());
        return Hex.of(digest.digest());
    }

    /**
     * The digest of an action for any values it binds, prepared once: every execution of a prepared
     * statement hashes only what follows its parameters' digest, not its whole description again.
     */
    public static Template template(String surface, String operation, String target, SortedMap<String, String> attributes) {
        return new Template(write(surface, operation, target, attributes, Template.PLACEHOLDER).toByteArray());
    }

    private static CanonicalJsonWriter write(String surface, String operation, String target,
                                             SortedMap<String, String> attributes, String parameters) {
        if (surface == null || operation == null) {
            throw new IllegalArgumentException("surface and operation are required");
        }
        CanonicalJsonWriter w = WRITER.get().reset();
        w.beginObject()
                .name("attributes").value(inJcsOrder(attributes))
                .name("operation").value(operation);
        if (parameters != null) {
            w.name("parameters").value(parameters);
        }
        return w.name("surface").value(surface)
                .name("target").value(target)
                .endObject();
    }

    /** {@link #of(String, String, String, SortedMap, String)} of one action, for any parameters' digest. */
    public static final class Template {
        static final String PLACEHOLDER = "p".repeat(64);

        private final MessageDigest prefix;
        private final byte[] suffix;

        private Template(byte[] canonical) {
            byte[] marker = ("\"parameters\":\"" + PLACEHOLDER).getBytes(java.nio.charset.StandardCharsets.US_ASCII);
            int at = indexOf(canonical, marker) + marker.length - PLACEHOLDER.length();
            this.prefix = Sha256.newDigest();
            prefix.update(canonical, 0, at);
            this.suffix = java.util.Arrays.copyOfRange(canonical, at + PLACEHOLDER.length(), canonical.length);
        }

        /** @param parameters 64 lowercase hex digits (anything else is refused) */
        public String with(String parameters) {
            if (parameters.length() != PLACEHOLDER.length()) {
                throw new IllegalArgumentException("a parameters digest is 64 hex digits");
            }
            MessageDigest digest;
            try {
                digest = (MessageDigest) prefix.clone(); // the prefix is never updated again: cloning it is safe across threads
            } catch (CloneNotSupportedException e) {
                throw new IllegalStateException("the JDK's SHA-256 is cloneable", e);
            }
            byte[] scratch = SCRATCH.get();
            // Checked by table, with no branch per digit: the digits of a digest are random, and a test per digit
            // mispredicts about every other one (every prepared statement's path).
            int chars = 0;
            int values = 0;
            for (int i = 0; i < PLACEHOLDER.length(); i++) {
                char c = parameters.charAt(i);
                chars |= c;
                values |= Hex.value((byte) c);
                scratch[i] = (byte) c;
            }
            if (chars > 0x7f || values < 0) {
                throw new IllegalArgumentException("a parameters digest is 64 lowercase hex digits");
            }
            digest.update(scratch, 0, PLACEHOLDER.length());
            digest.update(suffix);
            try {
                digest.digest(scratch, 0, 32);
            } catch (java.security.DigestException e) {
                throw new IllegalStateException("SHA-256 into 32 bytes", e);
            }
            return Hex.of(scratch, 32);
        }

        /** The last match: the member follows the attributes, where an attribute named {@code parameters} could look alike. */
        private static int indexOf(byte[] haystack, byte[] needle) {
            outer:
            for (int i = haystack.length - needle.length; i >= 0; i--) {
                for (int j = 0; j < needle.length; j++) {
                    if (haystack[i + j] != needle[j]) {
                        continue outer;
                    }
                }
                return i;
            }
            throw new IllegalStateException("no parameters member");
        }
    }

    /** JCS sorts by UTF-16 code units, which is String's natural order; a map with another comparator is re-sorted. */
    private static Map<String, String> inJcsOrder(SortedMap<String, String> attributes) {
        if (attributes == null) {
            return Map.of();
        }
        return attributes.comparator() == null ? attributes : new TreeMap<>(attributes);
    }
}
