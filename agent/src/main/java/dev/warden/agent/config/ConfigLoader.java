package dev.warden.agent.config;

import dev.warden.agent.lint.Suggestions;
import dev.warden.agent.witness.UnwitnessedBound;
import dev.warden.agent.witness.WitnessEndpoint;
import dev.warden.agent.witness.WitnessList;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;

import java.io.IOException;
import java.io.Reader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.EnumMap;
import java.util.List;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.TreeSet;

/**
 * Reads configuration from, in precedence order: agent arguments ({@code k=v,k=v}), system
 * properties {@code warden.*}, environment variables {@code WARDEN_*}, a YAML file named by
 * {@code config}, and defaults. An unknown key or an invalid value is an error naming its source.
 */
public final class ConfigLoader {

    private static final String SIEM_VALUES = "off, stdout, file:PATH, syslog://HOST:PORT or syslog+tcp://HOST:PORT";

    /** A value and where it came from, for error messages. */
    private record Setting(String value, String source) {
    }

    private final Map<ConfigKey, Setting> settings = new EnumMap<>(ConfigKey.class);
    private final Set<String> surfaces;
    private final Path ownDirectory;

    private ConfigLoader(Set<String> surfaces, Path ownDirectory) {
        this.surfaces = surfaces;
        this.ownDirectory = ownDirectory;
    }

    /**
     * @param surfaces     the surfaces of the instrumentation modules present: what {@code surfaces=} may name
     * @param ownDirectory the directory Warden's jars are unpacked under ({@code $TMPDIR/warden-$USER}, unless another
     *                     user took that name): {@code cache=default} is its {@code policies}
     */
    public static WardenConfig load(String agentArguments, Properties systemProperties, Map<String, String> environment,
                                    Set<String> surfaces, Path ownDirectory) throws ConfigException {
        ConfigLoader loader = new ConfigLoader(Set.copyOf(surfaces), ownDirectory);
        loader.addAgentArguments(agentArguments);
        loader.addSystemProperties(systemProperties);
        loader.addEnvironment(environment);
        Setting configFile = loader.settings.get(ConfigKey.CONFIG);
        // Blank is unset: a child JVM's agent is given every key, blank ones too, so that none of its own sources counts.
        if (configFile != null && !configFile.value().isBlank()) {
            loader.addYaml(Path.of(configFile.value()));
        }
        return loader.build();
    }

    private void add(String key, String value, String source) throws ConfigException {
        ConfigKey known = ConfigKey.named(key).orElseThrow(() -> new ConfigException(
                "unknown configuration key '" + key + "' (" + source + "); known keys: " + ConfigKey.knownKeys()));
        settings.putIfAbsent(known, new Setting(value.trim(), source));
    }

    private void addAgentArguments(String arguments) throws ConfigException {
        if (arguments == null || arguments.isBlank()) {
            return;
        }
        Map<String, String> pairs = new LinkedHashMap<>();
        String previousKey = null;
        for (String token : arguments.split(",")) {
            int equals = token.indexOf('=');
            if (equals < 0 && previousKey != null) {
                // surfaces=jdbc,http: a bare token continues the previous key's list
                pairs.put(previousKey, pairs.get(previousKey) + "," + token);
            } else if (equals <= 0) {
                throw new ConfigException("agent argument '" + token + "' is not key=value");
            } else {
                previousKey = token.substring(0, equals).trim();
                pairs.put(previousKey, token.substring(equals + 1));
            }
        }
        for (Map.Entry<String, String> pair : pairs.entrySet()) {
            add(pair.getKey(), pair.getValue(), "agent argument");
        }
    }

    private void addSystemProperties(Properties properties) throws ConfigException {
        for (String name : new TreeSet<>(properties.stringPropertyNames())) {
            if (name.startsWith("warden.")) {
                add(name.substring("warden.".length()), properties.getProperty(name), "system property " + name);
            }
        }
    }

