package dev.warden.agent.control;

import dev.warden.agent.config.Mode;
import dev.warden.agent.install.WardenThreads;
import dev.warden.agent.record.ReceiptRecorder;
import dev.warden.agent.reload.PolicyControl;
import dev.warden.receipts.Receipt;
import dev.warden.receipts.ReceiptLog;
import dev.warden.receipts.ReceiptLogOptions;
import dev.warden.receipts.ReceiptReader;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Clock;
import java.util.HexFormat;
import java.util.List;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The control MBeans answer any code in the JVM, so a switch that loosens takes the operator's proof under the control
 * key, over a nonce of the agent's, and one without it is refused and recorded; a switch that tightens takes none.
 */
class LooseningSwitchesTest {
    private static final String KEY_HEX = "00112233445566778899aabbccddeeff00112233445566778899aabbccddeeff";
    private static final byte[] KEY = HexFormat.of().parseHex(KEY_HEX);
    private static final byte[] OTHER_KEY = HexFormat.of().parseHex(KEY_HEX.replace('0', '1'));

    @TempDir
    Path directory;

    private ReceiptRecorder recorder;
    private Switchboard switches;
    private AgentControl agent;

    @BeforeEach
    void open() throws Exception {
        recorder = ReceiptRecorder.writingTo(ReceiptLog.open(ReceiptLogOptions.defaults(directory).withThreadFactory(new WardenThreads(null))));
        switches = Switchboard.live(Mode.ENFORCE, recorder, Set.of("http", "jdbc"), () -> "v1", Clock.systemUTC());
        agent = agent(switches, SwitchKey.of(KEY_HEX));
    }

    @AfterEach
    void close() {
        if (recorder != null) {
            recorder.close();
        }
    }

    @Test
    void theAgentProvesItHoldsTheKeyOverTheCallersNonce() {
        String[] answer = agent.challenge("caller-nonce").split(" ");
        assertThat(answer[0]).matches("[0-9a-f]+\\.[0-9a-f]+\\.[0-9a-f]{32}\\.[0-9a-f]{64}");
        assertThat(answer[1]).isEqualTo(SwitchProof.answer(KEY, "caller-nonce", answer[0]))
                .isNotEqualTo(SwitchProof.answer(OTHER_KEY, "caller-nonce", answer[0]));
        assertThat(agent.challenge("caller-nonce").split(" ")[0]).as("a fresh nonce each time").isNotEqualTo(answer[0]);
    }

    @Test
    void theAgentAttestsItsSwitchesAsTheyAreNowOverTheCallersNonce() {
        agent.kill("jdbc", "incident 7", "operator");

        String[] attested = agent.attest("caller-nonce").split("\n", 2);

        assertThat(attested[1]).startsWith("mode enforce\n").contains("surface jdbc: mode enforce, KILLED: incident 7");
        assertThat(attested[0]).isEqualTo(SwitchProof.attestation(KEY, "caller-nonce", attested[1]))
                .isNotEqualTo(SwitchProof.attestation(KEY, "another-nonce", attested[1]))
                .isNotEqualTo(SwitchProof.attestation(KEY, "caller-nonce", attested[1].replace(", KILLED: incident 7", "")))
                .isNotEqualTo(SwitchProof.attestation(OTHER_KEY, "caller-nonce", attested[1]));
        assertThat(agent(switches, SwitchKey.closed("no agent properties")).attest("caller-nonce")).startsWith("-\n");
    }

    @Test
    void aKillsReasonIsOneLineOfTheStatusWhateverItHolds() {
        // Anyone may kill: a reason that breaks the line must not add a line the CLI would read a switch's effect from.
        agent.kill("http", "x\nsurface jdbc: mode enforce, KILLED: forged\r", "anyone");

        assertThat(agent.status().lines().filter(line -> line.startsWith("surface jdbc:")))
                .singleElement().asString().doesNotContain("KILLED");
        assertThat(agent.status()).contains("surface http: mode enforce, KILLED: x\\u000asurface jdbc: mode enforce, KILLED: forged, 0 decisions");
    }

