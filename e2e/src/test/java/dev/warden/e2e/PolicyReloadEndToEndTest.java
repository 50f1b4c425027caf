package dev.warden.e2e;

import dev.warden.e2e.host.EventLoadHost;
import dev.warden.receipts.Receipt;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.sql.Connection;
import java.sql.DriverManager;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * S15's roll-out and roll-back, and S12's per-rule shadow, on one host under steady load (a thread
 * inserting and reading without pause): the rules directory changes from v1 to v2, then to a candidate
 * that does not compile, and the operator rolls back to v1. Every receipt names a version that was
 * archived and decided as that version's rules say; what ran is counted in the database itself.
 */
@SameOnEveryJdk // rules compiled, put in force and rolled back; each JDK compiles every other class's rules
class PolicyReloadEndToEndTest {

    private static final Path VERSIONS = Path.of("src/test/resources/rules/reload").toAbsolutePath();

    @TempDir
    Path workspace;

    @Test
    void reloadsUnderLoadRejectsABrokenCandidateRollsBackAndRecordsShadowRules() throws Exception {
        Path rules = Files.createDirectories(workspace.resolve("rules"));
        copy(VERSIONS.resolve("v1"), rules);
        String url = "jdbc:h2:file:" + workspace.resolve("events");
        try (Connection connection = DriverManager.getConnection(url, "sa", "")) {
            connection.createStatement().execute("CREATE TABLE events (id BIGINT PRIMARY KEY)");
        }
        Receipts store = Receipts.in(workspace);
        Path stderr = workspace.resolve("host-stderr.txt");
        HostJvm.Running host = HostJvm.withAgent(store.agentArguments()).with("rules=" + rules).errorsTo(stderr)
                .start(EventLoadHost.class, List.of(url));
        host.awaitLine("READY");

        String v1 = store.await("v1 deciding", atLeast(20, null)).get(0).policyVersion();

        // v2 replaces v1: one file rewritten, one removed; the watcher waits until the directory is still.
        replace(rules.resolve("events.drl"), VERSIONS.resolve("v2/events.drl"));
        Files.delete(rules.resolve("roles.yaml"));
        Receipt toV2 = switched(store.await("a switch to v2", receipts -> !switched(receipts).isEmpty())).get(0);
        String v2 = toV2.summary().get("policy.to");
        assertThat(toV2.summary()).containsEntry("policy.from", v1).containsEntry("policy.trigger", "watch");
        store.await("v2 deciding", atLeast(20, v2));

        // A half-written candidate: rejected, loudly, and v2 keeps deciding.
        replace(rules.resolve("events.drl"), VERSIONS.resolve("broken/events.drl"));
        Receipt rejected = store.await("a rejection", receipts -> receipts.stream().anyMatch(r -> r.operation().equals("policy-rejected")))
                .stream().filter(r -> r.operation().equals("policy-rejected")).findFirst().orElseThrow();
        assertThat(rejected.policyVersion()).isEqualTo(v2);
        assertThat(rejected.summary()).containsEntry("policy.running", v2).containsEntry("policy.trigger", "watch");
        assertThat(rejected.summary().get("policy.error")).startsWith("does not compile").contains("events.drl");
        store.await("v2 deciding after the rejection", after(rejected, 20, v2));
        assertThat(Files.readString(stderr)).contains("warden: ALERT: policy candidate rejected " + rejected.target().substring(0, 12)
                + ", " + v2.substring(0, 12) + " stays in force: does not compile");

        // The operator rolls back to v1 by a prefix of its version; an unknown one is a usage error.
        ApproverCli.Result unknown = ApproverCli.cli("rollback", "00000000", "--receipts", store.directory().toString());
        assertThat(unknown.exitCode()).as(unknown.output()).isEqualTo(2);
        assertThat(unknown.output()).contains("error: no archived policy version starts with 00000000");
        ApproverCli.Result rollback = ApproverCli.cli("rollback", v1.substring(0, 10), "--receipts", store.directory().toString());
        assertThat(rollback.exitCode()).as(rollback.output()).isZero();
        assertThat(rollback.output()).contains("switched " + v2.substring(0, 12) + " -> " + v1.substring(0, 12) + " (rollback)");
        Receipt backToV1 = switched(store.all()).get(1);
        store.await("v1 deciding after the rollback", after(backToV1, 20, v1));

        // The watcher took the broken directory as seen: it stays out until it changes; asked to reload it, the agent refuses.
        ApproverCli.Result reload = ApproverCli.cli("reload", "--receipts", store.directory().toString());
        assertThat(reload.exitCode()).as(reload.output()).isEqualTo(1);
        assertThat(reload.output()).contains("rejected").contains(v1.substring(0, 12) + " stays in force");

        host.process().getOutputStream().write("stop\n".getBytes(StandardCharsets.UTF_8));
        host.process().getOutputStream().flush();
        String done = host.awaitLine("DONE");
        assertThat(host.process().waitFor(60, TimeUnit.SECONDS)).isTrue();

        List<Receipt> receipts = store.all();
        List<Receipt> switches = switched(receipts);
        assertThat(switches).extracting(r -> r.summary().get("policy.from") + ">" + r.summary().get("policy.to"))
                .containsExactly(v1 + ">" + v2, v2 + ">" + v1);
        assertThat(receipts.stream().filter(r -> r.operation().equals("policy-rejected"))).hasSize(2);

        // Every action's receipt names an archived version and was decided as that version's rules say.
        List<Receipt> actions = receipts.stream().filter(r -> r.surface().equals("jdbc")).toList();
        assertThat(actions.stream().map(Receipt::policyVersion).distinct()).containsExactlyInAnyOrder(v1, v2);
        assertThat(store.directory().resolve("policies/" + v1 + ".bundle")).exists();
        assertThat(store.directory().resolve("policies/" + v2 + ".bundle")).exists();
        for (Receipt action : actions) {
            boolean first = action.policyVersion().equals(v1);
            if (action.operation().equals("INSERT")) {
                if (first) {
                    // S12: the shadow rule and the role in shadow would have refused; the insert ran, and that is recorded.
                    assertThat(action.outcome()).as(action.id()).isEqualTo("PERMIT");
                    assertThat(action.rules()).containsExactly("v1: events may be added");
                    assertThat(action.summary()).containsEntry("shadow.outcome", "DENY")
                            .containsEntry("shadow.rules", "trying: no more events; role cautious denies jdbc:events:insert");
                } else {
                    assertThat(action.outcome()).as(action.id()).isEqualTo("DENY");
                    assertThat(action.rules()).containsExactly("v2: no more events");
                    assertThat(action.summary()).doesNotContainKey("shadow.outcome");
                }
            } else {
                // The same read, recalled by ruling reuse, names its own version's rule.
                assertThat(action.outcome()).as(action.id()).isEqualTo("PERMIT");
                assertThat(action.rules()).containsExactly(first ? "v1: events are readable" : "v2: events are readable");
            }
        }

        // explain shows the shadow rules that spoke with their sources, apart from the enforcing rule.
        Receipt shadowed = actions.stream().filter(r -> r.summary().containsKey("shadow.rules")).findFirst().orElseThrow();
        ApproverCli.Result explained = ApproverCli.cli("explain", shadowed.id(), "--receipts", store.directory().toString());
        assertThat(explained.exitCode()).as(explained.output()).isZero();
        assertThat(explained.output()).contains("outcome   PERMIT", "  v1: events may be added",
                "shadow    DENY had these rules enforced (recorded, not enforced)",
                "  trying: no more events", "events.drl:", "verdict.deny(\"events are about to be closed\")",
                "  role cautious denies jdbc:events:insert", "roles.yaml:", "deny: [jdbc:events:insert]");
        assertThat(explained.output().indexOf("  trying: no more events"))
                .as("listed under shadow, not among the rules that decided").isGreaterThan(explained.output().indexOf("shadow    DENY"));

        // What ran, counted by the database: exactly the permitted inserts.
        long permitted = actions.stream().filter(r -> r.operation().equals("INSERT") && r.outcome().equals("PERMIT")).count();
        long refused = actions.stream().filter(r -> r.operation().equals("INSERT") && r.outcome().equals("DENY")).count();
        assertThat(Fixtures.count(url, "sa", "", "SELECT COUNT(*) FROM events")).isEqualTo(permitted);
        assertThat(done).startsWith("DONE inserted=" + permitted + " refused=" + refused + " ");
        Receipts.Verification verification = store.verify();
        assertThat(verification.exitCode()).as(verification.output()).isZero();
    }

