package dev.warden.rules.approvals;

import dev.warden.rules.state.Per;
import dev.warden.rules.PolicyYaml;
import dev.warden.rules.state.Window;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Risk tiers and what each needs before it runs, as the security team writes them:
 * <pre>
 * tiers:
 *   T1: [tool:invoice:update:status]
 *   T3: [tool:invoice:delete:all]
 * approvals:
 *   approvers: approvers/        # approvers' public keys (PEM), relative to the rules directory; a1.pem = approver a1
 *   T1: {after: 1000, per: actor, window: 1mo, approvers: 1}
 *   T3: {approvers: 2, within: 24h}
 * </pre>
 * Tiers classify and approvals hold: what is permitted at all is still what the rules permit. A tier
 * without an entry here needs no approval. {@code within} defaults to {@value #DEFAULT_WITHIN}.
 *
 * @param approversDirectory relative to the rules directory, ending in '/'; null when no approvals are configured
 */
public record ApprovalPolicy(Tiers tiers, String approversDirectory, Map<Integer, TierApproval> byTier) {

    /** The keys of a policy file this policy reads. */
    public static final List<String> KEYS = List.of("tiers", "approvals");
    public static final String DEFAULT_WITHIN = "24h";
    public static final ApprovalPolicy NONE = new ApprovalPolicy(Tiers.NONE, null, Map.of());

    private static final Pattern DURATION = Pattern.compile("([0-9]{1,6})(s|m|h|d)");
    /** The longest a request may wait for its approvers ({@code within}). */
    public static final Duration LONGEST_WITHIN = Duration.ofDays(366);

    public ApprovalPolicy {
        byTier = Map.copyOf(byTier);
    }

    public boolean isEmpty() {
        return tiers.isEmpty() && byTier.isEmpty();
    }

    /** What {@code tier} needs, or null when its actions need no approval. */
    public TierApproval forTier(int tier) {
        return byTier.get(tier);
    }

    /** The most approvers any tier needs (0 without approvals). */
    public int mostApprovers() {
        return byTier.values().stream().mapToInt(TierApproval::approvers).max().orElse(0);
    }

    /**
     * Reads {@code tiers:} and {@code approvals:} of one file's top-level mapping.
     *
     * @throws IllegalArgumentException naming what is wrong and where
     */
    public static ApprovalPolicy parse(Map<?, ?> top) {
        Tiers tiers = top.containsKey("tiers") ? Tiers.parse(top.get("tiers")) : Tiers.NONE;
        if (!top.containsKey("approvals")) {
            return new ApprovalPolicy(tiers, null, Map.of());
        }
        Map<?, ?> section = PolicyYaml.map(top.get("approvals"), "approvals");
        String directory = null;
        Map<Integer, TierApproval> byTier = new TreeMap<>();
        for (Map.Entry<?, ?> entry : section.entrySet()) {
            String key = String.valueOf(entry.getKey());
            if (key.equals("approvers")) {
                directory = directory(entry.getValue());
                continue;
            }
            int tier = Tiers.tier(key, "approvals");
            byTier.put(tier, tierApproval(tier, entry.getValue()));
        }
        if (directory == null) {
            throw new IllegalArgumentException("approvals needs approvers: the directory of the approvers' public keys");
        }
        if (byTier.isEmpty()) {
            throw new IllegalArgumentException("approvals names no tier (write e.g. T2: {approvers: 1})");
        }
        return new ApprovalPolicy(tiers, directory, byTier);
    }

    private static TierApproval tierApproval(int tier, Object value) {
        String where = "approvals, T" + tier;
        Map<?, ?> entry = PolicyYaml.map(value, where);
        PolicyYaml.onlyKeys(entry, List.of("approvers", "within", "after", "per", "window"), where);
        if (!entry.containsKey("approvers")) {
            throw new IllegalArgumentException(where + " needs approvers: how many distinct approvers must sign");
        }
        long approvers = PolicyYaml.count(entry.get("approvers"), where + ", approvers");
        if (approvers > 16) {
            throw new IllegalArgumentException(where + ", approvers: at most 16, not " + approvers);
        }
        Duration within = duration(entry.containsKey("within") ? entry.get("within") : DEFAULT_WITHIN, where + ", within");
        long after = 0;
        Per per = Per.ACTOR;
        Window window = null;
        if (entry.containsKey("after")) {
            after = PolicyYaml.count(entry.get("after"), where + ", after");
            per = Per.parse(entry.get("per"), where);
            if (!entry.containsKey("window")) {
                throw new IllegalArgumentException(where + ": after needs a window (1d, 1w, 1mo or a duration like 1h)");
            }
            try {
                window = Window.parse(String.valueOf(entry.get("window")));
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException(where + ": " + e.getMessage());
            }
        } else if (entry.containsKey("per") || entry.containsKey("window")) {
            throw new IllegalArgumentException(where + ": per and window count actions only together with after");
        }
        return new TierApproval(tier, (int) approvers, within, after, per, window);
    }

    private static String directory(Object value) {
        String text = PolicyYaml.text(value, "approvals, approvers");
        String normalised = text.replace('\\', '/');
        while (normalised.startsWith("./")) {
            normalised = normalised.substring(2);
        }
        if (normalised.startsWith("/") || normalised.equals("..") || normalised.startsWith("../") || normalised.contains("/../")) {
            throw new IllegalArgumentException("approvals, approvers: '" + text
                    + "' must be a directory inside the rules directory (it is archived with the policy)");
        }
        return normalised.isEmpty() || normalised.equals(".") ? "" : normalised.endsWith("/") ? normalised : normalised + "/";
    }

    /** {@code 90s}, {@code 30m}, {@code 24h}, {@code 7d}. */
    static Duration duration(Object value, String where) {
        Matcher m = DURATION.matcher(String.valueOf(value).trim().toLowerCase(java.util.Locale.ROOT));
        if (!m.matches() || Long.parseLong(m.group(1)) == 0) {
            throw new IllegalArgumentException(where + ": '" + value + "' is not a duration like 90s, 30m, 24h or 7d");
        }
        long amount = Long.parseLong(m.group(1));
        Duration duration = switch (m.group(2)) {
            case "s" -> Duration.ofSeconds(amount);
            case "m" -> Duration.ofMinutes(amount);
            case "h" -> Duration.ofHours(amount);
            default -> Duration.ofDays(amount);
        };
        if (duration.compareTo(LONGEST_WITHIN) > 0) {
            throw new IllegalArgumentException(where + ": '" + value + "' is longer than a year");
        }
        return duration;
    }

    static String describe(Duration duration) {
        long seconds = duration.getSeconds();
        if (seconds % 86_400 == 0 && seconds / 86_400 != 1) {
            return seconds / 86_400 + "d";
        }
        if (seconds % 3600 == 0) {
            return seconds / 3600 + "h";
        }
        return seconds % 60 == 0 ? seconds / 60 + "m" : seconds + "s";
    }

    /** Both files' tiers and approvals; approvals written in two files is an error. */
    public ApprovalPolicy and(ApprovalPolicy other) {
        if (approversDirectory != null && other.approversDirectory != null) {
            throw new IllegalArgumentException("approvals is written in two files: say it in one");
        }
        return new ApprovalPolicy(tiers.and(other.tiers), approversDirectory != null ? approversDirectory : other.approversDirectory,
                approversDirectory != null ? byTier : other.byTier);
    }
}
