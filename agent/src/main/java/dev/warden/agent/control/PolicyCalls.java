package dev.warden.agent.control;

import dev.warden.agent.reload.PolicyControl;

import java.io.IOException;
import java.util.function.Consumer;

/**
 * The policy's reload and rollback as JMX operations: {@link PolicyControl}'s, so they are compiled,
 * archived and recorded as any other switch, with the operator in the receipt's {@code policy.trigger}.
 * They run on the caller's JMX thread as Warden's own work: reading the rules directory and the
 * archive is never decided by the file gate.
 */
public final class PolicyCalls {
    private final PolicyControl policy;
    private final Consumer<Runnable> internally;

    /** @param internally runs its argument as Warden's own work (the gate's capability); {@code Runnable::run} in tests */
    public PolicyCalls(PolicyControl policy, Consumer<Runnable> internally) {
        this.policy = policy;
        this.internally = internally;
    }

    /** The change's line ({@code switched ...}, {@code unchanged: ...} or {@code rejected ...}). */
    String reload(Operator operator) {
        String[] line = new String[1];
        internally.accept(() -> line[0] = policy.reload("reload by " + operator).line());
        return line[0];
    }

    /** @throws IllegalArgumentException when no archived version, or more than one, starts with {@code version} */
    String rollback(String version, Operator operator) {
        String[] line = new String[1];
        internally.accept(() -> {
            try {
                line[0] = policy.rollback(String.valueOf(version).strip(), "rollback by " + operator).line();
            } catch (IOException e) {
                throw new IllegalStateException("the policy archive cannot be read: " + e.getMessage());
            }
        });
        return line[0];
    }
}
