package dev.warden.bootstrap.http;

import java.net.InetAddress;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The connects that permitted HTTP requests may make without a decision of their own. Each permitted
 * request grants one connect, to exactly the host and port it was decided for, made by the client
 * that sends it: the first frame below the JDK's socket layer on the connecting thread must be that
 * client's code (async clients connect on their own threads, so the grant cannot be the caller's).
 * Any other connect (a raw socket to the same host:port after a permitted GET, a proxy selector's
 * socket, a second connect on the same grant) is decided on its own under {@code net}.
 * <p>
 * Grants of requests that reused a kept-alive connection stay unused; they expire, and only the same
 * client can use them. Losing a grant only means the connect is decided: never fewer decisions.
 */
final class ConnectGrants {

    /** Long enough for a queued async request to reach its connect. */
    static final long TTL_NANOS = 60_000_000_000L;
    /**
     * Unused grants kept per destination and client (a stream of requests on one kept-alive connection leaves one
     * each). Each request of a burst that opens connections at once needs its own until its connect comes: at 64,
     * the 65th and later of 100 concurrent first requests to one API found none, and their connects were decided
     * on their own and refused (jmh/sessions.sh, 100 sessions). A grant only lets the client's own code connect
     * to where a permitted request goes, so the bound is for memory of the count, not for tightness.
     */
    static final int MAX_PER_DESTINATION = 4096;
    static final int MAX_DESTINATIONS = 4096;

    /**
     * The code of the JDK's socket layer, and Warden's, between a client and its connect. {@code NetworkClient} is the
     * base class that opens the sockets of the JDK's HTTP, SMTP and other {@code sun.net} clients: who connects is the
     * subclass that called it.
     */
    private static final String[] SOCKET_LAYER = {"java.", "javax.", "sun.nio.", "sun.security.", "jdk.internal.misc.",
            "jdk.internal.reflect.", "jdk.internal.event.", "dev.warden.bootstrap.", "sun.net.NetworkClient"};

    private record Destination(String host, int port, String client) {
    }

    /** Unused grants to one destination; guarded by its own monitor. */
    private static final class Grants {
        final AddressClass decided;
        int unused;
        long expiresAtNanos;
        /** Set, under the monitor, before the entry leaves the map: a grant arriving later goes to its successor. */
        boolean evicted;

        Grants(AddressClass decided) {
            this.decided = decided;
        }
    }

    /**
     * What a connect found: the address class its request was decided for, and whether the address
     * connected to contradicts it (a public name that resolves inside: DNS rebinding; a name that resolves to
     * loopback or link-local when its spelling did not say so: {@link #contradicts}).
     */
    record Grant(AddressClass decided, boolean rebinding) {
    }

    private static final Map<String, String> CLIENT_PACKAGES = Map.of(
            // Not sun.net.: the JDK's FTP and SMTP clients live there too, and an ftp:// URL aimed at a permitted
            // API's port would connect on that API's grant (FtpRidesNoHttpGrantEndToEndTest).
            "http-url-connection", "sun.net.www.",
            "jdk-httpclient", "jdk.internal.net.http.",
            "okhttp", "okhttp3.",
            "apache-httpclient5", "org.apache.hc.",
            "apache-httpclient5-async", "org.apache.hc.",
            "apache-httpclient4", "org.apache.http.");

    private static final ConcurrentHashMap<Destination, Grants> GRANTS = new ConcurrentHashMap<>();
    /** Hosts with any grant, so that connects elsewhere (a database) never walk the stack. */
    private static final ConcurrentHashMap<String, Boolean> GRANTED_HOSTS = new ConcurrentHashMap<>();

    private static final StackWalker STACK = StackWalker.getInstance();

    private ConnectGrants() {
    }

    /** A permitted request of {@code client} to {@code host:port} may connect once. */
    static void grant(String client, Host host, int port) {
        String clientPackage = CLIENT_PACKAGES.get(client);
        if (clientPackage == null) {
            return; // a client whose connects Warden cannot attribute: they are decided under net
        }
        if (GRANTS.size() >= MAX_DESTINATIONS) {
            makeRoom();
        }
        Destination destination = new Destination(host.name(), port, clientPackage);
        GRANTED_HOSTS.put(host.name(), Boolean.TRUE);
        while (true) {
            Grants grants = GRANTS.computeIfAbsent(destination, ignored -> new Grants(host.addressClass()));
            synchronized (grants) {
                if (!grants.evicted) {
                    grants.unused = Math.min(grants.unused + 1, MAX_PER_DESTINATION);
                    grants.expiresAtNanos = System.nanoTime() + TTL_NANOS;
                    return;
                }
            }
            GRANTS.remove(destination, grants); // evicted meanwhile: the grant goes to its successor
        }
    }

