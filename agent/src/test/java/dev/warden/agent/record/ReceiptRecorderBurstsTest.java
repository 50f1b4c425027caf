package dev.warden.agent.record;

import dev.warden.agent.config.MinimumFreeSpace;
import dev.warden.agent.install.WardenThreads;
import dev.warden.receipts.Receipt;
import dev.warden.receipts.ReceiptDraft;
import dev.warden.receipts.ReceiptLog;
import dev.warden.receipts.ReceiptLogOptions;
import dev.warden.receipts.ReceiptReader;
import dev.warden.receipts.ReceiptWriteException;
import dev.warden.receipts.Repeats;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Refusal bursts with a clock the test moves: what is written, what is counted, and that every refusal is. */
class ReceiptRecorderBurstsTest {

    private static final Duration WINDOW = Duration.ofSeconds(1);
    private static final Duration TICK = Duration.ofMillis(100);
    private static final String POLICY = "9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08";
    private static final String DIGEST = "46c12ee32be5ac487d4a17832653bca0c614ba40a7d1b5f99508f346b6f12289";

    @TempDir
    Path directory;

    private final MutableClock clock = new MutableClock(Instant.parse("2026-12-01T10:00:00Z"));
    private final AtomicInteger ids = new AtomicInteger();
    private final FakeDiskSpace space = new FakeDiskSpace(10L << 30, 100L << 30);
    private ReceiptLog log;
    private ReceiptRecorder recorder;

    @AfterEach
    void closeLog() {
        if (recorder != null) {
            recorder.close();
        }
    }

    @Test
    void theFirstRefusalsAreWrittenInFullAndTheRestCountedInOneReceiptOnceTheBurstIsQuiet() throws Exception {
        open(BurstRules.within(WINDOW));
        List<String> cited = new ArrayList<>();
        for (int i = 0; i < 10; i++) {
            cited.add(recorder.record(refusal(DIGEST, "bot", "s-1")));
            clock.advance(Duration.ofMillis(10));
        }

        assertThat(receipts()).hasSize(3);
        String first = receipts().get(0).draft().id();
        assertThat(cited.subList(0, 3)).containsExactlyElementsOf(receipts().stream().map(r -> r.draft().id()).toList());
        assertThat(cited.subList(3, 10)).as("counted refusals cite the burst's first receipt, already written")
                .allMatch(first::equals);

        recorder.housekeep();
        assertThat(receipts()).as("not quiet for a window yet").hasSize(3);
        clock.advance(WINDOW);
        recorder.housekeep();

        List<Receipt> all = receipts();
        assertThat(all).hasSize(4);
        ReceiptDraft counted = all.get(3).draft();
        assertThat(counted.summary()).containsEntry(Repeats.REPEATED, "7").containsEntry(Repeats.BURST, first)
                .containsEntry(Repeats.FROM, "2026-12-01T10:00:00.030Z").containsEntry(Repeats.TO, "2026-12-01T10:00:00.090Z");
        assertThat(counted.outcome()).isEqualTo("DENY");
        assertThat(counted.rules()).containsExactly("deny-all");
        assertThat(counted.actionDigest()).isEqualTo(DIGEST);
        assertThat(counted.time()).isEqualTo(clock.instant());
        assertThat(decisions(all)).isEqualTo(10);
    }

    @Test
    void aBurstThatNeverGoesQuietIsWrittenOncePerWindowSoACrashLosesAtMostOneWindowOfCounts() throws Exception {
        open(BurstRules.within(WINDOW));
        int refusals = 0;
        for (int tick = 0; tick < 50; tick++) { // five seconds, ten refusals per tick
            for (int i = 0; i < 10; i++) {
                recorder.record(refusal(DIGEST, "bot", "s-1"));
                refusals++;
            }
            clock.advance(TICK);
            recorder.housekeep();
            long unwritten = refusals - decisions(receipts());
            assertThat(unwritten).as("counts not yet in a receipt after tick " + tick).isLessThanOrEqualTo(110);
        }
        clock.advance(WINDOW);
        recorder.housekeep();

        List<Receipt> all = receipts();
        assertThat(decisions(all)).isEqualTo(refusals);
        assertThat(all).as("3 in full and about one counted receipt per window").hasSizeBetween(6, 10);
    }

    @Test
    void aCountedReceiptIsWrittenAtOnceWhenItsCountReachesTheCap() throws Exception {
        open(new BurstRules(WINDOW, 3, 5));
        for (int i = 0; i < 3 + 5; i++) {
            recorder.record(refusal(DIGEST, "bot", "s-1"));
        }

        List<Receipt> all = receipts();
        assertThat(all).hasSize(4);
        assertThat(all.get(3).draft().summary()).containsEntry(Repeats.REPEATED, "5");
    }

