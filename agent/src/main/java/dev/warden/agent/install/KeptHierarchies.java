package dev.warden.agent.install;

import dev.warden.instrumentation.api.SuperTypes;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * One class loader's {@link SuperTypes.Memo}: what each of its types' hierarchies holds, by type name (a name
 * resolves to one type in one loader, and its class file does not change). Read without a lock by every thread
 * that loads a class; bounded by forgetting all at once when full, after which the types met again are walked
 * again, each once.
 */
final class KeptHierarchies implements SuperTypes.Memo {

    private final int capacity;
    private final Map<String, SuperTypes.Kept> kept = new ConcurrentHashMap<>();

    KeptHierarchies(int capacity) {
        this.capacity = capacity;
    }

    @Override
    public SuperTypes.Kept find(String typeName) {
        return kept.get(typeName);
    }

    @Override
    public void keep(String typeName, SuperTypes.Kept hierarchy) {
        if (kept.size() >= capacity) {
            kept.clear();
        }
        kept.put(typeName, hierarchy);
    }
}