    /**
     * One more connect for a destination a decision granted and whose grants have not expired: a client's resend of a
     * permitted request ({@link ResentRequests}). Never a grant for a destination no decision named, whoever calls it.
     */
    static void regrant(String client, Host host, int port) {
        String clientPackage = CLIENT_PACKAGES.get(client);
        Grants grants = clientPackage == null ? null : GRANTS.get(new Destination(host.name(), port, clientPackage));
        if (grants == null) {
            return;
        }
        synchronized (grants) {
            if (!grants.evicted && System.nanoTime() - grants.expiresAtNanos < 0) {
                grants.unused = Math.min(grants.unused + 1, MAX_PER_DESTINATION);
            }
        }
    }

    /**
     * Destinations with nothing left to take (every grant used, or expired) make room for new ones. Only when most
     * destinations (three in four) still hold a live grant are they all given up, and their connects decided on their
     * own, so that a map that stays nearly full is not scanned for every new destination. Before, a full map was
     * always emptied, so an application talking to thousands of hosts lost the grants of requests in flight, and
     * their connects were refused.
     */
    private static void makeRoom() {
        long now = System.nanoTime();
        GRANTS.values().removeIf(grants -> evict(grants, now, false));
        if (GRANTS.size() >= MAX_DESTINATIONS / 4 * 3 || GRANTED_HOSTS.size() >= 4 * MAX_DESTINATIONS) {
            GRANTS.values().removeIf(grants -> evict(grants, now, true));
            GRANTED_HOSTS.clear();
        }
    }

    private static boolean evict(Grants grants, long now, boolean live) {
        synchronized (grants) {
            if (live || grants.unused == 0 || now - grants.expiresAtNanos >= 0) {
                grants.evicted = true;
                return true;
            }
            return false;
        }
    }

    /** Takes the grant for a connect made by the code on this thread's stack (see {@link #take(Host, int, InetAddress, String)}). */
    static Grant take(Host host, int port, InetAddress address, AddressClass actual) {
        if (GRANTED_HOSTS.get(host.name()) == null) {
            return null; // the common case, a connect no request asked for: no stack walk
        }
        return take(host, port, address, actual, connectingCode());
    }

    /**
     * Takes the grant for a connect to {@code host:port}, when a permitted request of the client
     * making this connect left one.
     *
     * @param address the address connected to, or null when unresolved
     * @param actual  the class of that address
     * @param caller  the class of the code that connects, below the JDK's socket layer
     * @return the grant, or null when the connect must be decided; a grant the connect contradicts
     *         (rebinding) is reported but not used up, so that a client's retry is judged alike
     */
    static Grant take(Host host, int port, InetAddress address, AddressClass actual, String caller) {
        if (host.ipLiteral() && address != null && !Host.of(address.getHostAddress()).name().equals(host.name())) {
            return null; // a literal grant covers that address only
        }
        for (Map.Entry<String, String> client : CLIENT_PACKAGES.entrySet()) {
            if (!caller.startsWith(client.getValue())) {
                continue;
            }
            Grants grants = GRANTS.get(new Destination(host.name(), port, client.getValue()));
            if (grants == null) {
                continue;
            }
            synchronized (grants) {
                if (grants.unused > 0 && System.nanoTime() - grants.expiresAtNanos < 0) {
                    boolean rebinding = contradicts(grants.decided, actual, host.ipLiteral());
                    if (!rebinding) {
                        grants.unused--;
                    }
                    return new Grant(grants.decided, rebinding);
                }
            }
        }
        return null;
    }

    /**
     * Whether a connect to an address of class {@code actual} contradicts the decision its grant came from: a name
     * decided public that resolves to a private, loopback or link-local address (DNS rebinding), and any name that
     * resolves to this host (loopback, unspecified) or its link (169.254.0.0/16, fe80::/10: the cloud's metadata
     * endpoint) when its spelling did not say so. A permitted {@code billing.internal} (decided private) that the
     * resolver answers with 169.254.169.254 or 127.0.0.1 connected on its grant until a review of 2026-12-07: whoever
     * controls the name's DNS record chose the address. Such a connect is decided on its own, refused unless the
     * policy permits that address; {@code localhost} resolving to loopback is what its spelling says.
     */
    static boolean contradicts(AddressClass decided, AddressClass actual, boolean literal) {
        if (decided.isPublic() && !actual.isPublic()) {
            return true;
        }
        return !literal && actual != decided && (actual == AddressClass.LOOPBACK || actual == AddressClass.LINK_LOCAL);
    }

    /** The first class on this thread's stack that is not the JDK's socket layer: who connects. */
    static String connectingCode() {
        return STACK.walk(frames -> frames.map(StackWalker.StackFrame::getClassName)
                .filter(name -> !inSocketLayer(name)).findFirst().orElse(""));
    }

    private static boolean inSocketLayer(String className) {
        for (String prefix : SOCKET_LAYER) {
            if (className.startsWith(prefix)) {
                return true;
            }
        }
        return false;
    }
}
