package dev.warden.agent.control;

import dev.warden.bootstrap.JdkCrypto;
import dev.warden.agent.logging.WardenLog;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.Properties;

/**
 * The secret a switch that loosens (shadow, revive, reload, rollback) is signed with. The control MBeans sit on the
 * platform MBean server, which any code in the JVM reaches through public JDK API; without a key the agent's own code
 * could put Warden in shadow mode and act ungated. The key is made at start and published in the JVM's <em>agent
 * properties</em>, which the Attach API hands to the JVM's OS user from outside (the {@code control} CLI) and which
 * no public API reads from inside (docs/THREATS.md says what else does). It never crosses JMX: the CLI signs each
 * switch over a nonce of the agent's ({@link SwitchProof}). Switches that tighten (kill, enforce) need no key.
 */
public final class SwitchKey {
    /** The agent property that carries the key (hex), read by the {@code control} CLI. */
    public static final String PROPERTY = "dev.warden.control.key";
    /**
     * The agent property that says the agent attests its switches ({@code AgentMXBean.attest}): published with the key,
     * where no code of the application writes, so that a relay cannot pass the agent off as one older than
     * {@code attest} and have its answers taken unchecked.
     */
    public static final String ATTESTS = "dev.warden.control.attests";

    private static final java.util.concurrent.atomic.AtomicBoolean PUBLISHED = new java.util.concurrent.atomic.AtomicBoolean();

    private final byte[] key;          // null: loosening is closed in this JVM
    private final String closedBecause;

    private SwitchKey(byte[] key, String closedBecause) {
        this.key = key;
        this.closedBecause = closedBecause;
    }

    /**
     * A fresh key, published in this JVM's agent properties; a closed one, said on Warden's log, when it cannot be.
     * Once: a second publication would leave the operator a key the running agent does not hold.
     */
    static SwitchKey publish() {
        if (!PUBLISHED.compareAndSet(false, true)) {
            return closed("the control key was published before"); // and is left as it was
        }
        byte[] bytes = new byte[32];
        JdkCrypto.random().nextBytes(bytes); // never the application's provider: it would choose the key
        try {
            Properties published = agentProperties();
            published.setProperty(ATTESTS, "true");
            published.setProperty(PROPERTY, HexFormat.of().formatHex(bytes));
            return new SwitchKey(bytes, null);
        } catch (ReflectiveOperationException | RuntimeException | LinkageError e) {
            SwitchKey closed = closed("the control key could not be published in the agent properties (" + e + ")");
            WardenLog.warn(closed.closedBecause());
            return closed;
        }
    }

    /** A key held by the caller (tests): it opens only an agent made with it, never the running one. */
    public static SwitchKey of(String hex) {
        return new SwitchKey(HexFormat.of().parseHex(hex), null);
    }

    /** No proof opens it: loosening switches are refused, with {@code why}. */
    static SwitchKey closed(String why) {
        return new SwitchKey(null, why);
    }

    /** The nonces switches are signed over, made and checked with this key. */
    Challenges challenges(java.time.Clock clock) {
        return new Challenges(key, clock);
    }

    /** The agent's attestation of {@code status} ({@link SwitchProof#attestation}), or {@code -} when it holds no key. */
    String attestation(String callerNonce, String status) {
        return key == null ? "-" : SwitchProof.attestation(key, callerNonce, status);
    }

    /** The agent's answer to a challenge ({@link SwitchProof#answer}), or {@code -} when it holds no key. */
    String answer(String callerNonce, String nonce) {
        return key == null ? "-" : SwitchProof.answer(key, callerNonce, nonce);
    }

    /**
     * @param proof {@code nonce:mac} as the CLI sends it ({@link SwitchProof#sign}), the nonce one of {@code challenges}
     * @return null when {@code proof} signs this operation and arguments over an outstanding nonce, else why not
     */
    String refusal(String proof, Challenges challenges, String operation, String... arguments) {
        if (key == null) {
            return closedBecause();
        }
        int colon = proof == null ? -1 : proof.indexOf(':');
        if (colon < 0) {
            return "a switch that loosens needs the control key's proof (java -jar warden-agent.jar control PID ...)";
        }
        String nonce = proof.substring(0, colon);
        if (!challenges.take(nonce)) {
            return "the proof's challenge was not issued here, is used or is too old";
        }
        byte[] expected = SwitchProof.operatorMac(key, nonce, operation, arguments).getBytes(StandardCharsets.US_ASCII);
        // Constant time: the comparison must not tell a guesser how much of its guess was right.
        return MessageDigest.isEqual(expected, proof.substring(colon + 1).getBytes(StandardCharsets.UTF_8))
                ? null : "the proof does not match: not signed with this JVM's control key, or for another switch";
    }

    private String closedBecause() {
        return "switches that loosen are closed in this JVM: " + closedBecause;
    }

    /** {@code jdk.internal.vm.VMSupport.getAgentProperties()}: the package is exported to Warden's loader alone. */
    private static Properties agentProperties() throws ReflectiveOperationException {
        return (Properties) Class.forName("jdk.internal.vm.VMSupport").getMethod("getAgentProperties").invoke(null);
    }
}
