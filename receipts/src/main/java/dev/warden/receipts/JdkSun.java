package dev.warden.receipts;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.Provider;
import java.security.SecureRandom;
import java.security.Security;
import java.util.HexFormat;
import java.util.UUID;

/**
 * The log's SHA-256 and random bytes from the JDK's own SUN provider (its class in {@code java.base}), for the log's
 * hashes and keys: in the agent the provider list is the application's to change ({@code Security.insertProviderAt}
 * is public), and a provider of its own first in the list would hash receipts with its code and choose the bytes of a
 * signing key. The digest is made once, checked against a known answer and handed out as copies, and the generator
 * made once, so that what the application later does to the provider object changes nothing; the agent has this done
 * at its start ({@link #settle}). The same rule as the bootstrap's {@code JdkCrypto}, which this module cannot see.
 */
public final class JdkSun {
    private static final Provider SUN = find();
    private static final MessageDigest SHA256 = checkedSha256();
    private static final SecureRandom RANDOM = generator();

    private JdkSun() {
    }

    /** Makes the digest and the generator now (the agent calls this before the host's {@code main}). */
    public static void settle() {
        SHA256.getAlgorithm();
    }

    static MessageDigest sha256() {
        try {
            return (MessageDigest) SHA256.clone();
        } catch (CloneNotSupportedException e) {
            throw new IllegalStateException("the JDK's SHA-256 cannot be copied", e);
        }
    }

    static SecureRandom random() {
        return RANDOM;
    }

    /** A random (version 4) UUID: {@code UUID.randomUUID} takes the first SecureRandom in the provider list. */
    static UUID randomUuid() {
        byte[] bytes = new byte[16];
        RANDOM.nextBytes(bytes);
        bytes[6] = (byte) ((bytes[6] & 0x0f) | 0x40);
        bytes[8] = (byte) ((bytes[8] & 0x3f) | 0x80);
        ByteBuffer buffer = ByteBuffer.wrap(bytes);
        return new UUID(buffer.getLong(), buffer.getLong());
    }

    private static MessageDigest checkedSha256() {
        try {
            MessageDigest digest = MessageDigest.getInstance("SHA-256", SUN);
            String answer = HexFormat.of().formatHex(digest.digest("abc".getBytes(StandardCharsets.US_ASCII)));
            if (!answer.equals("ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad")) {
                throw new IllegalStateException("the JDK's SHA-256 does not give the known answer");
            }
            return digest;
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("the JDK's SUN provider has no SHA-256", e);
        }
    }

    /** The operating system's entropy where it has one ({@code /dev/urandom}), else the JDK's DRBG. */
    private static SecureRandom generator() {
        for (String algorithm : new String[] {"NativePRNGNonBlocking", "DRBG"}) {
            try {
                return SecureRandom.getInstance(algorithm, SUN);
            } catch (GeneralSecurityException notHere) {
                // the next one
            }
        }
        throw new IllegalStateException("the JDK's SUN provider has no SecureRandom");
    }

    private static Provider find() {
        Provider named = Security.getProvider("SUN"); // loads that one alone
        if (named != null && named.getClass().getModule() == Object.class.getModule()) {
            return named;
        }
        for (Provider provider : Security.getProviders()) {
            if (provider.getName().equals("SUN") && provider.getClass().getModule() == Object.class.getModule()) {
                return provider;
            }
        }
        throw new IllegalStateException("the JDK's SUN provider is not in the provider list");
    }
}
