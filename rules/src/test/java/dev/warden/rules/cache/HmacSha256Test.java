package dev.warden.rules.cache;

import org.junit.jupiter.api.Test;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import java.nio.charset.StandardCharsets;
import java.util.HexFormat;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;

class HmacSha256Test {

    @Test
    void rfc4231TestCaseTwo() throws Exception {
        byte[] mac = HmacSha256.of("Jefe".getBytes(StandardCharsets.US_ASCII),
                "what do ya want ".getBytes(StandardCharsets.US_ASCII), "for nothing?".getBytes(StandardCharsets.US_ASCII));

        assertThat(HexFormat.of().formatHex(mac)).isEqualTo("5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843");
    }

    @Test
    void itIsTheJdksHmacForKeysShorterThanLongerThanAndAsLongAsABlockAndForAnyParts() throws Exception {
        Random random = new Random(17);
        for (int keyLength : new int[] {1, 32, 63, 64, 65, 200}) {
            for (int partLength : new int[] {0, 1, 55, 64, 1000}) {
                byte[] key = new byte[keyLength];
                byte[] first = new byte[partLength];
                byte[] second = new byte[partLength / 2 + 3];
                random.nextBytes(key);
                random.nextBytes(first);
                random.nextBytes(second);
                Mac jdk = Mac.getInstance("HmacSHA256");
                jdk.init(new SecretKeySpec(key, "HmacSHA256"));
                jdk.update(first);
                jdk.update(second);

                assertThat(HmacSha256.of(key, first, second)).as("key %d bytes, parts %d", keyLength, partLength)
                        .isEqualTo(jdk.doFinal());
            }
        }
        // The JDK refuses an empty key; RFC 2104 pads it with zeros like any short key.
        assertThat(HmacSha256.of(new byte[0], new byte[] {1}))
                .isEqualTo(HmacSha256.of(new byte[1], new byte[] {1}));
    }
}