    /**
     * S10, then S15: a host whose rules do not compile at its start runs, and every action is refused naming why; the
     * rules fixed in place are put in force by the watcher, and decide from then on. What ran is counted in the database.
     */
    @Test
    void aStartWhoseRulesDoNotCompileRefusesEveryActionUntilTheFixedRulesAreInForce() throws Exception {
        Path rules = Files.createDirectories(workspace.resolve("rules"));
        copy(VERSIONS.resolve("v2"), rules);
        replace(rules.resolve("events.drl"), VERSIONS.resolve("broken/events.drl"));
        String url = "jdbc:h2:file:" + workspace.resolve("events");
        try (Connection connection = DriverManager.getConnection(url, "sa", "")) {
            connection.createStatement().execute("CREATE TABLE events (id BIGINT PRIMARY KEY)");
        }
        Receipts store = Receipts.in(workspace);
        Path stderr = workspace.resolve("host-stderr.txt");
        // Only jdbc: under rules that decide nothing, the file surface would refuse H2 its own database files.
        HostJvm.Running host = HostJvm.withAgent(store.agentArguments()).with("rules=" + rules).with("surfaces=jdbc")
                .errorsTo(stderr).start(EventLoadHost.class, List.of(url));
        host.awaitLine("READY");

        String broken = store.await("refusals", atLeast(20, null)).stream().filter(r -> r.surface().equals("jdbc"))
                .findFirst().orElseThrow().policyVersion();
        replace(rules.resolve("events.drl"), VERSIONS.resolve("v2/events.drl"));
        Receipt fixed = switched(store.await("the fixed rules in force", receipts -> !switched(receipts).isEmpty())).get(0);
        assertThat(fixed.summary()).containsEntry("policy.from", broken).containsEntry("policy.trigger", "watch");
        String v2 = fixed.summary().get("policy.to");
        store.await("v2 deciding", after(fixed, 20, v2));
        assertThat(Files.readString(stderr)).contains("warden: WARNING: rules in ", "do not compile", "events.drl",
                "every action is refused until a version that compiles is loaded");

        host.process().getOutputStream().write("stop\n".getBytes(StandardCharsets.UTF_8));
        host.process().getOutputStream().flush();
        String done = host.awaitLine("DONE");
        assertThat(host.process().waitFor(60, TimeUnit.SECONDS)).isTrue();

        List<Receipt> actions = store.all().stream().filter(r -> r.surface().equals("jdbc")).toList();
        assertThat(actions.stream().map(Receipt::policyVersion).distinct()).containsExactly(broken, v2);
        assertThat(actions).filteredOn(r -> r.policyVersion().equals(broken)).allSatisfy(action -> {
            assertThat(action.outcome()).as(action.id()).isEqualTo("DENY");
            assertThat(action.rules()).containsExactly("warden.fail-closed");
            assertThat(action.reason()).contains("policy did not compile", "events.drl");
        });
        assertThat(actions).filteredOn(r -> r.policyVersion().equals(v2)).allSatisfy(action -> assertThat(action.rules())
                .containsExactly(action.operation().equals("INSERT") ? "v2: no more events" : "v2: events are readable"));
        long permitted = actions.stream().filter(r -> r.operation().equals("INSERT") && r.outcome().equals("PERMIT")).count();
        assertThat(Fixtures.count(url, "sa", "", "SELECT COUNT(*) FROM events")).isEqualTo(permitted).isZero();
        assertThat(done).startsWith("DONE inserted=0 ");
        Receipts.Verification verification = store.verify();
        assertThat(verification.exitCode()).as(verification.output()).isZero();
    }

