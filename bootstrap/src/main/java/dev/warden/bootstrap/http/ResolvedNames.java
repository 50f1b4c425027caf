package dev.warden.bootstrap.http;

import java.net.InetAddress;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Which names the JDK's resolver answered with which addresses. An {@code InetAddress} carries a name beside its
 * address, and only the resolver ties the two: {@code InetAddress.getByAddress("db.internal", bytes)} takes any name
 * (a literal of another address included) for any address, and a connect or datagram to it was decided for the name,
 * so a rule permitting {@code db.internal} let it reach wherever the bytes led. A name is taken for what it says only
 * when the resolver answered it with that address (Warden records each answer as the resolver returns it), when it is
 * that very address written out, or when it is {@code localhost} at a loopback address (the JDK's own loopback
 * objects, made without asking the resolver); any other is decided as the address it carries.
 */
public final class ResolvedNames {

    /** Names kept, the least recently used given up first: a name given up only costs its next connect a refusal. */
    private static final int MAX_NAMES = 16_384;
    /** Addresses kept per name, across answers (a round-robin name answers differently each time). */
    private static final int MAX_ADDRESSES = 64;

    private static final Map<String, List<InetAddress>> ANSWERS = new LinkedHashMap<>(256, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, List<InetAddress>> eldest) {
            return size() > MAX_NAMES;
        }
    };

    private ResolvedNames() {
    }

    /** The resolver answered {@code name} with {@code addresses} (JDK {@code InetAddress} objects). Never throws. */
    static void record(String name, InetAddress[] addresses) {
        if (name == null || addresses == null) {
            return;
        }
        String key = Host.of(name).name();
        synchronized (ANSWERS) {
            List<InetAddress> known = ANSWERS.computeIfAbsent(key, unused -> new ArrayList<>(addresses.length));
            for (InetAddress address : addresses) {
                if (address != null && !known.contains(address)) { // the JDK's equals: its address classes are final
                    if (known.size() >= MAX_ADDRESSES) {
                        known.remove(0);
                    }
                    known.add(address);
                }
            }
        }
    }

    /**
     * The host a connect or datagram to {@code address}, named {@code claimed}, is decided for: {@code claimed} when the
     * name is true of the address, else the address itself.
     *
     * @param address the address the JDK will reach, or null (unresolved: nothing is reached, and the name stands)
     */
    static Host decidedFor(Host claimed, InetAddress address) {
        if (address == null) {
            return claimed;
        }
        Host literal = Host.of(address.getHostAddress());
        if (claimed.name().equals(literal.name())) {
            return claimed;
        }
        if (!claimed.ipLiteral() && claimed.valid()) {
            if (claimed.name().equals("localhost") && AddressClass.of(address) == AddressClass.LOOPBACK) {
                return claimed;
            }
            synchronized (ANSWERS) {
                List<InetAddress> known = ANSWERS.get(claimed.name());
                if (known != null && known.contains(address)) {
                    return claimed;
                }
            }
        }
        return literal;
    }
}
