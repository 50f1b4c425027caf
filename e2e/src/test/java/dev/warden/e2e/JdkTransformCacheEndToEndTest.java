package dev.warden.e2e;

import dev.warden.e2e.host.FileHost;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Issue 17: the JDK classes an install transformed are kept in the cache directory and replayed by the next start of
 * the same JDK and build instead of being transformed anew. They become JDK code, so the test holds what replayed
 * classes do to what decides (host JVMs started with only {@code -javaagent}, the disk checked by the test): a start
 * that replays gates file writes through {@code FileOutputStream}, {@code RandomAccessFile} and NIO exactly as the
 * start that transformed them; an entry changed on disk is rejected with a warning, the classes transformed anew and
 * the entry written again.
 */
class JdkTransformCacheEndToEndTest {

    @TempDir
    Path workspace;

    @Test
    void aLaterStartReplaysTheTransformedJdkClassesAndGatesAsTheFirstAndAChangedEntryIsRejected() throws Exception {
        Starts starts = Starts.in(workspace);

        HostJvm.Result cold = starts.start("cold");
        Path entry = transformsEntry(starts.cache());
        HostJvm.Result replaying = starts.start("replaying");
        byte[] bytes = Files.readAllBytes(entry);
        // Magic (24 bytes), MAC (32), the number of classes (4), then the first class: its name (2-byte length first),
        // the digest of the class file it was made from (32), its length (4) and the transformed class file.
        int firstClassFile = 24 + 32 + 4 + 2 + (((bytes[60] & 0xff) << 8) | (bytes[61] & 0xff)) + 32 + 4;
        bytes[firstClassFile + 100] ^= 1; // inside the transformed class file: code the JVM would otherwise run
        Files.write(entry, bytes);
        HostJvm.Result tampered = starts.start("tampered");
        HostJvm.Result rewritten = starts.start("rewritten");

        int[] coldCounts = replayedAndAnew(cold);
        assertThat(coldCounts[0]).as(cold.toString()).isZero();
        assertThat(coldCounts[1]).as(cold.toString()).isPositive();
        int[] replayingCounts = replayedAndAnew(replaying);
        assertThat(replayingCounts[0]).as(replaying.toString()).isPositive();
        assertThat(replayingCounts[1]).as("fewer transformed anew than the first start: " + replaying).isLessThan(coldCounts[1]);
        assertThat(replaying.stderr()).doesNotContain("warden: WARNING");
        assertThat(tampered.stderr()).as(tampered.toString())
                .contains("JDK transform cache entry rejected: " + entry, "does not match its MAC", "the JDK classes are transformed anew");
        assertThat(replayedAndAnew(tampered)[0]).as(tampered.toString()).isZero();
        assertThat(replayedAndAnew(rewritten)[0]).as("the rejected entry was written again: " + rewritten).isPositive();
        assertThat(rewritten.stderr()).doesNotContain("warden: WARNING");
        try (Stream<Path> left = Files.list(starts.outside())) {
            assertThat(left).as("nothing outside the working directory, whichever start").isEmpty();
        }
        try (Stream<Path> written = Files.list(starts.work())) {
            assertThat(written.map(path -> path.getFileName().toString()))
                    .containsExactlyInAnyOrder("cold.txt", "replaying.txt", "tampered.txt", "rewritten.txt");
        }
    }

    /**
     * A start that replays gives each JDK class loaded before it its advice once, before {@code main}. ByteBuddy's
     * install alongside {@code main} used to retransform them again, to the same bytes, as the host ran: the JVM
     * redefined them a second time, deoptimising the code that inlined them and throwing away the compilations then
     * under way. Counted by the JVM's own log of redefinitions.
     */
    @Test
    void aStartThatReplaysRedefinesEachJdkClassLoadedBeforeItOnce() throws Exception {
        Starts starts = Starts.in(workspace);
        starts.start("cold");
        starts.start("learning"); // keeps what the cold start's install did not see

        HostJvm.Result replaying = starts.start("replaying", "-Xlog:redefine+class+load=info");

        assertThat(replaying.stderr()).as("every JDK target loaded before main had its earlier result: " + replaying)
                .contains("ByteBuddy installed alongside main");
        assertThat(replayedAndAnew(replaying)[0]).as(replaying.toString()).isPositive();
        java.util.Map<String, Long> redefinitions = replaying.lines().stream()
                .map(java.util.regex.Pattern.compile("redefined name=([^,]+),")::matcher).filter(java.util.regex.Matcher::find)
                .collect(java.util.stream.Collectors.groupingBy(found -> found.group(1), java.util.stream.Collectors.counting()));
        assertThat(redefinitions).as(replaying.toString()).containsKey("java.lang.Thread");
        assertThat(redefinitions).as("each once: " + replaying).allSatisfy((name, times) -> assertThat(times).isEqualTo(1L));
    }

