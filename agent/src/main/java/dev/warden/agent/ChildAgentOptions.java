package dev.warden.agent;

import dev.warden.agent.config.ConfigKey;
import dev.warden.agent.config.WardenConfig;
import dev.warden.agent.engine.OwnFiles;
import dev.warden.bootstrap.process.ChildAgent;

import java.net.URISyntaxException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Publishes, once at start and before any instrumentation, whether child JVMs get Warden and with which arguments
 * ({@code child-agent}). A child gets this JVM's effective configuration as explicit agent arguments, paths made
 * absolute (its working directory may differ), so that neither its own system properties, nor its environment, nor a
 * configuration file it names can weaken it; only the receipts directory differs, as a receipt log has one writer.
 * <p>
 * Every key is given, those that describe this JVM's own log (its witnesses, its exported checkpoints, a key rotation,
 * a per-process chain) as unset: agent arguments come first, so a {@code -Dwarden.*} or {@code WARDEN_*} of the
 * child's is never read. Until a tenth review (2026-12-07) twenty-two keys were left out, and a child the policy let
 * start as carrying Warden set them itself: {@code -Dwarden.siem=file:...} had its Warden write a file of the host's
 * choosing, ungated, and so could {@code checkpoint-export}; {@code key}, {@code clock}, {@code siem=syslog://} and
 * {@code otlp-endpoint} were the child's to choose, and the parent's {@code file-reads=true} or {@code state=redis://}
 * never reached it.
 */
final class ChildAgentOptions {

    private ChildAgentOptions() {
    }

    static void publish(WardenConfig config) {
        if (!config.childAgent()) {
            ChildAgent.publishOff();
            return;
        }
        Path agentJar = agentJar();
        ChildAgent.publish(agentJar.toString(), arguments(config, agentJar), config.childReceipts().toString());
    }

    /**
     * Every key but {@code receipts}, which the parent adds per child. What this JVM keeps as its own, and its
     * parents' if it is a child itself, the child keeps too ({@code parent-kept}, {@code parent-secrets}): its code
     * would otherwise write this JVM's receipts, its siblings' or its SIEM file under a policy that lets it write
     * there. A per-process chain's generated key is named only once the chain is claimed, after this: its directory is
     * within the receipts directory, which the child keeps.
     *
     * @throws IllegalStateException when a key is missing here: a key added to {@link ConfigKey} must be handed on too
     */
    static String arguments(WardenConfig config, Path agentJar) {
        Map<ConfigKey, String> given = new EnumMap<>(ConfigKey.class);
        given.put(ConfigKey.RULES, absolute(config.rules()));
        given.put(ConfigKey.KEY, config.key() == null ? "" : absolute(config.key()));
        given.put(ConfigKey.MODE, config.mode().name().toLowerCase(Locale.ROOT));
        given.put(ConfigKey.ACTOR, config.actor());
        given.put(ConfigKey.SURFACES, String.join(",", config.surfaces()));
        given.put(ConfigKey.POLICY_WAIT, millis(config.policyWait()));
        given.put(ConfigKey.CHECKPOINT_EVERY, Integer.toString(config.checkpointEvery()));
        given.put(ConfigKey.CHECKPOINT_INTERVAL, millis(config.checkpointInterval()));
        given.put(ConfigKey.SIGN_EVERY_RECEIPT, Boolean.toString(config.signEveryReceipt()));
        given.put(ConfigKey.REUSE_RULINGS, Boolean.toString(config.reuseRulings()));
        given.put(ConfigKey.FILE_READS, Boolean.toString(config.fileReads()));
        given.put(ConfigKey.RECEIPTS_MIN_FREE, String.valueOf(config.receiptsMinFree()));
        given.put(ConfigKey.REFUSAL_WINDOW, millis(config.refusalWindow()));
        // The child shares the parent's compiled policies (same rules, same build).
        given.put(ConfigKey.CACHE, config.cache() == null ? "off" : absolute(config.cache()));
        given.put(ConfigKey.LOG, config.log().name().toLowerCase(Locale.ROOT));
        given.put(ConfigKey.CHILD_AGENT, "true");
        // Limits, budgets and labels shared with the parent where it shares them.
        given.put(ConfigKey.STATE, config.state() == null ? "in-process" : config.state().describe());
        given.put(ConfigKey.STATE_TIMEOUT, millis(config.stateTimeout()));
        given.put(ConfigKey.STATE_SNAPSHOT_INTERVAL, millis(config.stateSnapshotInterval()));
        given.put(ConfigKey.HOLD_WAIT, millis(config.holdWait()));
        given.put(ConfigKey.CLOCK, config.clock() == null ? "system" : "file:" + absolute(config.clock()));
        given.put(ConfigKey.INSTALL_GATE, config.installGate() ? "main-waits" : "none");
        given.put(ConfigKey.RULES_WATCH, Boolean.toString(config.rulesWatch()));
        given.put(ConfigKey.OTLP_ENDPOINT, config.otlpEndpoint() == null ? "" : config.otlpEndpoint().toString());
        given.put(ConfigKey.OTLP_INTERVAL, millis(config.otlpInterval()));
        // A SIEM receiver takes every JVM's lines; a file has one writer and rotator, and stdout is the host's pipe.
        boolean syslog = config.siem() != null && config.siem().syslog() != null;
        given.put(ConfigKey.SIEM, syslog ? config.siem().syslog().describe() : "off");
        given.put(ConfigKey.SIEM_FORMAT, syslog ? config.siem().format().name().toLowerCase(Locale.ROOT) : ConfigKey.SIEM_FORMAT.defaultValue());
        given.put(ConfigKey.SIEM_MAX_BYTES, syslog ? Long.toString(config.siem().maxBytes()) : ConfigKey.SIEM_MAX_BYTES.defaultValue());
        given.put(ConfigKey.SIEM_FILES, syslog ? Integer.toString(config.siem().files()) : ConfigKey.SIEM_FILES.defaultValue());
        // What belongs to the parent's log alone: the child's is another log, cosigned and exported by nobody.
        given.put(ConfigKey.WITNESSES, "");
        given.put(ConfigKey.CHECKPOINT_EXPORT, "");
        given.put(ConfigKey.WITNESS_ALERT_RECEIPTS, Long.toString(config.witnessing().alertBound().receipts()));
        given.put(ConfigKey.WITNESS_ALERT_AFTER, millis(config.witnessing().alertBound().age()));
        given.put(ConfigKey.RECEIPTS_PER_PROCESS, "false");
        given.put(ConfigKey.INSTANCE, "");
        given.put(ConfigKey.ROTATE_KEY, "");
        given.put(ConfigKey.CONFIG, "");
        given.put(ConfigKey.PARENT_KEPT, pathList(OwnFiles.kept(config, agentJar)));
        given.put(ConfigKey.PARENT_SECRETS, pathList(OwnFiles.secrets(config, config.receipts())));
        List<String> arguments = new ArrayList<>();
        for (ConfigKey key : ConfigKey.values()) {
            if (key == ConfigKey.RECEIPTS) {
                continue;
            }
            String value = given.get(key);
            if (value == null) {
                throw new IllegalStateException("child-agent=true, but the child's " + key.key() + " is not handed on");
            }
            arguments.add(key.key() + "=" + value);
        }
        return String.join(",", arguments);
    }

    /** Absolute, without repeats, separated as a class path is (the agent arguments' own separator is a comma). */
    private static String pathList(List<Path> paths) {
        return String.join(java.io.File.pathSeparator, paths.stream().map(ChildAgentOptions::absolute).distinct().toList());
    }

    private static String absolute(Path path) {
        return path.toAbsolutePath().normalize().toString();
    }

    private static String millis(java.time.Duration duration) {
        return Long.toString(duration.toMillis());
    }

    /** The agent jar: where the launcher, the only Warden class on the application's class path, was loaded from. */
    private static Path agentJar() {
        try {
            Class<?> launcher = Class.forName("dev.warden.agent.launcher.WardenLauncher", false, ClassLoader.getSystemClassLoader());
            return Path.of(launcher.getProtectionDomain().getCodeSource().getLocation().toURI()).toAbsolutePath();
        } catch (ClassNotFoundException | URISyntaxException | RuntimeException e) {
            throw new IllegalStateException("child-agent=true, but the agent jar cannot be located: " + e, e);
        }
    }
}
