package dev.warden.e2e;

import dev.warden.e2e.host.JdbcHost;
import dev.warden.receipts.Receipt;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.jar.JarFile;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Warden's jars are unpacked into the temporary directory, where a clean-up (systemd-tmpfiles' age rule) removes
 * files nobody read for days from under a JVM that runs for weeks. Once the agent has started, every jar is held
 * open, so the classes a later action needs for the first time are still there: the host's statements after the
 * removal are decided, enforced and recorded as before.
 */
@SameOnEveryJdk // where the launcher unpacks its jars, and what it keeps open
class UnpackedJarsRemovedEndToEndTest {

    @TempDir
    Path workspace;

    @Test
    void actionsAfterTheUnpackedJarsAreRemovedAreStillDecidedAndRecorded() throws Exception {
        String url = "jdbc:h2:file:" + workspace.resolve("shop");
        Fixtures.createShop(url, "sa", "");
        Receipts store = Receipts.in(workspace);
        Path temporary = Files.createDirectories(workspace.resolve("tmp")); // this host's own unpacked build
        Path errors = workspace.resolve("host.err");

        // Reads decided too, and permitted anywhere but Warden's unpacked build: Warden's own reading of its jars is
        // never the host's to decide.
        Path rules = Files.createDirectories(workspace.resolve("rules"));
        try (Stream<Path> pack = Files.list(Receipts.rules("jdbc"))) {
            for (Path file : pack.toList()) {
                Files.copy(file, rules.resolve(file.getFileName()));
            }
        }
        String reads = """
                package rules.jdbc;
                import dev.warden.rules.Action;
                global dev.warden.rules.Verdict verdict;

                rule "reads, except Warden's unpacked build"
                when
                    Action(surface == "file", operation == "READ", !targetsUnder("%s"))
                then
                    verdict.permit("reading is fine elsewhere");
                end
                """.formatted(temporary);
        Files.writeString(rules.resolve("reads.drl"), reads);
        HostJvm.Running host = HostJvm.withAgent(store.agentArguments()).with("rules=" + rules).with("file-reads=true")
                .with("rules-watch=false").jvm("-Djava.io.tmpdir=" + temporary).errorsTo(errors)
                .start(JdbcHost.class, List.of(url, "sa", "",
                        /* 0 */ "await-thread:warden-jars",
                        /* 1 */ "hold:-",
                        /* 2 */ "prepared:SELECT * FROM orders WHERE id = ?|1",
                        /* 3 */ "update:DELETE FROM orders",
                        /* 4 */ "query:SELECT * FROM customers WHERE country = 'US'",
                        /* 5 */ "update:INSERT INTO orders VALUES (999, 1, 5)",
                        /* 6 */ "query:SELEC * FORM customers"));
        host.awaitLine("OK step=1 holding");
        List<Path> jars = jars(temporary);
        assertThat(jars).as("the unpacked build's jars").hasSizeGreaterThan(10);
        // This build's first start in its own temporary directory: each jar copied as the agent jar nests it.
        try (JarFile agent = new JarFile(HostJvm.agentJar().toFile())) {
            for (Path jar : jars.stream().filter(jar -> jar.getParent().getParent().endsWith("warden")).toList()) {
                String entry = jar.subpath(jar.getNameCount() - 3, jar.getNameCount()).toString().replace('\\', '/');
                assertThat(jar).as(entry).hasBinaryContent(agent.getInputStream(agent.getEntry(entry)).readAllBytes());
            }
        }
        // Seen from outside the host, in the kernel's table of its open files: every library jar is held open
        // (the bootstrap jar's classes were all defined at the start).
        assertThat(openFiles(host.process().pid())).as("jars the host holds open")
                .containsAll(jars.stream().filter(jar -> jar.getParent().endsWith(Path.of("warden", "lib"))).toList());
        for (Path jar : jars) {
            Files.delete(jar);
        }
        // A new version compiled now: Drools compiles it with classes and configuration it reads again.
        Files.writeString(rules.resolve("reads.drl"), reads + """

                rule "inserts are counted"
                when
                    Action(surface == "jdbc", operation == "INSERT", targetsWithin("orders"))
                then
                    verdict.permit("orders may be added, and this version says so");
                end
                """);
        ApproverCli.Result reload = ApproverCli.cli("reload", "--receipts", store.directory().toString());
        assertThat(reload.exitCode()).as(reload.output()).isZero();
        assertThat(reload.output()).contains("switched");
        int exit = host.release();
        assertThat(exit).as(Files.readString(errors)).isZero();
        List<String> lines = linesUntilDone(host);

        assertThat(lines).anyMatch(line -> line.startsWith("OK step=2 rows=1 "));
        assertThat(lines).anyMatch(line -> line.startsWith("DENIED step=3 "));
        assertThat(lines).anyMatch(line -> line.startsWith("OK step=4 rows=1000 ") && line.contains("email=[REDACTED]"));
        assertThat(lines).anyMatch(line -> line.startsWith("OK step=5 updated=1"));
        assertThat(lines).anyMatch(line -> line.startsWith("DENIED step=6 "));
        assertThat(Files.readString(errors)).doesNotContain("could not open", "NoClassDefFoundError", "ClassNotFoundException");

        assertThat(store.all()).as("no decision about Warden's own jars")
                .noneMatch(receipt -> String.valueOf(receipt.target()).startsWith(temporary.toString()));
        List<Receipt> statements = store.all().stream().filter(receipt -> receipt.surface().equals("jdbc")).toList();
        assertThat(statements).extracting(Receipt::outcome).as("connect, then one per statement")
                .endsWith("PERMIT", "SILENCE", "PERMIT", "PERMIT", "DENY");
        assertThat(statements).noneMatch(receipt -> receipt.rules().contains("warden.fail-closed"));
        assertThat(statements.get(statements.size() - 2).rules()).as("the insert, decided by the new version")
                .contains("inserts are counted");
        Receipts.Verification verification = store.verify();
        assertThat(verification.exitCode()).as(verification.output()).isZero();
    }

