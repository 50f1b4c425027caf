package dev.warden.bootstrap;

import javax.crypto.Mac;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.Provider;
import java.security.SecureRandom;
import java.security.Security;

/**
 * SHA-256, HMAC-SHA256 and randomness from the JDK's own providers, never from the provider list as the application
 * may have changed it: {@code Security.insertProviderAt} is public, and a provider of the application's first in the
 * list would run its code inside Warden's decisions (where actions pass ungated), see the keys Warden MACs with and
 * choose the bytes of Warden's keys and nonces. A provider counts as the JDK's when its class is in {@code java.base};
 * they are found when this class is first used (at the agent's start) and kept, so that removing them from the list
 * later changes nothing. Without them (the application removed them before), every use fails: Warden refuses rather
 * than hash with code it cannot trust.
 */
public final class JdkCrypto {

    private static final Provider SUN = jdks("SUN");

    /** Apart: finding SunJCE is needed only for a MAC, not on the way to the host's first decision. */
    private static final class Jce {
        static final Provider SUN_JCE = jdks("SunJCE");
    }

    private JdkCrypto() {
    }

    public static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256", required(SUN, "SUN"));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("the JDK's SUN provider has no SHA-256", e);
        }
    }

    /** For names, not for security (Redis addresses a script by it). */
    public static MessageDigest sha1() {
        try {
            return MessageDigest.getInstance("SHA-1", required(SUN, "SUN"));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("the JDK's SUN provider has no SHA-1", e);
        }
    }

    /** A random (version 4) UUID from {@link #random()}: {@code UUID.randomUUID} takes the first provider in the list. */
    public static java.util.UUID randomUuid() {
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

    /** Uninitialised: the caller gives it its key. */
    public static Mac hmacSha256() {
        try {
            return Mac.getInstance("HmacSHA256", required(Jce.SUN_JCE, "SunJCE"));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("the JDK's SunJCE provider has no HmacSHA256", e);
        }
    }

    /** A generator reading the operating system's entropy where it has one ({@code /dev/urandom}), else the JDK's DRBG. */
    public static SecureRandom random() {
        Provider sun = required(SUN, "SUN");
        for (String algorithm : new String[] {"NativePRNGNonBlocking", "DRBG"}) {
            try {
                return SecureRandom.getInstance(algorithm, sun);
            } catch (GeneralSecurityException notHere) {
                // the next one
            }
        }
        throw new IllegalStateException("the JDK's SUN provider has no SecureRandom");
    }

    private static Provider required(Provider provider, String name) {
        if (provider == null) {
            throw new IllegalStateException("the JDK's " + name + " provider was not in the provider list when Warden started");
        }
        return provider;
    }

    /** The provider named {@code name} if it is the JDK's; looked for among all only when the one of that name is not. */
    private static Provider jdks(String name) {
        Provider named = Security.getProvider(name); // loads that one alone
        if (isJdks(named)) {
            return named;
        }
        for (Provider provider : Security.getProviders()) {
            if (provider.getName().equals(name) && isJdks(provider)) {
                return provider;
            }
        }
        return null;
    }

    private static boolean isJdks(Provider provider) {
        return provider != null && provider.getClass().getModule() == Object.class.getModule();
    }
}
