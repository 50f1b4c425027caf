package dev.warden.agent.siem;

import dev.warden.receipts.Receipt;

/** The RFC 5424 severities Warden's events carry (docs/SIEM.md). */
enum Severity {
    /** A refusal (DENY, SILENCE), enforced or recorded in shadow. */
    WARNING(4),
    /** An action held for approval, and the operator's switches and policy changes. */
    NOTICE(5),
    /** A permitted action, and checkpoints. */
    INFORMATIONAL(6);

    private final int code;

    Severity(int code) {
        this.code = code;
    }

    int code() {
        return code;
    }

    static Severity of(Receipt receipt) {
        return switch (receipt.outcome()) {
            case "DENY", "SILENCE" -> WARNING;
            case "PERMIT" -> "warden".equals(receipt.surface()) ? NOTICE : INFORMATIONAL;
            default -> NOTICE;
        };
    }
}
