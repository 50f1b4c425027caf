package dev.warden.bootstrap.jdbc;

import dev.warden.bootstrap.Bindings;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;

/** Whatever the sizes of the pieces put, the buffer digests exactly their concatenation. */
class DigestBufferTest {

    @Test
    void piecesOfEverySizeDigestAsTheirConcatenation() {
        Random random = new Random(17);
        DigestBuffer buffer = new DigestBuffer();
        ByteArrayOutputStream all = new ByteArrayOutputStream();
        for (int size : new int[]{1, 0, 3, 511, 512, 513, 2, 4096, 1, 100, 700}) {
            byte[] piece = new byte[size];
            random.nextBytes(piece);
            if (size == 1) {
                buffer.put(piece[0]);
            } else {
                buffer.put(piece);
            }
            all.writeBytes(piece);
        }

        assertThat(buffer.hex()).isEqualTo(Bindings.hex(Bindings.sha256().digest(all.toByteArray())));
    }

    @Test
    void aResetForgetsWhatWasPutBeforeIt() {
        DigestBuffer buffer = new DigestBuffer();
        buffer.put(new byte[]{1, 2, 3});
        buffer.put(new byte[600]);
        buffer.reset().put((byte) 'a');

        assertThat(buffer.hex()).isEqualTo(Bindings.hex(Bindings.sha256().digest(new byte[]{'a'})));
        assertThat(buffer.hex()).as("hex() restarts the digest").isEqualTo(Bindings.hex(Bindings.sha256().digest()));
    }
}
