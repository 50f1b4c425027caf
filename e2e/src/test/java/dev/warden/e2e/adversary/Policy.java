package dev.warden.e2e.adversary;

/** The two policies every adversarial technique is tried under. */
enum Policy {

    /** No rule at all: every action is refused by default ({@code SILENCE}). */
    DENY_ALL("deny-all"),

    /**
     * {@code adversary-least-privilege}: read-only SQL ({@code SELECT}) on the one table
     * {@code notes}; HTTP {@code GET} under {@code /api/} to the one counting server at
     * {@code 127.0.0.1:PORT}; the one tool {@code lookup_note}. Nothing else: no writes, no other
     * method, path, host or port, no {@code net} connect of its own; the one model {@code permitted-model}
     * through the one provider class {@code VettedChatModel} (no class of the host's), its output capped by a budget.
     */
    LEAST_PRIVILEGE("least-privilege");

    private final String label;

    Policy(String label) {
        this.label = label;
    }

    @Override
    public String toString() {
        return label;
    }
}
