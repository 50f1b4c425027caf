package dev.warden.receipts;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.InputStream;
import java.util.Properties;

import static org.assertj.core.api.Assertions.assertThat;

/** Chronicle, initialised the one way Warden does it. */
class ChronicleSettingsTest {

    @Test
    void theEmptyPropertiesChronicleIsPointedAtAreFoundBeforeAnyFileOfThatName() throws IOException {
        // Chronicle asks its class loader first, then the file system relative to the working directory, where a
        // missing resource would let a planted file of that path in.
        try (InputStream empty = ChronicleSettings.class.getClassLoader().getResourceAsStream(ChronicleSettings.NO_PROPERTIES)) {
            assertThat(empty).isNotNull();
            Properties properties = new Properties();
            properties.load(empty);
            assertThat(properties).isEmpty();
        }
    }

    @Test
    void initialisingLeavesThePropertyAsItFoundIt() {
        String before = System.getProperty(ChronicleSettings.PROPERTIES_FILE);

        ChronicleSettings.initialise();

        assertThat(System.getProperty(ChronicleSettings.PROPERTIES_FILE)).isEqualTo(before);
    }
}
