package dev.warden.receipts;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;

/**
 * A witness's signing side of C2SP tlog-cosignature/v1 (Ed25519): a cosignature says that, as of
 * its timestamp, the checkpoint is the largest consistent tree the witness has seen for the origin.
 */
public record Cosigner(String name, SigningKey key) {
    public Cosigner {
        SignedNote.requireKeyName(name);
    }

    public WitnessKey witnessKey() {
        return new WitnessKey(name, key.publicKey());
    }

    /** The signature line for a checkpoint's note text (extension lines included), at {@code unixSeconds}. */
    public NoteSignature cosign(String checkpointText, long unixSeconds) {
        if (unixSeconds < 0) {
            throw new IllegalArgumentException("a cosignature's timestamp is not negative");
        }
        byte[] sig = key.sign(message(unixSeconds, checkpointText));
        byte[] blob = ByteBuffer.allocate(8 + sig.length).putLong(unixSeconds).put(sig).array();
        return new NoteSignature(name, witnessKey().keyHash(), blob);
    }

    /** The signed message: {@code "cosignature/v1\ntime <seconds>\n"} followed by the note text. */
    static byte[] message(long unixSeconds, String checkpointText) {
        return ("cosignature/v1\ntime " + unixSeconds + "\n" + checkpointText).getBytes(StandardCharsets.UTF_8);
    }
}
