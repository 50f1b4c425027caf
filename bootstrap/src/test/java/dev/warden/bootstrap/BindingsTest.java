package dev.warden.bootstrap;

import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.HexFormat;

import static org.assertj.core.api.Assertions.assertThat;

class BindingsTest {

    @Test
    void aFinishedDigestIsItsLowercaseHexAndTheDigestStartsOver() throws Exception {
        MessageDigest sha = Bindings.sha256();
        sha.update("invoice 7".getBytes(StandardCharsets.UTF_8));

        assertThat(Bindings.hexDigest(sha)).isEqualTo(HexFormat.of().formatHex(
                MessageDigest.getInstance("SHA-256").digest("invoice 7".getBytes(StandardCharsets.UTF_8))));
        sha.update("invoice 8".getBytes(StandardCharsets.UTF_8));
        assertThat(Bindings.hexDigest(sha)).isEqualTo(HexFormat.of().formatHex(
                MessageDigest.getInstance("SHA-256").digest("invoice 8".getBytes(StandardCharsets.UTF_8))));
    }

    @Test
    void aShorterDigestIsRefusedNotPaddedWithAnEarlierOnesBytes() throws Exception {
        MessageDigest sha1 = MessageDigest.getInstance("SHA-1");
        sha1.update((byte) 1);

        org.assertj.core.api.Assertions.assertThatThrownBy(() -> Bindings.hexDigest(sha1))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("SHA-1");
    }

    @Test
    void hexSpellsEveryByte() {
        byte[] every = new byte[256];
        for (int i = 0; i < every.length; i++) {
            every[i] = (byte) i;
        }
        assertThat(Bindings.hex(every)).isEqualTo(HexFormat.of().formatHex(every));
    }
}
