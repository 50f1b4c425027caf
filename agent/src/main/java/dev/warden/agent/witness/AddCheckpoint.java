package dev.warden.agent.witness;

import dev.warden.receipts.ConsistencyProofs;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;

/**
 * The body of a C2SP tlog-witness {@code add-checkpoint} request: {@code old <size>}, one base64
 * consistency proof hash a line (at most 63), an empty line, then the signed checkpoint note.
 */
public record AddCheckpoint(long oldSize, List<byte[]> proof, String note) {
    /** Far more than a checkpoint with a few signatures and 63 proof lines needs. */
    public static final int MAX_BODY = 64 * 1024;

    public AddCheckpoint {
        if (oldSize < 0 || proof.size() > ConsistencyProofs.MAX_PROOF_LENGTH) {
            throw new IllegalArgumentException("old size below 0 or more than 63 proof lines");
        }
        proof = List.copyOf(proof);
    }

    public byte[] body() {
        StringBuilder sb = new StringBuilder("old ").append(oldSize).append('\n');
        proof.forEach(h -> sb.append(Base64.getEncoder().encodeToString(h)).append('\n'));
        return sb.append('\n').append(note).toString().getBytes(StandardCharsets.UTF_8);
    }

    /** @throws IllegalArgumentException naming what is malformed (the witness answers 400) */
    public static AddCheckpoint parse(byte[] body) {
        String text = new String(body, StandardCharsets.UTF_8);
        int lineEnd = text.indexOf('\n');
        if (lineEnd < 0 || !text.substring(0, lineEnd).matches("old (0|[1-9][0-9]{0,18})")) {
            throw new IllegalArgumentException("the first line is not 'old <size>'");
        }
        long oldSize = Long.parseLong(text.substring(4, lineEnd));
        List<byte[]> proof = new ArrayList<>();
        int at = lineEnd + 1;
        while (true) {
            int end = text.indexOf('\n', at);
            if (end < 0) {
                throw new IllegalArgumentException("no empty line before the checkpoint");
            }
            if (end == at) {
                at = end + 1;
                break;
            }
            if (proof.size() == ConsistencyProofs.MAX_PROOF_LENGTH) {
                throw new IllegalArgumentException("more than 63 consistency proof lines");
            }
            byte[] hash;
            try {
                hash = Base64.getDecoder().decode(text.substring(at, end));
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("a consistency proof line is not base64");
            }
            if (hash.length != 32) {
                throw new IllegalArgumentException("a consistency proof line is not a 32-byte hash");
            }
            proof.add(hash);
            at = end + 1;
        }
        return new AddCheckpoint(oldSize, proof, text.substring(at));
    }
}
