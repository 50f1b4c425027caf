package dev.warden.rules;

/** The rule files do not compile; the message lists every error with its file and line. */
public final class PolicyCompilationException extends Exception {

    private static final long serialVersionUID = 1L;

    public PolicyCompilationException(String message) {
        super(message);
    }

    public PolicyCompilationException(String message, Throwable cause) {
        super(message, cause);
    }
}
