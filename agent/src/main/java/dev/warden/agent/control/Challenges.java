package dev.warden.agent.control;

import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HexFormat;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The agent's nonces a loosening switch is signed over: each used once, within {@link #VALID}. Any code in the JVM may
 * ask for one, so at most {@link #MOST} are outstanding, the oldest forgotten first.
 */
final class Challenges {
    static final Duration VALID = Duration.ofMinutes(2);
    static final int MOST = 256;

    private final SecureRandom random = new SecureRandom();
    private final Clock clock;
    private final Map<String, Instant> issued = new LinkedHashMap<>();

    Challenges(Clock clock) {
        this.clock = clock;
    }

    synchronized String issue() {
        byte[] bytes = new byte[16];
        random.nextBytes(bytes);
        String nonce = HexFormat.of().formatHex(bytes);
        if (issued.size() >= MOST) {
            Iterator<String> oldest = issued.keySet().iterator();
            oldest.next();
            oldest.remove();
        }
        issued.put(nonce, clock.instant().plus(VALID));
        return nonce;
    }

    /** Whether {@code nonce} was issued, is still valid and not used: it is used now either way. */
    synchronized boolean take(String nonce) {
        Instant until = nonce == null ? null : issued.remove(nonce);
        return until != null && !clock.instant().isAfter(until);
    }
}
