package dev.warden.receipts.siem;

import dev.warden.receipts.Checkpoint;
import dev.warden.receipts.Receipt;
import dev.warden.receipts.Repeats;

import java.util.Locale;
import java.util.Map;

/**
 * How receipts and checkpoints become SIEM events (JSON lines): Elastic Common Schema or OCSF. Shared
 * by the agent's live stream and {@code warden-verify export}, so both write the same lines for the
 * same receipt. The field mapping is documented in docs/SIEM.md.
 */
public enum SiemFormat {
    ECS {
        @Override
        JsonLine line(Receipt r) {
            JsonLine line = new JsonLine()
                    .put("@timestamp", r.time().toString())
                    .put("ecs.version", ECS_VERSION)
                    .put("event.kind", ranInShadow(r) ? "alert" : "event")
                    .put("event.category", java.util.List.of(ecsCategory(r.surface())))
                    .put("event.type", java.util.List.of(ecsType(r)))
                    .put("event.action", r.surface() + "-" + r.operation().toLowerCase(Locale.ROOT))
                    .put("event.outcome", ecsOutcome(r))
                    .put("event.id", r.id())
                    .put("event.sequence", r.sequence())
                    .put("event.reason", r.reason())
                    .put("event.provider", PRODUCT)
                    .put("event.dataset", "warden.decisions")
                    .put("event.hash", r.hash())
                    .put("rule.name", String.join(",", r.rules()))
                    .put("rule.ruleset", r.policyVersion())
                    .put("user.name", r.actor())
                    .put("observer.vendor", PRODUCT)
                    .put("observer.product", PRODUCT)
                    .put("observer.type", "agent");
            return warden(line, "warden.", r);
        }

        @Override
        public String checkpoint(CheckpointEvent e) {
            Checkpoint c = e.checkpoint();
            return new JsonLine()
                    .put("@timestamp", e.time().toString())
                    .put("ecs.version", ECS_VERSION)
                    .put("event.kind", "event")
                    .put("event.category", java.util.List.of("configuration"))
                    .put("event.type", java.util.List.of("info"))
                    .put("event.action", e.action())
                    .put("event.outcome", "success")
                    .put("event.provider", PRODUCT)
                    .put("event.dataset", "warden.checkpoints")
                    .put("observer.vendor", PRODUCT)
                    .put("observer.product", PRODUCT)
                    .put("observer.type", "agent")
                    .put("warden.checkpoint.origin", c.origin())
                    .put("warden.checkpoint.size", c.size())
                    .put("warden.checkpoint.root_hash", c.rootHash())
                    .put("warden.checkpoint.signers", e.signers())
                    .put("warden.checkpoint.note", e.note().format())
                    .toString();
        }
    },
    OCSF {
        @Override
        JsonLine line(Receipt r) {
            int activity = ocsfActivity(r.operation());
            boolean refused = refusal(r.outcome());
            boolean failed = refused && r.enforced(); // a refusal in shadow ran: the API call was not stopped
            JsonLine line = new JsonLine()
                    .put("time", r.time().toEpochMilli())
                    .put("category_uid", 6)
                    .put("category_name", "Application Activity")
                    .put("class_uid", API_ACTIVITY)
                    .put("class_name", "API Activity")
                    .put("activity_id", activity)
                    .put("type_uid", API_ACTIVITY * 100 + activity)
                    .put("severity_id", refused ? 3 : 1)
                    .put("status_id", failed ? 2 : 1)
                    .put("status", failed ? "Failure" : "Success")
                    .put("status_detail", r.reason())
                    .put("message", r.reason())
                    .put("action_id", refused && r.enforced() ? 2 : 1)
                    .put("action", refused && r.enforced() ? "Denied" : "Allowed")
                    .put("disposition_id", ocsfDisposition(r))
                    .put("metadata.version", OCSF_VERSION)
                    .put("metadata.uid", r.id())
                    .put("metadata.sequence", r.sequence())
                    .put("metadata.log_name", "warden.decisions")
                    .put("metadata.product.name", PRODUCT)
                    .put("metadata.product.vendor_name", PRODUCT)
                    .put("actor.user.name", r.actor())
                    .put("actor.session.uid", r.session())
                    .put("api.operation", r.operation())
                    .put("api.service.name", r.surface())
                    .put("resources", r.target() == null ? null
                            : java.util.List.of(new java.util.TreeMap<>(Map.of("name", r.target(), "type", r.surface()))))
                    .put("policy.name", String.join(",", r.rules()))
                    .put("policy.uid", r.policyVersion());
            return warden(line, "unmapped.warden.", r);
        }

        @Override
        public String checkpoint(CheckpointEvent e) {
            Checkpoint c = e.checkpoint();
            return new JsonLine()
                    .put("time", e.time().toEpochMilli())
                    .put("category_uid", 6)
                    .put("category_name", "Application Activity")
                    .put("class_uid", API_ACTIVITY)
                    .put("class_name", "API Activity")
                    .put("activity_id", 99)
                    .put("type_uid", API_ACTIVITY * 100 + 99)
                    .put("severity_id", 1)
                    .put("status_id", 1)
                    .put("status", "Success")
                    .put("message", e.action() + " at size " + c.size())
                    .put("metadata.version", OCSF_VERSION)
                    .put("metadata.log_name", "warden.checkpoints")
                    .put("metadata.product.name", PRODUCT)
                    .put("metadata.product.vendor_name", PRODUCT)
                    .put("api.operation", e.action())
                    .put("api.service.name", "warden")
                    .put("unmapped.warden.checkpoint.origin", c.origin())
                    .put("unmapped.warden.checkpoint.size", c.size())
                    .put("unmapped.warden.checkpoint.root_hash", c.rootHash())
                    .put("unmapped.warden.checkpoint.signers", e.signers())
                    .put("unmapped.warden.checkpoint.note", e.note().format())
                    .toString();
        }
    };

