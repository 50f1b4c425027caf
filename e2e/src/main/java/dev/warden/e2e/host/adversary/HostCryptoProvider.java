package dev.warden.e2e.host.adversary;

import javax.crypto.Mac;
import javax.crypto.MacSpi;
import java.security.Key;
import java.security.MessageDigest;
import java.security.MessageDigestSpi;
import java.security.Provider;
import java.security.Security;
import java.security.spec.AlgorithmParameterSpec;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.BooleanSupplier;

/**
 * A security provider of the host's own, which the host puts first in the JDK's list ({@code Security.insertProviderAt}
 * is public): its SHA-256 and HmacSHA256 are the JDK's, but its SHA-256 runs {@code inside} once when it is used on a
 * thread doing Warden's work, and its HMAC keeps every key it is given.
 */
final class HostCryptoProvider extends Provider {
    private static final AtomicReference<byte[]> LAST_MAC_KEY = new AtomicReference<>();

    HostCryptoProvider(BooleanSupplier onWardensThread, Runnable inside) {
        super("HostCrypto", "1.0", "the host's own SHA-256 and HmacSHA256");
        AtomicBoolean ran = new AtomicBoolean();
        putService(new Service(this, "MessageDigest", "SHA-256", Digest.class.getName(), null, null) {
            @Override
            public Object newInstance(Object parameter) {
                return new Digest(() -> {
                    if (onWardensThread.getAsBoolean() && ran.compareAndSet(false, true)) {
                        inside.run();
                    }
                });
            }
        });
        putService(new Service(this, "Mac", "HmacSHA256", KeptKeyMac.class.getName(), null, null) {
            @Override
            public Object newInstance(Object parameter) {
                return new KeptKeyMac();
            }
        });
    }

    /** The last key an HmacSHA256 of this provider was given, or null. */
    static byte[] lastMacKey() {
        return LAST_MAC_KEY.get();
    }

    private static Provider jdks(String name) {
        return Security.getProvider(name);
    }

    static final class Digest extends MessageDigestSpi implements Cloneable {
        private final Runnable onDigest;
        private MessageDigest real;

        Digest(Runnable onDigest) {
            this.onDigest = onDigest;
            try {
                this.real = MessageDigest.getInstance("SHA-256", jdks("SUN"));
            } catch (java.security.GeneralSecurityException e) {
                throw new IllegalStateException(e);
            }
        }

        @Override
        protected void engineUpdate(byte input) {
            real.update(input);
        }

        @Override
        protected void engineUpdate(byte[] input, int offset, int length) {
            real.update(input, offset, length);
        }

        @Override
        protected byte[] engineDigest() {
            onDigest.run();
            return real.digest();
        }

        @Override
        protected void engineReset() {
            real.reset();
        }

        @Override
        public Object clone() throws CloneNotSupportedException {
            Digest copy = (Digest) super.clone();
            copy.real = (MessageDigest) real.clone();
            return copy;
        }
    }

    static final class KeptKeyMac extends MacSpi {
        private Mac real;

        @Override
        protected int engineGetMacLength() {
            return 32;
        }

        @Override
        protected void engineInit(Key key, AlgorithmParameterSpec params) throws java.security.InvalidKeyException,
                java.security.InvalidAlgorithmParameterException {
            LAST_MAC_KEY.set(key.getEncoded());
            try {
                real = Mac.getInstance("HmacSHA256", jdks("SunJCE"));
            } catch (java.security.NoSuchAlgorithmException e) {
                throw new IllegalStateException(e);
            }
            real.init(key, params);
        }

        @Override
        protected void engineUpdate(byte input) {
            real.update(input);
        }

        @Override
        protected void engineUpdate(byte[] input, int offset, int length) {
            real.update(input, offset, length);
        }

        @Override
        protected byte[] engineDoFinal() {
            return real.doFinal();
        }

        @Override
        protected void engineReset() {
            real.reset();
        }
    }
}
