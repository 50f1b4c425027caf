package dev.warden.agent.context;

import dev.warden.receipts.ExcerptLocation;
import dev.warden.rules.cache.CacheDirectory;
import dev.warden.rules.state.StatePolicy;
import dev.warden.rules.state.Window;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.yaml.snakeyaml.Yaml;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The snapshot entry: what it is for, and what it takes for one to be read back. */
class StateSnapshotsTest {

    private static final String RULES = """
            pricing:
              gpt-4o: {input: 2.50, output: 10.00, max-output: 4096}
              default: {input: 1.00, output: 1.00, max-output: 1024}
            budgets:
              - {name: daily-spend, per: session, cost: 50.00, window: 1d}
            limits:
              - {name: ops, per: actor, max: 100, window: 1m, scopes: ["jdbc:orders:*", "http:*:post"]}
            loops:
              - {name: same-call, max: 5, within: 60s}
            chains:
              - {name: no-egress-after-pii, after: [label:pii, label:secret], deny: [http:*:post]}
            """;

    @TempDir
    Path receipts;
    @TempDir
    Path cache;

    @Test
    void theRulesFingerprintIsTheSameForTheSameRulesWhateverTheirOrderAndChangesWithWhatTheReplayCountsBy() {
        String fingerprint = StateSnapshots.fingerprint(policy(RULES));
        assertThat(StateSnapshots.fingerprint(policy(RULES.replace("""
                  gpt-4o: {input: 2.50, output: 10.00, max-output: 4096}
                  default: {input: 1.00, output: 1.00, max-output: 1024}
                """, """
                  default: {input: 1.00, output: 1.00, max-output: 1024}
                  gpt-4o: {input: 2.50, output: 10.00, max-output: 4096}
                """)))).as("pricing in another order").isEqualTo(fingerprint);
        assertThat(StateSnapshots.fingerprint(policy(RULES.replace("label:pii, label:secret", "label:other"))))
                .as("chains: the replay keeps every label whatever they say").isEqualTo(fingerprint);

        for (String changed : List.of(RULES.replace("input: 2.50", "input: 2.51"), RULES.replace("cost: 50.00", "cost: 50.01"),
                RULES.replace("max: 100", "max: 101"), RULES.replace("window: 1m", "window: 2m"),
                RULES.replace("\"http:*:post\"", "\"http:*:put\""), RULES.replace("within: 60s", "within: 61s"),
                RULES.replace("per: actor", "per: session"), RULES + "zone: Europe/Paris\n")) {
            assertThat(StateSnapshots.fingerprint(policy(changed))).as(changed).isNotEqualTo(fingerprint);
        }
    }

    @Test
    void anEntryIsReadBackOnlyForWhatItWasMadeForAndOnlyAsItWasWritten() throws Exception {
        StateSnapshots snapshots = new StateSnapshots(cache, receipts, () -> 0L);
        String purpose = snapshots.purpose(policy(RULES), ReplayedState.NONE);
        InProcessStateStore store = new InProcessStateStore(() -> 0L);
        Window.Span span = Window.parse("1d").span(Instant.EPOCH, ZoneOffset.UTC);
        store.adjust("limit:ops:actor:agent", span.current(), Long.MAX_VALUE, 7);
        store.addLabels("s-1", List.of("pii"));
        LogMark mark = new LogMark(new ExcerptLocation("20261201F.cq4", 0x10438), new byte[32], 41);
        snapshots.write(purpose, mark, store, List.of(), ReplayedState.NONE);

        StateSnapshots.Snapshot read = snapshots.read(purpose).orElseThrow();
        assertThat(read.mark()).isEqualTo(mark);
        assertThat(read.store().total("limit:ops:actor:agent", span)).isEqualTo(7);
        assertThat(read.store().labels("s-1")).containsExactly("pii");

        assertThatThrownBy(() -> snapshots.read(snapshots.purpose(policy(RULES.replace("max: 100", "max: 99")), ReplayedState.NONE)))
                .isInstanceOfSatisfying(StateSnapshots.Rejected.class, rejected -> assertThat(rejected.changed()).isFalse());

        Path entry = entry();
        byte[] written = Files.readAllBytes(entry);
        for (byte[] changed : List.of(flipped(written, written.length - 1), flipped(written, 20),
                Arrays.copyOf(written, written.length - 1))) {
            Files.write(entry, changed);
            assertThatThrownBy(() -> snapshots.read(purpose)).as("a changed entry")
                    .isInstanceOfSatisfying(StateSnapshots.Rejected.class, rejected -> assertThat(rejected.changed()).isTrue());
        }
        Files.write(entry, written);
        assertThat(snapshots.read(purpose)).as("the entry as written").isPresent();
    }

