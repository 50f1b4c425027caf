package dev.warden.bootstrap;

import java.util.Set;

/**
 * Who the work on a thread is for, as far as Warden knows it there: what the host set explicitly
 * ({@link WardenContext}); the LangChain4j call under way (an AI-service invocation, a tool or model
 * call) as the identity hints it names; and the ambient identity (OpenTelemetry baggage, Spring
 * Security's authentication) as it was when the outermost of those calls began. One immutable value
 * per thread, replaced as scopes open and close, so that a hand-off to another thread captures it
 * with one ThreadLocal read ({@link Handoffs}). Which hint wins is the engine's business.
 * <p>
 * A call's identity is fixed when it begins: code the call runs cannot change it through baggage or
 * Spring Security, only explicitly, through {@link WardenContext}. Layers are added by decided tool and
 * model calls ({@link ActionScope}), by the AI-service invocation hook (the one public entry here, which
 * honours Warden's LangChain4j hook alone), by {@link WardenContext} and by the hand-off hooks.
 */
public final class ThreadIdentity {

    /** The surfaces whose calls act for someone: what they make runs under their identity. */
    private static final Set<String> CALL_SURFACES = Set.of("tool", "model");

    private static final ThreadLocal<ThreadIdentity> CURRENT = new ThreadLocal<>();

    private final WardenContext.Identity explicit;
    private final WardenContext.Identity call;
    private final Ambient ambient;

    private ThreadIdentity(WardenContext.Identity explicit, WardenContext.Identity call, Ambient ambient) {
        this.explicit = explicit;
        this.call = call;
        this.ambient = ambient;
    }

    /**
     * A value to resolve (the engine's tests build them); it cannot be made any thread's own.
     *
     * @param explicit what the host set explicitly, or null
     * @param call     the identity hints of the call under way, or null outside any call
     * @param ambient  baggage and authentication, or null when none was found
     */
    public static ThreadIdentity of(WardenContext.Identity explicit, WardenContext.Identity call, Ambient ambient) {
        return new ThreadIdentity(explicit, call, ambient);
    }

    /** The current thread's identity hints, or null when Warden knows none. */
    public static ThreadIdentity current() {
        return CURRENT.get();
    }

    /** What the host set explicitly, or null. */
    public WardenContext.Identity explicit() {
        return explicit;
    }

    /** The hints of the LangChain4j call under way, or null outside any call. */
    public WardenContext.Identity call() {
        return call;
    }

    /** Baggage and Spring Security's authentication: as the outermost call began, or as the gate found them. */
    public Ambient ambient() {
        return ambient;
    }

    @Override
    public String toString() {
        return "ThreadIdentity[explicit=" + explicit + ", call=" + call + ", ambient=" + ambient + "]";
    }

    static ThreadIdentity get() {
        return CURRENT.get();
    }

    // Set, never removed: removing clears a weak reference, a JVM call, and a thread that had an identity once will again.
    static void set(ThreadIdentity identity) {
        CURRENT.set(identity);
    }

    static ThreadIdentity withExplicit(ThreadIdentity base, WardenContext.Identity explicit) {
        if (base == null) {
            return explicit == null ? null : new ThreadIdentity(explicit, null, null);
        }
        return new ThreadIdentity(explicit, base.call, base.ambient);
    }

    /**
     * Ends a call entered with {@link #enterCall}: the call and ambient layers go back to what they were
     * before it; the explicit layer stays what the host made it.
     */
    static void exitCall(ThreadIdentity before) {
        ThreadIdentity current = CURRENT.get();
        WardenContext.Identity explicit = current == null ? null : current.explicit;
        CURRENT.set(before == null ? withExplicit(null, explicit) : new ThreadIdentity(explicit, before.call, before.ambient));
    }

    /**
     * Makes the ambient identity current while the gate decides an action made outside any call:
     * looked up by the gate, on the host's side, because reading it runs the application's code (its
     * {@code Authentication}), which must not run as Warden's own work. Inside a call the call's
     * ambient identity applies, and nothing is looked up.
     *
     * @param current the thread's identity, which the gate restores when this returns true
     * @return whether the thread's identity was changed
     */
    static boolean fillAmbient(ThreadIdentity current) {
        if (current != null && current.call != null) {
            return false;
        }
        Ambient found = Ambient.lookUp();
        if (found == null) {
            return false;
        }
        CURRENT.set(new ThreadIdentity(current == null ? null : current.explicit, null, found));
        return true;
    }

    /** Whether a permitted call of this surface makes its identity that of what it runs. */
    static boolean actsFor(String surface) {
        return CALL_SURFACES.contains(surface);
    }

    /**
     * Enters a decided call: from now on, what the thread does is done for the identity its request
     * names ({@code actor}, {@code onBehalfOf}, {@code session} attributes). The ambient identity is
     * the enclosing call's, or looked up now for an outermost call.
     *
     * @return the identity to restore when the call ends
     */
    static ThreadIdentity enterCall(ActionRequest request) {
        return enterCall(new WardenContext.Identity(text(request.attribute("actor")), text(request.attribute("onBehalfOf")),
                text(request.attribute("session"))));
    }

    private static ThreadIdentity enterCall(WardenContext.Identity call) {
        ThreadIdentity before = CURRENT.get();
        Ambient ambient = before != null && before.call != null ? before.ambient : Ambient.lookUp();
        CURRENT.set(new ThreadIdentity(before == null ? null : before.explicit, call, ambient));
        return before;
    }

    /**
     * Enters an AI-service invocation: the hook of the LangChain4j proxy handler, through
     * {@code Invocations}, and nobody else (any other caller gets nothing, see {@link Callers}).
     *
     * @return what to pass to {@link #exitInvocation}
     */
    public static Object enterInvocation(String actor, String onBehalfOf, String session) {
        if (!Callers.isInvocationHook(Callers.WALKER.getCallerClass())) {
            return null;
        }
        return new Entered(Thread.currentThread(), enterCall(new WardenContext.Identity(actor, onBehalfOf, session)));
    }

    /** Ends what {@link #enterInvocation} entered, on the thread that entered it. */
    public static void exitInvocation(Object entered) {
        if (entered instanceof Entered && ((Entered) entered).thread == Thread.currentThread()) {
            exitCall(((Entered) entered).before);
        }
    }

    private static String text(Object value) {
        return value instanceof String && !((String) value).isEmpty() ? (String) value : null;
    }

    /** An invocation entered on one thread, and the identity it replaced there. */
    private static final class Entered {
        private final Thread thread;
        private final ThreadIdentity before;

        Entered(Thread thread, ThreadIdentity before) {
            this.thread = thread;
            this.before = before;
        }
    }
}
