package dev.warden.bootstrap.jvm;

import dev.warden.bootstrap.ActionDeniedException;
import dev.warden.bootstrap.Decision;
import dev.warden.bootstrap.Gate;

/**
 * {@code Instrumentation.addTransformer(transformer, true)}: a transformer that may retransform is called after those
 * registered before it, Warden's among them, whenever a class is defined or retransformed, and what it returns is the
 * class: given the class file as the JDK ships it, it takes Warden's advice off (a retransformation of
 * {@code sun.nio.fs.UnixFileSystemProvider} and every file write is undecided). Redefinitions and transformers that
 * cannot retransform run before Warden's, which weaves what they leave. An {@code Instrumentation} is an agent's, but
 * host code can hold one: the OpenTelemetry agent, which Warden runs inside as its extension, publishes its own through
 * a public static method of a boot class ({@code io.opentelemetry.javaagent.bootstrap.InstrumentationHolder}). So such a
 * transformer added to the {@code Instrumentation} Warden was started with ({@link #guard}) is refused, with a receipt,
 * whatever the policy, the mode and {@code surfaces=}, unless an agent is being started (its {@code premain} or
 * {@code agentmain}, called by the JDK: the OpenTelemetry agent installs its own so) or it is Warden's own work. Another {@code Instrumentation} is
 * left alone: one comes only from an attach (a {@code jvm ATTACH}, decided), as Mockito's inline mock maker, Mockito 5's
 * default, gets the one it adds its transformer to; refusing those too failed every Mockito mock of a test run under
 * Warden.
 */
public final class ClassTransformers {

    private static final StackWalker WALKER = StackWalker.getInstance(StackWalker.Option.RETAIN_CLASS_REFERENCE);
    /** The JDK's class that calls an agent's {@code premain} or {@code agentmain}. */
    private static final String AGENT_STARTER = "sun.instrument.InstrumentationImpl";

    /** The {@code Instrumentation} Warden was started with; set once, before the host's {@code main}. */
    private static final java.util.concurrent.atomic.AtomicReference<Object> GUARDED = new java.util.concurrent.atomic.AtomicReference<>();

    private ClassTransformers() {
    }

    /**
     * Guards the {@code Instrumentation} Warden was started with (its own, or the OpenTelemetry agent's when Warden is its
     * extension). Set at Warden's start, before the host's {@code main}; a later call changes nothing.
     */
    public static void guard(Object instrumentation) {
        GUARDED.compareAndSet(null, instrumentation);
    }

    /** The refusal of adding {@code transformer} to {@code instrumentation}, or null when it may be added. */
    public static SecurityException refusalToAdd(Object instrumentation, Object transformer, boolean canRetransform) {
        if (transformer == null || !canRetransform || instrumentation == null || instrumentation != GUARDED.get()
                || Gate.isInternal() || startingAnAgent()) {
            return null;
        }
        Decision refused;
        try {
            refused = Gate.refuseUnreadable(JvmActions.SURFACE, Decision.failClosed("Instrumentation.addTransformer(" + transformer.getClass().getName()
                    + ", true) would have a transformer of the application's rewrite every class after Warden's advice", null));
        } catch (Throwable failure) {
            refused = Decision.unreadable("could not record a class transformer's install", failure);
        }
        return new SecurityException(refused.denialMessage(), new ActionDeniedException(refused));
    }

    /** Whether the JDK is starting an agent on this thread: its own frame, by class (a name is anyone's to give). */
    private static boolean startingAnAgent() {
        return WALKER.walk(frames -> frames.anyMatch(frame -> frame.getMethodName().startsWith("loadClassAnd")
                && isAgentStarter(frame.getDeclaringClass())));
    }

    private static boolean isAgentStarter(Class<?> type) {
        return type.getName().equals(AGENT_STARTER) && type.getClassLoader() == null
                && "java.instrument".equals(type.getModule().getName());
    }
}
