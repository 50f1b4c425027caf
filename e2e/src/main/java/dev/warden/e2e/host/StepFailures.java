package dev.warden.e2e.host;

import java.lang.reflect.InvocationTargetException;

/**
 * How a host that runs numbered steps reports one that threw: {@code DENIED} when a Warden message is anywhere in what
 * it threw, {@code ERROR} otherwise, with the exception's class and the chain of messages on one line. A reflective
 * call's wrapper is looked through, to what the called method threw.
 */
final class StepFailures {

    private StepFailures() {
    }

    static String line(int step, Throwable thrown) {
        Throwable failure = unwrapped(thrown);
        return (warden(failure) ? "DENIED" : "ERROR") + " step=" + step + " thrown=" + failure.getClass().getName()
                + " message=" + chain(failure);
    }

    static Throwable unwrapped(Throwable thrown) {
        Throwable failure = thrown;
        while (failure instanceof InvocationTargetException && failure.getCause() != null) {
            failure = failure.getCause();
        }
        return failure;
    }

    private static boolean warden(Throwable failure) {
        for (Throwable cause = failure; cause != null; cause = cause.getCause()) {
            if (String.valueOf(cause.getMessage()).contains("warden: ")) {
                return true;
            }
        }
        return false;
    }

    private static String chain(Throwable failure) {
        StringBuilder out = new StringBuilder(String.valueOf(failure.getMessage()));
        for (Throwable cause = failure.getCause(); cause != null; cause = cause.getCause()) {
            out.append(" <- ").append(cause.getClass().getSimpleName()).append(": ").append(cause.getMessage());
        }
        return out.toString().replace('\n', ' ');
    }
}
