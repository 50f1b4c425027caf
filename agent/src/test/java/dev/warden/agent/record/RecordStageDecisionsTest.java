package dev.warden.agent.record;

import dev.warden.agent.config.MinimumFreeSpace;
import dev.warden.agent.config.Mode;
import dev.warden.agent.context.ContextStage;
import dev.warden.agent.context.InProcessStateStore;
import dev.warden.agent.engine.PolicyHolder;
import dev.warden.agent.engine.WardenEngine;
import dev.warden.agent.identity.IdentityResolver;
import dev.warden.agent.install.WardenThreads;
import dev.warden.bootstrap.ActionRequest;
import dev.warden.bootstrap.Decision;
import dev.warden.bootstrap.Outcome;
import dev.warden.receipts.Receipt;
import dev.warden.receipts.ReceiptLog;
import dev.warden.receipts.ReceiptLogOptions;
import dev.warden.receipts.ReceiptReader;
import dev.warden.receipts.Repeats;
import dev.warden.rules.PolicyBundle;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** What the engine answers when the record stage is short of space, or counts a burst. */
class RecordStageDecisionsTest {

    private static final long MB = 1L << 20;
    private static final String RULES = """
            package rules.test;
            import dev.warden.rules.Action;
            global dev.warden.rules.Verdict verdict;

            rule "reads are fine"
            when Action(operation == "GET")
            then verdict.permit("reads are fine");
            end
            """;
    private static final ActionRequest GET = new ActionRequest("http", "GET", "api.example.com", Map.of("url.path", "/v1"));
    private static final ActionRequest POST = new ActionRequest("http", "POST", "api.example.com", Map.of("url.path", "/v1"));

    @TempDir
    Path directory;

    private final MutableClock clock = new MutableClock(Instant.parse("2026-12-01T10:00:00Z"));
    private final FakeDiskSpace space = new FakeDiskSpace(10_000 * MB, 100_000 * MB);
    private ReceiptRecorder recorder;

    @AfterEach
    void close() {
        if (recorder != null) {
            recorder.close();
        }
    }

    @Test
    void belowTheWatermarkEveryActionIsRefusedNamingItAndRecordedCompactlyInShadowModeToo() throws Exception {
        WardenEngine engine = engine(Mode.SHADOW);
        assertThat(engine.decide(GET).outcome()).isEqualTo(Outcome.PERMIT);

        space.usable = 180 * MB;
        recorder.housekeep();
        List<String> cited = new java.util.ArrayList<>();
        for (int i = 0; i < 12; i++) {
            cited.add(engine.decide(GET).receiptId());
        }
        Decision refused = engine.decide(GET);
        cited.add(refused.receiptId());

        assertThat(cited.subList(0, 3)).doesNotHaveDuplicates();
        assertThat(cited.subList(3, 13)).as("counted: each cites the burst's first receipt").containsOnly(cited.get(0));
        assertThat(refused.blocks()).as("refused whatever the mode").isTrue();
        assertThat(refused.rules()).containsExactly(Decision.FAIL_CLOSED_RULE);
        assertThat(refused.denialMessage()).isEqualTo("warden: denied by warden.fail-closed: warden.disk-low: 180 MB free in "
                + "/var/warden, below 512 MB (receipts-min-free) (receipt " + refused.receiptId() + ")");
        recorder.close();
        recorder = null;
        List<Receipt> receipts = ReceiptReader.receipts(directory);
        assertThat(receipts).hasSize(1 + 3 + 1);
        assertThat(receipts.get(1).draft().id()).isEqualTo(refused.receiptId());
        assertThat(receipts.get(1).draft().outcome()).isEqualTo("DENY");
        assertThat(receipts.get(4).draft().summary()).containsEntry(Repeats.REPEATED, "10");
        assertThat(receipts.stream().skip(1).mapToLong(r -> Repeats.decisions(r.draft())).sum()).isEqualTo(13);
    }

    @Test
    void belowTheFloorEveryActionIsRefusedWithoutAReceipt() throws Exception {
        WardenEngine engine = engine(Mode.ENFORCE);
        space.usable = 100 * MB;
        recorder.housekeep();

        Decision refused = engine.decide(POST);

        assertThat(refused.blocks()).isTrue();
        assertThat(refused.receiptId()).isNull();
        assertThat(refused.denialMessage()).isEqualTo("warden: denied by warden.fail-closed: receipt could not be written: "
                + "warden.disk-low: 100 MB free in /var/warden, below the floor of 128 MB: no more receipts are written "
                + "(no receipt written)");
    }

    @Test
    void whileTheReceiptsDirectoryIsAwayEveryActionIsRefusedWithoutAReceiptAndDecidedAgainWhenItIsBack() throws Exception {
        WardenEngine engine = engine(Mode.SHADOW);
        assertThat(engine.decide(GET).outcome()).isEqualTo(Outcome.PERMIT);
        Path away = directory.resolveSibling(directory.getFileName() + "-away");
        java.nio.file.Files.move(directory, away, java.nio.file.StandardCopyOption.ATOMIC_MOVE);
        recorder.housekeep();

        Decision refused = engine.decide(GET);

        assertThat(refused.blocks()).as("refused whatever the mode").isTrue();
        assertThat(refused.receiptId()).isNull();
        assertThat(refused.denialMessage()).startsWith("warden: denied by warden.fail-closed: receipt could not be written: "
                + "warden.receipts-gone: the ").contains(" is gone ", "(no receipt written)");

        java.nio.file.Files.move(away, directory, java.nio.file.StandardCopyOption.ATOMIC_MOVE);
        recorder.housekeep();
        assertThat(engine.decide(GET).outcome()).isEqualTo(Outcome.PERMIT);
        recorder.close();
        recorder = null;
        assertThat(ReceiptReader.receipts(directory)).as("the two permits; nothing of the refusal").hasSize(2);
    }

    @Test
    void aRetriedRefusalCitesTheBurstsFirstReceipt() throws Exception {
        WardenEngine engine = engine(Mode.ENFORCE);
        List<String> cited = new java.util.ArrayList<>();
        for (int i = 0; i < 6; i++) {
            Decision decision = engine.decide(POST);
            assertThat(decision.outcome()).isEqualTo(Outcome.SILENCE);
            cited.add(decision.receiptId());
        }
        assertThat(cited.subList(3, 6)).containsOnly(cited.get(0));
        assertThat(cited.subList(0, 3)).doesNotHaveDuplicates();
    }

    private WardenEngine engine(Mode mode) throws Exception {
        WardenThreads threads = new WardenThreads(null);
        PolicyBundle bundle = PolicyBundle.of(Map.of("test.drl", RULES.getBytes(StandardCharsets.UTF_8)));
        PolicyHolder policy = PolicyHolder.compileInBackground(bundle, Duration.ofMinutes(2), threads);
        policy.await();
        ReceiptLog log = ReceiptLog.open(ReceiptLogOptions.defaults(directory).withThreadFactory(threads));
        log.archivePolicy(bundle.version(), bundle.encoded());
        recorder = ReceiptRecorder.writingTo(log, new RefusalBursts(BurstRules.within(Duration.ofSeconds(1))),
                new DiskWatermark(space, MinimumFreeSpace.parse("512MB")), clock, dev.warden.agent.engine.ActionIds::next);
        return new WardenEngine(Map.of(), new IdentityResolver("agent"), policy, recorder, mode, true,
                new ContextStage(new InProcessStateStore(System::currentTimeMillis)), clock);
    }
}
