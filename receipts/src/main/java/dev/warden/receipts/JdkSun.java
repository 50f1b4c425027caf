package dev.warden.receipts;

import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.Provider;
import java.security.SecureRandom;
import java.security.Security;

/**
 * The JDK's own SUN provider (its class in {@code java.base}), found once, for the log's hashes and keys: in the
 * agent, the provider list is the application's to change ({@code Security.insertProviderAt} is public), and a provider
 * of its own first in the list would hash receipts with its code and choose the bytes of a signing key. The same rule
 * as the bootstrap's {@code JdkCrypto}, which this module cannot see.
 */
final class JdkSun {
    private static final Provider SUN = find();

    private JdkSun() {
    }

    static MessageDigest sha256() throws GeneralSecurityException {
        return MessageDigest.getInstance("SHA-256", provider());
    }

    /** The operating system's entropy where it has one ({@code /dev/urandom}), else the JDK's DRBG. */
    static SecureRandom random() {
        try {
            return SecureRandom.getInstance("NativePRNGNonBlocking", provider());
        } catch (GeneralSecurityException notHere) {
            try {
                return SecureRandom.getInstance("DRBG", provider());
            } catch (GeneralSecurityException e) {
                throw new IllegalStateException("the JDK's SUN provider has no SecureRandom", e);
            }
        }
    }

    /** A random (version 4) UUID: {@code UUID.randomUUID} takes the first SecureRandom in the provider list. */
    static java.util.UUID randomUuid() {
        byte[] bytes = new byte[16];
        Holder.RANDOM.nextBytes(bytes);
        bytes[6] = (byte) ((bytes[6] & 0x0f) | 0x40);
        bytes[8] = (byte) ((bytes[8] & 0x3f) | 0x80);
        java.nio.ByteBuffer buffer = java.nio.ByteBuffer.wrap(bytes);
        return new java.util.UUID(buffer.getLong(), buffer.getLong());
    }

    private static final class Holder {
        static final SecureRandom RANDOM = random();
    }

    private static Provider provider() {
        if (SUN == null) {
            throw new IllegalStateException("the JDK's SUN provider was not in the provider list when the log was opened");
        }
        return SUN;
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
        return null;
    }
}
