package dev.warden.receipts;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * One receipt, its RFC 9162 inclusion path and the signed checkpoint it leads to: enough to show a
 * third party, offline, that this receipt is in the log the key holder signed.
 *
 * @param receipt    the receipt's canonical JSON text (its UTF-8 bytes are what the leaf hash covers)
 * @param leafIndex  the receipt's position in the tree (its sequence number)
 * @param treeSize   the checkpoint's tree size
 * @param path       audit path, lowercase hex, bottom-up
 * @param checkpoint the signed checkpoint note, as stored
 */
public record InclusionProof(String receipt, long leafIndex, long treeSize, List<String> path, String checkpoint) {
    public InclusionProof {
        path = List.copyOf(path);
    }

    /** The result of checking a proof: {@code ok}, or the first reason it fails. */
    public record Check(boolean ok, String reason) {
    }

    public Check verify(VerificationKey key) {
        SignedNote note;
        Checkpoint body;
        try {
            note = SignedNote.parse(checkpoint);
            body = Checkpoint.parse(note.text());
        } catch (IllegalArgumentException e) {
            return new Check(false, "the checkpoint is unreadable: " + e.getMessage());
        }
        if (note.signatures().stream().noneMatch(s -> note.verifiedBy(s.keyName(), key))) {
            return new Check(false, "the checkpoint is not signed by the given public key");
        }
        if (body.size() != treeSize) {
            return new Check(false, "the proof is for a tree of " + treeSize + ", the checkpoint covers " + body.size());
        }
        byte[] bytes = receipt.getBytes(StandardCharsets.UTF_8);
        try {
            Receipt r = Receipt.parse(bytes);
            if (r.sequence() != leafIndex) {
                return new Check(false, "the receipt has sequence " + r.sequence() + ", the proof is for leaf " + leafIndex);
            }
        } catch (MalformedReceiptException e) {
            return new Check(false, "the receipt is not canonical: " + e.getMessage());
        }
        List<byte[]> hashes = new ArrayList<>();
        for (String h : path) {
            if (!Hex.isSha256(h)) {
                return new Check(false, "the path holds a value that is not a SHA-256: " + h);
            }
            hashes.add(Hex.parse(h));
        }
        if (!InclusionProofs.verify(TreeHashes.leaf(bytes), leafIndex, treeSize, hashes, Hex.parse(body.rootHash()))) {
            return new Check(false, "the inclusion path does not lead from the receipt to the signed root");
        }
        return new Check(true, "receipt " + leafIndex + " is included in the signed tree of " + treeSize);
    }

    public String toJson() {
        CanonicalJsonWriter w = new CanonicalJsonWriter();
        w.beginObject()
                .name("checkpoint").value(checkpoint)
                .name("leafIndex").value(leafIndex)
                .name("path").value(path)
                .name("receipt").value(receipt)
                .name("treeSize").value(treeSize)
                .endObject();
        return new String(w.toByteArray(), StandardCharsets.UTF_8);
    }

    public static InclusionProof fromJson(String json) throws MalformedReceiptException {
        if (!(JsonParser.parse(json.strip().getBytes(StandardCharsets.UTF_8)) instanceof Map<?, ?> m)) {
            throw new MalformedReceiptException("a proof is a JSON object");
        }
        if (!(m.get("receipt") instanceof String receipt) || !(m.get("checkpoint") instanceof String checkpoint)
                || !(m.get("leafIndex") instanceof Long index) || !(m.get("treeSize") instanceof Long size)
                || !(m.get("path") instanceof List<?> rawPath)) {
            throw new MalformedReceiptException("a proof has receipt, leafIndex, treeSize, path and checkpoint");
        }
        List<String> path = new ArrayList<>();
        for (Object o : rawPath) {
            if (!(o instanceof String s)) {
                throw new MalformedReceiptException("path entries are hex strings");
            }
            path.add(s);
        }
        return new InclusionProof(receipt, index, size, path, checkpoint);
    }
}