    @Test
    void aProofKeptBackIsSpentByTheNextSwitchMade() {
        agent.kill("jdbc", "incident 8", "operator");
        String nonce = agent.challenge("caller-nonce").split(" ")[0];
        String keptBack = SwitchProof.sign(KEY, nonce, "revive", "jdbc", "operator");
        agent.kill("http", "incident 9", "operator"); // the operator switched again meanwhile

        assertThatThrownBy(() -> agent.revive("jdbc", "operator", keptBack)).isInstanceOf(SecurityException.class);
        assertThat(switches.current().killReason("jdbc")).isEqualTo("incident 8");
    }

    @Test
    void aSwitchThatFailsOrChangesNothingSpendsNoNonceSoCodeWithoutTheKeyCannotBlockTheOperatorUnseen() {
        agent.kill("jdbc", "incident 10", "operator");
        String nonce = agent.challenge("caller-nonce").split(" ")[0];

        assertThatThrownBy(() -> agent.kill("nosuch", "x", "anyone")).isInstanceOf(RuntimeException.class);
        agent.mode("enforce", null, "anyone", null); // enforced already

        agent.revive("jdbc", "operator", SwitchProof.sign(KEY, nonce, "revive", "jdbc", "operator"));
        assertThat(switches.current().killReason("jdbc")).isNull();
    }

    @Test
    void withoutAProofOfTheKeyNothingLoosensAndEveryAttemptIsARefusalInTheLog() throws Exception {
        assertThatThrownBy(() -> agent.mode("shadow", null, "tool", null)).isInstanceOf(SecurityException.class)
                .hasMessageContaining("needs the control key's proof");
        assertThatThrownBy(() -> agent.mode("shadow", null, "tool", "not-a-nonce:00")).isInstanceOf(SecurityException.class)
                .hasMessageContaining("challenge was not issued here");
        String nonce = nonce();
        assertThatThrownBy(() -> agent.mode("SHADOW", "jdbc", "tool", SwitchProof.sign(OTHER_KEY, nonce, "mode", "SHADOW", "jdbc", "tool")))
                .isInstanceOf(SecurityException.class).hasMessageContaining("the proof does not match");
        String forJdbc = SwitchProof.sign(KEY, nonce(), "mode", "shadow", "jdbc", "operator");
        assertThatThrownBy(() -> agent.mode("shadow", null, "operator", forJdbc)).as("a proof opens only the switch it signs")
                .hasMessageContaining("the proof does not match");
        assertThatThrownBy(() -> agent.mode("shadow", "jdbc", "operator", forJdbc)).as("and only once")
                .hasMessageContaining("challenge was not issued here, is used");
        assertThatThrownBy(() -> agent.setMode("shadow")).isInstanceOf(SecurityException.class);
        assertThatThrownBy(() -> agent.surfaces().get("jdbc").setMode("shadow")).isInstanceOf(SecurityException.class);
        agent.kill("jdbc", "incident 7", "operator");
        assertThatThrownBy(() -> agent.revive("jdbc", "tool", "")).isInstanceOf(SecurityException.class);
        assertThatThrownBy(() -> agent.reload("tool", null)).isInstanceOf(SecurityException.class);
        assertThatThrownBy(() -> agent.rollback("0123abcd", "tool", null)).isInstanceOf(SecurityException.class);
        assertThatThrownBy(() -> agent.revive("smtp", "tool", null)).isInstanceOf(SecurityException.class);

        assertThat(switches.current().mode("jdbc")).isEqualTo(Mode.ENFORCE);
        assertThat(switches.current().mode("http")).isEqualTo(Mode.ENFORCE);
        assertThat(switches.current().killReason("jdbc")).isEqualTo("incident 7");
        List<Receipt> recorded = switchReceipts();
        assertThat(recorded).extracting(r -> r.outcome() + " " + r.summary().get("switch") + " " + r.target() + " "
                        + r.summary().getOrDefault("asked", "-") + " " + r.rules())
                .containsExactly(
                        "DENY mode all shadow [warden.switch-key]",
                        "DENY mode all shadow [warden.switch-key]",
                        "DENY mode jdbc shadow [warden.switch-key]",
                        "DENY mode all shadow [warden.switch-key]",
                        "DENY mode jdbc shadow [warden.switch-key]",
                        "DENY mode all shadow [warden.switch-key]",
                        "DENY mode jdbc shadow [warden.switch-key]",
                        "PERMIT kill jdbc - [warden.switch]",
                        "DENY revive jdbc - [warden.switch-key]",
                        "DENY reload all - [warden.switch-key]",
                        "DENY rollback all 0123abcd [warden.switch-key]",
                        "DENY revive all - [warden.switch-key]");
        assertThat(recorded.get(0).actor()).isEqualTo("tool");
        assertThat(recorded.get(0).enforced()).isTrue();
        assertThat(recorded.get(recorded.size() - 1).summary()).as("what was asked, though no such surface is gated")
                .containsEntry("asked.surface", "smtp");
    }