    /**
     * A warm start makes none of ByteBuddy's type system before {@code main}: the early loads' matchers are made beside
     * it. The host's main class, which extends {@code Object} alone, must be asked about: the first warm start's waits
     * for the matchers, and the next loads at once, as that start found it. The writes are gated as ever.
     */
    @Test
    void theHostsMainClassWaitsForTheMatchersOnceAndThenLoadsAsAnEarlierStartFoundIt() throws Exception {
        Starts starts = Starts.in(workspace);
        starts.start("cold");
        HostJvm.Result learning = starts.start("learning");
        HostJvm.Result warm = starts.start("warm");

        assertThat(learning.stderr()).as("its main class waited for the matchers: " + learning)
                .containsPattern("ByteBuddy installed alongside main in \\d+ ms \\([1-9]\\d* class loads waited for it, "
                        + "\\d+ ms in all; 0 loaded as an earlier start found them\\)");
        assertThat(warm.stderr()).as("the main class loaded at once: " + warm)
                .containsPattern("ByteBuddy installed alongside main in \\d+ ms \\(\\d+ class loads waited for it, "
                        + "\\d+ ms in all; [1-9]\\d* loaded as an earlier start found them\\)");
        try (Stream<Path> entries = Files.list(starts.cache())) {
            assertThat(entries.map(path -> path.getFileName().toString())).as("what the learning start learned is kept")
                    .anyMatch(name -> name.startsWith("early-") && name.endsWith(".passes"));
        }
        for (HostJvm.Result start : List.of(learning, warm)) {
            assertThat(start.stderr()).as("the install alongside main loaded no JDK target unadvised: " + start)
                    .doesNotContain("with no earlier result");
        }
    }

    /**
     * Where the launch options open the JDK's packages to other classes, a JDK class is not told by its name alone:
     * the matchers are made before {@code main} as before, and no earlier start's answers are kept or used.
     */
    @Test
    void withTheJdksPackagesOpenedTheMatchersAreMadeBeforeMain() throws Exception {
        Starts starts = Starts.in(workspace);
        String opened = "--add-opens=java.base/java.lang=ALL-UNNAMED";
        starts.start("cold", opened);
        starts.start("second", opened);

        HostJvm.Result third = starts.start("third", opened);

        assertThat(third.stderr()).as(third.toString()).contains("ByteBuddy installed alongside main in")
                .contains("; 0 loaded as an earlier start found them)");
        try (Stream<Path> entries = Files.list(starts.cache())) {
            assertThat(entries.map(path -> path.getFileName().toString())).as("no answers kept")
                    .noneMatch(name -> name.endsWith(".passes"));
        }
    }

    /** A host's starts with one cache: each in its own audit directory, writing in {@code work}, refused {@code outside}. */
    private record Starts(Path root, Path work, Path outside, Path rules, Path cache) {

        static Starts in(Path workspace) throws java.io.IOException {
            Path root = workspace.toRealPath();
            Path work = Files.createDirectories(root.resolve("work"));
            Path outside = Files.createDirectories(root.resolve("outside"));
            return new Starts(root, work, outside, FileRules.workingDirectoryOnly(root.resolve("rules"), work),
                    root.resolve("cache"));
        }

        /** One start: a permitted write, then three refused ones through the JDK classes Warden transformed at install. */
        HostJvm.Result start(String name, String... jvmOptions) throws Exception {
            Receipts store = Receipts.in(Files.createDirectories(root.resolve("audit-" + name)));
            List<String> steps = List.of(
                    "fos|" + work.resolve(name + ".txt"),
                    "fos|" + outside.resolve(name + "-fos.txt"),
                    "raf|" + outside.resolve(name + "-raf.txt"),
                    "channel|" + outside.resolve(name + "-channel.txt"));
            HostJvm launch = HostJvm.withAgent(store.agentArguments()).with("rules=" + rules).with("cache=" + cache);
            for (String option : jvmOptions) {
                launch = launch.jvm(option);
            }
            HostJvm.Result host = launch.run(FileHost.class, steps);
            assertThat(host.lines()).as(host.toString()).contains("DONE");
            assertThat(host.step(0)).as(name + ": " + host).startsWith("OK step=0");
            for (int refused = 1; refused < steps.size(); refused++) {
                assertThat(host.step(refused)).as(name + ": " + steps.get(refused)).matches("(REFUSED|FALSE) step=\\d+.*");
            }
            assertThat(store.all()).as(name)
                    .filteredOn(receipt -> receipt.surface().equals("file") && receipt.outcome().equals("PERMIT")).hasSize(1);
            assertThat(store.all()).as(name)
                    .filteredOn(receipt -> receipt.surface().equals("file") && !receipt.outcome().equals("PERMIT")).hasSize(3);
            assertThat(store.verify().exitCode()).as(name).isZero();
            return host;
        }
    }

    /** From the start line: the JDK classes loaded before Warden that were replayed, and those transformed anew. */
    private static int[] replayedAndAnew(HostJvm.Result host) {
        java.util.regex.Matcher counts = java.util.regex.Pattern
                .compile("of the JDK classes loaded before, (\\d+) as transformed before, (\\d+) transformed anew")
                .matcher(host.stderr());
        assertThat(counts.find()).as("the start line counts them: " + host).isTrue();
        return new int[] {Integer.parseInt(counts.group(1)), Integer.parseInt(counts.group(2))};
    }

    private static Path transformsEntry(Path cache) throws Exception {
        try (Stream<Path> entries = Files.list(cache)) {
            return entries.filter(file -> file.toString().endsWith(".transforms")).findFirst()
                    .orElseThrow(() -> new AssertionError("no JDK transform cache entry in " + cache));
        }
    }
}
