package dev.warden.receipts;

import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

/**
 * A receipt as written: a {@link ReceiptDraft} placed in a chain (format version, chain id,
 * sequence number, hash of the previous receipt), together with its canonical bytes and its hash.
 *
 * <p>Not a record because a receipt <em>is</em> its canonical bytes: they are encoded and hashed once,
 * when the receipt is sealed or parsed, and equality is equality of those bytes.
 */
public final class Receipt {
    /** The format version this library writes; see docs/RECEIPTS.md. */
    public static final int FORMAT_VERSION = 1;
    /** The {@code prev} of the first receipt of a chain: 32 zero bytes. */
    public static final String GENESIS_PREVIOUS = "0".repeat(64);

    private final int version;
    private final String chain;
    private final long sequence;
    /** Null until asked for when the log sealed the receipt from the previous one's leaf hash ({@link #previousLeaf}). */
    private volatile String previousHash;
    private final byte[] previousLeaf;
    private final ReceiptDraft draft;
    /** Null until asked for when the log wrote the receipt straight from its buffer: encoded again then. */
    private volatile byte[] canonicalBytes;
    private final byte[] leafHash;
    private String hash; // made when first asked for: a verifier compares the bytes and never needs most of them

    private Receipt(int version, String chain, long sequence, String previousHash, byte[] previousLeaf, ReceiptDraft draft,
                    byte[] canonicalBytes, byte[] leafHash) {
        this.version = version;
        this.chain = chain;
        this.sequence = sequence;
        this.previousHash = previousHash;
        this.previousLeaf = previousLeaf;
        this.draft = draft;
        this.canonicalBytes = canonicalBytes;
        this.leafHash = leafHash;
    }

    /** Encodes and hashes a new receipt. For tests and tools; the log uses its own reusable buffers. */
    public static Receipt seal(String chain, long sequence, String previousHash, ReceiptDraft draft) {
        return ReceiptCodec.seal(new CanonicalJsonWriter(), Sha256.newDigest(), chain, sequence, previousHash, draft);
    }

    /** @param canonicalBytes the receipt's encoding, or null when it stays in the log's buffer (encoded again if asked for) */
    static Receipt sealed(String chain, long sequence, String previousHash, ReceiptDraft draft,
                          byte[] canonicalBytes, byte[] leafHash) {
        return new Receipt(FORMAT_VERSION, chain, sequence, previousHash, null, draft, canonicalBytes, leafHash);
    }

    /** The log's: sealed after the receipt whose leaf hash is {@code previousLeaf} (its hex made only if asked for). */
    static Receipt sealed(String chain, long sequence, byte[] previousLeaf, ReceiptDraft draft, byte[] leafHash) {
        return sealed(chain, sequence, previousLeaf, draft, null, leafHash);
    }

    /** Sealed after the receipt whose leaf hash is {@code previousLeaf}, which the receipt keeps (read from the bytes). */
    static Receipt sealed(String chain, long sequence, byte[] previousLeaf, ReceiptDraft draft, byte[] canonicalBytes,
                          byte[] leafHash) {
        return new Receipt(FORMAT_VERSION, chain, sequence, null, previousLeaf, draft, canonicalBytes, leafHash);
    }

    /**
     * Reads a receipt from its stored bytes, insisting they are exactly the canonical encoding of
     * what they contain (so that two different byte strings can never claim the same receipt).
     */
    public static Receipt parse(byte[] canonicalBytes) throws MalformedReceiptException {
        return ReceiptCodec.parse(canonicalBytes);
    }

    public int version() {
        return version;
    }

    public String chain() {
        return chain;
    }

    public long sequence() {
        return sequence;
    }

    /** Lowercase hex leaf hash of the previous receipt in the chain; {@link #GENESIS_PREVIOUS} for the first. */
    public String previousHash() {
        String h = previousHash;
        if (h == null) {
            h = Hex.of(previousLeaf); // a race makes it twice, equal
            previousHash = h;
        }
        return h;
    }

    /**
     * Whether {@code prev} names the receipt whose leaf hash is {@code leafHash}, as
     * {@code previousHash().equals(hex of leafHash)} but without making either hex.
     */
    public boolean follows(byte[] leafHash) {
        byte[] leaf = previousLeaf;
        if (leaf != null) {
            return Arrays.equals(leaf, leafHash);
        }
        String hex = previousHash;
        if (hex.length() != 2 * leafHash.length) {
            return false;
        }
        for (int i = 0; i < leafHash.length; i++) {
            if (hex.charAt(2 * i) != Hex.digit(leafHash[i] >> 4) || hex.charAt(2 * i + 1) != Hex.digit(leafHash[i])) {
                return false;
            }
        }
        return true;
    }

    public ReceiptDraft draft() {
        return draft;
    }

    public String id() {
        return draft.id();
    }

    public Instant time() {
        return draft.time();
    }

    public String actor() {
        return draft.actor();
    }

    public String onBehalfOf() {
        return draft.onBehalfOf();
    }

    public String session() {
        return draft.session();
    }

    public String surface() {
        return draft.surface();
    }

    public String operation() {
        return draft.operation();
    }

    public String target() {
        return draft.target();
    }

    public String actionDigest() {
        return draft.actionDigest();
    }

    public Map<String, String> summary() {
        return draft.summary();
    }

    public String outcome() {
        return draft.outcome();
    }

    public boolean enforced() {
        return draft.enforced();
    }

    public List<String> rules() {
        return draft.rules();
    }

    public String reason() {
        return draft.reason();
    }

    public Map<String, String> obligations() {
        return draft.obligations();
    }

    public String policyVersion() {
        return draft.policyVersion();
    }

    /** The approvals the decision cites; empty for almost every receipt. */
    public List<ApprovalCitation> approvals() {
        return draft.approvals();
    }

    /** The canonical encoding (RFC 8785 JSON, UTF-8) that the hash covers. A copy. */
    public byte[] canonicalBytes() {
        return bytes().clone();
    }

    /** Lowercase hex of the RFC 6962 leaf hash, SHA-256(0x00 || canonicalBytes). */
    public String hash() {
        String h = hash;
        if (h == null) {
            h = Hex.of(leafHash); // a race makes it twice, equal
            hash = h;
        }
        return h;
    }

    /** Whether {@code hash} is this receipt's leaf hash (without the copy {@link #leafHash()} makes). */
    public boolean leafHashEquals(byte[] hash) {
        return Arrays.equals(leafHash, hash);
    }

    /** The leaf hash as bytes. A copy. */
    public byte[] leafHash() {
        return leafHash.clone();
    }

    /** The encoding is a function of what the receipt holds, so encoding it again gives the bytes that were hashed. */
    private byte[] bytes() {
        byte[] bytes = canonicalBytes;
        if (bytes == null) {
            CanonicalJsonWriter w = new CanonicalJsonWriter();
            ReceiptCodec.encode(w, version, chain, sequence, previousHash(), draft);
            bytes = canonicalBytes = w.toByteArray();
        }
        return bytes;
    }

    byte[] leafHashUnsafe() {
        return leafHash;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Receipt r && Arrays.equals(bytes(), r.bytes());
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(leafHash);
    }

    @Override
    public String toString() {
        return "Receipt[" + sequence + " " + draft.id() + " " + draft.surface() + " " + draft.operation() + " "
                + draft.target() + " " + draft.outcome() + " " + hash() + "]";
    }
}
