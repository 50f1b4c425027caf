package dev.warden.agent.context;

import dev.warden.rules.state.Window;

import java.util.Collection;
import java.util.Set;

/**
 * A store that hands every call to another: the base of the decorators around a shared store (leasing, the clock
 * check), so that each says only what it changes and a method added to {@link StateStore} reaches the store underneath.
 */
abstract class ForwardingStateStore implements StateStore {

    /** The store the calls go to. */
    protected final StateStore shared;

    ForwardingStateStore(StateStore shared) {
        this.shared = shared;
    }

    @Override
    public Acquisition acquire(String key, Window.Span span, long amount, long max) {
        return shared.acquire(key, span, amount, max);
    }

    @Override
    public void adjust(String key, long bucket, long expiresAtMillis, long delta) {
        shared.adjust(key, bucket, expiresAtMillis, delta);
    }

    @Override
    public long total(String key, Window.Span span) {
        return shared.total(key, span);
    }

    @Override
    public Set<String> labels(String session) {
        return shared.labels(session);
    }

    @Override
    public void addLabels(String session, Collection<String> labels) {
        shared.addLabels(session, labels);
    }

    @Override
    public void holdLabels(String session, Collection<String> labels, String actionId) {
        shared.holdLabels(session, labels, actionId);
    }

    @Override
    public void settleLabels(String session, Collection<String> labels, String actionId, boolean proceeded) {
        shared.settleLabels(session, labels, actionId, proceeded);
    }

    @Override
    public String describe() {
        return shared.describe();
    }

    @Override
    public boolean sharedAcrossProcesses() {
        return shared.sharedAcrossProcesses();
    }

    @Override
    public void close() {
        shared.close();
    }
}
