package dev.warden.receipts;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;

/**
 * A note in the C2SP signed-note format (https://c2sp.org/signed-note): a text of newline-terminated
 * lines, a blank line, then one line per signature, {@code "— " + key name + " " + base64(4-byte key
 * hash || signature)}. The signature covers the text bytes, final newline included.
 */
public record SignedNote(String text, List<NoteSignature> signatures) {
    private static final String SIGNATURE_PREFIX = "\u2014 ";

    public SignedNote {
        if (text.isEmpty() || !text.endsWith("\n")) {
            throw new IllegalArgumentException("a note's text ends with a newline");
        }
        signatures = List.copyOf(signatures);
    }

    public static SignedNote sign(String text, String keyName, SigningKey key) {
        requireKeyName(keyName);
        byte[] sig = key.sign(text.getBytes(StandardCharsets.UTF_8));
        return new SignedNote(text, List.of(new NoteSignature(keyName, key.publicKey().keyHash(keyName), sig)));
    }

    /** The note as it is stored and exchanged. */
    public String format() {
        StringBuilder sb = new StringBuilder(text).append('\n');
        for (NoteSignature s : signatures) {
            byte[] blob = ByteBuffer.allocate(4 + s.signature().length).putInt(s.keyHash()).put(s.signature()).array();
            sb.append(SIGNATURE_PREFIX).append(s.keyName()).append(' ')
                    .append(Base64.getEncoder().encodeToString(blob)).append('\n');
        }
        return sb.toString();
    }

    public static SignedNote parse(String note) {
        int split = note.lastIndexOf("\n\n");
        if (split < 0) {
            throw new IllegalArgumentException("no blank line between text and signatures");
        }
        String text = note.substring(0, split + 1);
        String[] lines = note.substring(split + 2).split("\n", -1);
        if (lines.length < 2 || !lines[lines.length - 1].isEmpty()) {
            throw new IllegalArgumentException("a note ends with a signature line and a newline");
        }
        List<NoteSignature> signatures = new ArrayList<>();
        for (int i = 0; i < lines.length - 1; i++) {
            String line = lines[i];
            if (!line.startsWith(SIGNATURE_PREFIX)) {
                throw new IllegalArgumentException("signature line does not start with an em dash: " + line);
            }
            String[] parts = line.substring(SIGNATURE_PREFIX.length()).split(" ", -1);
            if (parts.length != 2) {
                throw new IllegalArgumentException("malformed signature line: " + line);
            }
            byte[] blob = Base64.getDecoder().decode(parts[1]);
            if (blob.length < 5) {
                throw new IllegalArgumentException("signature too short: " + line);
            }
            ByteBuffer b = ByteBuffer.wrap(blob);
            int keyHash = b.getInt();
            byte[] sig = new byte[b.remaining()];
            b.get(sig);
            signatures.add(new NoteSignature(parts[0], keyHash, sig));
        }
        return new SignedNote(text, signatures);
    }

    /** True when a signature by {@code keyName} with this key's hash is present and valid. */
    public boolean verifiedBy(String keyName, VerificationKey key) {
        int keyHash = key.keyHash(keyName);
        byte[] message = text.getBytes(StandardCharsets.UTF_8);
        return signatures.stream()
                .filter(s -> s.keyName().equals(keyName) && s.keyHash() == keyHash)
                .anyMatch(s -> key.verify(message, s.signature()));
    }

    static void requireKeyName(String name) {
        if (name.isEmpty() || name.chars().anyMatch(c -> c <= ' ' || c == '+')) {
            throw new IllegalArgumentException("a key name is non-empty, without spaces, controls or '+': " + name);
        }
    }
}
