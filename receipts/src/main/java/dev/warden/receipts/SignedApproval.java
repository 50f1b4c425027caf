package dev.warden.receipts;

import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * An approver's signed decision on one request, as it travels from the approvers' CLI to the gate (a
 * file in the receipts directory's approvals area, or a Redis hash field): one RFC 8785 JSON object
 * <pre>{"approver":"a1","decision":"approve","digest":"...","expires":"...","reason":null,"request":"...","signature":"...","v":1}</pre>
 * The signature covers {@link ApprovalStatement#bytes()}; {@code approver} and {@code reason} are not
 * signed: the gate checks the signature under the key the policy lists for {@code approver}, so a
 * changed name fails, and a reason is a note for people.
 */
public record SignedApproval(ApprovalStatement statement, String approver, String signature, String reason) {

    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9_.\\-]{1,64}");
    private static final Set<String> MEMBERS = Set.of("approver", "decision", "digest", "expires", "reason", "request",
            "signature", "v");
    private static final int MAX_REASON = 1024;
    private static final int MAX_BYTES = 8192;

    /** @throws IllegalArgumentException when the approver's name or the reason is not acceptable */
    public SignedApproval {
        if (approver == null || !NAME.matcher(approver).matches()) {
            throw new IllegalArgumentException("approver name '" + approver + "' may use only letters, digits, '_', '.' and '-'");
        }
        if (signature == null) {
            throw new IllegalArgumentException("an approval needs a signature");
        }
        if (reason != null && reason.length() > MAX_REASON) {
            throw new IllegalArgumentException("a reason is at most " + MAX_REASON + " characters");
        }
    }

    /** Whether {@code name} may name an approver (a key file's stem). */
    public static boolean isApproverName(String name) {
        return name != null && NAME.matcher(name).matches();
    }

    public static SignedApproval sign(ApprovalStatement statement, String approver, SigningKey key, String reason) {
        return new SignedApproval(statement, approver, statement.signBase64(key), reason);
    }

    public boolean verifiedBy(VerificationKey key) {
        return statement.verifiedBy(key, signature);
    }

    /** What a receipt cites of it. */
    public ApprovalCitation citation() {
        return new ApprovalCitation(statement.request(), approver, statement.decision(), statement.expires(), signature);
    }

    public byte[] toJson() {
        CanonicalJsonWriter w = new CanonicalJsonWriter();
        w.beginObject()
                .name("approver").value(approver)
                .name("decision").value(statement.decision())
                .name("digest").value(statement.digest())
                .name("expires").asciiValue(Timestamps.format(statement.expires()))
                .name("reason").value(reason)
                .name("request").value(statement.request())
                .name("signature").value(signature)
                .name("v").value(1)
                .endObject();
        return w.toByteArray();
    }

    /**
     * Reads an approval as the CLI wrote it.
     *
     * @throws IllegalArgumentException saying what is wrong with it
     */
    public static SignedApproval parse(byte[] json) {
        if (json.length > MAX_BYTES) {
            throw new IllegalArgumentException("an approval is at most " + MAX_BYTES + " bytes, this one has " + json.length);
        }
        Object parsed;
        try {
            parsed = JsonParser.parse(json);
        } catch (MalformedReceiptException e) {
            throw new IllegalArgumentException("not JSON: " + e.getMessage());
        }
        if (!(parsed instanceof Map<?, ?> m) || !MEMBERS.equals(m.keySet())) {
            throw new IllegalArgumentException("not an approval: expected exactly the members " + new java.util.TreeSet<>(MEMBERS));
        }
        if (!Long.valueOf(1).equals(m.get("v"))) {
            throw new IllegalArgumentException("unknown approval format version " + m.get("v"));
        }
        Object reason = m.get("reason");
        if (reason != null && !(reason instanceof String)) {
            throw new IllegalArgumentException("reason is not a string");
        }
        ApprovalStatement statement = new ApprovalStatement(text(m, "request"), text(m, "digest"), text(m, "decision"),
                ApprovalStatement.parseTime(text(m, "expires")));
        return new SignedApproval(statement, text(m, "approver"), text(m, "signature"), (String) reason);
    }

    private static String text(Map<?, ?> m, String name) {
        if (!(m.get(name) instanceof String s)) {
            throw new IllegalArgumentException(name + " is not a string");
        }
        return s;
    }
}
