package dev.warden.e2e;

import dev.warden.e2e.host.SpringSecurityHost;
import dev.warden.receipts.Receipt;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.util.List;
import java.util.Locale;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.groups.Tuple.tuple;

/**
 * Spring Security's current authentication names the actor of every surface's actions, with no
 * Warden API in the application: an authenticated user does; an anonymous or unauthenticated one
 * does not (the configured actor applies). A LangChain4j tool call acts for the user logged in when
 * its AI service was called: on its own thread, on a pool thread Spring's context never reached, and
 * after the tool's own code logged somebody else in. The policy permits reads to alice and carol
 * only, so a wrong actor is a refusal the host sees.
 */
class SpringSecurityIdentityEndToEndTest {

    @TempDir
    Path workspace;

    @Test
    void theAuthenticatedUserIsTheActorAndAToolCallKeepsTheUserItBeganFor() throws Exception {
        String url = "jdbc:h2:file:" + workspace.resolve("notes");
        try (Connection connection = DriverManager.getConnection(url); Statement statement = connection.createStatement()) {
            statement.execute("CREATE TABLE notes (id INT PRIMARY KEY, body VARCHAR(100))");
            statement.execute("INSERT INTO notes VALUES (1, 'renewal due')");
        }
        Receipts store = Receipts.in(Files.createDirectories(workspace.resolve("audit")));
        Path rules = Files.createDirectories(workspace.resolve("rules"));
        Files.writeString(rules.resolve("spring.drl"), """
                package rules.spring;

                import dev.warden.rules.Action;
                global dev.warden.rules.Verdict verdict;

                rule "the reading tool and the scripted model"
                when
                    Action((surface == "tool" && operation == "read_notes") || (surface == "model" && (target == "scripted-1" || target == "")))
                then
                    verdict.permit("the assistant's own tool and model");
                end

                rule "alice and carol read the notes"
                when
                    Action(surface == "jdbc", operation == "SELECT", actor == "alice" || actor == "carol")
                then
                    verdict.permit("the notes' readers");
                end
                """);

        HostJvm.Result host = HostJvm.withAgent(store.agentArguments()).with("rules=" + rules).with("surfaces=tool,model,jdbc")
                .onClassPath("spring-security").run(SpringSecurityHost.class, List.of(url));

        assertThat(host.lines()).as(host.toString()).contains("DONE",
                "STEP step=authenticated result=OK", "STEP step=anonymous result=DENIED",
                "STEP step=unauthenticated result=DENIED", "STEP step=nobody result=DENIED",
                "STEP step=tool_direct result=OK", "STEP step=tool_pool result=OK", "STEP step=tool_switched result=OK");

        List<Receipt> receipts = store.all();
        assertThat(List.of("authenticated", "anonymous", "unauthenticated", "nobody", "tool_direct", "tool_pool", "tool_switched"))
                .map(step -> receipts.stream().filter(receipt -> receipt.surface().equals("jdbc")
                                && receipt.summary().getOrDefault("sql.shape", "").toLowerCase(Locale.ROOT).contains(" as " + step + " "))
                        .map(receipt -> tuple(step, receipt.actor(), receipt.session(), receipt.outcome())).toList())
                .containsExactly(
                        List.of(tuple("authenticated", "alice", null, "PERMIT")),
                        List.of(tuple("anonymous", "agent", null, "SILENCE")),
                        List.of(tuple("unauthenticated", "agent", null, "SILENCE")),
                        List.of(tuple("nobody", "agent", null, "SILENCE")),
                        List.of(tuple("tool_direct", "carol", "carol-chat", "PERMIT")),
                        List.of(tuple("tool_pool", "carol", "carol-chat", "PERMIT")),
                        List.of(tuple("tool_switched", "carol", "carol-chat", "PERMIT")));
        assertThat(receipts).filteredOn(receipt -> receipt.surface().equals("tool"))
                .extracting(Receipt::actor, Receipt::session, Receipt::outcome)
                .containsOnly(tuple("carol", "carol-chat", "PERMIT")).hasSize(3);
        assertThat(store.verify().exitCode()).isZero();
    }
}