    /**
     * Found by the ninth review (2026-12-07): a rules file that is a link leading nowhere (its target being replaced, a
     * deploy half done) was skipped, and the rest of the directory went into force without it: the refusal it held was
     * gone, and the inserts it refused ran. Now such a directory is no policy: the reload is rejected and the version in
     * force keeps deciding. What ran is counted in the database.
     */
    @Test
    void aRulesFileLinkLeadingNowhereIsARejectedReloadNotAPolicyWithoutIt() throws Exception {
        Path rules = Files.createDirectories(workspace.resolve("rules"));
        copy(VERSIONS.resolve("v1"), rules);
        Path released = Files.writeString(Files.createDirectories(workspace.resolve("released")).resolve("closed.drl"), """
                package rules.closed;

                import dev.warden.rules.Action;
                global dev.warden.rules.Verdict verdict;

                rule "closed: no more events"
                when
                    Action(surface == "jdbc", operation == "INSERT", targetsWithin("events"))
                then
                    verdict.deny("events are closed");
                end
                """);
        Files.createSymbolicLink(rules.resolve("closed.drl"), released);
        String url = "jdbc:h2:file:" + workspace.resolve("events");
        try (Connection connection = DriverManager.getConnection(url, "sa", "")) {
            connection.createStatement().execute("CREATE TABLE events (id BIGINT PRIMARY KEY)");
        }
        Receipts store = Receipts.in(workspace);
        HostJvm.Running host = HostJvm.withAgent(store.agentArguments()).with("rules=" + rules).with("surfaces=jdbc")
                .errorsTo(workspace.resolve("host-stderr.txt")).start(EventLoadHost.class, List.of(url));
        host.awaitLine("READY");
        String closed = store.await("the closed policy deciding", atLeast(20, null)).get(0).policyVersion();

        Files.delete(released); // the link now leads nowhere
        ApproverCli.Result reload = ApproverCli.cli("reload", "--receipts", store.directory().toString());
        assertThat(reload.exitCode()).as(reload.output()).isEqualTo(1);
        assertThat(reload.output()).contains("rejected", "closed.drl is not a file that can be read", closed.substring(0, 12) + " stays in force");
        Receipt mark = store.all().stream().filter(r -> r.operation().equals("policy-rejected")).findFirst().orElseThrow();
        store.await("decisions after the rejected reload", after(mark, 20, closed));

        host.process().getOutputStream().write("stop\n".getBytes(StandardCharsets.UTF_8));
        host.process().getOutputStream().flush();
        host.awaitLine("DONE");
        assertThat(host.process().waitFor(60, TimeUnit.SECONDS)).isTrue();

        List<Receipt> inserts = store.all().stream().filter(r -> r.surface().equals("jdbc") && r.operation().equals("INSERT")).toList();
        assertThat(inserts).isNotEmpty().allSatisfy(insert -> {
            assertThat(insert.outcome()).as(insert.id()).isEqualTo("DENY");
            assertThat(insert.policyVersion()).isEqualTo(closed);
        });
        assertThat(switched(store.all())).isEmpty();
        assertThat(Fixtures.count(url, "sa", "", "SELECT COUNT(*) FROM events")).as("inserts that ran").isZero();
    }

