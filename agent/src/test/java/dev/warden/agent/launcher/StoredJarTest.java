package dev.warden.agent.launcher;

import org.junit.jupiter.api.Test;

import java.io.ByteArrayInputStream;
import java.io.EOFException;
import java.util.zip.ZipEntry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** How the loader reads a class's bytes out of an unpacked jar's entry. */
class StoredJarTest {

    private static final byte[] CONTENT = new byte[20_000]; // more than one of readAllBytes' buffers

    static {
        for (int i = 0; i < CONTENT.length; i++) {
            CONTENT[i] = (byte) (i * 31);
        }
    }

    @Test
    void anEntryIsReadWholeIntoAnArrayOfItsRecordedSize() throws Exception {
        byte[] read = StoredJar.readEntry(new ByteArrayInputStream(CONTENT), entry(CONTENT.length));

        assertThat(read).isEqualTo(CONTENT);
    }

    @Test
    void anEntryShorterThanItsRecordedSizeIsAnErrorNotAClassCutShort() {
        assertThatThrownBy(() -> StoredJar.readEntry(new ByteArrayInputStream(CONTENT), entry(CONTENT.length + 1)))
                .isInstanceOf(EOFException.class)
                .hasMessageContaining("example/Data.class is shorter than the 20001 bytes its entry records");
    }

    @Test
    void anEntryWithoutARecordedSizeIsReadToItsEnd() throws Exception {
        byte[] read = StoredJar.readEntry(new ByteArrayInputStream(CONTENT), new ZipEntry("example/Data.class"));

        assertThat(read).isEqualTo(CONTENT);
    }

    private static ZipEntry entry(long size) {
        ZipEntry entry = new ZipEntry("example/Data.class");
        entry.setSize(size);
        return entry;
    }
}
