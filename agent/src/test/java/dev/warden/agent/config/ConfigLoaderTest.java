package dev.warden.agent.config;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Properties;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ConfigLoaderTest {

    /** Where the launcher unpacked Warden's jars, as it tells the agent. */
    private static final Path UNPACKED = Path.of("/tmp/warden-private-1234");

    @TempDir
    Path directory;

    private WardenConfig load(String arguments, Properties properties, Map<String, String> environment) throws ConfigException {
        return ConfigLoader.load(arguments, properties, environment, java.util.Set.of("jdbc", "http", "net", "tool", "model", "jvm"),
                UNPACKED);
    }

    @Test
    void defaultsApplyWhenOnlyRulesAreGiven() throws Exception {
        WardenConfig config = load("rules=" + directory, new Properties(), Map.of());

        assertThat(config.rules()).isEqualTo(directory);
        assertThat(config.mode()).isEqualTo(Mode.ENFORCE);
        assertThat(config.receipts()).isEqualTo(Path.of("warden-receipts"));
        assertThat(config.actor()).isEqualTo("agent");
        assertThat(config.key()).isNull();
        assertThat(config.gates("jdbc")).isTrue();
        assertThat(config.policyWait()).isEqualTo(Duration.ofSeconds(60));
    }

    /**
     * The default cache is in the directory the launcher unpacked the jars under, which is a private one when another
     * user took {@code $TMPDIR/warden-$USER}: the cache is then kept there too, not refused at each start.
     */
    @Test
    void theDefaultCacheIsInTheDirectoryTheJarsWereUnpackedUnder() throws Exception {
        assertThat(load("rules=" + directory, new Properties(), Map.of()).cache()).isEqualTo(UNPACKED.resolve("policies"));
        assertThat(load("rules=" + directory + ",cache=off", new Properties(), Map.of()).cache()).isNull();
        assertThat(load("rules=" + directory + ",cache=" + directory.resolve("kept"), new Properties(), Map.of()).cache())
                .isEqualTo(directory.resolve("kept"));
    }

    @Test
    void agentArgumentsOverrideSystemPropertiesWhichOverrideTheEnvironmentWhichOverridesTheFile() throws Exception {
        Path file = Files.writeString(directory.resolve("warden.yaml"), "actor: from-file\nmode: shadow\nlog: warn\ncheckpoint-every: 7\n");
        Properties properties = new Properties();
        properties.setProperty("warden.actor", "from-property");
        properties.setProperty("warden.mode", "enforce");

        WardenConfig config = load("rules=" + directory + ",actor=from-argument",
                properties, Map.of("WARDEN_CONFIG", file.toString(), "WARDEN_LOG", "off", "WARDEN_MODE", "shadow"));

        assertThat(config.actor()).isEqualTo("from-argument");
        assertThat(config.mode()).isEqualTo(Mode.ENFORCE);
        assertThat(config.log()).isEqualTo(WardenConfig.LogLevel.OFF);
        assertThat(config.checkpointEvery()).isEqualTo(7);
    }

    @Test
    void aBareTokenContinuesTheListOfThePreviousKey() throws Exception {
        WardenConfig config = load("surfaces=jdbc,http,rules=" + directory, new Properties(), Map.of());

        assertThat(config.surfaces()).containsExactlyInAnyOrder("jdbc", "http", "jvm");
        assertThat(config.gates("tool")).isFalse();
    }

    /** A heap dump hands out the control key and an agent load runs code past every gate: jvm is never left out. */
    @Test
    void theJvmSurfaceIsGatedWhateverSurfacesNames() throws Exception {
        assertThat(load("surfaces=jdbc,rules=" + directory, new Properties(), Map.of()).surfaces()).containsExactlyInAnyOrder("jdbc", "jvm");
        assertThat(load("surfaces=jvm,rules=" + directory, new Properties(), Map.of()).surfaces()).containsExactly("jvm");
        assertThat(load("rules=" + directory, new Properties(), Map.of()).surfaces()).containsExactly("all");
        assertThat(ConfigLoader.load("surfaces=jdbc,rules=" + directory, new Properties(), Map.of(), java.util.Set.of("jdbc"), UNPACKED)
                .surfaces()).as("a build without the jvm module").containsExactly("jdbc");
    }

    @Test
    void unknownKeysAreRejectedNamingTheirSource() {
        Properties properties = new Properties();
        properties.setProperty("warden.rulez", "x");

        assertThatThrownBy(() -> load("rules=" + directory, properties, Map.of()))
                .hasMessageStartingWith("unknown configuration key 'rulez' (system property warden.rulez)");
        // The environment is shared with other tools: only a near miss of a known key is an error there.
        assertThatThrownBy(() -> load("rules=" + directory, new Properties(), Map.of("WARDEN_RULEZ", "1")))
                .hasMessageContaining("'rulez' (environment variable WARDEN_RULEZ): did you mean WARDEN_RULES?");
    }

    @Test
    void invalidValuesAreRejectedWithWhatWasExpected() {
        assertThatThrownBy(() -> load("rules=" + directory + ",checkpoint-every=0", new Properties(), Map.of()))
                .hasMessage("invalid value '0' for checkpoint-every (agent argument): expected a whole number of at least 1");
        assertThatThrownBy(() -> load("rules=" + directory + ",surfaces=jdbc,smtp", new Properties(), Map.of()))
                .hasMessageContaining("invalid value 'jdbc,smtp' for surfaces");
        assertThatThrownBy(() -> load("rules=" + directory + ",sign-every-receipt=yes", new Properties(), Map.of()))
                .hasMessageContaining("expected true or false");
        assertThatThrownBy(() -> load("rules" , new Properties(), Map.of()))
                .hasMessage("agent argument 'rules' is not key=value");
    }

    @Test
    void rulesMustBeAnExistingDirectory() {
        assertThatThrownBy(() -> load("", new Properties(), Map.of())).hasMessageContaining("no rules directory configured");
        assertThatThrownBy(() -> load("rules=" + directory.resolve("missing"), new Properties(), Map.of()))
                .hasMessageContaining("does not exist (agent argument)");
    }

    @Test
    void aConfigFileThatIsNotAMapIsRejected() throws Exception {
        Path file = Files.writeString(directory.resolve("bad.yaml"), "- just\n- a list\n");

        assertThatThrownBy(() -> load("rules=" + directory + ",config=" + file, new Properties(), Map.of()))
                .hasMessageContaining("must be a map of keys to values");
    }

    @Test
    void stateIsInProcessUnlessARedisAddressIsGiven() throws Exception {
        WardenConfig defaults = load("rules=" + directory, new Properties(), Map.of());
        assertThat(defaults.state()).isNull();
        assertThat(defaults.stateTimeout()).isEqualTo(Duration.ofMillis(50));

        WardenConfig shared = load("rules=" + directory + ",state=redis://127.0.0.1:6390/3,state-timeout=200", new Properties(), Map.of());
        assertThat(shared.state()).isEqualTo(new StateLocation("127.0.0.1", 6390, 3));
        assertThat(shared.state().describe()).isEqualTo("redis://127.0.0.1:6390/3");
        assertThat(shared.stateTimeout()).isEqualTo(Duration.ofMillis(200));
        assertThat(load("rules=" + directory, new Properties(), Map.of("WARDEN_STATE", "redis://[::1]")).state().describe())
                .isEqualTo("redis://[::1]:6379");
    }

    @Test
    void theStateSnapshotIsBroughtForwardEveryTenMinutesAtMostEverySecondOrOnlyAtAStart() throws Exception {
        assertThat(load("rules=" + directory, new Properties(), Map.of()).stateSnapshotInterval()).isEqualTo(Duration.ofMinutes(10));
        assertThat(load("rules=" + directory + ",state-snapshot-interval=0", new Properties(), Map.of()).stateSnapshotInterval())
                .isZero();
        assertThat(load("rules=" + directory + ",state-snapshot-interval=1000", new Properties(), Map.of()).stateSnapshotInterval())
                .isEqualTo(Duration.ofSeconds(1));
        assertThatThrownBy(() -> load("rules=" + directory + ",state-snapshot-interval=200", new Properties(), Map.of()))
                .hasMessage("invalid value '200' for state-snapshot-interval (agent argument): expected 0, or a whole number "
                        + "of milliseconds of at least 1000");
    }

    @Test
    void otlpExportIsOffUnlessAnHttpEndpointIsConfigured() throws ConfigException {
        WardenConfig quiet = load("rules=" + directory, new Properties(), Map.of());
        assertThat(quiet.otlpEndpoint()).isNull();
        assertThat(quiet.otlpInterval()).isEqualTo(Duration.ofSeconds(10));
        WardenConfig exporting = load("rules=" + directory + ",otlp-endpoint=http://127.0.0.1:4318,otlp-interval=250",
                new Properties(), Map.of());
        assertThat(exporting.otlpEndpoint()).hasToString("http://127.0.0.1:4318");
        assertThat(exporting.otlpInterval()).isEqualTo(Duration.ofMillis(250));
        assertThatThrownBy(() -> load("rules=" + directory + ",otlp-endpoint=grpc://h:4317", new Properties(), Map.of()))
                .hasMessage("invalid value 'grpc://h:4317' for otlp-endpoint (agent argument): expected an http:// or https:// "
                        + "URL of an OTLP/HTTP receiver, e.g. http://127.0.0.1:4318");
        assertThatThrownBy(() -> load("rules=" + directory + ",otlp-interval=10", new Properties(), Map.of()))
                .hasMessageContaining("invalid value '10' for otlp-interval");
    }

    @Test
    void aStateThatIsNotARedisAddressIsRejectedSayingWhy() {
        assertThatThrownBy(() -> load("rules=" + directory + ",state=memcached://h:1", new Properties(), Map.of()))
                .hasMessage("invalid value 'memcached://h:1' for state (agent argument): expected in-process or "
                        + "redis://host:port[/db] (the scheme must be redis://)");
        assertThatThrownBy(() -> load("rules=" + directory + ",state=redis://user:secret@h:1", new Properties(), Map.of()))
                .hasMessageContaining("credentials do not belong in the address");
        assertThatThrownBy(() -> load("rules=" + directory + ",state=redis://h:99999", new Properties(), Map.of()))
                .hasMessageContaining("port 99999 is out of range");
        assertThatThrownBy(() -> load("rules=" + directory + ",state=redis://h:1/x", new Properties(), Map.of()))
                .hasMessageContaining("the path must be a database number");
        assertThatThrownBy(() -> load("rules=" + directory + ",state=redis://:1", new Properties(), Map.of()))
                .hasMessageContaining("for state");
        assertThatThrownBy(() -> load("rules=" + directory + ",state-timeout=0", new Properties(), Map.of()))
                .hasMessageContaining("invalid value '0' for state-timeout");
        assertThatThrownBy(() -> load("rules=" + directory + ",state-timeout=600000", new Properties(), Map.of()))
                .hasMessageContaining("from 1 to 60000");
    }

    @Test
    void witnessesAreReadFromTheirFileAndTheExportMustLieOutsideTheReceipts() throws Exception {
        String vkey = "witness.example/w1+96a76a8f+BK2bsxTxn97GQn6p7lOgyy0w++5rvwd2Z3HD/VRw8dMU";
        java.nio.file.Path witnesses = java.nio.file.Files.writeString(directory.resolve("witnesses"),
                "# the witnesses\nhttps://witness.example/w1 " + vkey + "\n");
        WardenConfig config = load("rules=" + directory + ",witnesses=" + witnesses + ",checkpoint-export=" + directory.resolve("cp.txt")
                + ",receipts=" + directory.resolve("receipts"), new Properties(), Map.of());
        assertThat(config.witnessing().witnesses()).singleElement()
                .satisfies(w -> assertThat(w.addCheckpoint().toString()).isEqualTo("https://witness.example/w1/add-checkpoint"))
                .satisfies(w -> assertThat(w.key().vkey()).isEqualTo(vkey));
        assertThat(config.witnessing().alertBound().receipts()).isEqualTo(10000);

        assertThatThrownBy(() -> load("rules=" + directory + ",receipts=" + directory.resolve("receipts")
                + ",checkpoint-export=" + directory.resolve("receipts/cp.txt"), new Properties(), Map.of()))
                .hasMessageContaining("a file outside the receipts directory");
        java.nio.file.Files.writeString(witnesses, "https://witness.example/w1 witness.example/w1+00000000+BK2bsxTxn97GQn6p7lOgyy0w++5rvwd2Z3HD/VRw8dMU\n");
        assertThatThrownBy(() -> load("rules=" + directory + ",witnesses=" + witnesses, new Properties(), Map.of()))
                .hasMessageContaining("line 1").hasMessageContaining("does not match its name and key");
        java.nio.file.Files.writeString(witnesses, "ftp://witness.example/w1 " + vkey + "\n");
        assertThatThrownBy(() -> load("rules=" + directory + ",witnesses=" + witnesses, new Properties(), Map.of()))
                .hasMessageContaining("not an http(s) URL");
    }

    @Test
    void theReceiptsWatermarkIsASizeOrAPercentageAndTheRefusalWindowMilliseconds() throws Exception {
        WardenConfig defaults = load("rules=" + directory, new Properties(), Map.of());
        assertThat(defaults.receiptsMinFree()).isEqualTo(new MinimumFreeSpace(512L << 20, 0));
        assertThat(defaults.refusalWindow()).isEqualTo(Duration.ofSeconds(1));

        assertThat(load("rules=" + directory + ",receipts-min-free=2GB,refusal-window=0", new Properties(), Map.of()))
                .satisfies(c -> assertThat(c.receiptsMinFree().bytes()).isEqualTo(2L << 30))
                .satisfies(c -> assertThat(c.refusalWindow()).isZero());
        assertThat(load("rules=" + directory, new Properties(), Map.of("WARDEN_RECEIPTS_MIN_FREE", "5%")).receiptsMinFree().of(1000))
                .isEqualTo(50);
        assertThat(MinimumFreeSpace.parse("64 KiB").bytes()).isEqualTo(64 << 10);
        assertThat(MinimumFreeSpace.parse("1000").bytes()).isEqualTo(1000);
        assertThat(MinimumFreeSpace.parse("0").disabled()).isTrue();
        assertThat(MinimumFreeSpace.parse(MinimumFreeSpace.parse("1.5%").toString())).isEqualTo(MinimumFreeSpace.parse("1.5%"));
        assertThat(MinimumFreeSpace.parse(MinimumFreeSpace.parse("3GB").toString())).isEqualTo(MinimumFreeSpace.parse("3GB"));
    }

    @Test
    void aWatermarkThatIsNoSizeIsRejectedSayingWhatIsExpected() {
        for (String bad : new String[] {"lots", "-5MB", "12PB", "100%", "5%%", "99999999999TB"}) {
            assertThatThrownBy(() -> load("rules=" + directory + ",receipts-min-free=" + bad, new Properties(), Map.of()))
                    .as(bad).isInstanceOf(ConfigException.class)
                    .hasMessageStartingWith("invalid value '" + bad + "' for receipts-min-free (agent argument): expected a size such as 512MB");
        }
        assertThatThrownBy(() -> load("rules=" + directory + ",refusal-window=-1", new Properties(), Map.of()))
                .hasMessageContaining("invalid value '-1' for refusal-window");
    }

    @Test
    void theSiemStreamIsOffStdoutOrAFileOutsideTheReceiptsInEcsOrOcsf() throws Exception {
        assertThat(load("rules=" + directory, new Properties(), Map.of()).siem().enabled()).isFalse();
        SiemConfig file = load("rules=" + directory + ",siem=file:" + directory.resolve("siem.jsonl") + ",siem-format=ocsf,siem-max-bytes=2048,siem-files=3",
                new Properties(), Map.of()).siem();
        assertThat(file).isEqualTo(new SiemConfig(directory.resolve("siem.jsonl"), false, null, dev.warden.receipts.siem.SiemFormat.OCSF, 2048, 3));
        assertThat(load("rules=" + directory + ",siem=stdout", new Properties(), Map.of()).siem().stdout()).isTrue();
        assertThatThrownBy(() -> load("rules=" + directory + ",siem=syslog", new Properties(), Map.of()))
                .hasMessage("invalid value 'syslog' for siem (agent argument): expected off, stdout, file:PATH, syslog://HOST:PORT"
                        + " or syslog+tcp://HOST:PORT (the scheme must be syslog:// or syslog+tcp://)");
        assertThatThrownBy(() -> load("rules=" + directory + ",siem=kafka://broker:9092", new Properties(), Map.of()))
                .hasMessage("invalid value 'kafka://broker:9092' for siem (agent argument): expected off, stdout, file:PATH,"
                        + " syslog://HOST:PORT or syslog+tcp://HOST:PORT");
        assertThatThrownBy(() -> load("rules=" + directory + ",siem-format=cef", new Properties(), Map.of()))
                .hasMessage("invalid value 'cef' for siem-format (agent argument): expected one of ecs, ocsf");
        assertThatThrownBy(() -> load("rules=" + directory + ",receipts=" + directory.resolve("r") + ",siem=file:"
                + directory.resolve("r").resolve("siem.jsonl"), new Properties(), Map.of()))
                .hasMessageContaining("expected a file outside the receipts directory");
        assertThatThrownBy(() -> load("rules=" + directory + ",siem=stdout,siem-files=0", new Properties(), Map.of()))
                .hasMessageContaining("invalid value '0' for siem-files");
    }

    @Test
    void aSyslogReceiverIsNamedByTransportHostAndPort() throws Exception {
        assertThat(load("rules=" + directory + ",siem=syslog://siem.example.com:514", new Properties(), Map.of()).siem().syslog())
                .isEqualTo(new SyslogAddress(SyslogAddress.Transport.UDP, "siem.example.com", 514));
        SyslogAddress tcp = load("rules=" + directory + ",siem=syslog+tcp://[::1]:601", new Properties(), Map.of()).siem().syslog();
        assertThat(tcp).isEqualTo(new SyslogAddress(SyslogAddress.Transport.TCP, "::1", 601));
        assertThat(tcp.describe()).isEqualTo("syslog+tcp://[::1]:601");
        assertThat(load("rules=" + directory + ",siem=SYSLOG://10.0.0.1:514", new Properties(), Map.of()).siem().enabled()).isTrue();

        Map<String, String> refused = Map.of(
                "syslog://", "not an address",
                "syslog://siem.example.com", "no port",
                "syslog://siem.example.com:", "no port",
                "syslog://siem.example.com:0", "port 0 is out of range",
                "syslog://:514", "no host",
                "syslog+tls://siem.example.com:6514", "the scheme must be syslog:// or syslog+tcp://",
                "syslog://user:secret@siem.example.com:514", "credentials do not belong in the address",
                "syslog://siem.example.com:514/warden", "no path, query or fragment is understood");
        refused.forEach((value, why) -> assertThatThrownBy(() -> load("rules=" + directory + ",siem=" + value, new Properties(), Map.of()))
                .as(value).isInstanceOf(ConfigException.class)
                .hasMessageStartingWith("invalid value '" + value + "' for siem (agent argument): expected off, stdout, file:PATH,")
                .hasMessageContaining(why)
                .hasMessageNotContaining("\n"));
    }

    @Test
    void onlyWardenVariablesNamingKnownKeysAreReadAndAMisspeltOneStopsWithASuggestion() throws Exception {
        WardenConfig config = load("rules=" + directory, new Properties(),
                Map.of("WARDEN_HOME", "/opt/other-tool", "WARDEN_OPTS", "-x", "WARDEN_MODE", "shadow"));
        assertThat(config.mode()).isEqualTo(Mode.SHADOW);

        assertThatThrownBy(() -> load("rules=" + directory, new Properties(), Map.of("WARDEN_RECIEPTS", "/tmp/r")))
                .isInstanceOf(ConfigException.class)
                .hasMessage("unknown configuration key 'reciepts' (environment variable WARDEN_RECIEPTS): did you mean WARDEN_RECEIPTS?");
    }

    @Test
    void perProcessChainsTakeTheInstanceOrTheHostsFirstFreeChain() throws Exception {
        WardenConfig config = load("rules=" + directory + ",receipts=/r,receipts-per-process=true,instance=api-1", new Properties(), Map.of());
        assertThat(ChainPlacement.candidates(config.receipts(), config.chain())).containsExactly(Path.of("/r/api-1"));
        WardenConfig byHost = load("rules=" + directory + ",receipts=/r,receipts-per-process=true", new Properties(), Map.of());
        assertThat(ChainPlacement.candidates(byHost.receipts(), byHost.chain())).hasSize(ChainPlacement.MAX_CHAINS_PER_HOST)
                .allMatch(p -> p.getParent().equals(Path.of("/r")));
        assertThat(ChainPlacement.candidates(Path.of("/r"), load("rules=" + directory, new Properties(), Map.of()).chain()))
                .containsExactly(Path.of("/r"));
        assertThatThrownBy(() -> load("rules=" + directory + ",receipts-per-process=true,instance=../x", new Properties(), Map.of()))
                .hasMessageContaining("instance");
    }
}
