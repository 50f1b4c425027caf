package dev.warden.receipts.siem;

import dev.warden.receipts.Checkpoint;
import dev.warden.receipts.NoteSignature;
import dev.warden.receipts.SignedNote;

import java.time.Instant;
import java.util.List;

/**
 * A signed checkpoint, or one a witness cosigned, as a SIEM event: the log's size and root have a copy
 * outside the receipts directory (a cut back behind it shows).
 *
 * @param time     when it was signed or cosigned (the agent), or the time of the last receipt it covers (a log)
 * @param cosigned true for a note carrying a witness's cosignature
 */
public record CheckpointEvent(Instant time, SignedNote note, boolean cosigned) {

    public Checkpoint checkpoint() {
        return Checkpoint.parse(note.text());
    }

    /** The names of the keys that signed the note: the log's, then each witness's. */
    public List<String> signers() {
        return note.signatures().stream().map(NoteSignature::keyName).toList();
    }

    public String action() {
        return cosigned ? "checkpoint-cosigned" : "checkpoint-signed";
    }
}
