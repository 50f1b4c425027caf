package dev.warden.bootstrap;

import dev.warden.bootstrap.langchain4j.ModelActions;

import java.util.Arrays;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;

/**
 * One gated call under way on a thread, so that one logical action gets one decision. A wrapper and
 * the call it wraps (a pool's proxy statement and the driver's statement, {@code send} calling
 * {@code sendAsync}, {@code chat} calling {@code doChat}) are the same action: the inner call
 * inherits the outer call's decision, without a second receipt. Nothing else is: whatever else runs
 * while a decided call is on the stack (a callback into host code, a function the database calls,
 * an interceptor's own request, a wrapper running different SQL) is decided on its own.
 * <p>
 * The inner call is the same action when the call directly enclosing it, of the same surface on the
 * same thread, was decided for an identical request binding the same values (a pool's proxy and the
 * driver's statement it delegates to bind the same; a driver statement given other values behind the
 * proxy's back is another action), or for the same carrier object (the immutable request a tool or
 * model call passes down), and has not handed its decision down already: a
 * decision covers one execution. Frames exist only around decisions, so host code that opens scopes
 * itself gains nothing: it can only ask for decisions, each of which is recorded.
 * <pre>{@code
 * scope = ActionScope.enter(SURFACE);          // enter advice: always paired with exit()
 * if (scope.isWardensOwn()) return;              // Warden's own I/O is not gated
 * decision = scope.decide(request, carrier);     // or refuse when the request could not be read
 * ...
 * scope.exit();                                  // exit advice, onThrowable
 * }</pre>
 */
public final class ActionScope {

    private static final ConcurrentMap<String, ThreadLocal<Frames>> BY_SURFACE = new ConcurrentHashMap<>();

    private final String surface;
    private final Frames frames;
    private final ActionScope enclosing;
    private ActionRequest request;
    private Object carrier;
    private Decision decision;
    private boolean handedDown;
    /** Set when a model was asked while this call ran: what follows may be the model's, see {@link #modelAsked}. */
    private boolean modelAsked;
    private boolean inherited;
    /**
     * For a call decided here, as a part of whatever JDK call would enclose it, from the JDK's own code: the depth of
     * that code's frame ({@link JdkFrames}); -1 otherwise, and then no call inherits this one's decision as its part.
     */
    private int jdkFrameDepth = -1;
    /** Set when this call's identity became the thread's: what to restore when it exits. */
    private boolean actsForItsIdentity;
    private ThreadIdentity identityBefore;

    private ActionScope(String surface, Frames frames, ActionScope enclosing) {
        this.surface = surface;
        this.frames = frames;
        this.enclosing = enclosing;
    }

    /** Opens the scope of a gated call of {@code surface} on the current thread. */
    public static ActionScope enter(String surface) {
        Frames frames = BY_SURFACE.computeIfAbsent(surface, ignored -> ThreadLocal.withInitial(Frames::new)).get();
        ActionScope scope = new ActionScope(surface, frames, frames.innermost());
        frames.push(scope);
        return scope;
    }

    /** The innermost decided call of {@code surface} under way on the current thread, or null. */
    public static ActionScope innermostDecided(String surface) {
        ThreadLocal<Frames> local = BY_SURFACE.get(surface);
        if (local == null) {
            return null;
        }
        for (ActionScope scope = local.get().innermost(); scope != null; scope = scope.enclosing) {
            if (scope.decision != null) {
                return scope;
            }
        }
        return null;
    }

    /** Whether this call is Warden's own work (a receipt write, a driver call Warden makes): not gated. */
    public boolean isWardensOwn() {
        return Gate.isInternal();
    }

    /**
     * Decides this call: inherits the enclosing call's decision when this is the inner half of the
     * same action, else asks the gate (which records a receipt). Never throws.
     *
     * @param carrier the immutable object that carries the action down the call chain (a tool's
     *                execution request), or null to compare requests by value only
     */
    public Decision decide(ActionRequest request, Object carrier) {
        ActionScope outer = enclosing;
        if (continues(carrier) || (outer != null && outer.decision != null && !outer.handedDown && !outer.modelAsked
                && request != null && request.sameAction(outer.request))) {
            outer.handedDown = true;
            inherited = true;
            return remember(request, carrier, outer.decision);
        }
        return remember(request, carrier, Gate.decide(request));
    }