    static final String PRODUCT = "Warden";
    static final String ECS_VERSION = "8.11.0";
    static final String OCSF_VERSION = "1.3.0";
    static final int API_ACTIVITY = 6003;

    /** One JSON line (no line break) for a receipt. */
    public String receipt(Receipt receipt) {
        return line(receipt).toString();
    }

    /**
     * One JSON line for a receipt that costs at most {@code maxBytes} (8 KB or more; a non-ASCII character
     * costs 6, its JSON escape): whole when it fits, else with its longest values (reason, target, summary
     * values, ...) cut, each ending {@code ...[cut: N chars]}, and long lists and maps shortened, ending
     * {@code [cut: N more entries]}. A transport that carries only so much still carries every decision.
     */
    public String receipt(Receipt receipt, int maxBytes) {
        return line(receipt).toString(maxBytes);
    }

    /** What {@link #cost} counts for a line: bytes at most, whether sent as escaped ASCII or as UTF-8. */
    public static int cost(CharSequence line) {
        return JsonLine.cost(line);
    }

    abstract JsonLine line(Receipt receipt);

    /** One JSON line (no line break) for a signed or cosigned checkpoint. */
    public abstract String checkpoint(CheckpointEvent checkpoint);

    /** {@code ecs} or {@code ocsf}, as configured. */
    public static SiemFormat named(String name) {
        return valueOf(name.trim().toUpperCase(Locale.ROOT));
    }

    /** Warden's own fields, the same under both formats' extension namespace. */
    private static JsonLine warden(JsonLine line, String prefix, Receipt r) {
        return line.put(prefix + "surface", r.surface())
                .put(prefix + "operation", r.operation())
                .put(prefix + "target", r.target())
                .put(prefix + "outcome", r.outcome())
                .put(prefix + "enforced", r.enforced())
                .put(prefix + "rules", r.rules())
                .put(prefix + "policy_version", r.policyVersion())
                .put(prefix + "on_behalf_of", r.onBehalfOf())
                .put(prefix + "session", r.session())
                .put(prefix + "action_digest", r.actionDigest())
                .put(prefix + "obligations", r.obligations().isEmpty() ? null : new java.util.TreeMap<>(r.obligations()))
                .put(prefix + "summary", r.summary().isEmpty() ? null : new java.util.TreeMap<>(r.summary()))
                .put(prefix + "decisions", Repeats.decisions(r.draft()))
                .put(prefix + "receipt.chain", r.chain())
                .put(prefix + "receipt.sequence", r.sequence())
                .put(prefix + "receipt.hash", r.hash());
    }

    static boolean refusal(String outcome) {
        return "DENY".equals(outcome) || "SILENCE".equals(outcome);
    }

    /**
     * A refusal or hold recorded in shadow mode: the action ran. Its event says what happened (allowed,
     * success, as a permit's) and is an ECS {@code alert}, a rule's detection, so the would-be denial is not
     * lost: {@code rule.name} and {@code warden.outcome} name it. Mapping it as denied/failure told a SIEM
     * that an action was stopped which ran (seen by a review, 2026-12-07).
     */
    private static boolean ranInShadow(Receipt r) {
        return !r.enforced() && !"warden".equals(r.surface()) && (refusal(r.outcome()) || "HOLD".equals(r.outcome()));
    }

    private static String ecsOutcome(Receipt r) {
        if (ranInShadow(r)) {
            return "success";
        }
        String outcome = r.outcome();
        return "PERMIT".equals(outcome) ? "success" : refusal(outcome) ? "failure" : "unknown";
    }

    private static String ecsType(Receipt r) {
        if ("warden".equals(r.surface())) {
            return "change";
        }
        if (ranInShadow(r)) {
            return "allowed";
        }
        return "PERMIT".equals(r.outcome()) ? "allowed" : refusal(r.outcome()) ? "denied" : "info";
    }

    private static String ecsCategory(String surface) {
        return switch (surface) {
            case "jdbc" -> "database";
            case "http", "net" -> "network";
            case "process" -> "process";
            case "file" -> "file";
            case "native" -> "library";
            case "warden" -> "configuration";
            default -> "api";
        };
    }

    private static int ocsfActivity(String operation) {
        return switch (operation.toUpperCase(Locale.ROOT)) {
            case "INSERT", "POST", "WRITE", "CREATE" -> 1;
            case "SELECT", "GET", "HEAD", "READ" -> 2;
            case "UPDATE", "PUT", "PATCH", "MERGE", "MOVE" -> 3;
            case "DELETE" -> 4;
            default -> 99;
        };
    }

    /** 1 Allowed, 2 Blocked, 14 Delayed (held for approval), 15 Detected (a refusal in shadow: recorded, not applied). */
    private static int ocsfDisposition(Receipt r) {
        if ("HOLD".equals(r.outcome())) {
            return r.enforced() ? 14 : 15;
        }
        if (refusal(r.outcome())) {
            return r.enforced() ? 2 : 15;
        }
        return 1;
    }
}