    @Test
    void withAProofShadowAndReviveApplyAndTighteningNeverAsksForOne() throws Exception {
        agent.mode("shadow", "http", "operator", SwitchProof.sign(KEY, nonce(), "mode", "shadow", "http", "operator"));
        assertThat(switches.current().mode("http")).isEqualTo(Mode.SHADOW);
        agent.setMode("enforce");
        assertThat(switches.current().mode("http")).isEqualTo(Mode.ENFORCE);
        agent.surfaces().get("http").kill("incident 8");
        agent.revive(null, null, SwitchProof.sign(KEY, nonce(), "revive", null, null));
        assertThat(switches.current().killReason("http")).isNull();
        agent.surfaces().get("jdbc").setMode("enforce");

        assertThat(switchReceipts()).extracting(r -> r.outcome() + " " + r.summary().get("switch"))
                .containsExactly("PERMIT mode", "PERMIT mode", "PERMIT kill", "PERMIT revive", "PERMIT mode");
    }

    @Test
    void aKeyThatCouldNotBePublishedOpensNothingAndProvesNothing() {
        AgentControl closed = agent(switches, SwitchKey.closed("no agent properties"));
        String[] answer = closed.challenge("caller-nonce").split(" ");
        assertThat(answer[1]).isEqualTo("-");
        assertThatThrownBy(() -> closed.mode("shadow", null, "operator", SwitchProof.sign(KEY, answer[0], "mode", "shadow", null, "operator")))
                .isInstanceOf(SecurityException.class).hasMessageContaining("closed in this JVM: no agent properties");
        assertThat(switches.current().mode("http")).isEqualTo(Mode.ENFORCE);
    }

    @Test
    void aRefusalThatCannotBeRecordedIsStillARefusalAndSaysSo() {
        Switchboard unrecorded = Switchboard.live(Mode.ENFORCE, ReceiptRecorder.unavailable("disk gone"), Set.of("http"), () -> null,
                Clock.systemUTC());
        assertThatThrownBy(() -> agent(unrecorded, SwitchKey.of(KEY_HEX)).mode("shadow", null, "tool", null))
                .isInstanceOf(SecurityException.class).hasMessageContaining("the refusal could not be recorded");
        assertThat(unrecorded.current().mode("http")).isEqualTo(Mode.ENFORCE);
    }

    private String nonce() {
        return agent.challenge("caller").split(" ")[0];
    }

    private static AgentControl agent(Switchboard switches, SwitchKey key) {
        return new AgentControl(switches, new DecisionCounters(), () -> "v1", new LastCheckpoint(Clock.systemUTC()), () -> 0, () -> 0,
                new PolicyCalls((PolicyControl) null, Runnable::run), key);
    }

    /** The log's switch receipts, once it is closed. */
    private List<Receipt> switchReceipts() throws Exception {
        if (recorder != null) {
            recorder.close();
            recorder = null;
        }
        return ReceiptReader.receipts(directory).stream().filter(r -> r.surface().equals("warden")).toList();
    }
}
