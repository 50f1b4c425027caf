package dev.warden.receipts;

import java.util.Base64;
import java.util.List;
import java.util.OptionalLong;

/**
 * The body of a C2SP tlog checkpoint (https://c2sp.org/tlog-checkpoint): the log's origin, the
 * number of receipts the tree covers, the RFC 6962 root hash of those receipts' leaf hashes, and
 * optional extension lines (Warden writes one, {@code previous <size>}, naming the size of the
 * checkpoint before it, so that a deleted checkpoint leaves a signed trace).
 *
 * @param rootHash   lowercase hex; the note carries it in standard base64
 * @param extensions the lines after the root hash, each non-empty, without their newline
 */
public record Checkpoint(String origin, long size, String rootHash, List<String> extensions) {
    static final String PREVIOUS = "previous ";

    public Checkpoint {
        if (origin.isEmpty() || origin.contains("\n")) {
            throw new IllegalArgumentException("origin is one non-empty line");
        }
        if (size < 0 || !Hex.isSha256(rootHash)) {
            throw new IllegalArgumentException("bad size or root hash");
        }
        extensions = List.copyOf(extensions);
        if (extensions.stream().anyMatch(e -> e.isEmpty() || e.contains("\n"))) {
            throw new IllegalArgumentException("an extension line is one non-empty line");
        }
    }

    public Checkpoint(String origin, long size, String rootHash) {
        this(origin, size, rootHash, List.of());
    }

    /** A checkpoint that names the size of the one signed before it (0 for the log's first). */
    static Checkpoint following(String origin, long size, String rootHash, long previousSize) {
        return new Checkpoint(origin, size, rootHash, List.of(PREVIOUS + previousSize));
    }

    /** The size named by a {@code previous <size>} extension line, if there is exactly one well-formed one. */
    public OptionalLong previousSize() {
        List<String> lines = extensions.stream().filter(e -> e.startsWith(PREVIOUS)).toList();
        if (lines.size() != 1 || !lines.get(0).substring(PREVIOUS.length()).matches("0|[1-9][0-9]{0,18}")) {
            return OptionalLong.empty();
        }
        return OptionalLong.of(Long.parseLong(lines.get(0).substring(PREVIOUS.length())));
    }

    /** The note text: newline-terminated origin, size, root hash and extension lines. */
    public String body() {
        StringBuilder sb = new StringBuilder(origin).append('\n').append(size).append('\n')
                .append(Base64.getEncoder().encodeToString(Hex.parse(rootHash))).append('\n');
        extensions.forEach(e -> sb.append(e).append('\n'));
        return sb.toString();
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
        return new Checkpoint(lines[0], Long.parseLong(lines[1]), Hex.of(root), List.of(lines).subList(3, lines.length - 1));
    }
}