    private void addEnvironment(Map<String, String> environment) throws ConfigException {
        for (String name : new TreeSet<>(environment.keySet())) {
            if (name.startsWith("WARDEN_")) {
                String key = name.substring("WARDEN_".length()).toLowerCase(Locale.ROOT).replace('_', '-');
                if (ConfigKey.named(key).isPresent()) {
                    add(key, environment.get(name), "environment variable " + name);
                    continue;
                }
                // Another tool's WARDEN_HOME is none of Warden's business; a misspelt key of Warden's must not go unnoticed.
                java.util.Optional<String> meant = Suggestions.closest(key, ConfigKey.names(), Math.max(1, key.length() / 4));
                if (meant.isPresent()) {
                    throw new ConfigException("unknown configuration key '" + key + "' (environment variable " + name
                            + "): did you mean " + ConfigKey.named(meant.get()).orElseThrow().environmentVariable() + "?");
                }
            }
        }
    }

    private void addYaml(Path file) throws ConfigException {
        Object document;
        try (Reader reader = Files.newBufferedReader(file)) {
            document = new Yaml(new SafeConstructor(new LoaderOptions())).load(reader);
        } catch (IOException | RuntimeException e) {
            throw new ConfigException("cannot read config file " + file + ": " + e.getMessage());
        }
        if (document == null) {
            return;
        }
        if (!(document instanceof Map)) {
            throw new ConfigException("config file " + file + " must be a map of keys to values");
        }
        for (Map.Entry<?, ?> entry : ((Map<?, ?>) document).entrySet()) {
            Object value = entry.getValue();
            String text = value instanceof Collection ? String.join(",", ((Collection<?>) value).stream().map(String::valueOf).toList())
                    : String.valueOf(value);
            add(String.valueOf(entry.getKey()), text, "config file " + file);
        }
    }

    private WardenConfig build() throws ConfigException {
        Setting rules = settings.get(ConfigKey.RULES);
        if (rules == null) {
            throw new ConfigException("no rules directory configured: pass -javaagent:warden-agent.jar=rules=DIR");
        }
        Path rulesDirectory = Path.of(rules.value());
        if (!Files.isDirectory(rulesDirectory)) {
            throw new ConfigException("rules directory " + rulesDirectory.toAbsolutePath() + " does not exist ("
                    + rules.source() + ")");
        }
        Path key = optionalPath(ConfigKey.KEY);
        if (key != null && !Files.isReadable(key)) {
            throw new ConfigException("key file " + key.toAbsolutePath() + " is not readable (" + settings.get(ConfigKey.KEY).source() + ")");
        }
        return new WardenConfig(
                rulesDirectory,
                Path.of(value(ConfigKey.RECEIPTS)),
                choice(ConfigKey.MODE, Mode.class),
                key,
                nonBlank(ConfigKey.ACTOR),
                surfaces(),
                Duration.ofMillis(number(ConfigKey.POLICY_WAIT, 0)),
                (int) number(ConfigKey.CHECKPOINT_EVERY, 1),
                Duration.ofMillis(number(ConfigKey.CHECKPOINT_INTERVAL, 1)),
                bool(ConfigKey.SIGN_EVERY_RECEIPT),
                bool(ConfigKey.REUSE_RULINGS),
                choice(ConfigKey.LOG, WardenConfig.LogLevel.class),
                bool(ConfigKey.CHILD_AGENT), bool(ConfigKey.FILE_READS),
                state(),
                stateTimeout(),
                stateSnapshotInterval(),
                witnessing(Path.of(value(ConfigKey.RECEIPTS))),
                holdWait(),
                clock(),
                minimumFreeSpace(),
                Duration.ofMillis(number(ConfigKey.REFUSAL_WINDOW, 0)),
                siem(Path.of(value(ConfigKey.RECEIPTS))), chain(),
                otlpEndpoint(),
                Duration.ofMillis(number(ConfigKey.OTLP_INTERVAL, 100)),
                bool(ConfigKey.RULES_WATCH),
                cache(),
                installGate(),
                optionalPath(ConfigKey.CONFIG),
                absolutePaths(ConfigKey.PARENT_KEPT),
                absolutePaths(ConfigKey.PARENT_SECRETS));
    }

