package dev.warden.agent.control;

import dev.warden.bootstrap.JdkCrypto;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;

/**
 * What the operator and the agent prove to each other over JMX with the control key, without the key crossing it:
 * HMAC-SHA256 under the key over a purpose and words. The agent answers a challenge over the caller's nonce and its
 * own ({@link #answer}), so the CLI knows it talks to Warden and not to an MBean the host registered under that name;
 * the operator signs a loosening switch over the agent's nonce, the operation and its arguments exactly as sent
 * ({@link #sign}), so a proof seen in passing opens nothing else, and only once.
 */
public final class SwitchProof {
    private static final String AGENT = "warden-control agent";
    private static final String OPERATOR = "warden-control operator";
    private static final String STATE = "warden-control state";

    private SwitchProof() {
    }

    /** The agent's answer to a caller's nonce, with its own nonce. */
    public static String answer(byte[] key, String callerNonce, String nonce) {
        return mac(key, AGENT, List.of(String.valueOf(callerNonce), nonce));
    }

    /**
     * The agent's word for its switches as {@code status} tells them, over the caller's nonce: what a client reads after
     * a switch is then this agent's, not what code between them answered or kept back.
     */
    public static String attestation(byte[] key, String callerNonce, String status) {
        return mac(key, STATE, List.of(String.valueOf(callerNonce), status));
    }

    /** {@code nonce:mac}: the operator's proof for {@code operation} with {@code arguments}, over the agent's nonce. */
    public static String sign(byte[] key, String nonce, String operation, String... arguments) {
        return nonce + ":" + mac(key, OPERATOR, words(nonce, operation, arguments));
    }

    static List<String> words(String nonce, String operation, String... arguments) {
        List<String> words = new ArrayList<>(arguments.length + 2);
        words.add(nonce);
        words.add(operation);
        words.addAll(Arrays.asList(arguments));
        return words;
    }

    /** Each word length-prefixed and null told apart from empty, so that no two lists of words sign alike. */
    static String mac(byte[] key, String purpose, List<String> words) {
        StringBuilder text = new StringBuilder(purpose);
        for (String word : words) {
            text.append('\n').append(word == null ? "-" : "+" + word.length() + ":" + word);
        }
        try {
            Mac mac = JdkCrypto.hmacSha256(); // never the application's provider: it would be handed the key
            mac.init(new SecretKeySpec(key, "HmacSHA256"));
            return HexFormat.of().formatHex(mac.doFinal(text.toString().getBytes(StandardCharsets.UTF_8)));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("the control key is no HmacSHA256 key", e);
        }
    }

    static String operatorMac(byte[] key, String nonce, String operation, String... arguments) {
        return mac(key, OPERATOR, words(nonce, operation, arguments));
    }
}
