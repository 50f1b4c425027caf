package dev.warden.bootstrap.jvm;

import dev.warden.bootstrap.ActionDeniedException;
import dev.warden.bootstrap.Decision;
import dev.warden.bootstrap.Gate;

/**
 * {@code Socket.setSocketImplFactory}: a JDK-wide factory of the application's that every later {@code new Socket()}
 * asks for its implementation, Warden's own sockets included (the {@code HttpURLConnection} of its OTLP export and
 * witnesses, the Redis client of {@code state=redis://}), which are made where actions pass ungated: the factory's
 * code, and the socket it makes, would run there. No rule can make that safe, so it is refused, with a receipt, whatever
 * the policy, the mode and {@code surfaces=} (deprecated since JDK 17; a custom {@code SocketImpl} is still the
 * application's through {@code Socket}'s protected constructor, which touches no one else's sockets).
 */
public final class SocketImplFactories {

    private SocketImplFactories() {
    }

    /** The refusal of installing {@code factory}, or null when it may proceed (null is a no-op; Warden's own work). */
    public static SecurityException refusalToInstall(Object factory) {
        if (factory == null || Gate.isInternal()) {
            return null;
        }
        Decision refused;
        try {
            refused = Gate.refuseUnreadable(JvmActions.SURFACE, Decision.failClosed("Socket.setSocketImplFactory would have "
                    + "every socket of the JVM, Warden's own among them, made by the application's factory", null));
        } catch (Throwable failure) {
            refused = Decision.unreadable("could not record a socket factory's install", failure);
        }
        return new SecurityException(refused.denialMessage(), new ActionDeniedException(refused));
    }
}