    /** A list of absolute paths, separated as a class path is; none when unset or blank. */
    private List<Path> absolutePaths(ConfigKey key) throws ConfigException {
        String text = value(key);
        List<Path> paths = new ArrayList<>();
        if (text == null || text.isBlank()) {
            return paths;
        }
        for (String name : text.split(java.util.regex.Pattern.quote(java.io.File.pathSeparator))) {
            if (name.isBlank()) {
                continue;
            }
            Path path;
            try {
                path = Path.of(name);
            } catch (java.nio.file.InvalidPathException e) {
                throw invalid(key, "absolute paths separated by " + java.io.File.pathSeparator);
            }
            if (!path.isAbsolute()) {
                throw invalid(key, "absolute paths separated by " + java.io.File.pathSeparator);
            }
            paths.add(path);
        }
        return paths;
    }

    /** Whether {@code install-gate=main-waits}. */
    private boolean installGate() throws ConfigException {
        String text = value(ConfigKey.INSTALL_GATE);
        if (!text.equals("none") && !text.equals("main-waits")) {
            throw invalid(ConfigKey.INSTALL_GATE, "none or main-waits");
        }
        return text.equals("main-waits");
    }

    private SiemConfig siem(Path receipts) throws ConfigException {
        String text = value(ConfigKey.SIEM);
        dev.warden.receipts.siem.SiemFormat format = choice(ConfigKey.SIEM_FORMAT, dev.warden.receipts.siem.SiemFormat.class);
        long maxBytes = number(ConfigKey.SIEM_MAX_BYTES, 1024);
        long files = number(ConfigKey.SIEM_FILES, 1);
        if (files > 1000) {
            throw invalid(ConfigKey.SIEM_FILES, "a whole number from 1 to 1000");
        }
        if (text.equals("off")) {
            return SiemConfig.OFF;
        }
        if (text.equals("stdout")) {
            return new SiemConfig(null, true, null, format, maxBytes, (int) files);
        }
        if (text.regionMatches(true, 0, "syslog", 0, "syslog".length())) {
            try {
                return new SiemConfig(null, false, SyslogAddress.parse(text), format, maxBytes, (int) files);
            } catch (IllegalArgumentException e) {
                throw invalid(ConfigKey.SIEM, SIEM_VALUES + " (" + e.getMessage() + ")");
            }
        }
        if (!text.startsWith("file:") || text.length() == "file:".length()) {
            throw invalid(ConfigKey.SIEM, SIEM_VALUES);
        }
        Path file = Path.of(text.substring("file:".length()));
        if (Files.isDirectory(file)) {
            throw invalid(ConfigKey.SIEM, "file:PATH naming a file, not a directory");
        }
        if (file.toAbsolutePath().normalize().startsWith(receipts.toAbsolutePath().normalize())) {
            throw invalid(ConfigKey.SIEM, "a file outside the receipts directory " + receipts.toAbsolutePath());
        }
        return new SiemConfig(file, false, null, format, maxBytes, (int) files);
    }

    private ChainConfig chain() throws ConfigException {
        String instance = value(ConfigKey.INSTANCE);
        if (instance != null && instance.isBlank()) {
            instance = null; // unset, as a child JVM's agent is given it
        }
        if (instance != null && !instance.matches("[A-Za-z0-9][A-Za-z0-9._-]{0,99}")) {
            throw invalid(ConfigKey.INSTANCE, "a name of letters, digits, '.', '_' and '-' (a directory name)");
        }
        Path rotateFrom = optionalPath(ConfigKey.ROTATE_KEY);
        if (rotateFrom != null && !Files.isReadable(rotateFrom)) {
            throw invalid(ConfigKey.ROTATE_KEY, "a readable PEM private key file");
        }
        if (rotateFrom != null && optionalPath(ConfigKey.KEY) == null) {
            throw invalid(ConfigKey.ROTATE_KEY, "a key to rotate from, with key= naming the key to rotate to");
        }
        return new ChainConfig(bool(ConfigKey.RECEIPTS_PER_PROCESS), instance, rotateFrom);
    }

