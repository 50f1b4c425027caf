package dev.warden.agent.context;

/** The state store could not answer: the actions that need it are refused, naming the store. */
public final class StateStoreException extends RuntimeException {

    public StateStoreException(String message, Throwable cause) {
        super(message, cause);
    }
}
