package dev.warden.agent.telemetry;

import dev.warden.bootstrap.Decision;
import java.util.Map;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.api.common.AttributesBuilder;

/**
 * A decision as OpenTelemetry attributes: the GenAI semantic conventions ({@code gen_ai.*}) for tool
 * and model calls, Warden's own {@code warden.*} for everything. Values are the receipt's, so they are
 * redacted as the receipt is (SQL literals masked, credentials stripped).
 */
final class DecisionAttributes {

    static final AttributeKey<String> SURFACE = AttributeKey.stringKey("warden.surface");
    static final AttributeKey<String> OPERATION = AttributeKey.stringKey("warden.operation");
    static final AttributeKey<String> TARGET = AttributeKey.stringKey("warden.target");
    static final AttributeKey<String> OUTCOME = AttributeKey.stringKey("warden.outcome");
    static final AttributeKey<String> RULE = AttributeKey.stringKey("warden.rule");
    static final AttributeKey<java.util.List<String>> RULES = AttributeKey.stringArrayKey("warden.rules");
    static final AttributeKey<String> REASON = AttributeKey.stringKey("warden.reason");
    static final AttributeKey<String> RECEIPT = AttributeKey.stringKey("warden.receipt.id");
    static final AttributeKey<String> POLICY = AttributeKey.stringKey("warden.policy.version");
    static final AttributeKey<Boolean> ENFORCED = AttributeKey.booleanKey("warden.enforced");
    static final AttributeKey<String> ACTOR = AttributeKey.stringKey("warden.actor");
    static final AttributeKey<String> SESSION = AttributeKey.stringKey("warden.session");
    static final AttributeKey<String> GEN_AI_OPERATION = AttributeKey.stringKey("gen_ai.operation.name");
    static final AttributeKey<String> GEN_AI_TOOL = AttributeKey.stringKey("gen_ai.tool.name");
    static final AttributeKey<String> GEN_AI_MODEL = AttributeKey.stringKey("gen_ai.request.model");

    private DecisionAttributes() {
    }

    /** Everything a span or a log record carries. */
    static Attributes of(Map<String, Object> receipt, Decision decision) {
        AttributesBuilder attributes = Attributes.builder()
                .put(OUTCOME, decision.outcome().name())
                .put(RULES, decision.rules())
                .put(ENFORCED, decision.enforced());
        putIfPresent(attributes, REASON, decision.reason());
        putIfPresent(attributes, RECEIPT, decision.receiptId());
        String surface = text(receipt, TelemetryEvent.SURFACE);
        String target = text(receipt, TelemetryEvent.TARGET);
        putIfPresent(attributes, SURFACE, surface);
        putIfPresent(attributes, OPERATION, text(receipt, TelemetryEvent.OPERATION));
        putIfPresent(attributes, TARGET, target);
        putIfPresent(attributes, POLICY, text(receipt, TelemetryEvent.POLICY));
        putIfPresent(attributes, ACTOR, text(receipt, TelemetryEvent.ACTOR));
        putIfPresent(attributes, SESSION, text(receipt, TelemetryEvent.SESSION));
        switch (String.valueOf(surface)) {
            case "tool" -> {
                attributes.put(GEN_AI_OPERATION, "execute_tool");
                putIfPresent(attributes, GEN_AI_TOOL, target);
            }
            case "model" -> {
                attributes.put(GEN_AI_OPERATION, "chat");
                putIfPresent(attributes, GEN_AI_MODEL, target);
            }
            default -> {
            }
        }
        return attributes.build();
    }

    /** The few, bounded attributes a metric is broken down by: surface, outcome and the deciding rules. */
    static Attributes forMetrics(Map<String, Object> receipt, Decision decision) {
        String surface = text(receipt, TelemetryEvent.SURFACE);
        return Attributes.of(SURFACE, surface == null ? "unknown" : surface, OUTCOME, decision.outcome().name(),
                RULE, String.join(",", decision.rules()));
    }

    static String text(Map<String, Object> event, String key) {
        Object value = event.get(key);
        return value == null ? null : value.toString();
    }

    private static void putIfPresent(AttributesBuilder attributes, AttributeKey<String> key, String value) {
        if (value != null && !value.isEmpty()) {
            attributes.put(key, value);
        }
    }
}
