package dev.warden.agent.observe;

import dev.warden.agent.telemetry.TelemetryEvent;
import dev.warden.bootstrap.Decision;
import dev.warden.bootstrap.Obligations;
import dev.warden.bootstrap.Outcome;
import dev.warden.receipts.ReceiptDraft;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;

class TelemetryEventsTest {

    private static ReceiptDraft receipt(String id) {
        return new ReceiptDraft(id, Instant.EPOCH, "bot", null, "s-1", "tool", "refund", "refund", "digest", Map.of(),
                "DENY", true, List.of("no refunds"), "refunds need a human", Map.of(), "abc123");
    }

    @Test
    void aDecisionCrossesAsJdkTypesWithTheReceiptsRedactedFields() {
        List<Map<String, Object>> sent = new ArrayList<>();
        TelemetryEvents events = new TelemetryEvents((kind, event) -> sent.add(Map.of("kind", kind, "event", event)));
        Decision decision = new Decision(Outcome.DENY, true, List.of("no refunds"), "refunds need a human", "r-1", Obligations.NONE);

        events.decided(receipt("r-1"), decision, 1234);
        events.decided(receipt("r-2"), decision, 1); // a refusal counted in a burst cites the burst's first receipt

        assertThat(sent.get(0)).containsEntry("kind", TelemetryEvent.DECISION);
        @SuppressWarnings("unchecked")
        Map<String, Object> first = (Map<String, Object>) sent.get(0).get("event");
        assertThat(first).containsEntry(TelemetryEvent.DECISION_OBJECT, decision).containsEntry(TelemetryEvent.NANOS, 1234L)
                .containsEntry(TelemetryEvent.SURFACE, "tool").containsEntry(TelemetryEvent.TARGET, "refund")
                .containsEntry(TelemetryEvent.POLICY, "abc123").containsEntry(TelemetryEvent.RECEIPT_WRITTEN, true);
        @SuppressWarnings("unchecked")
        Map<String, Object> counted = (Map<String, Object>) sent.get(1).get("event");
        assertThat(counted).containsEntry(TelemetryEvent.RECEIPT_WRITTEN, false);
    }

    @Test
    void aUsageReportCrossesAsJdkTypes() {
        List<Map<String, Object>> sent = new ArrayList<>();
        TelemetryEvents events = new TelemetryEvents((kind, event) -> sent.add(Map.of("kind", kind, "event", event)));
        ReceiptDraft report = new ReceiptDraft("r-9", Instant.EPOCH, "bot", null, "s-1", "model", "usage", "r-8", "digest", Map.of(),
                "PERMIT", true, List.of("warden.observation"), "reported after action r-8", Map.of(), "abc123");

        events.reported(report, Map.of("usage.input", 12, "usage.total", 40L),
                List.of(new dev.warden.agent.context.BudgetSpend("daily", 0.25, "currency")));

        assertThat(sent.get(0)).containsEntry("kind", TelemetryEvent.USAGE);
        @SuppressWarnings("unchecked")
        Map<String, Object> usage = (Map<String, Object>) sent.get(0).get("event");
        assertThat(usage).containsEntry(TelemetryEvent.INPUT_TOKENS, 12L).doesNotContainKey(TelemetryEvent.OUTPUT_TOKENS)
                .containsEntry(TelemetryEvent.ACTION_ID, "r-8").containsEntry(TelemetryEvent.RECEIPT_ID, "r-9")
                .containsEntry(TelemetryEvent.SPENT, List.of(Map.of(TelemetryEvent.BUDGET, "daily", TelemetryEvent.AMOUNT, 0.25,
                        TelemetryEvent.UNIT, "currency")));
    }

    @Test
    void aFailingSinkNeverReachesTheDecision() {
        TelemetryEvents events = new TelemetryEvents((kind, event) -> {
            throw new IllegalStateException("collector gone");
        });
        assertThatCode(() -> events.decided(null, Decision.failClosed("receipt could not be written", null), 5))
                .doesNotThrowAnyException();
    }
}