    @Test
    void refusalsAfterAQuietWindowStartANewBurstAfterTheOldCount() throws Exception {
        open(BurstRules.within(WINDOW));
        for (int i = 0; i < 5; i++) {
            recorder.record(refusal(DIGEST, "bot", "s-1"));
        }
        clock.advance(WINDOW.plusMillis(1)); // the housekeeper has not run: the next refusal closes the burst itself
        String cited = recorder.record(refusal(DIGEST, "bot", "s-1"));

        List<Receipt> all = receipts();
        assertThat(all).hasSize(5);
        assertThat(all.get(3).draft().summary()).containsEntry(Repeats.REPEATED, "2");
        assertThat(cited).as("a new burst: its own full receipt").isEqualTo(all.get(4).draft().id());
        assertThat(decisions(all)).isEqualTo(6);
    }

    @Test
    void anotherReceiptOfTheSameOwnerComesAfterItsCountedRefusalsAndOtherOwnersDoNotWait() throws Exception {
        open(BurstRules.within(WINDOW));
        for (int i = 0; i < 5; i++) {
            recorder.record(refusal(DIGEST, "bot", "s-1"));
        }
        recorder.record(permit("other-bot", "s-2"));
        assertThat(receipts()).as("another owner's receipt does not close the burst").hasSize(4);

        recorder.record(permit("bot", "s-1"));

        List<Receipt> all = receipts();
        assertThat(all).hasSize(6);
        assertThat(all.get(4).draft().summary()).containsEntry(Repeats.REPEATED, "2");
        assertThat(all.get(5).draft().outcome()).isEqualTo("PERMIT");
        assertThat(all.get(5).draft().actor()).isEqualTo("bot");
    }

    @Test
    void permitsAndShadowRefusalsAreNeverCounted() throws Exception {
        open(BurstRules.within(WINDOW));
        List<String> cited = new ArrayList<>();
        for (int i = 0; i < 10; i++) {
            cited.add(recorder.record(permit("bot", "s-1")));
            cited.add(recorder.record(draft(DIGEST, "bot", "s-1", "DENY", false)));
        }

        assertThat(receipts()).hasSize(20);
        assertThat(cited).doesNotHaveDuplicates();
    }

    @Test
    void refusalsThatDifferInActionOwnerOrRulesAreSeparateBursts() throws Exception {
        open(BurstRules.within(WINDOW));
        for (int i = 0; i < 4; i++) {
            recorder.record(refusal(DIGEST, "bot", "s-1"));
            recorder.record(refusal(DIGEST.replace('4', '5'), "bot", "s-1"));
            recorder.record(refusal(DIGEST, "bot", "s-2"));
            recorder.record(new ReceiptDraft(id(), clock.instant(), "bot", null, "s-1", "http", "GET", "example.com", DIGEST,
                    Map.of(), "SILENCE", true, List.of(), "no rule permits it", Map.of(), POLICY));
        }
        clock.advance(WINDOW);
        recorder.housekeep();

        List<Receipt> all = receipts();
        assertThat(all).as("3 in full and one counted receipt for each of 4 bursts").hasSize(16);
        assertThat(decisions(all)).isEqualTo(16);
    }

    @Test
    void anAttackerVaryingEveryCallFillsTheTableToItsBoundAndNoFurther() throws Exception {
        open(BurstRules.within(WINDOW));
        int calls = RefusalBursts.MAX_BURSTS + 100;
        for (int i = 0; i < calls; i++) {
            recorder.record(refusal(String.format("%064x", i), "bot", "s-1"));
        }
        RefusalBursts bursts = burstsOf();
        assertThat(bursts.size()).isEqualTo(RefusalBursts.MAX_BURSTS);
        assertThat(receipts()).as("each variant is written in full, as without bursts").hasSize(calls);

        clock.advance(WINDOW);
        recorder.housekeep();
        assertThat(bursts.size()).as("quiet bursts leave the table").isZero();

        for (int i = 0; i < 10; i++) {
            recorder.record(refusal(DIGEST, "bot", "s-1"));
        }
        assertThat(receipts()).as("a genuine burst is counted again").hasSize(calls + 3);
    }

    @Test
    void aCountedReceiptThatCannotBeWrittenKeepsItsCountForTheNextOne() throws Exception {
        open(BurstRules.within(WINDOW), new DiskWatermark(space, MinimumFreeSpace.parse("1GB")));
        for (int i = 0; i < 5; i++) {
            recorder.record(refusal(DIGEST, "bot", "s-1"));
        }
        space.usable = 100L << 20; // below the floor (256 MB): nothing is written
        clock.advance(Duration.ofMillis(600));
        recorder.housekeep();
        for (int i = 0; i < 4; i++) {
            assertThat(recorder.record(refusal(DIGEST, "bot", "s-1"))).as("counting needs no disk")
                    .isEqualTo(receipts().get(0).draft().id());
        }
        clock.advance(Duration.ofMillis(500));
        recorder.housekeep(); // the oldest count is a window old: due, but cannot be written
        assertThat(receipts()).hasSize(3);

        space.usable = 10L << 30;
        recorder.housekeep();

        List<Receipt> all = receipts();
        assertThat(all).hasSize(4);
        assertThat(all.get(3).draft().summary()).containsEntry(Repeats.REPEATED, "6")
                .containsEntry(Repeats.FROM, "2026-12-01T10:00:00Z").containsEntry(Repeats.TO, "2026-12-01T10:00:00.600Z");
        assertThat(decisions(all)).isEqualTo(9);
    }