    /** An http(s) URL with a host, or null when unset. */
    private java.net.URI otlpEndpoint() throws ConfigException {
        String text = value(ConfigKey.OTLP_ENDPOINT);
        if (text == null || text.isBlank()) {
            return null;
        }
        try {
            java.net.URI uri = new java.net.URI(text.trim());
            if (("http".equals(uri.getScheme()) || "https".equals(uri.getScheme())) && uri.getHost() != null
                    && uri.getQuery() == null && uri.getFragment() == null) {
                return uri;
            }
        } catch (java.net.URISyntaxException e) {
            // reported below
        }
        throw invalid(ConfigKey.OTLP_ENDPOINT, "an http:// or https:// URL of an OTLP/HTTP receiver, e.g. http://127.0.0.1:4318");
    }

    private WitnessingConfig witnessing(Path receipts) throws ConfigException {
        List<WitnessEndpoint> witnesses = List.of();
        Path file = optionalPath(ConfigKey.WITNESSES);
        if (file != null) {
            try {
                witnesses = WitnessList.read(file);
            } catch (IOException e) {
                throw new ConfigException("cannot read the witnesses file " + file.toAbsolutePath() + " ("
                        + source(ConfigKey.WITNESSES) + "): " + e);
            } catch (IllegalArgumentException e) {
                throw invalid(ConfigKey.WITNESSES, "a file of '<url> <verifier key>' lines (" + e.getMessage() + ")");
            }
        }
        Path export = optionalPath(ConfigKey.CHECKPOINT_EXPORT);
        if (export != null && export.toAbsolutePath().normalize().startsWith(receipts.toAbsolutePath().normalize())) {
            throw invalid(ConfigKey.CHECKPOINT_EXPORT, "a file outside the receipts directory " + receipts.toAbsolutePath()
                    + " (a copy next to the receipts is cut together with them)");
        }
        UnwitnessedBound bound = new UnwitnessedBound(number(ConfigKey.WITNESS_ALERT_RECEIPTS, 1),
                Duration.ofMillis(number(ConfigKey.WITNESS_ALERT_AFTER, 1)));
        return new WitnessingConfig(file, witnesses, export, bound);
    }

    private Path cache() throws ConfigException {
        String text = nonBlank(ConfigKey.CACHE);
        if (text.equals("off")) {
            return null;
        }
        return text.equals("default") ? ownDirectory.resolve("policies") : Path.of(text);
    }

    /** Zero, or at least a second: each pass reads and checks the snapshot, new receipts or not. */
    private Duration stateSnapshotInterval() throws ConfigException {
        long millis = number(ConfigKey.STATE_SNAPSHOT_INTERVAL, 0);
        if (millis != 0 && millis < 1000) {
            throw invalid(ConfigKey.STATE_SNAPSHOT_INTERVAL, "0, or a whole number of milliseconds of at least 1000");
        }
        return Duration.ofMillis(millis);
    }

    private Duration holdWait() throws ConfigException {
        long millis = number(ConfigKey.HOLD_WAIT, 0);
        if (millis > 600_000) {
            throw invalid(ConfigKey.HOLD_WAIT, "a whole number of milliseconds from 0 to 600000");
        }
        return Duration.ofMillis(millis);
    }

    private Path clock() throws ConfigException {
        String text = value(ConfigKey.CLOCK);
        if (text.equals("system")) {
            return null;
        }
        if (!text.startsWith("file:") || text.length() == "file:".length()) {
            throw invalid(ConfigKey.CLOCK, "system or file:PATH");
        }
        Path file = Path.of(text.substring("file:".length()));
        if (!Files.isReadable(file)) {
            throw invalid(ConfigKey.CLOCK, "file:PATH naming a readable file");
        }
        return file;
    }

