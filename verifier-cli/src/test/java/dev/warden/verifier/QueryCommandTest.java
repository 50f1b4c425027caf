package dev.warden.verifier;

import dev.warden.receipts.ActionDigest;
import dev.warden.receipts.ReceiptDraft;
import dev.warden.receipts.ReceiptLog;
import dev.warden.receipts.ReceiptLogOptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import static org.assertj.core.api.Assertions.assertThat;

/** query as a security team uses it: refusals of both kinds, several outcomes, time ranges, and bad input as usage errors. */
class QueryCommandTest {
    @TempDir
    static Path tmp;
    static Path receipts;
    static final Instant T0 = Instant.parse("2026-11-22T09:00:00Z");
    /** Outcome, actor, session, rule of each receipt, one second apart. */
    static final List<List<String>> ROWS = List.of(
            List.of("PERMIT", "support-bot", "s-1", "notes are readable"),
            List.of("DENY", "support-bot", "s-1", "no deletes"),
            List.of("SILENCE", "support-bot", "s-2", ""),
            List.of("HOLD", "billing-bot", "s-2", "refunds need approval"),
            List.of("PERMIT", "billing-bot", "s-3", "notes are readable"),
            List.of("SILENCE", "billing-bot", "s-3", ""));

    @BeforeAll
    static void writeLog() throws Exception {
        receipts = tmp.resolve("receipts");
        try (ReceiptLog log = ReceiptLog.open(ReceiptLogOptions.defaults(receipts).withCheckpoints(Integer.MAX_VALUE, Duration.ofDays(1)))) {
            for (int i = 0; i < ROWS.size(); i++) {
                List<String> row = ROWS.get(i);
                log.append(new ReceiptDraft(String.format("01935f3c-7b2a-7000-8000-%012d", i), T0.plusSeconds(i), row.get(1),
                        i == 0 ? "alice" : null, row.get(2), "jdbc", "SELECT", "notes",
                        ActionDigest.of("jdbc", "SELECT", "notes", new TreeMap<>(Map.of("n", String.valueOf(i)))),
                        Map.of(), row.get(0), true, row.get(3).isEmpty() ? List.of() : List.of(row.get(3)), "r" + i, Map.of(), null));
            }
        }
    }

    @Test
    void refusedIsDenyAndSilenceWhereDenyAloneMissesSilence() {
        Cli deny = Cli.run("query", receipts, "--outcome", "DENY");
        Cli refused = Cli.run("query", receipts, "--refused");

        assertThat(rows(deny.out())).hasSize(1);
        assertThat(refused.exitCode()).isZero();
        assertThat(rows(refused.out())).extracting(l -> l.split("  ")[0]).containsExactly("1", "2", "5");
    }

    @Test
    void severalOutcomesRepeatedOrCommaSeparatedAndInAnyCase() {
        Cli repeated = Cli.run("query", receipts, "--outcome", "SILENCE", "--outcome", "hold");
        Cli commas = Cli.run("query", receipts, "--outcome", "silence,HOLD");

        assertThat(rows(repeated.out())).extracting(l -> l.split("  ")[0]).containsExactly("2", "3", "5");
        assertThat(commas.out()).isEqualTo(repeated.out());
    }

    @Test
    void filtersCombineAcrossActorSessionUserRuleAndTime() {
        Cli refusedInS3 = Cli.run("query", receipts, "--refused", "--session", "s-3");
        Cli forAlice = Cli.run("query", receipts, "--on-behalf-of", "alice");
        Cli byRule = Cli.run("query", receipts, "--rule", "notes are readable", "--actor", "billing-bot");
        Cli window = Cli.run("query", receipts, "--from", "2026-11-22T09:00:01Z", "--to", "2026-11-22T10:00:03+01:00");
        Cli day = Cli.run("query", receipts, "--from", "2026-11-22", "--to", "2026-11-23");

        assertThat(rows(refusedInS3.out())).extracting(l -> l.split("  ")[0]).containsExactly("5");
        assertThat(rows(forAlice.out())).extracting(l -> l.split("  ")[0]).containsExactly("0");
        assertThat(rows(byRule.out())).extracting(l -> l.split("  ")[0]).containsExactly("4");
        assertThat(rows(window.out())).extracting(l -> l.split("  ")[0]).containsExactly("1", "2");
        assertThat(rows(day.out())).hasSize(ROWS.size());
    }

    @Test
    void anUnknownOutcomeIsAUsageErrorNotAnEmptyResult() {
        Cli cli = Cli.run("query", receipts, "--outcome", "DENIED");

        assertThat(cli.exitCode()).isEqualTo(2);
        assertThat(cli.out()).isEmpty();
        assertThat(cli.err()).contains("unknown outcome 'DENIED'", "PERMIT, DENY, SILENCE, HOLD");
    }

    @Test
    void aBadTimeOrAnEmptyRangeIsAUsageError() {
        Cli badTime = Cli.run("query", receipts, "--from", "yesterday");
        Cli empty = Cli.run("query", receipts, "--from", "2026-11-23", "--to", "2026-11-22");

        assertThat(badTime.exitCode()).isEqualTo(2);
        assertThat(badTime.err()).contains("'yesterday' is not a time");
        assertThat(empty.exitCode()).isEqualTo(2);
        assertThat(empty.err()).contains("the range is empty");
    }

    /** The receipts a query listed, without its closing tally line. */
    private static java.util.stream.Stream<String> rows(String out) {
        return out.lines().filter(l -> !l.matches("\\d+ receipts: .*"));
    }
}
