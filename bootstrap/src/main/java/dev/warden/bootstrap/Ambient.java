package dev.warden.bootstrap;

/**
 * The identity the application's own libraries hold for the current thread: OpenTelemetry baggage
 * ({@code enduser.id}, {@code session.id}) and Spring Security's current authentication, each read
 * only when the thread's context class loader has that library (looked up once per loader).
 *
 * @param baggageActor      baggage {@code enduser.id}, or null
 * @param baggageSession    baggage {@code session.id}, or null
 * @param authenticatedUser the name of Spring Security's current authentication, when it is
 *                          authenticated and not anonymous; else null
 */
public record Ambient(String baggageActor, String baggageSession, String authenticatedUser) {

    /** Set while the application's code is asked, so that what that code does is not asked about again. */
    private static final ThreadLocal<Boolean> ASKING = ThreadLocal.withInitial(() -> Boolean.FALSE);

    /**
     * Reads the current thread's ambient identity. Runs the application's code (its baggage, its
     * authentication), so never as Warden's own work. Never throws.
     *
     * @return the identity found, or null when there is none
     */
    static Ambient lookUp() {
        ClassLoader loader = Thread.currentThread().getContextClassLoader();
        if (loader == null) {
            loader = ClassLoader.getSystemClassLoader();
        }
        Baggage baggage = Baggage.API.get(loader);
        SpringAuthentication spring = SpringAuthentication.API.get(loader);
        if ((baggage == null && spring == null) || ASKING.get()) {
            return null;
        }
        ASKING.set(Boolean.TRUE);
        try {
            String actor = baggage == null ? null : baggage.entry("enduser.id");
            String session = baggage == null ? null : baggage.entry("session.id");
            String user = spring == null ? null : spring.authenticatedName();
            return actor == null && session == null && user == null ? null : new Ambient(actor, session, user);
        } finally {
            ASKING.set(Boolean.FALSE);
        }
    }
}
