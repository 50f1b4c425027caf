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
    private static final Path AGENT_JAR = Path.of("/opt/warden/warden-agent.jar");

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

        String arguments = ChildAgentOptions.arguments(parent, AGENT_JAR);
        Properties childProperties = new Properties();
        childProperties.setProperty("warden.actor", "the child's own");
        WardenConfig child = ConfigLoader.load(arguments + ",receipts=/tmp/child", childProperties, Map.of("WARDEN_MODE", "enforce"), SURFACES, UNPACKED);

        assertThat(arguments).contains("rules=" + directory.toAbsolutePath(), "key=" + key.toAbsolutePath(), "child-agent=true")
                .doesNotContainPattern("(^|,)receipts=");
        assertThat(child.rules()).isEqualTo(parent.rules().toAbsolutePath());
        assertThat(child.mode()).isEqualTo(parent.mode());
        assertThat(child.actor()).isEqualTo("parent-actor");
        assertThat(child.surfaces()).isEqualTo(parent.surfaces());
        assertThat(child.checkpointEvery()).isEqualTo(9);
        assertThat(child.log()).isEqualTo(WardenConfig.LogLevel.WARN);
        assertThat(child.childAgent()).isTrue();
        assertThat(child.receipts()).isEqualTo(Path.of("/tmp/child"));
    }

    /**
     * Found by a tenth review (2026-12-07): twenty-two keys were not handed on, so a child JVM the policy permitted as
     * carrying Warden read them from its own {@code -Dwarden.*}, {@code WARDEN_*} and {@code config} file: a SIEM file,
     * exported checkpoints and a signing key of the host's choosing, Warden's clock from a file, and reads undecided
     * under a parent that decides them.
     */
    @Test
    void everyKeyIsHandedOnSoNoneOfTheChildsOwnSourcesSetsOne() throws Exception {
        Path clock = Files.writeString(directory.resolve("clock"), "2026-12-07T00:00:00Z");
        WardenConfig parent = ConfigLoader.load("rules=" + directory + ",child-agent=true,file-reads=true,state=redis://127.0.0.1:6390/3,"
                + "hold-wait=5000,siem=syslog://127.0.0.1:5514,siem-format=ocsf,rules-watch=false", new Properties(), Map.of(), SURFACES, UNPACKED);
        String arguments = ChildAgentOptions.arguments(parent, AGENT_JAR);
        java.util.Set<String> named = new java.util.TreeSet<>();
        for (String argument : arguments.split(",")) {
            if (argument.indexOf('=') > 0) {
                named.add(argument.substring(0, argument.indexOf('=')));
            }
        }
        java.util.Set<String> keys = new java.util.TreeSet<>();
        for (dev.warden.agent.config.ConfigKey key : dev.warden.agent.config.ConfigKey.values()) {
            keys.add(key.key());
        }
        keys.remove("receipts");
        assertThat(named).isEqualTo(keys);

        Path hostKey = Files.writeString(directory.resolve("host.pem"), "the host's own");
        Path yaml = Files.writeString(directory.resolve("child.yaml"), "rules-watch: true\nmode: shadow\n");
        Properties childProperties = new Properties();
        childProperties.setProperty("warden.siem", "file:" + directory.resolve("siem.jsonl"));
        childProperties.setProperty("warden.key", hostKey.toString());
        childProperties.setProperty("warden.clock", "file:" + clock);
        childProperties.setProperty("warden.file-reads", "false");
        childProperties.setProperty("warden.otlp-endpoint", "http://127.0.0.1:9/");
        WardenConfig child = ConfigLoader.load(arguments + ",receipts=" + directory.resolve("child"), childProperties,
                Map.of("WARDEN_CHECKPOINT_EXPORT", directory.resolve("export").toString(), "WARDEN_STATE", "in-process",
                        "WARDEN_HOLD_WAIT", "0", "WARDEN_CONFIG", yaml.toString(), "WARDEN_INSTALL_GATE", "main-waits"),
                SURFACES, UNPACKED);

        assertThat(child.siem().file()).isNull();
        assertThat(child.siem().syslog()).isEqualTo(parent.siem().syslog());
        assertThat(child.siem().format()).isEqualTo(parent.siem().format());
        assertThat(child.key()).isNull();
        assertThat(child.clock()).isNull();
        assertThat(child.fileReads()).isTrue();
        assertThat(child.otlpEndpoint()).isNull();
        assertThat(child.witnessing().export()).isNull();
        assertThat(child.witnessing().list()).isNull();
        assertThat(child.state()).isEqualTo(parent.state());
        assertThat(child.holdWait()).isEqualTo(parent.holdWait());
        assertThat(child.config()).isNull();
        assertThat(child.rulesWatch()).isFalse();
        assertThat(child.mode()).isEqualTo(parent.mode());
        assertThat(child.installGate()).isFalse();
        assertThat(child.chain().instance()).isNull();
        assertThat(child.chain().rotateFrom()).isNull();
        assertThat(child.chain().perProcess()).isFalse();
    }

    @Test
    void aParentsClockFileAndOtlpEndpointAreTheChildsToo() throws Exception {
        Path clock = Files.writeString(directory.resolve("clock"), "2026-12-07T00:00:00Z");
        WardenConfig parent = ConfigLoader.load("rules=" + directory + ",child-agent=true,clock=file:" + clock
                + ",otlp-endpoint=http://127.0.0.1:4318", new Properties(), Map.of(), SURFACES, UNPACKED);
        WardenConfig child = ConfigLoader.load(ChildAgentOptions.arguments(parent, AGENT_JAR) + ",receipts=/tmp/child", new Properties(), Map.of(),
                SURFACES, UNPACKED);
        assertThat(child.clock()).isEqualTo(clock.toAbsolutePath());
        assertThat(child.otlpEndpoint()).isEqualTo(parent.otlpEndpoint());
        assertThat(child.siem().enabled()).isFalse();
    }

    /**
     * Found by an eleventh review (2026-12-07): a child's Warden kept its own files, not its parent's, so that under a
     * policy letting it write there a child's code wrote its parent's receipts log or SIEM file; and no JVM kept its
     * children's logs, which the parent's host code could rewrite or remove.
     */
    @Test
    void aChildKeepsWhatItsParentsKeepAndAParentKeepsItsChildrensLogs() throws Exception {
        Path root = directory.toRealPath();
        Path key = Files.writeString(root.resolve("signing.pem"), "not read here");
        Path receipts = root.resolve("receipts");
        Path siem = root.resolve("siem.jsonl");
        WardenConfig parent = ConfigLoader.load("rules=" + root + ",receipts=" + receipts + ",key=" + key
                + ",child-agent=true,siem=file:" + siem, new Properties(), Map.of(), SURFACES, UNPACKED);
        WardenConfig child = ConfigLoader.load(ChildAgentOptions.arguments(parent, AGENT_JAR) + ",receipts="
                + parent.childReceipts().resolve("child-1-1"), new Properties(), Map.of(), SURFACES, UNPACKED);
        WardenConfig grandchild = ConfigLoader.load(ChildAgentOptions.arguments(child, AGENT_JAR) + ",receipts="
                + child.childReceipts().resolve("child-2-1"), new Properties(), Map.of(), SURFACES, UNPACKED);

        assertThat(parent.childReceipts()).isEqualTo(root.resolve("receipts.children"));
        assertThat(dev.warden.agent.engine.OwnFiles.kept(parent, AGENT_JAR)).contains(receipts, parent.childReceipts());
        assertThat(dev.warden.agent.engine.OwnFiles.kept(child, AGENT_JAR)).as("the parent's log, its children's, its SIEM file")
                .contains(receipts, parent.childReceipts(), siem, child.childReceipts());
        assertThat(dev.warden.agent.engine.OwnFiles.secrets(child, child.receipts())).as("the parent's keys")
                .contains(key, receipts.resolve(dev.warden.receipts.ReceiptLog.GENERATED_PRIVATE_KEY));
        assertThat(dev.warden.agent.engine.OwnFiles.kept(grandchild, AGENT_JAR)).as("every ancestor's")
                .contains(receipts, siem, child.receipts(), child.childReceipts());
        assertThat(child.siem().file()).as("the child writes no SIEM file itself").isNull();
        assertThatThrownBy(() -> ConfigLoader.load("rules=" + root + ",parent-kept=relative/receipts", new Properties(), Map.of(),
                SURFACES, UNPACKED)).isInstanceOf(ConfigException.class).hasMessageContaining("parent-kept");
    }
}