    /** At least {@code count} JDBC decisions by {@code version} (any version when null). */
    private static Predicate<List<Receipt>> atLeast(int count, String version) {
        return receipts -> receipts.stream().filter(r -> r.surface().equals("jdbc")
                && (version == null || version.equals(r.policyVersion()))).count() >= count;
    }

    /** At least {@code count} JDBC decisions by {@code version} written after {@code mark}. */
    private static Predicate<List<Receipt>> after(Receipt mark, int count, String version) {
        return receipts -> {
            int from = receipts.stream().map(Receipt::id).toList().indexOf(mark.id());
            return from >= 0 && atLeast(count, version).test(receipts.subList(from + 1, receipts.size()));
        };
    }

    private static List<Receipt> switched(List<Receipt> receipts) {
        return receipts.stream().filter(r -> r.surface().equals("warden") && r.operation().equals("policy-switched")).toList();
    }


    /** Replaces a file whole, as a deployment should (written aside, then renamed over it). */
    private void replace(Path target, Path source) throws IOException {
        Path aside = Files.copy(source, workspace.resolve("aside.drl"), StandardCopyOption.REPLACE_EXISTING);
        Files.move(aside, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }

    private static void copy(Path from, Path to) throws IOException {
        try (var files = Files.list(from)) {
            for (Path file : (Iterable<Path>) files::iterator) {
                Files.copy(file, to.resolve(file.getFileName()));
            }
        }
    }
}
