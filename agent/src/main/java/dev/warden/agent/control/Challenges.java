package dev.warden.agent.control;

import dev.warden.bootstrap.JdkCrypto;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;

/**
 * The agent's nonces a loosening switch is signed over: each good once, within {@link #VALID}. Any code in the JVM may
 * ask for one, so none is kept when issued (a caller asking for thousands evicts nobody's): a nonce carries its time
 * and the agent's MAC over it under the control key, and only nonces a switch was signed over are remembered, until
 * they are too old to be taken anyway. Only the key's holder can add to that. Every switch made spends all the nonces
 * issued before it ({@link #spendAll}): a proof that code between the operator and the agent kept back cannot be sent
 * later, once the operator has switched again.
 */
final class Challenges {
    static final Duration VALID = Duration.ofMinutes(2);
    private static final String PURPOSE = "warden-control nonce";

    private final byte[] key;   // null: no nonce is ever good
    private final Clock clock;
    private final SecureRandom random = JdkCrypto.random();
    private final Map<String, Instant> used = new HashMap<>();
    private final java.util.concurrent.atomic.AtomicLong generation = new java.util.concurrent.atomic.AtomicLong();

    Challenges(byte[] key, Clock clock) {
        this.key = key;
        this.clock = clock;
    }

    /**
     * {@code SECONDS.GENERATION.RANDOM.MAC}: the time it was issued, how many times nonces were spent before, 16 random
     * bytes, the MAC over them.
     */
    String issue() {
        byte[] bytes = new byte[16];
        random.nextBytes(bytes);
        String stamped = Long.toHexString(clock.instant().getEpochSecond()) + "." + Long.toHexString(generation.get())
                + "." + HexFormat.of().formatHex(bytes);
        return stamped + "." + (key == null ? "-" : mac(stamped));
    }

    /** Every nonce issued so far is spent: called once a switch was made. */
    void spendAll() {
        generation.incrementAndGet();
    }

    /**
     * Whether {@code nonce} is one this agent issued, not too old, not taken before and issued since the last switch: it
     * is taken now.
     */
    synchronized boolean take(String nonce) {
        if (key == null || nonce == null) {
            return false;
        }
        int last = nonce.lastIndexOf('.');
        int first = nonce.indexOf('.');
        if (first <= 0 || last <= first) {
            return false;
        }
        String stamped = nonce.substring(0, last);
        if (!MessageDigest.isEqual(mac(stamped).getBytes(StandardCharsets.US_ASCII), nonce.substring(last + 1).getBytes(StandardCharsets.UTF_8))) {
            return false;
        }
        Instant issued;
        try {
            String[] parts = stamped.split("\\.");
            issued = Instant.ofEpochSecond(Long.parseLong(parts[0], 16));
            if (parts.length != 3 || Long.parseLong(parts[1], 16) != generation.get()) {
                return false; // spent by a switch made since
            }
        } catch (RuntimeException malformed) {
            return false;
        }
        Instant now = clock.instant();
        used.values().removeIf(until -> now.isAfter(until));
        Instant until = issued.plus(VALID);
        if (now.isAfter(until) || issued.isAfter(now.plusSeconds(5))) {
            return false;
        }
        return used.putIfAbsent(nonce, until) == null;
    }

    private String mac(String stamped) {
        return SwitchProof.mac(key, PURPOSE, List.of(stamped));
    }
}
