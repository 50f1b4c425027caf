package dev.warden.bootstrap.file;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

/** A secret is known by whatever name opens the same file, and a key not written yet by its path. */
class WardenSecretsTest {

    @TempDir
    Path root;

    @Test
    void aSecretIsNamedByItsPathAndByEveryLinkToIt() throws Exception {
        Path key = Files.writeString(root.resolve("signing.pem"), "secret");
        Path symbolic = Files.createSymbolicLink(root.resolve("link"), key);
        Path hard = Files.createLink(root.resolve("hard"), key);
        Path other = Files.writeString(root.resolve("other"), "x");

        WardenSecrets.add(key);

        assertThat(WardenSecrets.named(key.toString())).isTrue();
        assertThat(WardenSecrets.named(symbolic.toString())).isTrue();
        assertThat(WardenSecrets.named(hard)).isTrue();
        assertThat(WardenSecrets.named(other.toString())).isFalse();
        assertThat(WardenSecrets.named("no\0such")).as("not a path").isFalse();
    }

    @Test
    void aKeyNotWrittenYetIsNamedByItsPathOnceItIs() throws Exception {
        Path later = root.resolve("generated-key.pem");
        WardenSecrets.add(later);
        Files.writeString(later, "generated");

        assertThat(WardenSecrets.named(later.toString())).isTrue();
        Path sameName = Files.writeString(Files.createDirectories(root.resolve("elsewhere")).resolve("generated-key.pem"), "x");
        assertThat(WardenSecrets.named(sameName.toString())).as("another file of the same name").isFalse();
    }
}
