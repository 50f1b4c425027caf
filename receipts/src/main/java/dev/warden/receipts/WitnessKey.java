package dev.warden.receipts;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.Objects;
import java.util.OptionalLong;

/**
 * A witness's public key: its name and Ed25519 key, which check its C2SP tlog-cosignature/v1
 * cosignatures (signed-note signature type 0x04). Written as a signed-note verifier key,
 * {@code <name>+<8 hex digits key hash>+base64(0x04 || 32-byte public key)}.
 */
public record WitnessKey(String name, VerificationKey key) {
    /** The signed-note signature type of timestamped Ed25519 witness cosignatures. */
    public static final byte COSIGNATURE_V1 = 0x04;

    public WitnessKey {
        SignedNote.requireKeyName(name);
        Objects.requireNonNull(key, "key");
    }

    public int keyHash() {
        return key.keyHash(name, COSIGNATURE_V1);
    }

    /** The verifier key: {@code name+hash+base64(0x04 || key)}. */
    public String vkey() {
        byte[] data = ByteBuffer.allocate(33).put(COSIGNATURE_V1).put(key.raw()).array();
        return name + "+" + String.format("%08x", keyHash()) + "+" + Base64.getEncoder().encodeToString(data);
    }

    /** @throws IllegalArgumentException when {@code vkey} is not a cosignature/v1 verifier key, saying why */
    public static WitnessKey parse(String vkey) {
        String[] parts = vkey.trim().split("\\+", 3); // base64 key data may hold '+' itself
        if (parts.length != 3 || !parts[1].matches("[0-9a-f]{8}")) {
            throw new IllegalArgumentException("a witness key is name+hash+keydata (8 lowercase hex digits of key hash): " + vkey);
        }
        byte[] data;
        try {
            data = Base64.getDecoder().decode(parts[2]);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("witness key data is not base64: " + vkey);
        }
        if (data.length != 33 || data[0] != COSIGNATURE_V1) {
            throw new IllegalArgumentException("witness key data is not 0x04 followed by a 32-byte Ed25519 key: " + vkey);
        }
        byte[] raw = new byte[32];
        System.arraycopy(data, 1, raw, 0, 32);
        WitnessKey key = new WitnessKey(parts[0], new VerificationKey(raw));
        if (Integer.parseUnsignedInt(parts[1], 16) != key.keyHash()) {
            throw new IllegalArgumentException("witness key hash " + parts[1] + " does not match its name and key (expected "
                    + String.format("%08x", key.keyHash()) + "): " + vkey);
        }
        return key;
    }

    /** The first line of {@code file} that is neither blank nor a {@code #} comment, as a verifier key. */
    public static WitnessKey read(Path file) throws IOException {
        String line = Files.readAllLines(file, StandardCharsets.UTF_8).stream().map(String::trim)
                .filter(l -> !l.isEmpty() && !l.startsWith("#")).findFirst()
                .orElseThrow(() -> new KeyFormatException("witness key file " + file + " holds no verifier key"));
        try {
            return parse(line);
        } catch (IllegalArgumentException e) {
            throw new KeyFormatException("witness key file " + file + ": " + e.getMessage());
        }
    }

    /** True when {@code signature} claims to be by this key (same name and key hash), valid or not. */
    public boolean claims(NoteSignature signature) {
        return signature.keyName().equals(name) && signature.keyHash() == keyHash();
    }

    /**
     * The timestamp of this witness's valid cosignature on {@code note}'s text, if it carries one.
     * A cosignature is {@code timestamp (u64 big-endian) || Ed25519 signature} over
     * {@code "cosignature/v1\ntime <timestamp>\n" + text}.
     */
    public OptionalLong cosigned(SignedNote note) {
        for (NoteSignature s : note.signatures()) {
            if (!claims(s)) {
                continue;
            }
            byte[] blob = s.signature();
            if (blob.length != 8 + 64) {
                continue;
            }
            ByteBuffer b = ByteBuffer.wrap(blob);
            long timestamp = b.getLong();
            byte[] sig = new byte[64];
            b.get(sig);
            if (timestamp >= 0 && key.verify(Cosigner.message(timestamp, note.text()), sig)) {
                return OptionalLong.of(timestamp);
            }
        }
        return OptionalLong.empty();
    }

    @Override
    public String toString() {
        return vkey();
    }
}
