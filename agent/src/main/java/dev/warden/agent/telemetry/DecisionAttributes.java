package dev.warden.agent.telemetry;

import dev.warden.bootstrap.Decision;
import java.util.Map;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.api.common.AttributesBuilder;

/**
 * A decision as OpenTelemetry attributes: the GenAI semantic conventions ({@code gen_ai.*}) for tool
 * and model calls, Warden's own {@code warden.*} for everything. Values are the receipt's, so they are
 * redacted as the receipt is (SQL literals masked, credentials stripped). A value the host's action
 * chose (reason, target, actor, session, the rules named, a refusal's log body) is cut to {@link #MAX_TEXT}
 * characters, ending {@code ...[cut: N chars]} with its full length, as the SIEM stream cuts long values:
 * a refusal quotes the statement, path or arguments the agent chose, and a span, its event and the
 * refusal's log record each carried it whole, so one refusal of a megabyte statement made an OTLP export
 * request larger than a collector takes (gRPC's 4 MiB by default) and the batch with every other decision
 * in it was lost. The receipt keeps the whole value.
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

    /** At most this many characters of a value the host chose; the receipt has it whole. */
    static final int MAX_TEXT = 1024;

    private DecisionAttributes() {
    }

    /** Everything a span or a log record carries. */
    static Attributes of(Map<String, Object> receipt, Decision decision) {
        AttributesBuilder attributes = Attributes.builder()
                .put(OUTCOME, decision.outcome().name())
                .put(RULES, decision.rules().stream().map(DecisionAttributes::capped).toList())
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
            attributes.put(key, capped(value));
        }
    }

    /**
     * {@code value} whole when it has at most {@link #MAX_TEXT} characters, else its start (never half a
     * surrogate pair) and {@code ...[cut: N chars]}, N its full length, within {@link #MAX_TEXT} in all.
     */
    static String capped(String value) {
        if (value == null || value.length() <= MAX_TEXT) {
            return value;
        }
        String marker = "...[cut: " + value.length() + " chars]";
        int end = MAX_TEXT - marker.length();
        if (Character.isHighSurrogate(value.charAt(end - 1))) {
            end--;
        }
        return value.substring(0, end) + marker;
    }
}
