package dev.warden.agent;

import dev.warden.agent.config.ConfigException;
import dev.warden.agent.config.ConfigLoader;
import dev.warden.agent.config.WardenConfig;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Properties;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** What a child JVM's agent is told: this JVM's effective configuration, explicitly, with absolute paths. */
class ChildAgentOptionsTest {

    private static final java.util.Set<String> SURFACES = java.util.Set.of("jdbc", "http", "net", "tool", "model", "process");
    private static final Path UNPACKED = Path.of("/tmp/warden-user");

    @TempDir
    Path directory;

    @Test
    void childAgentIsOffByDefaultAndMustBeABoolean() throws Exception {
        assertThat(ConfigLoader.load("rules=" + directory, new Properties(), Map.of(), SURFACES, UNPACKED).childAgent()).isFalse();
        assertThat(ConfigLoader.load("rules=" + directory + ",child-agent=true", new Properties(), Map.of(), SURFACES, UNPACKED).childAgent()).isTrue();
        assertThatThrownBy(() -> ConfigLoader.load("rules=" + directory + ",child-agent=yes", new Properties(), Map.of(), SURFACES, UNPACKED))
                .isInstanceOf(ConfigException.class).hasMessageContaining("child-agent");
    }

    @Test
    void theChildGetsTheParentsEffectiveConfigurationWhateverItsOwnSourcesSay() throws Exception {
        Path key = Files.writeString(directory.resolve("signing.pem"), "not read here");
        Properties properties = new Properties();
        properties.setProperty("warden.actor", "parent-actor");
        WardenConfig parent = ConfigLoader.load("rules=" + directory + ",key=" + key + ",mode=shadow,surfaces=jdbc,tool,child-agent=true,log=warn",
                properties, Map.of("WARDEN_CHECKPOINT_EVERY", "9"), SURFACES, UNPACKED);

        String arguments = ChildAgentOptions.arguments(parent);
        Properties childProperties = new Properties();
        childProperties.setProperty("warden.actor", "the child's own");
        WardenConfig child = ConfigLoader.load(arguments + ",receipts=/tmp/child", childProperties, Map.of("WARDEN_MODE", "enforce"), SURFACES, UNPACKED);

        assertThat(arguments).contains("rules=" + directory.toAbsolutePath(), "key=" + key.toAbsolutePath(), "child-agent=true")
                .doesNotContain("receipts=");
        assertThat(child.rules()).isEqualTo(parent.rules().toAbsolutePath());
        assertThat(child.mode()).isEqualTo(parent.mode());
        assertThat(child.actor()).isEqualTo("parent-actor");
        assertThat(child.surfaces()).isEqualTo(parent.surfaces());
        assertThat(child.checkpointEvery()).isEqualTo(9);
        assertThat(child.log()).isEqualTo(WardenConfig.LogLevel.WARN);
        assertThat(child.childAgent()).isTrue();
        assertThat(child.receipts()).isEqualTo(Path.of("/tmp/child"));
    }
}
