package dev.warden.e2e;

import dev.warden.e2e.host.IdentityHost;
import dev.warden.receipts.Receipt;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * One identity for every surface (DESIGN.md §3): a LangChain4j AI service's {@code @Tool} reads a
 * database and calls an HTTP API, on its own thread and through every JDK hand-off to another thread
 * (executor submit and execute, scheduled executor, ForkJoinPool, {@code CompletableFuture} with and
 * without an executor, a new thread, the application's own subclass of Thread, and on JDK 21+ a virtual
 * thread and the virtual-thread-per-task executor). Two users' sessions run at once over the same pools. The policy permits the reads and
 * the calls only for the assistant acting for a user in a session, so a hand-off that lost the tool
 * call's identity is refused where the host can see it; the receipts say whose session each action
 * was (its SQL and its URL name the session that made it); and the application's own hand-offs,
 * outside any call, on the very pool threads the sessions used, are for nobody in particular. Nor
 * can the application take on a session's identity by handing Warden's public hand-off hooks the
 * task that session queued: the task still runs for its session afterwards, and nothing else does.
 * A task object a session's tool handed to a full pool, whose policy ran it on the tool's thread, or queued on a pool
 * whose {@code DiscardOldestPolicy} then dropped it unrun, runs for nobody when the application hands the same object
 * to the pool again, outside any call.
 */
class IdentityEndToEndTest {

    @TempDir
    Path workspace;

    private static final Map<String, String> USERS = Map.of("rita_1", "rita", "max_2", "max");

    @Test
    void everyActionOfAToolCallOnWhateverThreadCarriesTheCallsIdentity() throws Exception {
        String url = "jdbc:h2:file:" + workspace.resolve("notes");
        try (Connection connection = DriverManager.getConnection(url); Statement statement = connection.createStatement()) {
            statement.execute("CREATE TABLE notes (id INT PRIMARY KEY, body VARCHAR(100))");
            statement.execute("INSERT INTO notes VALUES (1, 'renewal due')");
        }
        Receipts store = Receipts.in(Files.createDirectories(workspace.resolve("audit")));
        Path rules = rules(workspace.resolve("rules"));
        List<String> vias = new ArrayList<>(hostVias());
        vias.add("rejected");

        HostJvm.Result host;
        try (EgressServers.CountingHttpServer api = new EgressServers.CountingHttpServer()) {
            host = HostJvm.withAgent(store.agentArguments()).with("rules=" + rules).with("surfaces=tool,model,jdbc,http")
                    .run(IdentityHost.class, List.of(url, "http://127.0.0.1:" + api.port(), "rita", "max"));

            assertThat(host.lines()).as(host.toString()).contains("DONE");
            for (String tag : USERS.keySet()) {
                for (String via : vias) {
                    assertThat(host.lines()).as(host.toString())
                            .contains("PROBE tag=" + tag + " via=" + via + " result=jdbc=OK http=200");
                    assertThat(api.requests("/probe/" + tag + "/" + via)).as(tag + " " + via).isEqualTo(1);
                }
            }
            for (String via : List.of("submit", "execute", "forkjoin", "thread")) {
                assertThat(host.lines()).as(host.toString()).contains("CONTROL via=" + via + " result=jdbc=DENIED http=DENIED");
                assertThat(api.requests("/probe/main/" + via)).isZero();
            }
            for (String hook : List.of("takes", "runs", "starts", "invocation", "rejected", "unqueued", "unqueuedall")) {
                assertThat(host.lines()).as(host.toString()).contains("STEAL hook=" + hook + " result=jdbc=DENIED http=DENIED");
                assertThat(api.requests("/probe/steal/" + hook)).isZero();
            }
            // A task object a session's tool handed to a full pool ran on the tool's thread (the pool's policy): handed to
            // the pool again by the application, outside any call, it runs for nobody, not for that session.
            for (String tag : USERS.keySet()) {
                assertThat(host.lines()).as(host.toString()).contains("AGAIN tag=" + tag + " result=jdbc=DENIED http=DENIED");
                assertThat(api.requests("/probe/" + tag + "/again")).as(tag + " again").isZero();
            }
            // A task object a session's tool queued, which the pool's DiscardOldestPolicy then dropped unrun: handed to the
            // pool again by the application, outside any call, it runs for nobody, not for the session whose run was dropped.
            for (String tag : USERS.keySet()) {
                assertThat(host.lines()).as(host.toString()).contains("DROPPED tag=" + tag + " result=jdbc=DENIED http=DENIED");
                assertThat(api.requests("/probe/" + tag + "/dropped")).as(tag + " dropped").isZero();
            }
            assertThat(host.lines()).as(host.toString())
                    .contains("HELD tag=rita_1 result=jdbc=OK http=200", "HELD tag=max_2 result=jdbc=OK http=200");
            assertThat(api.requests("/probe/rita_1/held") + api.requests("/probe/max_2/held")).isEqualTo(2);
        }

        List<Receipt> receipts = store.all();
        vias.add("held");
        for (String tag : USERS.keySet()) {
            for (String via : vias) {
                String probe = tag + "__" + via;
                assertThat(receipts).as(probe).filteredOn(receipt -> receipt.surface().equals("jdbc")
                                && receipt.summary().getOrDefault("sql.shape", "").toLowerCase(Locale.ROOT).contains(" as " + probe + " "))
                        .extracting(Receipt::actor, Receipt::onBehalfOf, Receipt::session, Receipt::outcome)
                        .containsExactly(org.assertj.core.groups.Tuple.tuple("sales-assistant", USERS.get(tag), session(tag), "PERMIT"));
                assertThat(receipts).as(probe).filteredOn(receipt -> receipt.surface().equals("http")
                                && ("/probe/" + tag + "/" + via).equals(receipt.summary().get("url.path")))
                        .extracting(Receipt::actor, Receipt::onBehalfOf, Receipt::session, Receipt::outcome)
                        .containsExactly(org.assertj.core.groups.Tuple.tuple("sales-assistant", USERS.get(tag), session(tag), "PERMIT"));
            }
        }
        assertThat(receipts).filteredOn(receipt -> receipt.summary().getOrDefault("url.path", "").matches(".*/(again|dropped)")
                        || receipt.summary().getOrDefault("sql.shape", "").toLowerCase(Locale.ROOT).matches(".*__(again|dropped) .*"))
                .hasSize(8).allSatisfy(receipt -> {
                    assertThat(receipt.actor()).isEqualTo("agent");
                    assertThat(receipt.onBehalfOf()).isNull();
                    assertThat(receipt.outcome()).isEqualTo("SILENCE");
                });
        List<Receipt> control = new ArrayList<>();
        receipts.stream().filter(receipt -> receipt.summary().getOrDefault("sql.shape", "").toLowerCase(Locale.ROOT).contains("main__")
                || receipt.summary().getOrDefault("url.path", "").startsWith("/probe/main/")
                || receipt.summary().getOrDefault("sql.shape", "").toLowerCase(Locale.ROOT).contains("steal__")
                || receipt.summary().getOrDefault("url.path", "").startsWith("/probe/steal/")).forEach(control::add);
        assertThat(control).hasSize(22).allSatisfy(receipt -> {
            assertThat(receipt.actor()).isEqualTo("agent");
            assertThat(receipt.onBehalfOf()).isNull();
            assertThat(receipt.session()).isNull();
            assertThat(receipt.outcome()).isEqualTo("SILENCE");
        });
        assertThat(store.verify().exitCode()).isZero();
    }

