package dev.warden.bootstrap;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import javax.crypto.Mac;
import javax.crypto.MacSpi;
import java.security.Key;
import java.security.MessageDigest;
import java.security.MessageDigestSpi;
import java.security.Provider;
import java.security.SecureRandom;
import java.security.SecureRandomSpi;
import java.security.Security;
import java.security.spec.AlgorithmParameterSpec;
import java.util.function.Supplier;

import static org.assertj.core.api.Assertions.assertThat;

/** The application's provider, put first in the list, is never what Warden hashes, MACs or draws random bytes with. */
class JdkCryptoTest {

    /** Serves every algorithm Warden uses, with working implementations of its own. */
    static final class Impostor extends Provider {
        Impostor() {
            super("Impostor", "1.0", "serves what Warden uses");
            serve("MessageDigest", "SHA-256", () -> new Digest("SHA-256"));
            serve("MessageDigest", "SHA-1", () -> new Digest("SHA-1"));
            serve("Mac", "HmacSHA256", Hmac::new);
            serve("SecureRandom", "NativePRNGNonBlocking", Zeros::new);
            serve("SecureRandom", "DRBG", Zeros::new);
        }

        private void serve(String type, String algorithm, Supplier<Object> made) {
            putService(new Service(this, type, algorithm, Object.class.getName(), null, null) {
                @Override
                public Object newInstance(Object parameter) {
                    return made.get();
                }
            });
        }
    }

    static final class Digest extends MessageDigestSpi {
        private final MessageDigest real;

        Digest(String algorithm) {
            try {
                real = MessageDigest.getInstance(algorithm, "SUN");
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
            return real.digest();
        }

        @Override
        protected void engineReset() {
            real.reset();
        }
    }

    static final class Hmac extends MacSpi {
        @Override
        protected int engineGetMacLength() {
            return 32;
        }

        @Override
        protected void engineInit(Key key, AlgorithmParameterSpec params) {
        }

        @Override
        protected void engineUpdate(byte input) {
        }

        @Override
        protected void engineUpdate(byte[] input, int offset, int length) {
        }

        @Override
        protected byte[] engineDoFinal() {
            return new byte[32];
        }

        @Override
        protected void engineReset() {
        }
    }

    static final class Zeros extends SecureRandomSpi {
        @Override
        protected void engineSetSeed(byte[] seed) {
        }

        @Override
        protected void engineNextBytes(byte[] bytes) {
            java.util.Arrays.fill(bytes, (byte) 0);
        }

        @Override
        protected byte[] engineGenerateSeed(int numBytes) {
            return new byte[numBytes];
        }
    }

    @AfterEach
    void removeImpostor() {
        Security.removeProvider("Impostor");
    }

    @Test
    void theJdksOwnProvidersServeWardenWhateverTheApplicationPutsFirst() throws Exception {
        Security.insertProviderAt(new Impostor(), 1);
        assertThat(MessageDigest.getInstance("SHA-256").getProvider().getName()).as("the list as the application left it")
                .isEqualTo("Impostor");
        assertThat(Mac.getInstance("HmacSHA256").getProvider().getName()).isEqualTo("Impostor");
        assertThat(SecureRandom.getInstance("DRBG").getProvider().getName()).isEqualTo("Impostor");

        assertThat(moduleOf(JdkCrypto.sha256().getProvider())).isSameAs(Object.class.getModule());
        assertThat(moduleOf(JdkCrypto.sha1().getProvider())).isSameAs(Object.class.getModule());
        assertThat(moduleOf(JdkCrypto.hmacSha256().getProvider())).isSameAs(Object.class.getModule());
        assertThat(moduleOf(JdkCrypto.random().getProvider())).isSameAs(Object.class.getModule());
        assertThat(JdkCrypto.randomUuid()).isNotEqualTo(JdkCrypto.randomUuid());
        assertThat(JdkCrypto.sha256().digest(new byte[0])).asHexString()
                .isEqualToIgnoringCase("e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
    }

    private static Module moduleOf(Provider provider) {
        return provider.getClass().getModule();
    }
}