    /**
     * Whether this call, for {@code carrier}, is the inner half of the call enclosing it (which was
     * decided for the same carrier): {@link #decide(ActionRequest, Object)} will inherit its decision,
     * so what the request binds (a body to hash) need not be read again.
     */
    public boolean continues(Object carrier) {
        ActionScope outer = enclosing;
        return carrier != null && outer != null && outer.decision != null && !outer.handedDown && !outer.modelAsked
                && carrier == outer.carrier;
    }

    /**
     * Says that a model is being asked on this thread, inside whatever calls of {@code surface} are under way on it: a
     * call of that surface made after this is never their inner half, neither by its value (an equal request) nor by
     * its carrier. A tool whose code asks a model (a nested AI service: an agent handing a task to another run of
     * itself; a loop of its own) runs the calls that model writes, and one equal to the tool's own call (the same
     * tool, arguments, call id and conversation, as a provider that gives calls no ids writes them; the very same
     * request object, from a cache of responses) is the model asking again: a decision covers one execution, so it is
     * decided, counted and recorded (found by a seventh review, 2026-12-07: five runs of a tool on one receipt under a
     * limit of two). An executor of the application's that asks a model before it hands the call to the executor it
     * wraps has that call decided twice. It only ever makes more decisions, so a host calling it gains nothing.
     */
    public static void modelAsked(String surface) {
        ThreadLocal<Frames> local = BY_SURFACE.get(surface);
        if (local == null) {
            return;
        }
        for (ActionScope scope = local.get().innermost(); scope != null; scope = scope.enclosing) {
            scope.modelAsked = true;
        }
    }

    /**
     * Decides this call, or inherits the decision of the decided call enclosing it, whatever it asks:
     * for calls that are the enclosing action's own parts by construction, with only JDK code between
     * them (a JNDI DNS query's datagrams are that lookup; a datagram socket's send passes through the
     * channel's). Only then: the enclosing call must have been decided here too, asked from the JDK's own
     * code, and only the JDK's code may have run since ({@link JdkFrames}). Until the eighth review of
     * 2026-12-07 any decided scope enclosing it sufficed, and host code opened one, had a permitted lookup
     * decided in it, and sent a refused datagram there unasked. Warden's own work is not decided (null).
     */
    public Decision decideAsPartOfEnclosing(ActionRequest request) {
        return decideAsPartOfEnclosing(request, null);
    }

    /**
     * {@link #decideAsPartOfEnclosing(ActionRequest)}, with the object the call runs on as its carrier: a call this one
     * makes on the same object, as its own inner half, continues the decision ({@link #continues}).
     */
    public Decision decideAsPartOfEnclosing(ActionRequest request, Object carrier) {
        if (Gate.isInternal()) {
            return null;
        }
        for (ActionScope outer = enclosing; outer != null; outer = outer.enclosing) {
            if (outer.decision != null) {
                // A carrier (a JDBC statement) is the advice's own object: the call continues what was decided on it.
                if (carrier != null || JdkFrames.onlyJdkAbove(outer.jdkFrameDepth)) {
                    inherited = true;
                    jdkFrameDepth = outer.jdkFrameDepth; // a part's parts are the enclosing call's (mkdirs in mkdirs)
                    return remember(request, carrier, outer.decision);
                }
                break;
            }
        }
        jdkFrameDepth = carrier != null ? -1 : JdkFrames.jdkCallerDepth();
        return remember(request, carrier, Gate.decide(request));
    }

    /** Decides this call by its request alone (see {@link #decide(ActionRequest, Object)}). */
    public Decision decide(ActionRequest request) {
        return decide(request, null);
    }

