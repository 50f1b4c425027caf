package dev.warden.agent.witness.server;

import dev.warden.agent.witness.AddCheckpoint;
import dev.warden.receipts.AtomicFile;
import dev.warden.receipts.Checkpoint;
import dev.warden.receipts.ConsistencyProofs;
import dev.warden.receipts.Cosigner;
import dev.warden.receipts.NoteSignature;
import dev.warden.receipts.SignedNote;
import dev.warden.receipts.VerificationKey;

import java.io.IOException;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * What the witness knows and decides, per log origin: the latest checkpoint it cosigned, kept in
 * {@code <state>/<url-encoded origin>.checkpoint} (the note with the log's signature and the witness's
 * cosignature). Checking a request against it and persisting the new one happen under one lock
 * per origin, and the file is replaced atomically (written, synced, renamed), so a crash leaves the
 * old state or the new, and the witness never rolls back. A request that fails the consistency check
 * is kept in {@code <origin>.refused} as evidence; the state stays where it was, so every later
 * checkpoint of that history is refused too.
 */
public final class WitnessState {
    private final Path directory;
    private final Cosigner cosigner;
    private final Map<String, VerificationKey> logs;
    private final Map<String, SignedNote> latest = new HashMap<>();
    private final Map<String, Object> locks = new HashMap<>();
    private final Clock clock;

    public WitnessState(Path directory, Cosigner cosigner, Map<String, VerificationKey> logs, Clock clock) throws IOException {
        this.directory = directory;
        this.cosigner = cosigner;
        this.logs = Map.copyOf(logs);
        this.clock = clock;
        Files.createDirectories(directory);
        this.logs.keySet().forEach(origin -> locks.put(origin, new Object()));
        for (Map.Entry<String, VerificationKey> log : this.logs.entrySet()) {
            Path file = stateFile(log.getKey());
            if (Files.exists(file)) {
                SignedNote note = SignedNote.parse(Files.readString(file, StandardCharsets.UTF_8));
                Checkpoint checkpoint = Checkpoint.parse(note.text());
                if (!checkpoint.origin().equals(log.getKey()) || !note.verifiedBy(log.getKey(), log.getValue())) {
                    throw new IOException(file + " does not hold a checkpoint of " + log.getKey() + " signed by its key");
                }
                latest.put(log.getKey(), note);
            }
        }
    }

    /** The tlog-witness add-checkpoint decision. */
    Answer add(byte[] body) {
        AddCheckpoint request;
        SignedNote note;
        Checkpoint checkpoint;
        try {
            request = AddCheckpoint.parse(body);
            note = SignedNote.parse(request.note());
            checkpoint = Checkpoint.parse(note.text());
        } catch (IllegalArgumentException e) {
            return Answer.text(400, "malformed request: " + e.getMessage());
        }
        String origin = checkpoint.origin();
        VerificationKey key = logs.get(origin);
        if (key == null) {
            return Answer.text(404, "unknown origin " + origin);
        }
        if (!note.verifiedBy(origin, key)) {
            return Answer.text(403, "no signature by a trusted key of " + origin);
        }
        if (request.oldSize() > checkpoint.size()) {
            return Answer.text(400, "old size " + request.oldSize() + " is larger than the checkpoint's " + checkpoint.size());
        }
        synchronized (lockOf(origin)) {
            SignedNote current = latest.get(origin);
            long currentSize = current == null ? 0 : Checkpoint.parse(current.text()).size();
            if (request.oldSize() != currentSize) {
                return new Answer(409, Answer.SIZE, currentSize + "\n");
            }
            byte[] newRoot = hex(checkpoint.rootHash());
            if (current != null && request.oldSize() == checkpoint.size()) {
                if (!Checkpoint.parse(current.text()).rootHash().equals(checkpoint.rootHash())) {
                    keepRefused(origin, body, 409, "same size, different root");
                    return new Answer(409, Answer.SIZE, currentSize + "\n");
                }
            } else {
                byte[] oldRoot = current == null ? null : hex(Checkpoint.parse(current.text()).rootHash());
                boolean consistent = current == null ? request.proof().isEmpty()
                        : ConsistencyProofs.verify(currentSize, oldRoot, checkpoint.size(), newRoot, request.proof());
                if (!consistent) {
                    keepRefused(origin, body, 422, "the consistency proof does not verify");
                    return Answer.text(422, "the consistency proof from size " + currentSize + " to " + checkpoint.size()
                            + " does not verify against the checkpoint cosigned at size " + currentSize);
                }
            }
            NoteSignature cosignature = cosigner.cosign(note.text(), clock.instant().getEpochSecond());
            List<NoteSignature> signatures = new ArrayList<>();
            note.signatures().stream().filter(s -> s.keyName().equals(origin) && s.keyHash() == key.keyHash(origin))
                    .forEach(signatures::add);
            signatures.add(cosignature);
            SignedNote cosigned = new SignedNote(note.text(), signatures);
            try {
                persist(origin, cosigned);
            } catch (IOException e) {
                return Answer.text(500, "cannot persist the witness state: " + e.getMessage());
            }
            latest.put(origin, cosigned);
            String line = cosigned.format();
            return Answer.text(200, line.substring(line.lastIndexOf("\u2014 ")));
        }
    }

    /** The latest checkpoint cosigned for {@code origin}, with the log's signature and the cosignature. */
    Optional<SignedNote> latest(String origin) {
        if (!logs.containsKey(origin)) {
            return Optional.empty();
        }
        synchronized (lockOf(origin)) {
            return Optional.ofNullable(latest.get(origin));
        }
    }

    private Object lockOf(String origin) {
        return locks.get(origin);
    }

    private void persist(String origin, SignedNote cosigned) throws IOException {
        Path file = stateFile(origin);
        AtomicFile.replace(file, cosigned.format().getBytes(StandardCharsets.UTF_8));
    }

    private void keepRefused(String origin, byte[] body, int status, String why) {
        String record = "# " + Instant.now(clock) + " HTTP " + status + ": " + why + "\n"
                + new String(body, StandardCharsets.UTF_8) + "\n";
        try {
            Files.writeString(directory.resolve(fileName(origin) + ".refused"), record, StandardCharsets.UTF_8,
                    StandardOpenOption.CREATE, StandardOpenOption.APPEND);
        } catch (IOException e) {
            // the refusal stands without its record
        }
    }

    private Path stateFile(String origin) {
        return directory.resolve(fileName(origin) + ".checkpoint");
    }

    private static String fileName(String origin) {
        return URLEncoder.encode(origin, StandardCharsets.UTF_8);
    }

    private static byte[] hex(String hex) {
        return java.util.HexFormat.of().parseHex(hex);
    }
}
