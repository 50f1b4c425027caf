package dev.warden.agent.witness.server;

import dev.warden.agent.witness.AddCheckpoint;
import dev.warden.receipts.Checkpoint;
import dev.warden.receipts.CompactRange;
import dev.warden.receipts.ConsistencyProofs;
import dev.warden.receipts.Cosigner;
import dev.warden.receipts.Ed25519Keys;
import dev.warden.receipts.SignedNote;
import dev.warden.receipts.SigningKey;
import dev.warden.receipts.TreeHashes;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** The witness's decisions, status by status as C2SP tlog-witness gives them, and its state across restarts. */
class WitnessStateTest {
    private static final String ORIGIN = "warden/test-log";
    private static final Clock CLOCK = Clock.fixed(Instant.ofEpochSecond(1_764_000_000L), ZoneOffset.UTC);

    @TempDir
    Path dir;
    SigningKey logKey;
    Cosigner cosigner;
    List<byte[]> leaves = new ArrayList<>();

    @BeforeEach
    void keys() throws Exception {
        logKey = Ed25519Keys.generate(dir.resolve("log.pem"), dir.resolve("log.pub.pem"));
        cosigner = new Cosigner("witness.test/w1", Ed25519Keys.generate(dir.resolve("w.pem"), dir.resolve("w.pub.pem")));
        for (int i = 0; i < 20; i++) {
            leaves.add(TreeHashes.leaf(("receipt " + i).getBytes(StandardCharsets.UTF_8)));
        }
    }

    @Test
    void itCosignsAConsistentHistoryAndRemembersItAcrossARestart() throws Exception {
        WitnessState witness = witness();
        Answer first = witness.add(request(0, 5, leaves));
        assertThat(first.status()).isEqualTo(200);
        SignedNote cosigned = SignedNote.parse(note(5, leaves).format() + first.body());
        assertThat(cosigner.witnessKey().cosigned(cosigned)).hasValue(1_764_000_000L);

        assertThat(witness.add(request(5, 12, leaves)).status()).isEqualTo(200);
        WitnessState restarted = witness();
        assertThat(Checkpoint.parse(restarted.latest(ORIGIN).orElseThrow().text()).size()).isEqualTo(12);
        assertThat(restarted.add(request(5, 15, leaves))).isEqualTo(new Answer(409, Answer.SIZE, "12\n"));
        assertThat(restarted.add(request(12, 15, leaves)).status()).isEqualTo(200);
        assertThat(restarted.add(request(15, 15, leaves)).status()).as("the same checkpoint again").isEqualTo(200);
    }

    @Test
    void itRefusesARewrittenHistoryAndKeepsRefusingIt() throws Exception {
        WitnessState witness = witness();
        assertThat(witness.add(request(0, 8, leaves)).status()).isEqualTo(200);
        List<byte[]> forged = new ArrayList<>(leaves);
        forged.set(2, TreeHashes.leaf("forged".getBytes(StandardCharsets.UTF_8)));

        assertThat(witness.add(request(8, 12, forged)).status()).isEqualTo(422);
        assertThat(witness.add(request(8, 8, forged))).as("same size, other root").isEqualTo(new Answer(409, Answer.SIZE, "8\n"));
        assertThat(witness.add(request(8, 16, forged)).status()).isEqualTo(422);
        assertThat(Checkpoint.parse(witness().latest(ORIGIN).orElseThrow().text()).size()).isEqualTo(8);
        assertThat(dir.resolve("state/warden%2Ftest-log.refused")).content().contains("HTTP 422").contains("HTTP 409");
        assertThat(witness.add(request(8, 12, leaves)).status()).as("the true history still goes on").isEqualTo(200);
    }

    @Test
    void itAnswersBadRequestsAsTheSpecificationSays() throws Exception {
        WitnessState witness = witness();
        assertThat(witness.add("old 1\n".getBytes(StandardCharsets.UTF_8)).status()).isEqualTo(400);
        assertThat(witness.add(request(6, 5, leaves)).status()).as("old size above the checkpoint's").isEqualTo(400);
        assertThat(witness.add(request(3, 5, leaves))).as("never cosigned: the old size must be 0")
                .isEqualTo(new Answer(409, Answer.SIZE, "0\n"));
        SigningKey other = Ed25519Keys.generate(dir.resolve("other.pem"), dir.resolve("other.pub.pem"));
        String foreign = SignedNote.sign(new Checkpoint(ORIGIN, 5, root(leaves, 5)).body(), ORIGIN, other).format();
        assertThat(witness.add(new AddCheckpoint(0, List.of(), foreign).body()).status()).as("signed by another key").isEqualTo(403);
        String unknown = SignedNote.sign(new Checkpoint("warden/elsewhere", 5, root(leaves, 5)).body(), "warden/elsewhere", logKey).format();
        assertThat(witness.add(new AddCheckpoint(0, List.of(), unknown).body()).status()).as("unknown origin").isEqualTo(404);
        assertThat(witness.latest(ORIGIN)).isEmpty();
    }

    private WitnessState witness() throws Exception {
        return new WitnessState(dir.resolve("state"), cosigner, Map.of(ORIGIN, logKey.publicKey()), CLOCK);
    }

    private byte[] request(int old, int size, List<byte[]> tree) {
        CompactRange prefix = new CompactRange();
        tree.subList(0, old).forEach(prefix::append);
        List<byte[]> proof = old == 0 ? List.of() : ConsistencyProofs.prove(old, prefix.frontier(), tree.subList(old, Math.max(old, size)));
        return new AddCheckpoint(old, proof, note(size, tree).format()).body();
    }

    private SignedNote note(int size, List<byte[]> tree) {
        return SignedNote.sign(new Checkpoint(ORIGIN, size, root(tree, size)).body(), ORIGIN, logKey);
    }

    private static String root(List<byte[]> tree, int size) {
        CompactRange range = new CompactRange();
        tree.subList(0, size).forEach(range::append);
        return HexFormat.of().formatHex(range.root());
    }
}
