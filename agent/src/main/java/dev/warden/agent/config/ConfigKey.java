package dev.warden.agent.config;

import java.util.Arrays;
import java.util.Locale;
import java.util.Optional;

/** Every configuration key Warden accepts. Anything else is an error. */
public enum ConfigKey {
    RULES("rules", null, "directory of rule files (.drl); required"),
    RECEIPTS("receipts", "warden-receipts", "directory of the receipt log"),
    MODE("mode", "enforce", "enforce | shadow"),
    KEY("key", null, "Ed25519 private key (PEM PKCS#8) that signs checkpoints; generated next to the receipts when absent"),
    ACTOR("actor", "agent", "the actor when nothing more specific identifies one"),
    SURFACES("surfaces", "all", "surfaces to gate: all, or a list of the surfaces present (jdbc, http, net, tool, model, ...)"),
    POLICY_WAIT("policy-wait", "60000", "milliseconds an action waits for the policy to compile and the engine to be ready"),
    CACHE("cache", "default", "directory where compiled policies, the transformed JDK classes and the snapshot of the "
            + "in-process state are kept across starts (verified before use): default (policies in the directory "
            + "Warden's jars are unpacked in: $TMPDIR/warden-$USER, warden-<uid> for a user the JVM names ?, or the private "
            + "directory used when another user took that name), a directory of this user's that nobody else can write, or off"),
    CHECKPOINT_EVERY("checkpoint-every", "256", "sign a checkpoint after this many receipts"),
    CHECKPOINT_INTERVAL("checkpoint-interval", "250", "sign a checkpoint at least this often (milliseconds)"),
    SIGN_EVERY_RECEIPT("sign-every-receipt", "false", "strict mode: sign a checkpoint for every receipt (slow)"),
    REUSE_RULINGS("reuse-rulings", "true", "recall the ruling of an identical earlier action instead of evaluating the rules again; "
            + "set false when rules consult anything but the action's facts"),
    FILE_READS("file-reads", "false", "true: opening a file for reading is decided too (file surface); off by default, "
            + "class loading and library reads would flood the receipts"),
    LOG("log", "info", "info | warn | off: what Warden prints to stderr"),
    CHILD_AGENT("child-agent", "false", "true: a java child process gets Warden too, through JAVA_TOOL_OPTIONS, "
            + "with its own receipts directory <receipts>.children/child-<pid>-<n>"),
    STATE("state", "in-process", "where limits, budgets and session labels live: in-process, or redis://host:port[/db] "
            + "to share them among JVMs"),
    STATE_TIMEOUT("state-timeout", "50", "milliseconds the state store may take to connect or answer; "
            + "slower or unreachable, the actions that need it are refused"),
    STATE_SNAPSHOT_INTERVAL("state-snapshot-interval", "600000", "milliseconds between the passes of a Warden thread that "
            + "brings the snapshot of the in-process state forward from the receipt log, so that a start after a long run "
            + "replays only what was recorded since the last pass (about 1 µs of CPU per receipt); at least 1000, or 0: only at a start"),
    WITNESSES("witnesses", null, "file of witnesses that cosign checkpoints, one '<url> <verifier key>' a line "
            + "(C2SP tlog-witness; docs/RECEIPTS.md)"),
    CHECKPOINT_EXPORT("checkpoint-export", null, "file outside the receipts directory that every signed and cosigned "
            + "checkpoint is appended to"),
    WITNESS_ALERT_RECEIPTS("witness-alert-receipts", "10000", "alert when a witness has not cosigned this many signed receipts"),
    WITNESS_ALERT_AFTER("witness-alert-after", "300000", "... or a signed checkpoint for this many milliseconds"),
    HOLD_WAIT("hold-wait", "0", "milliseconds a call held for approval waits for its approvals before it is refused "
            + "(0: refused at once, the agent retries); at most 600000"),
    CLOCK("clock", "system", "system, or file:PATH: Warden's time is the instant written in PATH (ISO-8601), "
            + "for tests of approval windows and calendar limits; never in production"),
    INSTALL_GATE("install-gate", "none", "none, or main-waits: a start that installs ByteBuddy alongside the host's main does "
            + "so only once a class the host's main loads waits for it, for tests of what loads meanwhile; never in production"),
    RECEIPTS_MIN_FREE("receipts-min-free", "512MB", "usable space the receipts directory's file system must keep: a size "
            + "(512MB, 2GB) or a percentage (5%); below it every action is refused and the refusals recorded compactly, "
            + "below a quarter of it nothing more is written; 0 turns the watermark off"),
    REFUSAL_WINDOW("refusal-window", "1000", "milliseconds within which identical refusals form a burst: after the first 3 "
            + "full receipts, the others are counted in one receipt per window; 0 gives every refusal a full receipt"),
    SIEM("siem", "off", "off | stdout | file:PATH | syslog://HOST:PORT | syslog+tcp://HOST:PORT: every decision "
            + "and checkpoint as a JSON line for a SIEM (docs/SIEM.md)"),
    SIEM_FORMAT("siem-format", "ecs", "ecs | ocsf: the schema of the SIEM lines"),
    SIEM_MAX_BYTES("siem-max-bytes", "104857600", "bytes a SIEM file may reach before it is rotated (PATH.1, PATH.2, ...)"),
    SIEM_FILES("siem-files", "5", "SIEM files kept, the one written included"),
    RECEIPTS_PER_PROCESS("receipts-per-process", "false", "true: this JVM writes its own chain in <receipts>/<instance>, "
            + "so several JVMs can share one receipts directory (false: a second JVM on the directory refuses to start)"),
    INSTANCE("instance", null, "the chain's subdirectory with receipts-per-process=true; default the host name, or "
            + "<host>-2, <host>-3, ... when a running JVM writes that one"),
    ROTATE_KEY("rotate-key", null, "the private key (PEM) the receipts are signed with until now: when their checkpoints are "
            + "still this key's, the start hands the log to 'key' with a rotation receipt signed by both; a no-op afterwards"),
    OTLP_ENDPOINT("otlp-endpoint", null, "OTLP/HTTP (protobuf) base URL Warden exports its decisions, metrics and checkpoints to "
            + "(http://127.0.0.1:4318) without the OpenTelemetry Java agent; unset: no telemetry, no OpenTelemetry class loaded"),
    OTLP_INTERVAL("otlp-interval", "10000", "milliseconds between metric exports (and batched span and log flushes) to otlp-endpoint"),
    RULES_WATCH("rules-watch", "true", "true: a change to the rules directory is compiled, linted and switched to without a "
            + "restart (a version that fails leaves the running one in force); false: only the reload command does"),
    CONFIG("config", null, "a YAML file of these keys"),
    PARENT_KEPT("parent-kept", null, "set by Warden for a java child (child-agent): what its parents' Warden keeps as its "
            + "own (their receipts and their children's, SIEM file, exported checkpoints, configuration...), which the "
            + "child's keeps too; absolute paths separated by " + java.io.File.pathSeparator),
    PARENT_SECRETS("parent-secrets", null, "set by Warden for a java child (child-agent): its parents' secret files "
            + "(their keys), which the child's Warden lets nothing read either; absolute paths separated by "
            + java.io.File.pathSeparator);

    private final String key;
    private final String defaultValue;
    private final String description;

    ConfigKey(String key, String defaultValue, String description) {
        this.key = key;
        this.defaultValue = defaultValue;
        this.description = description;
    }

    public String key() {
        return key;
    }

    public String defaultValue() {
        return defaultValue;
    }

    public String description() {
        return description;
    }

    /** {@code policy-wait} as a system property: {@code warden.policy-wait}. */
    public String systemProperty() {
        return "warden." + key;
    }

    /** {@code policy-wait} as an environment variable: {@code WARDEN_POLICY_WAIT}. */
    public String environmentVariable() {
        return "WARDEN_" + key.toUpperCase(Locale.ROOT).replace('-', '_');
    }

    public static Optional<ConfigKey> named(String key) {
        return Arrays.stream(values()).filter(candidate -> candidate.key.equals(key)).findFirst();
    }

    static java.util.List<String> names() {
        return Arrays.stream(values()).map(ConfigKey::key).toList();
    }

    static String knownKeys() {
        return String.join(", ", Arrays.stream(values()).map(ConfigKey::key).toList());
    }
}
