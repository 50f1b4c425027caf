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
    private final Object switching = new Object();

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

    /**
     * Makes a switch; if it changed the switches, every nonce issued before it is spent ({@link Challenges#spendAll}), so
     * that a proof kept back cannot be sent after it. One switch at a time: a loosening proof is taken and its switch
     * made before another switch can spend it. A switch that fails, or changes nothing, spends nothing: code that may
     * call the MBeans without the key cannot stop the operator's loosening switches without a trace.
     */
    void make(SwitchCalls.Call call) {
        synchronized (switching) {
            Switches before = switches.current();
            SwitchCalls.run(call);
            if (!switches.current().equals(before)) {
                challenges.spendAll();
            }
        }
    }

    /** A switch that loosens: {@link #check}ed and {@link #make made} as one. */
    void loosen(SwitchCalls.Call call, String operation, String surface, String asked, Operator who, String proof, String... arguments) {
        synchronized (switching) {
            check(operation, surface, asked, who, proof, arguments);
            make(call);
        }
    }

    /** A reload or rollback, {@link #check}ed and made as one; nonces are spent when the running version changed. */
    String loosenPolicy(java.util.function.Supplier<String> call, java.util.function.Supplier<String> version, String operation,
                        String asked, Operator who, String proof, String... arguments) {
        synchronized (switching) {
            check(operation, null, asked, who, proof, arguments);
            String before = version.get();
            String answer = call.get();
            if (!java.util.Objects.equals(version.get(), before)) {
                challenges.spendAll();
            }
            return answer;
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
