package dev.warden.verifier;

import dev.warden.receipts.Checkpoint;
import dev.warden.receipts.Cosigner;
import dev.warden.receipts.Ed25519Keys;
import dev.warden.receipts.NewCheckpoint;
import dev.warden.receipts.NoteSignature;
import dev.warden.receipts.ReceiptLog;
import dev.warden.receipts.ReceiptLogOptions;
import dev.warden.receipts.SignedNote;
import dev.warden.receipts.VerificationKey;
import dev.warden.receipts.WitnessKey;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The verifier's witness checks: required cosignatures, forged ones, and a reference the log must reach. */
class WitnessVerificationTest {
    @TempDir
    Path dir;
    Cosigner w1;
    Cosigner w2;
    List<NewCheckpoint> checkpoints = new CopyOnWriteArrayList<>();

    @BeforeEach
    void witnesses() throws Exception {
        w1 = new Cosigner("w1.test", Ed25519Keys.generate(dir.resolve("w1.pem"), dir.resolve("w1.pub")));
        w2 = new Cosigner("w2.test", Ed25519Keys.generate(dir.resolve("w2.pem"), dir.resolve("w2.pub")));
    }

    @Test
    void theNewestCheckpointNeedsTheRequiredCosignatures() throws Exception {
        Path log = log(8, List.of(List.of(w1), List.of(w1, w2)));
        VerificationKey key = Ed25519Keys.readPublic(log.resolve("public-key.pem"));
        assertThat(Verifier.verify(log, key, required(2)).allValid()).isTrue();

        Path partly = dir.resolve("partly");
        log(partly, 8, List.of(List.of(w1, w2), List.of(w1)));
        VerificationReport report = Verifier.verify(partly, Ed25519Keys.readPublic(partly.resolve("public-key.pem")), required(2));
        assertThat(report.problems()).extracting(Problem::line).containsExactly(
                "UNWITNESSED: checkpoint 8 (warden/test): cosigned by 1 of the 2 witnesses required (w1.test); the newest checkpoint"
                        + " with 2 is size 4, so receipts 4..7 are not witnessed");
        assertThat(Verifier.verify(partly, Ed25519Keys.readPublic(partly.resolve("public-key.pem")), required(1)).allValid()).isTrue();
    }

    @Test
    void aForgedCosignatureIsInvalid() throws Exception {
        Path log = log(4, List.of());
        NewCheckpoint c = checkpoints.get(0);
        byte[] bogus = w1.cosign(c.note().text(), 100).signature();
        bogus[20] ^= 1;
        List<NoteSignature> signatures = new ArrayList<>(c.note().signatures());
        signatures.add(new NoteSignature(w1.name(), w1.witnessKey().keyHash(), bogus));
        try (ReceiptLog reopened = ReceiptLog.open(options(log))) {
            reopened.recordCosigned(new SignedNote(c.note().text(), signatures));
        }
        VerificationReport report = Verifier.verify(log, Ed25519Keys.readPublic(log.resolve("public-key.pem")), required(1));
        assertThat(report.problems()).extracting(Problem::line)
                .contains("INVALID: cosigned checkpoint 4 (warden/test): the cosignature by witness w1.test does not verify")
                .anyMatch(line -> line.startsWith("UNWITNESSED: checkpoint 4"));
    }

    @Test
    void aReferenceBeyondTheLogNamesTheCutAndAnotherRootTheRewrite() throws Exception {
        Path log = log(8, List.of());
        VerificationKey key = Ed25519Keys.readPublic(log.resolve("public-key.pem"));
        Checkpoint last = checkpoints.get(1).checkpoint();
        assertThat(Verifier.verify(log, key, expect(last.size() + "/" + last.rootHash(), key)).allValid()).isTrue();

        assertThat(Verifier.verify(log, key, expect("12/" + last.rootHash(), key)).problems()).extracting(Problem::line)
                .singleElement().asString().startsWith("MISSING: log tail (warden/test): receipts 8..11 were cut, a witness cosigned size 12");
        String otherRoot = checkpoints.get(0).checkpoint().rootHash();
        assertThat(Verifier.verify(log, key, expect("8/" + otherRoot, key)).problems()).extracting(Problem::line)
                .singleElement().asString().startsWith("INVALID: log history (warden/test): the root of receipts 0..7 is not the one");
    }

