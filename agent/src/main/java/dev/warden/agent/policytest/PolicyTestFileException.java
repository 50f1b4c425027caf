package dev.warden.agent.policytest;

/** A test file that cannot be read as policy tests; the message names the file, the test and what is wrong. */
public final class PolicyTestFileException extends Exception {

    private static final long serialVersionUID = 1L;

    public PolicyTestFileException(String message) {
        super(message);
    }
}
