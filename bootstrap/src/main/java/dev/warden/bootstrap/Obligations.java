package dev.warden.bootstrap;

import java.util.Set;

/**
 * Conditions a permit attaches to an action. Several rules' obligations combine to the most
 * restrictive (see {@link #and}).
 *
 * @param maxRows at most this many result rows reach the host; negative when unlimited
 * @param redact  column or field names whose values reach the host redacted (lower-case)
 * @param maskPii whether personal data in results is masked
 */
public record Obligations(long maxRows, Set<String> redact, boolean maskPii) {

    public static final Obligations NONE = new Obligations(-1, Set.of(), false);

    public Obligations {
        redact = Set.copyOf(redact);
    }

    public boolean limitsRows() {
        return maxRows >= 0;
    }

    /** Whether results of the action must be filtered before the host sees them. */
    public boolean restrictsResults() {
        return limitsRows() || !redact.isEmpty() || maskPii;
    }

    public boolean redacts(String name) {
        return name != null && redact.contains(name.toLowerCase(java.util.Locale.ROOT));
    }

    /** The most restrictive combination of both. */
    public Obligations and(Obligations other) {
        long rows = !limitsRows() ? other.maxRows : !other.limitsRows() ? maxRows : Math.min(maxRows, other.maxRows);
        Set<String> columns = new java.util.TreeSet<>(redact);
        columns.addAll(other.redact);
        return new Obligations(rows, columns, maskPii || other.maskPii);
    }
}
