package dev.warden.bootstrap;

/** Thrown, or carried as the cause of a surface's own exception type, when Warden refuses an action. */
public final class ActionDeniedException extends SecurityException {

    private static final long serialVersionUID = 1L;

    private final transient Decision decision;

    public ActionDeniedException(Decision decision) {
        super(decision.denialMessage());
        this.decision = decision;
    }

    public Decision decision() {
        return decision;
    }
}
