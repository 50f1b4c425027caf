package dev.warden.bootstrap;

import java.util.Arrays;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;

/**
 * Per-thread nesting of gated calls of one surface, so that one logical action gets one decision.
 * Two rules, chosen per surface by the advice:
 * <ul>
 *   <li>{@link #enter()}: only the outermost call of the surface is decided. For JDBC and tools,
 *       where a pool's proxy statement calls the driver's statement, another object for the same
 *       action.</li>
 *   <li>{@link #enter(Object)}: a call is decided unless one for the same object (the request, the
 *       call, the connection, the socket) is already under way on this thread. For egress, where one
 *       client method delegates to another for the same request, but where code a permitted request
 *       runs (an authenticator refreshing a token, a proxy selector) may send requests of its own,
 *       and each of those must be decided too.</li>
 * </ul>
 * Every {@code enter} must be paired with {@link #exit()}.
 */
public final class CallDepth {

    private static final ConcurrentMap<String, CallDepth> BY_SURFACE = new ConcurrentHashMap<>();
    private static final Object ANY = new Object();

    private final ThreadLocal<Frames> frames = ThreadLocal.withInitial(Frames::new);

    private CallDepth() {
    }

    public static CallDepth of(String surface) {
        return BY_SURFACE.computeIfAbsent(surface, ignored -> new CallDepth());
    }

    /**
     * @return true when this call is the outermost of its surface on this thread and the thread is
     *         not doing Warden's own work, i.e. when this call must be decided
     */
    public boolean enter() {
        return frames.get().push(ANY) == 0 && !Gate.isInternal();
    }

    /**
     * @param carrier the object the call acts for
     * @return true when no call for {@code carrier} is under way on this thread and the thread is not
     *         doing Warden's own work, i.e. when this call must be decided
     */
    public boolean enter(Object carrier) {
        Frames current = frames.get();
        boolean repeated = carrier != null && current.contains(carrier);
        current.push(carrier);
        return !repeated && !Gate.isInternal();
    }

    public void exit() {
        frames.get().pop();
    }

    /** The carriers of the calls under way on one thread, innermost last; cleared as calls end, never holding a host object longer. */
    private static final class Frames {
        private Object[] carriers = new Object[4];
        private int size;

        /** @return how many calls were under way before this one */
        int push(Object carrier) {
            if (size == carriers.length) {
                carriers = Arrays.copyOf(carriers, size * 2);
            }
            carriers[size] = carrier;
            return size++;
        }

        void pop() {
            if (size > 0) {
                carriers[--size] = null;
            }
        }

        boolean contains(Object carrier) {
            for (int i = 0; i < size; i++) {
                if (carriers[i] == carrier) {
                    return true;
                }
            }
            return false;
        }
    }
}
