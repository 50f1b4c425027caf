package dev.warden.bootstrap;

import java.util.Set;

/**
 * Conditions a permit attaches to an action. Several rules' obligations combine to the most
 * restrictive (see {@link #and}).
 *
 * @param maxRows at most this many result rows reach the host; negative when unlimited
 * @param redact  column or field names whose values reach the host redacted (lower-case)
 * @param maskPii whether personal data in results is masked
 * @param maxOutputTokens a model call may ask for at most this many output tokens (what a budget reserved for its
 *                        output, handed to the request); negative when unlimited
 */
public record Obligations(long maxRows, Set<String> redact, boolean maskPii, long maxOutputTokens) {

    public static final Obligations NONE = new Obligations(-1, Set.of(), false);

    public Obligations {
        redact = Set.copyOf(redact);
    }

    /** Obligations on results only, as rules attach them. */
    public Obligations(long maxRows, Set<String> redact, boolean maskPii) {
        this(maxRows, redact, maskPii, -1);
    }

    /** A model call's output capped at {@code tokens} (a budget's reservation), nothing else. */
    public static Obligations maxOutput(long tokens) {
        return new Obligations(-1, Set.of(), false, tokens);
    }

    public boolean capsOutput() {
        return maxOutputTokens >= 0;
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
        long output = !capsOutput() ? other.maxOutputTokens : !other.capsOutput() ? maxOutputTokens
                : Math.min(maxOutputTokens, other.maxOutputTokens);
        return new Obligations(rows, columns, maskPii || other.maskPii, output);
    }
}