    @Test
    void aReferenceFileCountsItsLargestCheckpointSignedByTheLog() throws Exception {
        Path log = log(8, List.of());
        VerificationKey key = Ed25519Keys.readPublic(log.resolve("public-key.pem"));
        Path export = Files.writeString(dir.resolve("export.txt"), checkpoints.get(1).note().format() + "\n"
                + checkpoints.get(0).note().format() + "\n");
        ExpectedCheckpoint expected = ExpectedCheckpoint.parse(export.toString(), key);
        assertThat(expected.size()).isEqualTo(8);
        assertThat(expected.rootHash()).isEqualTo(checkpoints.get(1).checkpoint().rootHash());
        VerificationKey stranger = Ed25519Keys.generate(dir.resolve("s.pem"), dir.resolve("s.pub")).publicKey();
        assertThatThrownBy(() -> ExpectedCheckpoint.parse(export.toString(), stranger))
                .hasMessageContaining("holds no checkpoint signed by the given public key");
        assertThatThrownBy(() -> new WitnessRequirements(List.of(w1.witnessKey()), 2, null))
                .hasMessageContaining("--witnesses-required 2 needs at least as many --witness-key (1 given)");
    }

    /**
     * For a directory of chains every signed checkpoint of the file counts, whichever key signed it: after a rotation in
     * one chain the export holds the new key's, which a chain cut back to the hand-over never reaches (a thirteenth review,
     * 2026-12-08). For one log the largest the given key signed is still the reference {@link ExpectedCheckpoint#latest}
     * starts from.
     */
    @Test
    void aReferenceFileNamesEveryCheckpointItHoldsForADirectoryOfChains() throws Exception {
        Path log = log(8, List.of());
        VerificationKey key = Ed25519Keys.readPublic(log.resolve("public-key.pem"));
        NewCheckpoint small = checkpoints.get(0);
        SignedNote byNext = SignedNote.sign(checkpoints.get(1).note().text(), "warden/test",
                Ed25519Keys.generate(dir.resolve("next.pem"), dir.resolve("next.pub")));
        Path export = Files.writeString(dir.resolve("export.txt"), small.note().format() + "\n" + byNext.format() + "\n");

        assertThat(ExpectedCheckpoint.all(export.toString(), key)).extracting(ExpectedCheckpoint::size)
                .containsExactly(small.checkpoint().size(), 8L);
        ExpectedCheckpoint one = ExpectedCheckpoint.parse(export.toString(), key);
        assertThat(one.size()).isEqualTo(small.checkpoint().size());
        assertThat(one.signedByOthers()).hasSize(1);
    }

    private WitnessRequirements required(int n) {
        return new WitnessRequirements(List.of(w1.witnessKey(), w2.witnessKey()), n, null);
    }

    private static WitnessRequirements expect(String argument, VerificationKey key) throws Exception {
        return new WitnessRequirements(List.<WitnessKey>of(), 0, ExpectedCheckpoint.parse(argument, key));
    }

    private Path log(int receipts, List<List<Cosigner>> cosignersPerCheckpoint) throws Exception {
        Path log = dir.resolve("log");
        log(log, receipts, cosignersPerCheckpoint);
        return log;
    }

    /** A checkpoint every 4 receipts; checkpoint i cosigned by the given witnesses, each recorded as the feed would. */
    private void log(Path log, int receipts, List<List<Cosigner>> cosignersPerCheckpoint) throws Exception {
        checkpoints.clear();
        try (ReceiptLog writer = ReceiptLog.open(options(log), checkpoints::add)) {
            for (int i = 0; i < receipts; i++) {
                writer.append(SampleLog.draft(i));
                if (i % 4 == 3) {
                    writer.checkpoint();
                    int index = checkpoints.size() - 1;
                    if (index < cosignersPerCheckpoint.size()) {
                        for (Cosigner w : cosignersPerCheckpoint.get(index)) {
                            SignedNote note = checkpoints.get(index).note();
                            List<NoteSignature> signatures = new ArrayList<>(note.signatures());
                            signatures.add(w.cosign(note.text(), 1_764_000_000L + index));
                            writer.recordCosigned(new SignedNote(note.text(), signatures));
                        }
                    }
                }
            }
            writer.archivePolicy(SampleLog.POLICY_VERSION, SampleLog.POLICY);
        }
    }

    private static ReceiptLogOptions options(Path log) {
        return ReceiptLogOptions.defaults(log).withOrigin("warden/test").withCheckpoints(Integer.MAX_VALUE, Duration.ofDays(1));
    }
}
