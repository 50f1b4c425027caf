package dev.warden.bootstrap;

import java.util.Set;

/**
 * The callers whose calls may change a thread's identity. The hooks that do are public, since advice
 * inlined into other classes calls them, so each checks who called it: the JDK's own pool and thread
 * code for a hand-off restored, {@code CompletableFuture}'s stages for a stage's ({@link Handoffs}), Warden's LangChain4j hook for an AI-service
 * invocation ({@link ThreadIdentity#enterInvocation}), Warden's model-call helper for a usage report ({@link Gate#observe}).
 * Host code calling them changes nothing: it
 * cannot take on the identity another session handed to a pool. The hooks ask the walker themselves
 * ({@code WALKER.getCallerClass()} names the caller of the method that asks), and only when they would
 * change something.
 */
final class Callers {

    static final StackWalker WALKER = StackWalker.getInstance(StackWalker.Option.RETAIN_CLASS_REFERENCE);

    /** The JDK classes whose advice restores a hand-off's identity around a pool task. */
    private static final Set<String> POOLS = Set.of("java.util.concurrent.ThreadPoolExecutor",
            "java.util.concurrent.ThreadPoolExecutor$Worker", "java.util.concurrent.ForkJoinTask",
            "java.util.concurrent.ForkJoinPool");

    /** The package of {@code CompletableFuture}'s stages, its nested classes: {@code UniApply}, {@code BiApply}... */
    private static final String STAGES = "java.util.concurrent.CompletableFuture$";

    private static final String INVOCATIONS = "dev.warden.bootstrap.langchain4j.Invocations";
    private static final String MODEL_ACTIONS = "dev.warden.bootstrap.langchain4j.ModelActions";

    private Callers() {
    }

    /** A JDK pool class: defined by the boot loader, where the application cannot add classes. */
    static boolean isPool(Class<?> caller) {
        return caller.getClassLoader() == null && POOLS.contains(caller.getName());
    }

    /** One of {@code CompletableFuture}'s own stage classes, in the boot loader. */
    static boolean isStage(Class<?> caller) {
        return caller.getClassLoader() == null && caller.getName().startsWith(STAGES);
    }

    /** Warden's own LangChain4j invocation hook, in the boot loader. */
    static boolean isInvocationHook(Class<?> caller) {
        return caller.getClassLoader() == null && INVOCATIONS.equals(caller.getName());
    }

    /** Warden's own model-call helper, in the boot loader: the one reporter of a call's usage to the gate. */
    static boolean isUsageReport(Class<?> caller) {
        return caller != null && caller.getClassLoader() == null && MODEL_ACTIONS.equals(caller.getName());
    }
}
