package dev.warden.agent.control;

import dev.warden.agent.config.Mode;
import dev.warden.agent.context.ContextStage;
import dev.warden.agent.context.InProcessStateStore;
import dev.warden.agent.engine.PolicyHolder;
import dev.warden.agent.engine.WardenEngine;
import dev.warden.agent.identity.IdentityResolver;
import dev.warden.agent.install.WardenThreads;
import dev.warden.agent.record.ReceiptRecorder;
import dev.warden.bootstrap.ActionRequest;
import dev.warden.bootstrap.Decision;
import dev.warden.bootstrap.Outcome;
import dev.warden.receipts.Receipt;
import dev.warden.receipts.ReceiptLog;
import dev.warden.receipts.ReceiptLogOptions;
import dev.warden.receipts.ReceiptReader;
import dev.warden.receipts.ReceiptWriteException;
import dev.warden.rules.PolicyBundle;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class SwitchboardTest {
    private static final String RULES = """
            package rules;
            import dev.warden.rules.Action;
            global dev.warden.rules.Verdict verdict;

            rule "reads are fine"
            when Action(operation == "GET")
            then verdict.permit("reads are fine");
            end
            """;
    private static final ActionRequest GET = new ActionRequest("http", "GET", "api.example.com", Map.of("url.path", "/v1"));
    private static final ActionRequest POST = new ActionRequest("http", "POST", "api.example.com", Map.of("url.path", "/v1"));
    private static final ActionRequest QUERY = new ActionRequest("jdbc", "SELECT", "orders", Map.of());
    private static final Operator ALICE = Operator.jmx("alice pid 7");

    @TempDir
    Path directory;

    private ReceiptRecorder recorder;
    private final DecisionCounters counters = new DecisionCounters();

    @AfterEach
    void close() {
        if (recorder != null) {
            recorder.close();
        }
    }

    @Test
    void shadowLetsARefusalThroughAndAKillSwitchRefusesOneSurfaceWhateverTheMode() throws Exception {
        Switchboard switches = switchboard();
        WardenEngine engine = engine(switches);
        assertThat(engine.decide(POST).blocks()).isTrue();

        switches.mode(Mode.SHADOW, null, ALICE);
        Decision shadowed = engine.decide(POST);
        assertThat(shadowed.outcome()).isEqualTo(Outcome.SILENCE);
        assertThat(shadowed.blocks()).isFalse();

        switches.kill("http", "incident 42", ALICE);
        Decision killed = engine.decide(GET);
        assertThat(killed.blocks()).as("a kill switch wins over shadow").isTrue();
        assertThat(killed.denialMessage()).startsWith("warden: denied by warden.kill-switch: kill switch: incident 42");
        assertThat(engine.decide(QUERY).outcome()).as("another surface is not killed").isNotEqualTo(Outcome.DENY);

        switches.revive(null, ALICE);
        switches.mode(Mode.ENFORCE, "http", ALICE);
        assertThat(engine.decide(GET).outcome()).isEqualTo(Outcome.PERMIT);
        assertThat(engine.decide(POST).blocks()).as("http enforces again, the agent stays in shadow").isTrue();
        assertThat(switches.current().mode("jdbc")).isEqualTo(Mode.SHADOW);

        recorder.close();
        recorder = null;
        List<Receipt> receipts = ReceiptReader.receipts(directory);
        List<Receipt> thrown = receipts.stream().filter(r -> r.surface().equals("warden")).toList();
        assertThat(thrown).extracting(r -> r.operation() + " " + r.summary().get("switch") + " " + r.target())
                .containsExactly("switch mode all", "switch kill http", "switch revive all", "switch mode http");
        assertThat(thrown.get(1).reason()).isEqualTo("kill switch on http: incident 42 (by alice pid 7 via jmx)");
        assertThat(thrown.get(1).actor()).isEqualTo("alice pid 7");
        assertThat(thrown.get(1).summary()).containsEntry("reason", "incident 42").containsEntry("channel", "jmx");
        assertThat(receipts.stream().filter(r -> r.rules().contains(Switchboard.KILL_RULE)))
                .singleElement().satisfies(r -> assertThat(r.enforced()).isTrue());
        assertThat(counters.of("http").total()).isEqualTo(5);
        assertThat(counters.of("http").notEnforced()).isEqualTo(1);
        assertThat(counters.of("warden").permits()).isEqualTo(4);
        assertThat(counters.all().total()).isEqualTo(receipts.size());
    }

    @Test
    void aSwitchNamesAGatedSurfaceAndAKillAReason() throws Exception {
        Switchboard switches = switchboard();
        assertThatThrownBy(() -> switches.kill("smtp", "x", ALICE)).hasMessage("no gated surface 'smtp' (gated: http, jdbc)");
        assertThatThrownBy(() -> switches.kill(null, " ", ALICE)).hasMessage("a kill switch needs a reason");
        assertThatThrownBy(() -> Switchboard.fixed(Mode.ENFORCE).kill(null, "x", ALICE)).hasMessage("these switches are fixed");
    }

    @Test
    void withoutAReceiptAKillStillAppliesButShadowAndReviveDoNot() {
        Switchboard switches = Switchboard.live(Mode.ENFORCE, ReceiptRecorder.unavailable("disk gone"), Set.of("http"), () -> null,
                Clock.systemUTC());
        assertThatThrownBy(() -> switches.kill(null, "incident", ALICE)).isInstanceOf(ReceiptWriteException.class);
        assertThat(switches.current().killReason("http")).isEqualTo("incident");
        assertThatThrownBy(() -> switches.revive(null, ALICE)).isInstanceOf(ReceiptWriteException.class);
        assertThatThrownBy(() -> switches.mode(Mode.SHADOW, null, ALICE)).isInstanceOf(ReceiptWriteException.class);
        assertThat(switches.current().killReason("http")).isEqualTo("incident");
        assertThat(switches.current().mode("http")).isEqualTo(Mode.ENFORCE);
    }

    private Switchboard switchboard() throws Exception {
        WardenThreads threads = new WardenThreads(null);
        recorder = ReceiptRecorder.writingTo(ReceiptLog.open(ReceiptLogOptions.defaults(directory).withThreadFactory(threads)));
        recorder.observe(counters);
        return Switchboard.live(Mode.ENFORCE, recorder, Set.of("http", "jdbc"), () -> "v1", Clock.systemUTC());
    }

    private WardenEngine engine(Switchboard switches) throws Exception {
        WardenThreads threads = new WardenThreads(null);
        PolicyBundle bundle = PolicyBundle.of(Map.of("test.drl", RULES.getBytes(StandardCharsets.UTF_8)));
        PolicyHolder policy = PolicyHolder.compileInBackground(bundle, Duration.ofMinutes(2), threads);
        policy.await();
        return new WardenEngine(Map.of(), new IdentityResolver("agent"), policy, recorder, switches, true,
                new ContextStage(new InProcessStateStore(System::currentTimeMillis)), null, Duration.ZERO, Clock.systemUTC());
    }
}
