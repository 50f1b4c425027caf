package dev.warden.bootstrap;

import java.util.Set;

/**
 * Who the work on a thread is for, as far as Warden knows it there: what the host set explicitly
 * ({@link WardenContext}); the LangChain4j call under way (an AI-service invocation, a tool or model
 * call) as the identity hints it names; and the ambient identity (OpenTelemetry baggage, Spring
 * Security's authentication) as it was when the outermost of those calls began. One immutable value
 * per thread, replaced as scopes open and close, so that a hand-off to another thread captures it
 * with one ThreadLocal read ({@link Handoffs}); null once no layer is left. Which hint wins is the
 * engine's business.
 * <p>
 * A call's identity is fixed when it begins: code the call runs cannot change it through baggage or
 * Spring Security, only explicitly, through {@link WardenContext}. Layers are added by decided tool and
 * model calls ({@link ActionScope}), by the AI-service invocation hook (the one public entry here, which
 * honours Warden's LangChain4j hook alone), by {@link WardenContext} and by the hand-off hooks.
 * <p>
 * A call under way <em>binds</em> what it causes: a tool or model call, or an AI-service invocation, begun
 * inside it keeps its identity rather than the one its own hints name. A tool may pass its arguments to a
 * nested AI service as the memory id (an "ask a colleague" tool), and what the model chooses must not become
 * the session of anything it causes. A model call that names nobody binds nothing (a model call before
 * LangChain4j 1.6, or one the application makes itself): a streaming provider calling its handler back
 * inside it continues the AI service, whose tool calls name their own memory id.
 */
public final class ThreadIdentity {

    /** The surfaces whose calls act for someone: what they make runs under their identity. */
    private static final Set<String> CALL_SURFACES = Set.of("tool", "model");

    private static final ThreadLocal<ThreadIdentity> CURRENT = new ThreadLocal<>();

    /**
     * The identity a nested AI-service invocation was entered under, by its {@code InvocationContext}: a
     * streaming service takes its later steps on the provider's threads, which the enclosing call's identity
     * never reached. Only invocations entered inside a binding call are here.
     */
    private static final Attachment<ThreadIdentity> BOUND_INVOCATIONS = new Attachment<>();

    private final WardenContext.Identity explicit;
    private final WardenContext.Identity call;
    private final Ambient ambient;
    /** Whether {@link #call} is the identity of everything under it, whatever the hints of a nested call. */
    private final boolean binds;

    private ThreadIdentity(WardenContext.Identity explicit, WardenContext.Identity call, Ambient ambient, boolean binds) {
        this.explicit = explicit;
        this.call = call;
        this.ambient = ambient;
        this.binds = call != null && binds;
    }

    /**
     * A value to resolve (the engine's tests build them); it cannot be made any thread's own. The call, if
     * any, binds (see {@link #binds()}).
     *
     * @param explicit what the host set explicitly, or null
     * @param call     the identity hints of the call under way, or null outside any call
     * @param ambient  baggage and authentication, or null when none was found
     */
    public static ThreadIdentity of(WardenContext.Identity explicit, WardenContext.Identity call, Ambient ambient) {
        return new ThreadIdentity(explicit, call, ambient, true);
    }

