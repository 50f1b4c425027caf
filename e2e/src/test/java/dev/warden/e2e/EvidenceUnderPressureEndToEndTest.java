package dev.warden.e2e;

import dev.warden.e2e.host.RetryLoopHost;
import dev.warden.receipts.NotAReceiptsDirectoryException;
import dev.warden.receipts.Receipt;
import dev.warden.receipts.ReceiptReader;
import dev.warden.receipts.Repeats;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Evidence under pressure: a host that retries a refused request in a tight loop cannot fill the disk
 * with receipts, yet every refusal is counted in them; and too little free space refuses every action.
 */
@SameOnEveryJdk
@Order(1) // first: one host's loop on one core, which the rest of the suite fills the other core beside
class EvidenceUnderPressureEndToEndTest {

    /**
     * How long the host retries: long enough for hundreds of thousands of refusals (2.2 million a minute on the 2-core
     * CI machine) and a dozen one-second bursts, short enough to leave the suite's CPU to the rest.
     */
    static final int RETRY_SECONDS = 15;

    /** What the receipts of those retries may take on disk: a few MB (one full receipt each was GBs a minute). */
    static final long RETRY_BOUND = 4L << 20;

    private static final Pattern TOTALS = Pattern.compile("refusals=(\\d+) answered=(\\d+) other=(\\d+)");

    @TempDir
    Path tmp;

    @Test
    void retriedRefusalsStayWithinMegabytesAndEveryRefusalIsCounted() throws Exception {
        Receipts receipts = Receipts.in(tmp);
        try (EgressServers.CountingHttpServer server = new EgressServers.CountingHttpServer()) {
            HostJvm.Result result = HostJvm.withAgent(receipts.agentArguments()).withRules("empty").within(180)
                    .run(RetryLoopHost.class, List.of("http://127.0.0.1:" + server.port() + "/api/retry", String.valueOf(RETRY_SECONDS)));

            assertThat(result.exitCode()).as(result.toString()).isZero();
            Matcher totals = TOTALS.matcher(result.stdout());
            assertThat(totals.find()).as(result.toString()).isTrue();
            long refusals = Long.parseLong(totals.group(1));
            assertThat(refusals).as("a tight loop for " + RETRY_SECONDS + " s").isGreaterThan(10_000);
            assertThat(totals.group(2)).isEqualTo("0");
            assertThat(totals.group(3)).isEqualTo("0");
            assertThat(server.total()).as("no refused request reached the server").isZero();

            List<Receipt> all = receipts.all();
            List<Receipt> http = all.stream().filter(r -> r.surface().equals("http")).toList();
            assertThat(http.stream().mapToLong(r -> Repeats.decisions(r.draft())).sum())
                    .as("every refusal the host saw is counted in the receipts").isEqualTo(refusals);
            assertThat(http).allMatch(r -> r.outcome().equals("SILENCE") && r.enforced());
            assertThat(http.stream().filter(r -> Repeats.counted(r.draft())).count()).as("about one counted receipt a second")
                    .isBetween(RETRY_SECONDS / 2L, RETRY_SECONDS * 10L / 3);
            String first = http.get(0).id();
            assertThat(result.stdout()).contains("first=warden: denied by default-deny: ", "(receipt " + first + ")");
            // A pause longer than the window (a busy machine) starts a new burst with receipts of its own.
            String lastCited = lastLine(result, "last=").replaceAll(".*\\(receipt ([0-9a-f-]{36})\\)$", "$1");
            assertThat(http).as("a counted refusal cites the full receipt that opened its burst, on disk")
                    .anyMatch(r -> r.id().equals(lastCited) && !Repeats.counted(r.draft()));
            assertThat(http).filteredOn(r -> Repeats.counted(r.draft()))
                    .allMatch(r -> http.stream().anyMatch(opened -> opened.id().equals(r.summary().get(Repeats.BURST))));

            long onDisk = allocatedBytes(receipts.directory());
            long apparent = apparentBytes(receipts.directory());
            System.out.printf("retry loop of " + RETRY_SECONDS + " s: %d refusals, %d receipts, %d bytes on disk, %d bytes apparent%n",
                    refusals, all.size(), onDisk, apparent);
            assertThat(onDisk).isLessThan(RETRY_BOUND);
            assertThat(apparent).as("files sized to what is written").isLessThan(RETRY_BOUND);

            Receipts.Verification verification = receipts.verify();
            assertThat(verification.exitCode()).as(verification.output()).isZero();
        }
    }

