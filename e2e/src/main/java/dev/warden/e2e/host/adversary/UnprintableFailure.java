package dev.warden.e2e.host.adversary;

/**
 * An application's exception whose message cannot be read: asked for it (as {@code toString} does), it
 * throws. Advice that words its refusal from what the host threw must not ask.
 */
public class UnprintableFailure extends IllegalStateException {

    @Override
    public String getMessage() {
        throw new IllegalStateException("the application's exception was asked for its message");
    }
}
