package dev.warden.agent.control;

import dev.warden.receipts.ReceiptWriteException;

/**
 * Lets a switch that loosens (shadow, revive, reload, rollback) through only with the operator's proof under the
 * control key, over a challenge of the agent's ({@link SwitchKey}), and records each one refused: code in the JVM
 * that tries the MBeans is evident in the log, not only stopped (a refusal burst is counted as any other).
 */
final class LooseningGuard {
    private final Switchboard switches;
    private final SwitchKey key;
    private final Challenges challenges;

    LooseningGuard(Switchboard switches, SwitchKey key, Challenges challenges) {
        this.switches = switches;
        this.key = key;
        this.challenges = challenges;
    }

    /** {@code nonce answer}: a fresh nonce to sign a switch over, and the agent's proof that it holds the key. */
    String challenge(String callerNonce) {
        String nonce = challenges.issue();
        return nonce + " " + key.answer(callerNonce, nonce);
    }

    /** Makes a switch, then spends every nonce issued before it ({@link Challenges#spendAll}), whether it was made or not. */
    void make(SwitchCalls.Call call) {
        try {
            SwitchCalls.run(call);
        } finally {
            challenges.spendAll();
        }
    }

    /** As {@link #make}, for a switch of the policy, which answers a line. */
    String makePolicySwitch(java.util.function.Supplier<String> call) {
        try {
            return call.get();
        } finally {
            challenges.spendAll();
        }
    }

    /** {@code mac} then, from the next line, {@code status}: the agent's word for it over the caller's nonce. */
    String attest(String callerNonce, String status) {
        return key.attestation(callerNonce, status) + "\n" + status;
    }

    /**
     * @param operation the MBean operation, and {@code arguments} its arguments as received: what the proof signs
     * @param asked     the mode or version asked for, for the refusal's receipt, or null
     * @throws SecurityException when {@code proof} does not sign them (a JDK type: a JMX client can read it)
     */
    void check(String operation, String surface, String asked, Operator who, String proof, String... arguments) {
        String why = key.refusal(proof, challenges, operation, arguments);
        if (why == null) {
            return;
        }
        try {
            switches.refused(operation, surface, asked, who, why);
        } catch (ReceiptWriteException | RuntimeException e) {
            throw new SecurityException(why + " (and the refusal could not be recorded: " + e.getMessage() + ")");
        }
        throw new SecurityException(why);
    }
}
