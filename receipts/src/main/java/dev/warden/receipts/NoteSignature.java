package dev.warden.receipts;

/** One signature line of a signed note: {@code — <key name> base64(key hash || signature)}. */
public record NoteSignature(String keyName, int keyHash, byte[] signature) {
    public NoteSignature {
        signature = signature.clone();
    }

    @Override
    public byte[] signature() {
        return signature.clone();
    }
}
