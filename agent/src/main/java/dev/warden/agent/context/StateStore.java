package dev.warden.agent.context;

import dev.warden.rules.state.Window;

import java.util.Collection;
import java.util.Set;

/**
 * Where counts, spend and session labels live: in this process (rebuilt from the receipt log at
 * start) or in a store several JVMs share. Every check-and-reserve is one atomic step, so actions
 * racing for the last unit of a limit never both get it.
 */
public interface StateStore extends AutoCloseable {

    /**
     * Adds {@code amount} to the current bucket of {@code key} when the total of the buckets the span
     * counts, plus {@code amount}, stays within {@code max}; otherwise changes nothing.
     *
     * @throws StateStoreException when the store cannot answer (unreachable, too slow)
     */
    Acquisition acquire(String key, Window.Span span, long amount, long max);

    /** Adds {@code delta} (negative to give back) to one bucket of {@code key}: settling a reservation. */
    void adjust(String key, long bucket, long expiresAtMillis, long delta);

    /** The total the span counts, read only. */
    long total(String key, Window.Span span);

    /**
     * What a session's labels hold once a label was not kept: a store keeps at most {@value #MAX_LABELS} labels a session
     * (a rule may label by what an action names, and a session must not grow without bound), and a label past them was
     * dropped unseen, so a session that filled its labels with others then carried {@code pii} past the chain that
     * follows it. A session carrying this marker is taken to carry every label a chain follows.
     */
    String TOO_MANY_LABELS = "warden.too-many-labels";

    /** How many labels a store keeps a session, besides {@link #TOO_MANY_LABELS}. */
    int MAX_LABELS = 64;

    /** The labels a session's earlier actions carried. */
    Set<String> labels(String session);

    /** Adds labels to a session, for the rest of it; one past {@link #MAX_LABELS} adds {@link #TOO_MANY_LABELS} instead. */
    void addLabels(String session, Collection<String> labels);

    /**
     * Holds the labels of an action a chain follows, before it runs: from now on they are the session's (marked as
     * the action's, which {@link #settleLabels} makes plain or takes back). A store that fails here refuses the action,
     * as it refuses any action that needs it; one that fails while settling keeps them held, never forgets them. A store
     * that cannot fail (this process's memory) holds nothing: it adds them when the action ran.
     *
     * @throws StateStoreException when the store cannot answer
     */
    default void holdLabels(String session, Collection<String> labels, String actionId) {
    }

    /**
     * The action carrying {@code labels} ran or did not: they are the session's for the rest of it, or, for an action
     * that did not run, taken back (a refused PII read taints no session).
     *
     * @param actionId the action {@link #holdLabels} held them for, or null when nothing was held
     */
    default void settleLabels(String session, Collection<String> labels, String actionId, boolean proceeded) {
        if (proceeded) {
            addLabels(session, labels);
        }
    }

    /** Where the state is, for reasons and the start line: {@code in-process}, {@code redis://host:port}. */
    String describe();

    /**
     * Whether other JVMs decide against these counts too: then the calls this JVM sees in flight are not all there
     * are, and what is reserved must hold without knowing the others ({@link Budgets}).
     */
    default boolean sharedAcrossProcesses() {
        return false;
    }

    @Override
    default void close() {
    }

    /**
     * The answer to {@link #acquire}.
     *
     * @param granted whether the amount was added
     * @param before  the total the span counted before (without the amount)
     * @param bucket  the bucket the amount went to, to settle it later
     */
    record Acquisition(boolean granted, long before, long bucket) {
    }
}
