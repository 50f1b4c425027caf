package dev.warden.e2e.host;

/**
 * A class an H2 URL can name as its {@code DATABASE_EVENT_LISTENER}: H2 loads and constructs it while
 * connecting. It says so on standard output, so a test sees whether a connect ran it.
 */
public final class ListenerProbe {

    static {
        System.out.println("PROBE loaded by the connect");
    }

    public ListenerProbe() {
        System.out.println("PROBE constructed by the connect");
    }
}