    private static String session(String tag) {
        return tag.replace('_', '-');
    }

    /** The hand-offs the host probes: the virtual-thread ones only where the host JDK has them. */
    private static List<String> hostVias() throws Exception {
        Process version = new ProcessBuilder(HostJvm.java(), "-XshowSettings:properties", "-version").redirectErrorStream(true).start();
        String settings = new String(version.getInputStream().readAllBytes());
        version.waitFor();
        String spec = settings.lines().filter(line -> line.trim().startsWith("java.specification.version = ")).findFirst()
                .orElseThrow().trim().substring("java.specification.version = ".length());
        List<String> all = List.of("direct", "submit", "execute", "schedule", "forkjoin", "supplyasync", "supplyasyncpool",
                "runasync", "thread", "subclass", "virtual", "virtualexecutor");
        return Integer.parseInt(spec) >= 21 ? all : all.subList(0, all.size() - 2);
    }

    private static Path rules(Path directory) throws Exception {
        Files.createDirectories(directory);
        Files.writeString(directory.resolve("identity.drl"), """
                package rules.identity;

                import dev.warden.rules.Action;
                global dev.warden.rules.Verdict verdict;

                rule "the probe tool and the scripted model"
                when
                    Action((surface == "tool" && operation == "probe") || (surface == "model" && (target == "scripted-1" || target == "")))
                then
                    verdict.permit("the assistant's own tool and model");
                end

                rule "the assistant reads the notes for a user, in the user's session"
                when
                    Action(surface == "jdbc", operation == "SELECT", actor == "sales-assistant", onBehalfOf != null, session != null)
                then
                    verdict.permit("reads for a user in a session");
                end

                rule "the assistant calls the local API for a user, in the user's session"
                when
                    Action(surface == "http", actor == "sales-assistant", onBehalfOf != null, session != null)
                then
                    verdict.permit("API calls for a user in a session");
                end
                """);
        return directory;
    }
}
