package dev.warden.agent.replay;

import dev.warden.agent.config.Mode;
import dev.warden.agent.context.ContextStage;
import dev.warden.agent.context.History;
import dev.warden.agent.context.InProcessStateStore;
import dev.warden.agent.engine.WardenEngine;
import dev.warden.agent.identity.IdentityResolver;
import dev.warden.agent.lint.FactVocabulary;
import dev.warden.agent.policytest.OfflinePolicy;
import dev.warden.agent.record.MutableClock;
import dev.warden.agent.record.ReceiptRecorder;
import dev.warden.bootstrap.ActionRequest;
import dev.warden.receipts.ReceiptDraft;
import dev.warden.rules.PolicyBundle;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Receipts recorded by the agent's engine under one policy, replayed against it (nothing may change:
 * the receipts carry what the rules and the context stage need) and against a candidate that narrows,
 * widens, changes obligations and raises a limit.
 */
class ReplayerTest {

    static final Instant START = Instant.parse("2026-12-02T10:00:00Z");

    static final String ROLES = """
            policies:
              - role: support
                allow: [jdbc:customers:select, jdbc:orders:select, "http:api.example.com:post"]
            actors:
              bot: [support]
            limits:
              - {name: posts, per: actor, max: 3, window: 1h, scopes: ["http:*:post"]}
            """;

    static final String GUARDS = """
            package t;
            import dev.warden.rules.Action;
            global dev.warden.rules.Verdict verdict;
            rule "tautologies"
            when
                Action(surface == "jdbc", flag("sql.literalComparison"))
            then
                verdict.deny("a literal comparison");
            end
            rule "customers are limited"
            when
                Action(surface == "jdbc", targets contains "customers", names("sql.columns") contains "email")
            then
                verdict.permit("customers, limited").maxRows(MAXROWS);
            end
            """;

    static List<ReceiptDraft> recorded = new ArrayList<>();
    static OfflinePolicy recordedPolicy;

    @BeforeAll
    static void recordADay() throws Exception {
        recordedPolicy = compile(ROLES, GUARDS.replace("MAXROWS", "100"));
        MutableClock clock = new MutableClock(START);
        WardenEngine agent = new WardenEngine(recordedPolicy.enrichers(), new IdentityResolver("bot"), recordedPolicy.holder(),
                ReceiptRecorder.capturing(recorded::add), Mode.ENFORCE, false,
                new ContextStage(new InProcessStateStore(clock::millis), History.NONE, clock::millis), clock);
        String[] sql = {"SELECT email FROM customers WHERE id = 7", "SELECT * FROM orders WHERE 1=1", "DELETE FROM orders WHERE id = 2"};
        for (String statement : sql) {
            clock.advance(Duration.ofSeconds(1));
            agent.decide(new ActionRequest("jdbc", null, null, Map.of("sql", statement, "db.product", "H2")));
        }
        for (int post = 0; post < 4; post++) {
            clock.advance(Duration.ofSeconds(1));
            agent.decide(new ActionRequest("http", "POST", "api.example.com", Map.of("url.path", "/v1/notes", "url.port", 443L)));
        }
        // A receipt that records no decision of the rules, as the engine writes one after a model call.
        recorded.add(new ReceiptDraft("obs-1", clock.instant(), "bot", null, null, "model", "usage", recorded.get(0).id(), null,
                Map.of("usage.total", "12"), "PERMIT", true, List.of("warden.observation"), "reported", Map.of(), recordedPolicy.compiled().version()));
        assertThat(recorded).extracting(ReceiptDraft::outcome)
                .containsExactly("PERMIT", "DENY", "SILENCE", "PERMIT", "PERMIT", "PERMIT", "DENY", "PERMIT");
    }

