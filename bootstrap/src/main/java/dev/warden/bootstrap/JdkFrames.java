package dev.warden.bootstrap;

import java.util.List;

/**
 * Whether only the JDK's code ran between a call and a call enclosing it on the same thread, read from the stack: a
 * call decided as a part of the JDK call enclosing it ({@link ActionScope#decideAsPartOfEnclosing}) inherits that
 * call's decision only then. The enclosing call is known by the first frame outside Warden's bootstrap classes when it
 * was decided (the class its advice is inlined into), kept as its depth from the bottom of the stack, which stays
 * while it runs.
 */
final class JdkFrames {

    private static final StackWalker WALKER = StackWalker.getInstance(StackWalker.Option.RETAIN_CLASS_REFERENCE);

    private JdkFrames() {
    }

    /**
     * The depth, counted from the bottom, of the first frame outside Warden's bootstrap classes, when it is the JDK's;
     * -1 when it is anyone else's (host code asking for a decision itself).
     */
    static int jdkCallerDepth() {
        List<Class<?>> classes = stack();
        for (int i = 0; i < classes.size(); i++) {
            Class<?> frame = classes.get(i);
            if (!isBootstrap(frame)) {
                return isJdk(frame) ? classes.size() - i : -1;
            }
        }
        return -1;
    }

    /** Whether every frame above the one at {@code depth} (from the bottom) is the JDK's or Warden's bootstrap's. */
    static boolean onlyJdkAbove(int depth) {
        if (depth < 0) {
            return false;
        }
        List<Class<?>> classes = stack();
        int enclosing = classes.size() - depth;
        if (enclosing <= 0 || !isJdk(classes.get(enclosing))) {
            return false;
        }
        for (int i = 0; i < enclosing; i++) {
            Class<?> frame = classes.get(i);
            if (!isBootstrap(frame) && !isJdk(frame)) {
                return false;
            }
        }
        return true;
    }

    private static List<Class<?>> stack() {
        return WALKER.walk(frames -> frames.<Class<?>>map(StackWalker.StackFrame::getDeclaringClass).toList());
    }

    private static boolean isBootstrap(Class<?> type) {
        return type.getClassLoader() == null && !type.getModule().isNamed() && type.getName().startsWith("dev.warden.bootstrap.");
    }

    private static boolean isJdk(Class<?> type) {
        ClassLoader loader = type.getClassLoader();
        Module module = type.getModule();
        return (loader == null || loader == ClassLoader.getPlatformClassLoader()) && module.isNamed()
                && module.getLayer() == ModuleLayer.boot();
    }
}
