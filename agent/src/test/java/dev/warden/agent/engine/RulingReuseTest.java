package dev.warden.agent.engine;

import dev.warden.agent.config.Mode;
import dev.warden.agent.identity.IdentityResolver;
import dev.warden.agent.install.WardenThreads;
import dev.warden.agent.record.ReceiptRecorder;
import dev.warden.bootstrap.ActionRequest;
import dev.warden.bootstrap.Decision;
import dev.warden.bootstrap.Outcome;
import dev.warden.bootstrap.WardenContext;
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
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Rules are functions of an action's facts, so an identical action is ruled on once and recorded
 * every time. The rules here read a system property — outside state, which is exactly what the
 * contract excludes — so that a test can see whether they ran again.
 */
class RulingReuseTest {

    private static final String KILL_SWITCH = "warden.test.kill-switch";
    private static final String RECOVERED = "warden.test.recovered";
    private static final String RULES = """
            package rules.test;
            import dev.warden.rules.Action;
            global dev.warden.rules.Verdict verdict;

            rule "kill switch"
            when $any : Action() eval($any != null && System.getProperty("%s") != null)
            then verdict.deny("kill switch");
            end

            rule "reads are fine"
            when Action(operation == "GET")
            then verdict.permit("reads are fine");
            end

            rule "throws until recovered"
            when $flaky : Action(operation == "FLAKY") eval($flaky != null && Integer.parseInt(System.getProperty("%s", "not yet")) > 0)
            then verdict.permit("recovered");
            end

            rule "reads the past"
            when Action(operation == "PAST", stateNumber("usage.session.total") >= 0)
            then verdict.permit("read the past");
            end

            rule "quotes its action"
            when $a : Action(operation == "QUOTE")
            then verdict.permit("permitted as " + $a.getId());
            end
            """.formatted(KILL_SWITCH, RECOVERED);

    private static final ActionRequest GET = new ActionRequest("http", "GET", "api.example.com", Map.of("url.path", "/v1"));

    @TempDir
    Path receipts;

    private ReceiptLog log;

    @AfterEach
    void close() {
        System.clearProperty(KILL_SWITCH);
        System.clearProperty(RECOVERED);
        if (log != null) {
            log.close();
        }
    }

    @Test
    void anIdenticalActionIsRuledOnceAndRecordedEveryTime() throws Exception {
        WardenEngine engine = engine(true);

        Decision first = engine.decide(GET);
        System.setProperty(KILL_SWITCH, "on");
        Decision again = engine.decide(new ActionRequest("http", "GET", "api.example.com", Map.of("url.path", "/v1")));

        assertThat(first.outcome()).isEqualTo(Outcome.PERMIT);
        assertThat(again.outcome()).isEqualTo(Outcome.PERMIT);
        assertThat(again.rules()).isEqualTo(first.rules());
        assertThat(again.receiptId()).isNotEqualTo(first.receiptId());
        assertThat(receiptIds()).containsExactly(first.receiptId(), again.receiptId());
    }

    @Test
    void anyOtherFactOrIdentityIsRuledOnAfresh() throws Exception {
        WardenEngine engine = engine(true);
        engine.decide(GET);
        System.setProperty(KILL_SWITCH, "on");

        Decision otherPath = engine.decide(new ActionRequest("http", "GET", "api.example.com", Map.of("url.path", "/v2")));
        Decision otherActor;
        try (WardenContext.Scope ignored = WardenContext.actAs("another-agent", null, null)) {
            otherActor = engine.decide(GET);
        }

        assertThat(otherPath.outcome()).isEqualTo(Outcome.DENY);
        assertThat(otherActor.outcome()).isEqualTo(Outcome.DENY);
    }

    @Test
    void rulingsAreNotReusedWhenTheOperatorSaysRulesConsultMoreThanFacts() throws Exception {
        WardenEngine engine = engine(false);

        Decision first = engine.decide(GET);
        System.setProperty(KILL_SWITCH, "on");
        Decision again = engine.decide(GET);

        assertThat(first.outcome()).isEqualTo(Outcome.PERMIT);
        assertThat(again.outcome()).isEqualTo(Outcome.DENY);
    }

    @Test
    void aRulingThatQuotesItsActionIsNeverReused() throws Exception {
        WardenEngine engine = engine(true);
        ActionRequest quote = new ActionRequest("http", "QUOTE", "api.example.com", Map.of());

        Decision first = engine.decide(quote);
        System.setProperty(KILL_SWITCH, "on");
        Decision again = engine.decide(quote);

        assertThat(first.reason()).isEqualTo("permitted as " + first.receiptId());
        assertThat(again.outcome()).isEqualTo(Outcome.DENY);
    }

    @Test
    void aRuleThatThrewIsAskedAgainNextTime() throws Exception {
        WardenEngine engine = engine(true);
        ActionRequest flaky = new ActionRequest("http", "FLAKY", "api.example.com", Map.of());

        Decision failed = engine.decide(flaky);
        System.setProperty(RECOVERED, "1");
        Decision again = engine.decide(flaky);

        assertThat(failed.outcome()).isEqualTo(Outcome.DENY);
        assertThat(failed.rules()).containsExactly("warden.rule-error"); // a condition threw: no rule to name
        assertThat(again.outcome()).isEqualTo(Outcome.PERMIT);
    }

    @Test
    void aRulingThatReadTheAgentsPastIsRuledOnEveryTime() throws Exception {
        WardenEngine engine = engine(true);
        ActionRequest chat = new ActionRequest("model", "PAST", "gpt", Map.of());

        assertThat(engine.decide(chat).outcome()).isEqualTo(Outcome.PERMIT);
        System.setProperty(KILL_SWITCH, "on");

        assertThat(engine.decide(chat).outcome()).isEqualTo(Outcome.DENY);
    }

    private WardenEngine engine(boolean reuseRulings) throws Exception {
        WardenThreads threads = new WardenThreads(null);
        PolicyBundle bundle = PolicyBundle.of(Map.of("test.drl", RULES.getBytes(StandardCharsets.UTF_8)));
        PolicyHolder policy = PolicyHolder.compileInBackground(bundle, Duration.ofMinutes(2), threads);
        policy.await();
        log = ReceiptLog.open(ReceiptLogOptions.defaults(receipts).withThreadFactory(threads));
        return new WardenEngine(Map.of(), new IdentityResolver("agent"), policy, ReceiptRecorder.writingTo(log),
                Mode.ENFORCE, reuseRulings);
    }

    private List<String> receiptIds() throws Exception {
        return ReceiptReader.receipts(receipts).stream().map(receipt -> receipt.draft().id()).toList();
    }
}
