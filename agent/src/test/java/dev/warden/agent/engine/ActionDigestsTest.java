package dev.warden.agent.engine;

import dev.warden.agent.config.Mode;
import dev.warden.agent.identity.IdentityResolver;
import dev.warden.agent.install.WardenThreads;
import dev.warden.agent.record.ReceiptRecorder;
import dev.warden.bootstrap.ActionRequest;
import dev.warden.instrumentation.api.ActionDescription;
import dev.warden.instrumentation.api.ActionEnricher;
import dev.warden.instrumentation.api.FactModel;
import dev.warden.receipts.Receipt;
import dev.warden.receipts.ReceiptLog;
import dev.warden.receipts.ReceiptLogOptions;
import dev.warden.receipts.ReceiptReader;
import dev.warden.rules.PolicyBundle;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

/** What an action's digest, which approvals and loop rules go by, tells apart. */
class ActionDigestsTest {

    private static final String RULES = """
            package rules.test;
            import dev.warden.rules.Action;
            global dev.warden.rules.Verdict verdict;

            rule "everything" when Action() then verdict.permit("recorded for its digest"); end
            """;

    @TempDir
    Path receipts;

    private ReceiptLog log;

    @AfterEach
    void close() {
        if (log != null) {
            log.close();
        }
    }

    /** {@code cp f "f f"} and {@code cp "f f" f}: sorted and joined with commas, both were {@code f,f f}. */
    @Test
    void aListIsDigestedInOrderAndMemberByMember() throws Exception {
        List<String> digests = digests(Map.of(),
                command("cp", "f", "f f"), command("cp", "f f", "f"), command("cp", "f,f f"), command("cp", "f", "f f"));

        assertThat(digests.get(0)).isNotEqualTo(digests.get(1)).isNotEqualTo(digests.get(2)).isEqualTo(digests.get(3));
    }

    @Test
    void aSetIsDigestedWhateverOrderItIteratesIn() throws Exception {
        Set<String> one = new LinkedHashSet<>(List.of("a", "b"));
        Set<String> other = new LinkedHashSet<>(List.of("b", "a"));

        List<String> digests = digests(Map.of(), new ActionRequest("custom", "READ", "t", Map.of("tables", one)),
                new ActionRequest("custom", "READ", "t", Map.of("tables", other)));

        assertThat(digests.get(0)).isEqualTo(digests.get(1));
    }

    /** What a surface keeps from rules but an approval must bind (an HTTP request's query values) is digested too. */
    @Test
    void whatASurfaceBindsBesidesItsFactsTellsActionsApart() throws Exception {
        ActionEnricher bindingTheValue = new ActionEnricher() {
            @Override
            public ActionDescription describe(ActionRequest request) {
                return new ActionDescription("GET", "api", Set.of("api"), Map.of("url.query.keys", List.of("to")), Map.of(),
                        Map.of("url.target", "/pay?to=" + request.attribute("to")));
            }

            @Override
            public FactModel facts() {
                return FactModel.of(Set.of("GET"), Set.of("url.query.keys"));
            }
        };

        List<String> digests = digests(Map.of("custom", bindingTheValue), new ActionRequest("custom", "GET", "api", Map.of("to", "acme")),
                new ActionRequest("custom", "GET", "api", Map.of("to", "mallory")));

        assertThat(digests.get(0)).isNotEqualTo(digests.get(1));
    }

    /**
     * Members of a tool call that no parameter binds never reach the tool: a rule sees their names, the digest does not,
     * so a model adding a new one each time repeats the same call (a fifth review, 2026-12-06).
     */
    @Test
    void whatTheCalleeNeverReceivesIsAFactButNotTheAction() throws Exception {
        List<String> digests = digests(Map.of(),
                new ActionRequest("custom", "lookup_note", "lookup_note", Map.of("arg.id", 1L)),
                new ActionRequest("custom", "lookup_note", "lookup_note", Map.of("arg.id", 1L, "tool.arguments.unbound", Set.of("x"))),
                new ActionRequest("custom", "lookup_note", "lookup_note", Map.of("arg.id", 2L, "tool.arguments.unbound", Set.of("x"))));

        assertThat(digests.get(0)).isEqualTo(digests.get(1)).isNotEqualTo(digests.get(2));
    }

    private static ActionRequest command(String... command) {
        return new ActionRequest("custom", "EXEC", command[0], Map.of("command", List.of(command)));
    }

    private List<String> digests(Map<String, ActionEnricher> enrichers, ActionRequest... requests) throws Exception {
        WardenThreads threads = new WardenThreads(null);
        PolicyHolder policy = PolicyHolder.compileInBackground(PolicyBundle.of(Map.of("test.drl", RULES.getBytes(StandardCharsets.UTF_8))),
                Duration.ofMinutes(2), threads);
        policy.await();
        log = ReceiptLog.open(ReceiptLogOptions.defaults(receipts).withThreadFactory(threads));
        WardenEngine engine = new WardenEngine(enrichers, new IdentityResolver("agent"), policy, ReceiptRecorder.writingTo(log),
                Mode.ENFORCE, true);
        for (ActionRequest request : requests) {
            engine.decide(request);
        }
        log.close();
        log = null;
        return ReceiptReader.receipts(receipts).stream().map(Receipt::actionDigest).toList();
    }
}
