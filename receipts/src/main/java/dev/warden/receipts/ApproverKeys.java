package dev.warden.receipts;

import java.nio.charset.StandardCharsets;
import java.util.Collections;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * The approvers a policy names: every {@code NAME.pem} public key directly in its approvers
 * directory ({@code approvers/a1.pem} is approver {@code a1}). They are files of the policy bundle, so
 * they are archived with it and a verifier finds them beside the receipts.
 */
public final class ApproverKeys {

    private final SortedMap<String, VerificationKey> keys;

    private ApproverKeys(SortedMap<String, VerificationKey> keys) {
        this.keys = Collections.unmodifiableSortedMap(keys);
    }

    /**
     * @param files     the bundle's files by relative path
     * @param directory the approvers directory relative to the bundle's root, e.g. {@code approvers/}
     * @throws KeyFormatException when a key file there is not an Ed25519 public key
     */
    public static ApproverKeys from(Map<String, byte[]> files, String directory) throws KeyFormatException {
        String prefix = normalise(directory);
        SortedMap<String, VerificationKey> keys = new TreeMap<>();
        for (Map.Entry<String, byte[]> file : files.entrySet()) {
            String path = file.getKey();
            if (!path.startsWith(prefix) || !path.endsWith(".pem")) {
                continue;
            }
            String name = path.substring(prefix.length(), path.length() - ".pem".length());
            if (name.contains("/")) {
                continue;
            }
            if (!SignedApproval.isApproverName(name)) {
                throw new KeyFormatException("approver key " + path + ": the name '" + name
                        + "' may use only letters, digits, '_', '.' and '-'");
            }
            keys.put(name, Ed25519Keys.parsePublic(new String(file.getValue(), StandardCharsets.ISO_8859_1), "approver key " + path));
        }
        return new ApproverKeys(keys);
    }

    /** {@code approvers}, {@code ./approvers/} and {@code approvers/} all name {@code approvers/}. */
    public static String normalise(String directory) {
        String d = directory.replace('\\', '/');
        while (d.startsWith("./")) {
            d = d.substring(2);
        }
        if (d.equals(".") || d.isEmpty()) {
            return "";
        }
        return d.endsWith("/") ? d : d + "/";
    }

    public SortedMap<String, VerificationKey> all() {
        return keys;
    }

    /** The approver's key, or null when the policy names no such approver. */
    public VerificationKey of(String approver) {
        return keys.get(approver);
    }

    public boolean isEmpty() {
        return keys.isEmpty();
    }
}
