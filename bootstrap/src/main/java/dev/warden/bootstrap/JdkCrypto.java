package dev.warden.bootstrap;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
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
 * SHA-256, SHA-1, HMAC-SHA256 and randomness from the JDK's own providers, never from the provider list as the
 * application may have changed it: {@code Security.insertProviderAt} is public, and a provider of the application's
 * first in the list would run its code inside Warden's decisions (where actions pass ungated), see the keys Warden
 * MACs with and choose the bytes of Warden's keys and nonces. A provider counts as the JDK's when its class is in
 * {@code java.base}. The digests are made once, checked against known answers, and handed out as clones, and the
 * generator is made once: what the application later does to the provider objects themselves ({@code clear},
 * {@code put} are public) changes nothing here. {@link #settle} does it at the agent's start, before the host's
 * {@code main}; if the application had removed or rewired them before, every use fails: Warden refuses rather than
 * hash with code it cannot trust.
 */
public final class JdkCrypto {

    private JdkCrypto() {
    }

    /**
     * Makes the digests and the generator now, and the JDK's JVM-wide generators that libraries draw from on Warden's
     * threads ({@code UUID.randomUUID}'s, {@code Files.createTempFile}'s): whoever makes them first chooses their provider.
     */
    public static void settle() {
        Digests.SHA256.getAlgorithm();
        UUID.randomUUID();
        try {
            // Its directory is the launch's java.io.tmpdir whenever it is made. Not File.createTempFile's holder, which
            // on JDK 17 reads the property as it is when first used, so that the host may still set it in main.
            Class.forName("java.nio.file.TempFileHelper", true, null);
        } catch (ClassNotFoundException | LinkageError notInThisJdk) {
            // nothing of it to settle
        }
    }

    public static MessageDigest sha256() {
        return copy(Digests.SHA256);
    }

    /** For names, not for security (Redis addresses a script by it). */
    public static MessageDigest sha1() {
        return copy(Digests.SHA1);
    }

    /** Uninitialised: the caller gives it its key. Made on first use (the JCE's start costs tens of milliseconds). */
    public static Mac hmacSha256() {
        try {
            return (Mac) Hmac.PROTOTYPE.clone();
        } catch (CloneNotSupportedException e) {
            throw new IllegalStateException("the JDK's HmacSHA256 cannot be copied", e);
        }
    }

    /** The JDK's generator: the operating system's entropy where it has one ({@code /dev/urandom}), else its DRBG. */
    public static SecureRandom random() {
        return Digests.RANDOM;
    }

    /** A random (version 4) UUID from {@link #random()}: {@code UUID.randomUUID} takes the first provider in the list. */
    public static UUID randomUuid() {
        byte[] bytes = new byte[16];
        Digests.RANDOM.nextBytes(bytes);
        bytes[6] = (byte) ((bytes[6] & 0x0f) | 0x40);
        bytes[8] = (byte) ((bytes[8] & 0x3f) | 0x80);
        ByteBuffer buffer = ByteBuffer.wrap(bytes);
        return new UUID(buffer.getLong(), buffer.getLong());
    }

    private static final class Digests {
        static final Provider SUN = jdks("SUN");
        static final MessageDigest SHA256 = checked(digest("SHA-256"), "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
        static final MessageDigest SHA1 = checked(digest("SHA-1"), "a9993e364706816aba3e25717850c26c9cd0d89d");
        static final SecureRandom RANDOM = generator();

        private static MessageDigest digest(String algorithm) {
            try {
                return MessageDigest.getInstance(algorithm, SUN);
            } catch (GeneralSecurityException e) {
                throw new IllegalStateException("the JDK's SUN provider has no " + algorithm, e);
            }
        }

        private static MessageDigest checked(MessageDigest digest, String answerToAbc) {
            if (!HexFormat.of().formatHex(digest.digest("abc".getBytes(StandardCharsets.US_ASCII))).equals(answerToAbc)) {
                throw new IllegalStateException("the JDK's " + digest.getAlgorithm() + " does not give the known answer");
            }
            return digest;
        }

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
    }

    /** Apart: the JCE is needed only for a MAC, not on the way to the host's first decision. */
    private static final class Hmac {
        static final Mac PROTOTYPE = prototype();

        private static Mac prototype() {
            try {
                Mac mac = Mac.getInstance("HmacSHA256", jdks("SunJCE"));
                // RFC 4231, test case 2.
                mac.init(new SecretKeySpec("Jefe".getBytes(StandardCharsets.US_ASCII), "HmacSHA256"));
                String answer = HexFormat.of().formatHex(mac.doFinal("what do ya want for nothing?".getBytes(StandardCharsets.US_ASCII)));
                if (!answer.equals("5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843")) {
                    throw new IllegalStateException("the JDK's HmacSHA256 does not give the known answer");
                }
                return mac; // every copy is given its own key
            } catch (GeneralSecurityException e) {
                throw new IllegalStateException("the JDK's SunJCE provider has no HmacSHA256", e);
            }
        }
    }

    private static MessageDigest copy(MessageDigest prototype) {
        try {
            return (MessageDigest) prototype.clone();
        } catch (CloneNotSupportedException e) {
            throw new IllegalStateException("the JDK's " + prototype.getAlgorithm() + " cannot be copied", e);
        }
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
        throw new IllegalStateException("the JDK's " + name + " provider is not in the provider list");
    }

    private static boolean isJdks(Provider provider) {
        return provider != null && provider.getClass().getModule() == Object.class.getModule();
    }
}