    @Test
    void closeWritesEveryCountBeforeTheFinalCheckpoint() throws Exception {
        open(BurstRules.within(WINDOW));
        for (int i = 0; i < 8; i++) {
            recorder.record(refusal(DIGEST, "bot", "s-1"));
        }
        recorder.close();
        recorder = null;

        List<Receipt> all = receipts();
        assertThat(all).hasSize(4);
        assertThat(decisions(all)).isEqualTo(8);
    }

    /**
     * An approval request is known by the id of the hold that opened it, and a rejection or approval by the receipt that
     * cites it: neither is ever counted, however deep in a burst of identical holds (a thirteenth review, 2026-12-08).
     */
    @Test
    void aHoldThatOpensARequestAndARefusalCitingADecisionAreWrittenInFullInsideABurst() throws Exception {
        open(BurstRules.within(WINDOW));
        for (int i = 0; i < 5; i++) {
            recorder.record(hold(id(), "0193a8c0-0000-7000-8000-000000000999"));
        }
        String opening = id();
        assertThat(recorder.record(hold(opening, opening))).as("the hold opening a request cites itself").isEqualTo(opening);
        ReceiptDraft rejected = hold(id(), opening).withApprovals(List.of(new dev.warden.receipts.ApprovalCitation(opening, "a1",
                "reject", clock.instant().plus(WINDOW), "c2ln")));
        assertThat(recorder.record(rejected)).isEqualTo(rejected.id());
        recorder.record(hold(id(), "0193a8c0-0000-7000-8000-000000000999"));

        assertThat(receipts()).extracting(r -> r.draft().id()).as("3 in full, the count, then both in full")
                .contains(opening, rejected.id()).hasSize(6);
        clock.advance(WINDOW);
        recorder.housekeep();
        assertThat(decisions(receipts())).isEqualTo(8);
    }

    @Test
    void belowTheFloorNothingIsWrittenAndTheRecorderSaysWhy() throws Exception {
        open(BurstRules.within(WINDOW), new DiskWatermark(space, MinimumFreeSpace.parse("1GB")));
        recorder.record(permit("bot", "s-1"));
        space.usable = 100L << 20;
        recorder.housekeep();

        assertThatThrownBy(() -> recorder.record(permit("bot", "s-1"))).isInstanceOf(ReceiptWriteException.class)
                .hasMessage("warden.disk-low: 100 MB free in /var/warden, below the floor of 256 MB: no more receipts are written");
        assertThat(receipts()).hasSize(1);
    }

    private void open(BurstRules rules) throws Exception {
        open(rules, DiskWatermark.none());
    }

    private void open(BurstRules rules, DiskWatermark watermark) throws Exception {
        log = ReceiptLog.open(ReceiptLogOptions.defaults(directory).withThreadFactory(new WardenThreads(null)));
        recorder = ReceiptRecorder.writingTo(log, new RefusalBursts(rules), watermark, clock, this::id);
    }

    private RefusalBursts burstsOf() throws Exception {
        java.lang.reflect.Field field = ReceiptRecorder.class.getDeclaredField("bursts");
        field.setAccessible(true);
        return (RefusalBursts) field.get(recorder);
    }

    private String id() {
        return String.format("0193a8c0-0000-7000-8000-%012d", ids.incrementAndGet());
    }

    private ReceiptDraft refusal(String digest, String actor, String session) {
        return draft(digest, actor, session, "DENY", true);
    }

    /** A hold under request {@code request}: the request's opening hold when it is the draft's own id. */
    private ReceiptDraft hold(String id, String request) {
        return new ReceiptDraft(id, clock.instant(), "bot", "alice", "s-1", "jdbc", "DELETE", "orders", DIGEST,
                Map.of("approval.request", request), "HOLD", true, List.of("approval:T2"), "awaiting approval " + request,
                Map.of(), POLICY);
    }

    private ReceiptDraft permit(String actor, String session) {
        return new ReceiptDraft(id(), clock.instant(), actor, "alice", session, "jdbc", "SELECT", "accounts", DIGEST,
                Map.of(), "PERMIT", true, List.of("reads"), "permitted", Map.of(), POLICY);
    }

    private ReceiptDraft draft(String digest, String actor, String session, String outcome, boolean enforced) {
        return new ReceiptDraft(id(), clock.instant(), actor, "alice", session, "http", "GET", "example.com", digest,
                Map.of("http.url", "http://example.com/"), outcome, enforced, List.of("deny-all"), "everything is denied",
                Map.of(), POLICY);
    }

    private List<Receipt> receipts() throws Exception {
        return ReceiptReader.receipts(directory);
    }

    private static long decisions(List<Receipt> receipts) {
        return receipts.stream().mapToLong(r -> Repeats.decisions(r.draft())).sum();
    }
}
