package dev.warden.verifier;

import dev.warden.receipts.Checkpoint;
import dev.warden.receipts.LogEntry;
import dev.warden.receipts.NoteSignature;
import dev.warden.receipts.SignedNote;
import dev.warden.receipts.VerificationKey;

import java.util.HashSet;
import java.util.Set;

/**
 * A checkpoint excerpt's note read, and whether one key verifies its signatures, worked out from the excerpt
 * alone so that it can be done ahead, on a parsing thread (see {@link ReadAhead}): Ed25519 verification is
 * most of the in-order checks' time otherwise. Which key must verify it is decided in order (a rotation
 * changes it); {@link #verifiedBy} answers for any key, from what was worked out ahead when it is that key.
 *
 * @param unreadable why the note or the checkpoint in it cannot be read, or null
 * @param names      the key names under which {@code key} verifies a signature of the note
 */
record CheckpointRead(SignedNote note, Checkpoint checkpoint, String unreadable, VerificationKey key, Set<String> names) {

    static CheckpointRead of(LogEntry.StoredCheckpoint stored, VerificationKey key) {
        SignedNote note;
        Checkpoint checkpoint;
        try {
            note = SignedNote.parse(stored.note());
            checkpoint = Checkpoint.parse(note.text());
        } catch (IllegalArgumentException e) {
            return new CheckpointRead(null, null, e.getMessage(), key, Set.of());
        }
        Set<String> names = new HashSet<>();
        for (NoteSignature s : note.signatures()) {
            if (!names.contains(s.keyName()) && note.verifiedBy(s.keyName(), key)) {
                names.add(s.keyName());
            }
        }
        return new CheckpointRead(note, checkpoint, null, key, names);
    }

    /** {@code note().verifiedBy(keyName, k)}. */
    boolean verifiedBy(String keyName, VerificationKey k) {
        return k.equals(key) ? names.contains(keyName) : note.verifiedBy(keyName, k);
    }
}