    /**
     * A start of another build removes a build no JVM uses (README, "Known limits"): this build's next start unpacks it
     * again, and what its earlier starts kept in the cache (the compiled policy, the JDK classes) still serves it.
     */
    @Test
    void aBuildRemovedBetweenStartsIsUnpackedAgainAndWhatItsStartsKeptStillServes() throws Exception {
        String url = "jdbc:h2:file:" + workspace.resolve("shop");
        Fixtures.createShop(url, "sa", "");
        Receipts store = Receipts.in(workspace);
        Path temporary = Files.createDirectories(workspace.resolve("tmp"));
        Path unpacked = temporary.resolve("warden-" + System.getProperty("user.name"));
        List<String> steps = List.of(url, "sa", "", "prepared:SELECT * FROM orders WHERE id = ?|1", "update:DELETE FROM orders");

        List<String> startLines = new ArrayList<>();
        for (String start : List.of("first", "second", "after the removal")) {
            if (start.equals("after the removal")) {
                try (Stream<Path> entries = Files.list(unpacked)) {
                    for (Path entry : entries.filter(entry -> !entry.getFileName().toString().equals("policies")).toList()) {
                        try (Stream<Path> tree = Files.walk(entry)) { // the build's directory and lock file, as a clean-up removes them
                            for (Path each : tree.sorted(java.util.Comparator.reverseOrder()).toList()) {
                                Files.delete(each);
                            }
                        }
                    }
                }
            }
            HostJvm.Result result = HostJvm.withAgent(store.agentArguments()).with("cache=default").withRules("jdbc")
                    .jvm("-Djava.io.tmpdir=" + temporary).run(JdbcHost.class, steps);
            assertThat(result.exitCode()).as(start + ": " + result).isZero();
            assertThat(result.stdout()).as(start + ": " + result).contains("OK step=0 rows=1").contains("DENIED step=1 ");
            startLines.add(result.stderr().lines().filter(line -> line.startsWith("warden: started")).findFirst().orElseThrow());
        }

        assertThat(startLines.get(0)).contains(", compiled)");
        assertThat(startLines.get(2)).as("after the removal").contains(", from cache)")
                .containsPattern("of the JDK classes loaded before, [1-9][0-9]* as transformed before");
        assertThat(jars(unpacked)).as("unpacked again").hasSizeGreaterThan(10);
        Receipts.Verification verification = store.verify();
        assertThat(verification.exitCode()).as(verification.output()).isZero();
    }

    /** What a clean-up by age removes: every jar (the directories stay). */
    private static List<Path> jars(Path temporary) throws Exception {
        try (Stream<Path> files = Files.walk(temporary)) {
            return files.filter(file -> file.getFileName().toString().endsWith(".jar")).toList();
        }
    }

    private static List<Path> openFiles(long pid) throws Exception {
        try (Stream<Path> descriptors = Files.list(Path.of("/proc", Long.toString(pid), "fd"))) {
            return descriptors.map(descriptor -> {
                try {
                    return Files.readSymbolicLink(descriptor);
                } catch (java.io.IOException closedMeanwhile) {
                    return descriptor;
                }
            }).toList();
        }
    }

    private static List<String> linesUntilDone(HostJvm.Running host) throws InterruptedException {
        List<String> lines = new ArrayList<>();
        String line;
        while ((line = host.lines().poll(host.timeoutSeconds(), TimeUnit.SECONDS)) != null) {
            lines.add(line);
            if (line.equals("DONE")) {
                return lines;
            }
        }
        throw new AssertionError("the host never printed DONE: " + lines);
    }
}