    /**
     * Refuses a call whose request could not be read (its objects threw at the advice): the gate
     * records the refusal as Warden's own failure, so that it has a receipt like any other.
     */
    public Decision refused(Decision failure) {
        return remember(null, null, Gate.refuseUnreadable(surface, failure));
    }

    private Decision remember(ActionRequest request, Object carrier, Decision decision) {
        this.request = request;
        this.carrier = carrier;
        this.decision = decision;
        // A permitted tool or model call acts for the identity it was decided for: what it does on this
        // thread, and hands to others, is done for that identity. Only a decision does this, so a scope
        // the host opens itself gains an identity only by asking for a decision, which is recorded.
        if (!actsForItsIdentity && request != null && decision != null && !decision.blocks()
                && ThreadIdentity.actsFor(request.surface())) {
            identityBefore = ThreadIdentity.enterCall(request);
            actsForItsIdentity = true;
        }
        return decision;
    }

    /**
     * The call goes on with its request rewritten to hold what its decision obliges (a model call's output capped at what
     * a budget reserved, {@link Obligations#maxOutputTokens}): the inner half of the call ({@code chat} handing the
     * request to {@code doChat}) is compared with {@code sent}, so it inherits the decision instead of being decided and
     * counted again. Only that rewrite is taken: {@code sent} must be the decided action with its {@code maxOutput}
     * attribute at the cap, and only that and the digest of the whole request (whose parameters spell the cap) may
     * differ; what is asked besides the parameters ({@code model.request.asked}) must not. The names are fixed here, not
     * the caller's: until the twelfth review of 2026-12-07 the caller named the attribute that may differ, and host code
     * in a scope of its own, permitted for a provider the policy vetted, named the provider and had its own provider's
     * call inherit that permit (and, naming the digest, a prompt of other words but the same counts).
     */
    public void nowSends(ActionRequest sent) {
        Decision decided = decision;
        if (decided == null || inherited || request == null || sent == null || !decided.enforcedObligations().capsOutput()
                || !java.util.Objects.equals(sent.surface(), request.surface())
                || !java.util.Objects.equals(sent.operation(), request.operation())
                || !java.util.Objects.equals(sent.target(), request.target())
                || !(sent.attribute(ModelActions.MAX_OUTPUT) instanceof Number capped)
                || capped.longValue() != decided.enforcedObligations().maxOutputTokens()) {
            return;
        }
        java.util.Map<String, Object> was = new java.util.HashMap<>(request.attributes());
        java.util.Map<String, Object> now = new java.util.HashMap<>(sent.attributes());
        for (String rewritten : new String[] {ModelActions.MAX_OUTPUT, ModelActions.REQUEST_DIGEST}) {
            was.remove(rewritten);
            now.remove(rewritten);
        }
        if (was.get(ModelActions.ASKED_DIGEST) != null && was.equals(now)) {
            request = sent;
        }
    }

    /** This call's decision, or null while undecided. */
    public Decision decision() {
        return decision;
    }

    /** Whether this call inherited the decision of the call enclosing it (it is that call's inner half). */
    public boolean inherited() {
        return inherited;
    }

    /** The request this call was decided for, or null. */
    public ActionRequest request() {
        return request;
    }

    /** Closes this scope, and any a misbehaving callee left open inside it. */
    public void exit() {
        frames.popThrough(this);
        carrier = null; // never hold a host object longer than its call
        if (actsForItsIdentity) {
            actsForItsIdentity = false;
            ThreadIdentity.exitCall(identityBefore);
            identityBefore = null;
        }
    }

    /** The scopes open on one thread for one surface, innermost last. */
    private static final class Frames {
        private ActionScope[] open = new ActionScope[4];
        private int size;

        ActionScope innermost() {
            return size == 0 ? null : open[size - 1];
        }

        void push(ActionScope scope) {
            if (size == open.length) {
                open = Arrays.copyOf(open, size * 2);
            }
            open[size++] = scope;
        }

        void popThrough(ActionScope scope) {
            for (int i = size - 1; i >= 0; i--) {
                if (open[i] == scope) {
                    while (size > i) {
                        open[--size] = null;
                    }
                    return;
                }
            }
        }
    }
}
