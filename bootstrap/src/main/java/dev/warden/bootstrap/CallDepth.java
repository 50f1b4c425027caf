package dev.warden.bootstrap;

import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;

/**
 * Per-thread nesting of gated calls of one surface, so that one logical action gets one decision:
 * a pool's proxy statement calling the driver's statement, or a client facade calling another
 * client, is decided only at the outermost call.
 */
public final class CallDepth {

    private static final ConcurrentMap<String, CallDepth> BY_SURFACE = new ConcurrentHashMap<>();

    private final ThreadLocal<int[]> depth = ThreadLocal.withInitial(() -> new int[1]);

    private CallDepth() {
    }

    public static CallDepth of(String surface) {
        return BY_SURFACE.computeIfAbsent(surface, ignored -> new CallDepth());
    }

    /**
     * Enters a gated call; every call must be paired with {@link #exit()}.
     *
     * @return true when this call is the outermost of its surface on this thread and the thread is
     *         not doing Warden's own work, i.e. when this call must be decided
     */
    public boolean enter() {
        return ++depth.get()[0] == 1 && !Gate.isInternal();
    }

    public void exit() {
        int[] current = depth.get();
        if (current[0] > 0) {
            current[0]--;
        }
    }
}