    /** {@link #of(WardenContext.Identity, WardenContext.Identity, Ambient)} with a call that binds nothing. */
    public static ThreadIdentity ofUnbindingCall(WardenContext.Identity explicit, WardenContext.Identity call, Ambient ambient) {
        return new ThreadIdentity(explicit, call, ambient, false);
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

    /**
     * Whether the call under way is who everything it causes acts for: the tool and model calls it makes
     * (a nested AI service's included) are for its identity, not for the hints they carry themselves.
     */
    public boolean binds() {
        return binds;
    }

    /**
     * The identity that binds a LangChain4j call being made now, or null when its own hints name it: the
     * binding call under way on this thread, else the one a nested invocation among {@code carriers} (the
     * hooked call's arguments: its {@code InvocationContext}) was entered under.
     */
    public static WardenContext.Identity bindingCall(Object[] carriers) {
        ThreadIdentity current = CURRENT.get();
        if (current != null && current.binds) {
            return current.call;
        }
        if (carriers != null && !BOUND_INVOCATIONS.isEmpty()) {
            for (Object carrier : carriers) {
                ThreadIdentity bound = carrier == null ? null : BOUND_INVOCATIONS.get(carrier);
                if (bound != null) {
                    return bound.call;
                }
            }
        }
        return null;
    }

    @Override
    public String toString() {
        return "ThreadIdentity[explicit=" + explicit + ", call=" + call + ", ambient=" + ambient + ", binds=" + binds + "]";
    }

    static ThreadIdentity get() {
        return CURRENT.get();
    }

    // Set, never removed: removing clears a weak reference, a JVM call, and a thread that had an identity once will again.
    static void set(ThreadIdentity identity) {
        CURRENT.set(identity);
    }

    static ThreadIdentity withExplicit(ThreadIdentity base, WardenContext.Identity explicit) {
        return layered(explicit, base == null ? null : base.call, base == null ? null : base.ambient,
                base != null && base.binds);
    }

    /**
     * An identity of these layers, or null when none is left: a thread, task or stage with no layer is for nobody
     * in particular, and the hand-offs take only null for that (an empty value would pin a stage made after a
     * scope closed to nobody, instead of the identity of the future it depends on).
     */
    private static ThreadIdentity layered(WardenContext.Identity explicit, WardenContext.Identity call, Ambient ambient,
                                          boolean binds) {
        return explicit == null && call == null && ambient == null ? null : new ThreadIdentity(explicit, call, ambient, binds);
    }

    /**
     * Ends a call entered with {@link #enterCall}: the call and ambient layers go back to what they were
     * before it; the explicit layer stays what the host made it.
     */
    static void exitCall(ThreadIdentity before) {
        ThreadIdentity current = CURRENT.get();
        WardenContext.Identity explicit = current == null ? null : current.explicit;
        CURRENT.set(before == null ? layered(explicit, null, null, false) : layered(explicit, before.call, before.ambient, before.binds));
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
        CURRENT.set(new ThreadIdentity(current == null ? null : current.explicit, null, found, false));
        return true;
    }

    /** Whether a permitted call of this surface makes its identity that of what it runs. */
    static boolean actsFor(String surface) {
        return CALL_SURFACES.contains(surface);
    }

    /**
     * Enters a decided call: from now on, what the thread does is done for the identity its request
     * names ({@code actor}, {@code onBehalfOf}, {@code session} attributes), or, inside a binding call,
     * for that call's. The ambient identity is the enclosing call's, or looked up now for an outermost call.
     *
     * @return the identity to restore when the call ends
     */
    static ThreadIdentity enterCall(ActionRequest request) {
        WardenContext.Identity named = new WardenContext.Identity(text(request.attribute("actor")),
                text(request.attribute("onBehalfOf")), text(request.attribute("session")));
        boolean namesSomeone = named.actor() != null || named.onBehalfOf() != null || named.session() != null;
        return enterCall(named, namesSomeone || !"model".equals(request.surface()));
    }

    private static ThreadIdentity enterCall(WardenContext.Identity named, boolean binds) {
        ThreadIdentity before = CURRENT.get();
        if (before != null && before.binds) {
            // Inside a binding call: the nested call is for that call's identity, whatever it names.
            CURRENT.set(new ThreadIdentity(before.explicit, before.call, before.ambient, true));
            return before;
        }
        Ambient ambient = before != null && before.call != null ? before.ambient : Ambient.lookUp();
        CURRENT.set(new ThreadIdentity(before == null ? null : before.explicit, named, ambient, binds));
        return before;
    }

    /**
     * Enters an AI-service invocation: the hook of the LangChain4j proxy handler, through
     * {@code Invocations}, and nobody else (any other caller gets nothing, see {@link Callers}). Entered
     * inside a binding call, the invocation is for that call's identity, not the one it names, and so are
     * its later steps on threads the call's identity never reached (a streaming service's callbacks on the
     * provider's threads), found by its {@code context} (its {@code InvocationContext}, the same object at
     * each step; may be null).
     *
     * @return what to pass to {@link #exitInvocation}
     */
    public static Object enterInvocation(String actor, String onBehalfOf, String session, Object context) {
        if (!Callers.isInvocationHook(Callers.WALKER.getCallerClass())) {
            return null;
        }
        ThreadIdentity before = CURRENT.get();
        if (context != null && before != null && before.binds) {
            BOUND_INVOCATIONS.setIfAbsent(context, new ThreadIdentity(null, before.call, before.ambient, true));
        } else if (context != null && !BOUND_INVOCATIONS.isEmpty()) {
            ThreadIdentity bound = BOUND_INVOCATIONS.get(context);
            if (bound != null) {
                CURRENT.set(new ThreadIdentity(before == null ? null : before.explicit, bound.call, bound.ambient, true));
                return new Entered(Thread.currentThread(), before);
            }
        }
        return new Entered(Thread.currentThread(), enterCall(new WardenContext.Identity(actor, onBehalfOf, session), true));
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