    private String value(ConfigKey key) {
        Setting setting = settings.get(key);
        return setting != null ? setting.value() : key.defaultValue();
    }

    private String source(ConfigKey key) {
        Setting setting = settings.get(key);
        return setting != null ? setting.source() : "default";
    }

    private ConfigException invalid(ConfigKey key, String expected) {
        return new ConfigException("invalid value '" + value(key) + "' for " + key.key() + " (" + source(key)
                + "): expected " + expected);
    }

    private Path optionalPath(ConfigKey key) {
        String path = value(key);
        return path == null || path.isBlank() ? null : Path.of(path);
    }

    private String nonBlank(ConfigKey key) throws ConfigException {
        String text = value(key);
        if (text == null || text.isBlank()) {
            throw invalid(key, "a non-empty value");
        }
        return text;
    }

    private <E extends Enum<E>> E choice(ConfigKey key, Class<E> type) throws ConfigException {
        try {
            return Enum.valueOf(type, value(key).toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw invalid(key, "one of " + String.join(", ",
                    java.util.Arrays.stream(type.getEnumConstants()).map(c -> c.name().toLowerCase(Locale.ROOT)).toList()));
        }
    }

    private long number(ConfigKey key, long minimum) throws ConfigException {
        try {
            long number = Long.parseLong(value(key));
            if (number >= minimum) {
                return number;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw invalid(key, "a whole number of at least " + minimum);
    }

    private boolean bool(ConfigKey key) throws ConfigException {
        String text = value(key).toLowerCase(Locale.ROOT);
        if (!text.equals("true") && !text.equals("false")) {
            throw invalid(key, "true or false");
        }
        return Boolean.parseBoolean(text);
    }

    private StateLocation state() throws ConfigException {
        String text = value(ConfigKey.STATE);
        if (text.equals("in-process")) {
            return null;
        }
        try {
            return StateLocation.parse(text);
        } catch (IllegalArgumentException e) {
            throw invalid(ConfigKey.STATE, "in-process or redis://host:port[/db] (" + e.getMessage() + ")");
        }
    }

    private MinimumFreeSpace minimumFreeSpace() throws ConfigException {
        try {
            return MinimumFreeSpace.parse(value(ConfigKey.RECEIPTS_MIN_FREE));
        } catch (IllegalArgumentException e) {
            throw invalid(ConfigKey.RECEIPTS_MIN_FREE, "a size such as 512MB or 2GB, or a percentage such as 5% (" + e.getMessage() + ")");
        }
    }

    /** Actions wait this long at most for each step of a store's answer: a minute is already unusable. */
    private Duration stateTimeout() throws ConfigException {
        long millis = number(ConfigKey.STATE_TIMEOUT, 1);
        if (millis > 60_000) {
            throw invalid(ConfigKey.STATE_TIMEOUT, "a whole number of milliseconds from 1 to 60000");
        }
        return Duration.ofMillis(millis);
    }

    private Set<String> surfaces() throws ConfigException {
        Set<String> surfaces = new TreeSet<>();
        for (String surface : value(ConfigKey.SURFACES).split(",")) {
            String name = surface.trim().toLowerCase(Locale.ROOT);
            if (!name.equals("all") && !this.surfaces.contains(name)) {
                throw invalid(ConfigKey.SURFACES, "all, or a list of " + String.join(", ", new TreeSet<>(this.surfaces)));
            }
            surfaces.add(name);
        }
        if (!surfaces.contains("all") && this.surfaces.contains(dev.warden.bootstrap.jvm.JvmActions.SURFACE)) {
            // Named or not: the JVM's management API hands any code Warden's keys (a heap dump holds the control key,
            // which signs a switch to shadow) and loads agents past every gate, so leaving it out leaves no gate.
            surfaces.add(dev.warden.bootstrap.jvm.JvmActions.SURFACE);
        }
        return surfaces;
    }
}
