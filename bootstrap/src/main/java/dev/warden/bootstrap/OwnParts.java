package dev.warden.bootstrap;

import java.util.Iterator;
import java.util.Set;
import java.util.function.Predicate;

/**
 * Whether an advised call nested in a decided one is that call's own part (a {@code DatagramSocket}'s send passing
 * through its channel's; {@code mkdirs} making each missing parent) and so inherits its decision: only when nothing but
 * JDK code runs between the two. Host code can run there (a socket implementation or a {@code File} subclass of the
 * application's, a {@code SecurityManager} the JDK asks on JDK 17), and what it does there is decided on its own.
 * <p>
 * Every call of a scope's depth is an advised JDK method, one frame each on the stack: the walk passes the inner call's,
 * then requires JDK frames only until the enclosing decided call's.
 */
public final class OwnParts {

    private static final StackWalker FRAMES = StackWalker.getInstance(Set.of(StackWalker.Option.RETAIN_CLASS_REFERENCE,
            StackWalker.Option.SHOW_HIDDEN_FRAMES, StackWalker.Option.SHOW_REFLECT_FRAMES));
    private static final ClassLoader PLATFORM = ClassLoader.getPlatformClassLoader();

    private OwnParts() {
    }

    /**
     * Decides the call, inheriting the enclosing decided call's decision only when it is that call's own part.
     *
     * @param advised whether a frame is one of the advised JDK methods that open a scope of this kind
     */
    public static Decision decide(ActionScope scope, ActionRequest request, Predicate<StackWalker.StackFrame> advised) {
        if (Gate.isInternal()) {
            return null;
        }
        int distance = scope.distanceToDecided();
        if (distance == 0 || onlyJdkCodeOut(distance, advised)) {
            return scope.decideAsPartOfEnclosing(request);
        }
        return scope.decide(request);
    }

    /** A class of the JDK's: the boot or platform loader's, in a named module (Warden's bootstrap classes are in neither). */
    public static boolean isJdk(Class<?> type) {
        ClassLoader loader = type.getClassLoader();
        return (loader == null || loader == PLATFORM) && type.getModule().isNamed();
    }

    private static boolean onlyJdkCodeOut(int distance, Predicate<StackWalker.StackFrame> advised) {
        return FRAMES.walk(frames -> {
            Iterator<StackWalker.StackFrame> iterator = frames.iterator();
            boolean pastInner = false;
            int left = distance;
            while (iterator.hasNext()) {
                StackWalker.StackFrame frame = iterator.next();
                boolean isAdvised = isJdk(frame.getDeclaringClass()) && advised.test(frame);
                if (!pastInner) {
                    pastInner = isAdvised; // Warden's frames above the inner call's own
                } else if (isAdvised) {
                    if (--left == 0) {
                        return true;
                    }
                } else if (!isJdk(frame.getDeclaringClass())) {
                    return false;
                }
            }
            return false; // not found as expected: decided on its own
        });
    }
}