    @Test
    void anEntryOfAnotherFormatIsNotUsedAndNotTakenForAChangedOneUnlessItsMacSaysSo() throws Exception {
        StateSnapshots snapshots = new StateSnapshots(cache, receipts, () -> 0L);
        String purpose = snapshots.purpose(policy(RULES), ReplayedState.NONE);
        snapshots.write(purpose, new LogMark(new ExcerptLocation("20261201F.cq4", 0), new byte[32], 1),
                new InProcessStateStore(() -> 0L), List.of(), ReplayedState.NONE);
        Path entry = entry();
        byte[] written = Files.readAllBytes(entry);
        int magic = "warden-state/3\n".length();
        byte[] body = Arrays.copyOfRange(written, magic + CacheDirectory.MAC_BYTES, written.length);
        byte[] formerMagic = "warden-state/2\n".getBytes(StandardCharsets.US_ASCII);

        // As the build before wrote it: its own format line under the cache's MAC.
        Files.write(entry, concat(formerMagic, CacheDirectory.open(cache).mac(formerMagic, body), body));
        assertThatThrownBy(() -> snapshots.read(purpose)).as("another build's entry")
                .isInstanceOfSatisfying(StateSnapshots.Rejected.class, rejected -> assertThat(rejected.changed()).isFalse());

        // The format line changed, the MAC left as it was: changed.
        Files.write(entry, concat(formerMagic, Arrays.copyOfRange(written, magic, magic + CacheDirectory.MAC_BYTES), body));
        assertThatThrownBy(() -> snapshots.read(purpose)).as("a format line changed by hand")
                .isInstanceOfSatisfying(StateSnapshots.Rejected.class, rejected -> assertThat(rejected.changed()).isTrue());
    }

    private static byte[] concat(byte[]... parts) {
        java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
        for (byte[] part : parts) {
            out.writeBytes(part);
        }
        return out.toByteArray();
    }

    @Test
    void theWholeStoreIsKeptWithTheCallsAwaitingTheirUsageAndWhatOtherStagesRebuiltBesideIt() throws Exception {
        StateSnapshots snapshots = new StateSnapshots(cache, receipts, () -> 0L);
        Beside approvals = new Beside("tiers-1");
        approvals.held = "request-7 open";
        String purpose = snapshots.purpose(policy(RULES), approvals);
        InProcessStateStore store = new InProcessStateStore(() -> 0L);
        Window.Span span = Window.parse("1d").span(Instant.EPOCH, ZoneOffset.UTC);
        store.adjust("limit:ops:actor:agent", span.current(), Long.MAX_VALUE, 3);
        store.adjust("tier:T2:actor:agent", span.current(), Long.MAX_VALUE, 1);
        PendingUsage awaiting = new PendingUsage("call-1", "daily", "budget:daily:session:s1", span, 1_500_000_000L, "gpt-x");
        PendingUsage unpriced = new PendingUsage("call-2", "daily-tokens", "budget:daily-tokens:session:s1", span, 550, null);
        snapshots.write(purpose, new LogMark(new ExcerptLocation("20261201F.cq4", 0), new byte[32], 1), store,
                List.of(awaiting, unpriced), approvals);

        StateSnapshots.Snapshot snapshot = snapshots.read(purpose).orElseThrow();
        assertThat(snapshot.store().total("limit:ops:actor:agent", span)).isEqualTo(3);
        assertThat(snapshot.store().total("tier:T2:actor:agent", span)).as("the approval stage's tier counts").isEqualTo(1);
        assertThat(snapshot.pending()).as("the calls awaiting their usage, one of a model without a name")
                .containsExactly(awaiting, unpriced);
        Beside restored = new Beside("tiers-1");
        snapshot.restoreBeside(restored, 0);
        assertThat(restored.held).isEqualTo("request-7 open");

        assertThat(snapshots.purpose(policy(RULES), new Beside("tiers-2"))).as("other tiers counted beside the store")
                .isNotEqualTo(purpose);
        assertThatThrownBy(() -> snapshots.read(snapshots.purpose(policy(RULES), new Beside("tiers-2"))))
                .isInstanceOfSatisfying(StateSnapshots.Rejected.class, rejected -> assertThat(rejected.changed()).isFalse());
        assertThatThrownBy(() -> snapshot.restoreBeside(new Beside("tiers-1") {
            @Override
            public void restore(java.io.DataInputStream in, long nowMillis) {
                // reads nothing of what was written
            }
        }, 0)).as("what another stage rebuilt, not read to its end").isInstanceOf(java.io.IOException.class);
    }

    /** What another stage rebuilds beside the store: here one line of text. */
    private static class Beside implements ReplayedState {
        private final String fingerprint;
        String held = "";

        Beside(String fingerprint) {
            this.fingerprint = fingerprint;
        }

        @Override
        public String fingerprint() {
            return fingerprint;
        }

        @Override
        public void replay(PastAction past, long nowMillis) {
        }

        @Override
        public void writeTo(java.io.DataOutputStream out, long nowMillis) throws java.io.IOException {
            out.writeUTF(held);
        }

        @Override
        public void restore(java.io.DataInputStream in, long nowMillis) throws java.io.IOException {
            held = in.readUTF();
        }

        @Override
        public void clear() {
            held = "";
        }
    }

    private Path entry() throws Exception {
        try (var entries = Files.list(cache)) {
            return entries.filter(file -> file.toString().endsWith(".state")).findFirst().orElseThrow();
        }
    }

    private static byte[] flipped(byte[] bytes, int at) {
        byte[] copy = bytes.clone();
        copy[at] ^= 1;
        return copy;
    }

    private static StatePolicy policy(String yaml) {
        return StatePolicy.parse(new Yaml().<Map<String, Object>>load(yaml));
    }
}
