package dev.warden.verifier;

import dev.warden.receipts.Checkpoint;
import dev.warden.receipts.SignedNote;
import dev.warden.receipts.VerificationKey;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;

/**
 * A size and root the log is known to have reached, from outside the receipts directory: given as
 * {@code SIZE/ROOT} (root in hex or base64), or a file holding signed checkpoints — what a witness's
 * {@code GET /checkpoint} returned, or the agent's {@code checkpoint-export} file — of which the
 * largest one signed by the log's key counts (or by a key a rotation handed the log to: {@link #latest}).
 *
 * @param source where it came from, for messages
 */
public record ExpectedCheckpoint(long size, String rootHash, String source, List<SignedNote> signedByOthers) {

    /**
     * @param signedByOthers the file's checkpoints signed by another key than the given one: after a rotation the
     *                       export holds the new key's, and the newest of those is the reference, not the last the
     *                       first key signed ({@link #latest}); a tail cut back to the hand-over verified as whole
     */
    public ExpectedCheckpoint {
        signedByOthers = List.copyOf(signedByOthers);
    }

    public ExpectedCheckpoint(long size, String rootHash, String source) {
        this(size, rootHash, source, List.of());
    }

    /**
     * The largest of this and the file's checkpoints signed by one of {@code keys}: the given key and those the log was
     * handed to by the rotations the verifier followed (a rotation to a key the auditor did not accept is INVALID anyway).
     */
    public ExpectedCheckpoint latest(List<VerificationKey> keys) {
        ExpectedCheckpoint best = this;
        for (SignedNote note : signedByOthers) {
            Checkpoint c = Checkpoint.parse(note.text());
            if (c.size() > best.size() && keys.stream().anyMatch(k -> note.verifiedBy(c.origin(), k))) {
                best = new ExpectedCheckpoint(c.size(), c.rootHash(), source);
            }
        }
        return best;
    }

    /**
     * The file's checkpoints signed by none of {@code keys}: after a rotation, the new key's checkpoints, which a log cut
     * back before its rotation receipt never reaches (it then knows no key but the given one).
     */
    public List<Checkpoint> signedByNoneOf(List<VerificationKey> keys) {
        List<Checkpoint> none = new ArrayList<>();
        for (SignedNote note : signedByOthers) {
            Checkpoint c = Checkpoint.parse(note.text());
            if (keys.stream().noneMatch(k -> note.verifiedBy(c.origin(), k))) {
                none.add(c);
            }
        }
        return none;
    }

    /** @throws IllegalArgumentException when it is neither, or the file holds no checkpoint signed by {@code logKey} */
    public static ExpectedCheckpoint parse(String argument, VerificationKey logKey) throws IOException {
        if (argument.matches("(0|[1-9][0-9]{0,18})/[0-9a-fA-F]{64}")) {
            String[] parts = argument.split("/");
            return new ExpectedCheckpoint(Long.parseLong(parts[0]), parts[1].toLowerCase(java.util.Locale.ROOT), "size/root " + argument);
        }
        int slash = argument.indexOf('/');
        if (slash > 0 && argument.substring(0, slash).matches("0|[1-9][0-9]{0,18}") && !Files.exists(Path.of(argument))) {
            byte[] root;
            try {
                root = Base64.getDecoder().decode(argument.substring(slash + 1));
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("--expect-at-least " + argument + ": the root is neither hex nor base64");
            }
            if (root.length != 32) {
                throw new IllegalArgumentException("--expect-at-least " + argument + ": the root is not 32 bytes");
            }
            return new ExpectedCheckpoint(Long.parseLong(argument.substring(0, slash)), HexFormat.of().formatHex(root),
                    "size/root " + argument);
        }
        all(argument, logKey); // one signed by the given key, else refused
        ExpectedCheckpoint best = null;
        List<SignedNote> others = new ArrayList<>();
        for (SignedNote note : notes(Files.readString(Path.of(argument), StandardCharsets.UTF_8))) {
            Checkpoint c;
            try {
                c = Checkpoint.parse(note.text());
            } catch (IllegalArgumentException notACheckpoint) {
                continue; // skipped, as all() skips it
            }
            if (!note.verifiedBy(c.origin(), logKey)) {
                others.add(note);
            } else if (best == null || c.size() > best.size()) {
                best = new ExpectedCheckpoint(c.size(), c.rootHash(), argument + " (" + c.origin() + ")");
            }
        }
        return new ExpectedCheckpoint(best.size(), best.rootHash(), best.source(), others);
    }

    /**
     * Every checkpoint {@code argument} names: the one of {@code SIZE/ROOT}, or each signed one in the file, in file order
     * (a directory of chains checks each against the chains: one export holds them all). The file must hold one signed by
     * {@code logKey}; the others count too: after a key rotation in one of the chains the export holds the new key's, and a
     * chain cut back to the hand-over reached every checkpoint the given key signed (a thirteenth review, 2026-12-08).
     *
     * @throws IllegalArgumentException as {@link #parse} does
     */
    public static List<ExpectedCheckpoint> all(String argument, VerificationKey logKey) throws IOException {
        int slash = argument.indexOf('/');
        if (slash > 0 && argument.substring(0, slash).matches("0|[1-9][0-9]{0,18}") && !Files.exists(Path.of(argument))) {
            return List.of(parse(argument, logKey));
        }
        Path file = Path.of(argument);
        List<ExpectedCheckpoint> all = new ArrayList<>();
        boolean given = false;
        for (SignedNote note : notes(Files.readString(file, StandardCharsets.UTF_8))) {
            Checkpoint c;
            try {
                c = Checkpoint.parse(note.text());
            } catch (IllegalArgumentException e) {
                continue;
            }
            given |= note.verifiedBy(c.origin(), logKey);
            all.add(new ExpectedCheckpoint(c.size(), c.rootHash(), file + " (" + c.origin() + ")"));
        }
        if (!given) {
            throw new IllegalArgumentException("--expect-at-least " + file + " holds no checkpoint signed by the given public key");
        }
        return all;
    }

    /** The signed notes of a text holding one or more, each text, empty line, signature lines, then an empty line or the end. */
    static List<SignedNote> notes(String text) {
        List<SignedNote> notes = new ArrayList<>();
        StringBuilder body = new StringBuilder();
        StringBuilder signatures = new StringBuilder();
        boolean inSignatures = false;
        for (String line : text.split("\n", -1)) {
            if (!inSignatures) {
                if (line.isEmpty()) {
                    inSignatures = body.length() > 0;
                } else {
                    body.append(line).append('\n');
                }
            } else if (line.startsWith("\u2014 ")) {
                signatures.append(line).append('\n');
            } else {
                add(notes, body, signatures);
                body.setLength(0);
                signatures.setLength(0);
                inSignatures = false;
                if (!line.isEmpty()) {
                    body.append(line).append('\n');
                }
            }
        }
        add(notes, body, signatures);
        return notes;
    }

    private static void add(List<SignedNote> notes, StringBuilder body, StringBuilder signatures) {
        if (body.length() > 0 && signatures.length() > 0) {
            try {
                notes.add(SignedNote.parse(body + "\n" + signatures));
            } catch (IllegalArgumentException unreadable) {
                // not a note: skipped; only signed checkpoints count
            }
        }
    }
}