    @Test
    void theRecordingPolicyDecidesEveryReceiptAsRecordedStateIncluded() throws Exception {
        ReplayReport report = replay(recordedPolicy, null);

        assertThat(report.replayed()).isEqualTo(7);
        assertThat(report.changed()).as("%s", changes(report)).isZero();
        assertThat(report.skipped()).containsOnlyKeys("usage reports after a model call (fed to the context stage, not decisions)");
        assertThat(report.unseen()).containsKeys("jdbc", "http");
        assertThat(report.widens()).isFalse();
    }

    @Test
    void aCandidateThatWidensNarrowsAndChangesObligationsIsReportedByGroup() throws Exception {
        OfflinePolicy candidate = compile(ROLES.replace("max: 3", "max: 4")
                        .replace("jdbc:orders:select", "jdbc:orders:select, jdbc:orders:delete")
                        .replace("\"http:api.example.com:post\"", "\"http:api.example.com:get\""),
                GUARDS.replace("MAXROWS", "10"));

        ReplayReport report = replay(candidate, null);

        assertThat(report.count(ReplayChange.Kind.WIDENED)).isEqualTo(1);
        assertThat(report.examples(ReplayChange.Kind.WIDENED).get(0)).satisfies(change -> {
            assertThat(change.operation()).isEqualTo("DELETE");
            assertThat(change.before().outcome()).isEqualTo("SILENCE");
            assertThat(change.after().rules()).containsExactly("role support allows");
        });
        assertThat(report.count(ReplayChange.Kind.NARROWED)).as("the posts lost their role").isEqualTo(3);
        assertThat(report.count(ReplayChange.Kind.REFUSED_DIFFERENTLY)).as("the fourth post: a limit, now no role").isEqualTo(1);
        assertThat(report.examples(ReplayChange.Kind.REFUSED_DIFFERENTLY).get(0).after().outcome()).isEqualTo("SILENCE");
        assertThat(report.count(ReplayChange.Kind.OBLIGATIONS)).isEqualTo(1);
        assertThat(report.examples(ReplayChange.Kind.OBLIGATIONS).get(0).after().obligations()).containsEntry("maxRows", "10");
        assertThat(report.widens()).isTrue();
    }

    @Test
    void aRaisedLimitWidensOnlyTheActionItRefusedBecauseTheStateIsReplayedInOrder() throws Exception {
        ReplayReport report = replay(compile(ROLES.replace("max: 3", "max: 4"), GUARDS.replace("MAXROWS", "100")), null);

        assertThat(report.count(ReplayChange.Kind.WIDENED)).isEqualTo(1);
        assertThat(report.examples(ReplayChange.Kind.WIDENED).get(0).before().rules()).containsExactly("limit:posts");
        assertThat(report.changed()).isEqualTo(1);
    }

    @Test
    void decisionsBeforeFromAreDecidedForTheirStateButNotCompared() throws Exception {
        Instant fourthPost = recorded.get(6).time();
        ReplayReport report = replay(recordedPolicy, fourthPost);

        assertThat(report.replayed()).isEqualTo(1);
        assertThat(report.changed()).as("the limit still counts the three earlier posts").isZero();
        assertThat(report.skipped()).containsEntry("before --from (re-decided for the state they leave only)", 6L);
    }

    private static List<ReplayChange> changes(ReplayReport report) {
        return java.util.Arrays.stream(ReplayChange.Kind.values()).flatMap(kind -> report.examples(kind).stream()).toList();
    }

    private static ReplayReport replay(OfflinePolicy candidate, Instant from) {
        Replayer replayer = new Replayer(candidate, from, null, 5);
        recorded.forEach(replayer::replay);
        return replayer.report();
    }

    private static OfflinePolicy compile(String roles, String drl) throws Exception {
        return OfflinePolicy.compile(PolicyBundle.of(Map.of("roles.yaml", roles.getBytes(StandardCharsets.UTF_8),
                "guards.drl", drl.getBytes(StandardCharsets.UTF_8))), FactVocabulary.installedModules());
    }
}
