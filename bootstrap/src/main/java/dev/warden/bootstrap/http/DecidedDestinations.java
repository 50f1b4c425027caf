package dev.warden.bootstrap.http;

import java.util.concurrent.ConcurrentHashMap;

/**
 * Destinations an HTTP request was just permitted to, so that the socket connect the client makes
 * for it (on whatever thread: async clients connect on their own I/O threads) is not decided a
 * second time, only checked: it must lead where the decision thought it would.
 * <p>
 * A grant lasts {@link #TTL_NANOS}; the map is bounded and cleared when full. Losing a grant only
 * means the connect is decided on its own under {@code net}: never fewer decisions, only more.
 */
final class DecidedDestinations {

    /** Long enough for a queued async request to reach its connect; short enough not to outlive it much. */
    static final long TTL_NANOS = 60_000_000_000L;
    private static final int MAX_GRANTS = 4096;

    /** @param decided the address class the HTTP decision saw for the host */
    record Grant(AddressClass decided, long expiresAtNanos) {
    }

    private record Destination(String host, int port) {
    }

    private static final ConcurrentHashMap<Destination, Grant> GRANTS = new ConcurrentHashMap<>();

    private DecidedDestinations() {
    }

    static void grant(Host host, int port) {
        Destination destination = new Destination(host.name(), port);
        long now = System.nanoTime();
        Grant current = GRANTS.get(destination);
        // Requests to one API come in streams: refresh a grant only once it is half used up.
        if (current != null && current.decided() == host.addressClass() && current.expiresAtNanos() - now > TTL_NANOS / 2) {
            return;
        }
        if (GRANTS.size() >= MAX_GRANTS) {
            GRANTS.clear();
        }
        GRANTS.put(destination, new Grant(host.addressClass(), now + TTL_NANOS));
    }

    /** The live grant for a connect to {@code host:port}, or null. */
    static Grant lookup(Host host, int port) {
        Destination destination = new Destination(host.name(), port);
        Grant grant = GRANTS.get(destination);
        if (grant == null) {
            return null;
        }
        if (System.nanoTime() - grant.expiresAtNanos() > 0) {
            GRANTS.remove(destination, grant);
            return null;
        }
        return grant;
    }
}