    @Test
    void belowTheFreeSpaceWatermarkEveryActionIsRefusedNamingItAndStillRecorded() throws Exception {
        Receipts receipts = Receipts.in(tmp);
        try (EgressServers.CountingHttpServer server = new EgressServers.CountingHttpServer()) {
            String url = "http://127.0.0.1:" + server.port() + "/api/retry";
            HostJvm.Result permitted = HostJvm.withAgent(receipts.agentArguments()).withRules("http-permitted")
                    .with("surfaces=http").run(RetryLoopHost.class, List.of(url, "1"));
            assertThat(permitted.stdout()).as(permitted.toString()).contains("answered=200").contains("refusals=0 ");
            int reached = server.total();
            assertThat(reached).isPositive();

            // Above what the file system really has free: the watermark refuses, with room left to record it.
            long minimum = Files.getFileStore(tmp).getUsableSpace() + (1L << 30);
            HostJvm.Result refused = HostJvm.withAgent(receipts.agentArguments()).withRules("http-permitted")
                    .with("surfaces=http").with("receipts-min-free=" + minimum).run(RetryLoopHost.class, List.of(url, "2"));

            assertThat(refused.exitCode()).as(refused.toString()).isZero();
            assertThat(server.total()).as("nothing more reached the server").isEqualTo(reached);
            assertThat(refused.stderr()).contains("warden.disk-low: ", "every action is refused until there is room");
            String first = lastLine(refused, "first=");
            assertThat(first).matches("first=warden: denied by warden\\.fail-closed: warden\\.disk-low: [0-9.]+ [KMGT]?B free in "
                    + Pattern.quote(receipts.directory().toAbsolutePath().toString()) + ", below [0-9.]+ [KMGT]?B \\(receipts-min-free\\) "
                    + "\\(receipt [0-9a-f-]{36}\\)");
            Matcher totals = TOTALS.matcher(refused.stdout());
            assertThat(totals.find()).isTrue();
            long refusals = Long.parseLong(totals.group(1));

            List<Receipt> lowOnSpace = receipts.all().stream().filter(r -> String.valueOf(r.reason()).startsWith("warden.disk-low")).toList();
            assertThat(lowOnSpace).allMatch(r -> r.outcome().equals("DENY") && r.rules().equals(List.of("warden.fail-closed")));
            assertThat(lowOnSpace.stream().mapToLong(r -> Repeats.decisions(r.draft())).sum()).isEqualTo(refusals);
            assertThat(lowOnSpace.size()).as("recorded compactly").isLessThan(20);
            Receipts.Verification verification = receipts.verify();
            assertThat(verification.exitCode()).as(verification.output()).isZero();
        }
    }

    @Test
    void belowTheFloorNothingIsWrittenAndEveryActionIsStillRefused() throws Exception {
        Receipts receipts = Receipts.in(tmp);
        try (EgressServers.CountingHttpServer server = new EgressServers.CountingHttpServer()) {
            // The floor is a quarter of the minimum: above the real free space, so nothing may be written.
            long minimum = 4 * (Files.getFileStore(tmp).getUsableSpace() + (1L << 30));
            HostJvm.Result refused = HostJvm.withAgent(receipts.agentArguments()).withRules("http-permitted")
                    .with("surfaces=http").with("receipts-min-free=" + minimum)
                    .run(RetryLoopHost.class, List.of("http://127.0.0.1:" + server.port() + "/api/retry", "1"));

            assertThat(refused.exitCode()).as(refused.toString()).isZero();
            assertThat(server.total()).isZero();
            assertThat(lastLine(refused, "first=")).contains("warden.disk-low: ", "below the floor of ",
                    ": no more receipts are written (no receipt written)");
            assertThat(refused.stdout()).contains(" answered=0 other=0");
            assertThat(receiptsIn(receipts.directory())).as("receipts written below the floor").isEmpty();
        }
    }

    /** The receipts in a directory; none when the writer never got as far as a queue file. */
    private static List<dev.warden.receipts.Receipt> receiptsIn(Path directory) throws Exception {
        try {
            return ReceiptReader.receipts(directory);
        } catch (NotAReceiptsDirectoryException noQueue) {
            return List.of();
        }
    }

    private static String lastLine(HostJvm.Result result, String prefix) {
        return result.lines().stream().filter(l -> l.startsWith(prefix)).reduce((a, b) -> b)
                .orElseThrow(() -> new AssertionError("no " + prefix + " in\n" + result));
    }

    /** What the files take on disk (allocated blocks, as du counts them). */
    static long allocatedBytes(Path directory) throws Exception {
        Process du = new ProcessBuilder("du", "-sk", directory.toString()).redirectErrorStream(true).start();
        String out = new String(du.getInputStream().readAllBytes()).trim();
        assertThat(du.waitFor()).as(out).isZero();
        return Long.parseLong(out.split("\\s+")[0]) * 1024;
    }

    /** The files' sizes as ls shows them (a sparse file's holes included). */
    static long apparentBytes(Path directory) throws Exception {
        try (Stream<Path> files = Files.walk(directory)) {
            long total = 0;
            for (Path file : (Iterable<Path>) files.filter(Files::isRegularFile)::iterator) {
                total += Files.size(file);
            }
            return total;
        }
    }
}
