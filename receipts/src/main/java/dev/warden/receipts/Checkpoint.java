package dev.warden.receipts;

import java.util.Base64;

/**
 * The body of a C2SP tlog checkpoint (https://c2sp.org/tlog-checkpoint): the log's origin, the
 * number of receipts the tree covers, and the RFC 6962 root hash of those receipts' leaf hashes.
 *
 * @param rootHash lowercase hex; the note carries it in standard base64
 */
public record Checkpoint(String origin, long size, String rootHash) {
    public Checkpoint {
        if (origin.isEmpty() || origin.contains("\n")) {
            throw new IllegalArgumentException("origin is one non-empty line");
        }
        if (size < 0 || !Hex.isSha256(rootHash)) {
            throw new IllegalArgumentException("bad size or root hash");
        }
    }

    /** The note text: three newline-terminated lines. */
    public String body() {
        return origin + "\n" + size + "\n" + Base64.getEncoder().encodeToString(Hex.parse(rootHash)) + "\n";
    }

    public static Checkpoint parse(String body) {
        String[] lines = body.split("\n", -1);
        if (lines.length < 4 || !lines[lines.length - 1].isEmpty()) {
            throw new IllegalArgumentException("a checkpoint has an origin, a size and a root hash line");
        }
        if (!lines[1].matches("0|[1-9][0-9]{0,18}")) {
            throw new IllegalArgumentException("tree size is not a decimal number: " + lines[1]);
        }
        byte[] root = Base64.getDecoder().decode(lines[2]);
        if (root.length != 32) {
            throw new IllegalArgumentException("root hash is not 32 bytes");
        }
        return new Checkpoint(lines[0], Long.parseLong(lines[1]), Hex.of(root));
    }
}
