package dev.warden.agent.lint;

import java.util.Comparator;

/**
 * One thing the linter found, where it found it.
 *
 * @param file the rule file's path in the bundle, or "" for the policy as a whole
 * @param line 1-based, or 0 when the finding is about the whole file
 */
public record Finding(Severity severity, String file, int line, String message) {

    public enum Severity { ERROR, WARNING }

    static final Comparator<Finding> ORDER = Comparator.comparing(Finding::file).thenComparingInt(Finding::line)
            .thenComparing(Finding::severity).thenComparing(Finding::message);

    static Finding error(String file, int line, String message) {
        return new Finding(Severity.ERROR, file, line, message);
    }

    static Finding warning(String file, int line, String message) {
        return new Finding(Severity.WARNING, file, line, message);
    }

    public boolean isError() {
        return severity == Severity.ERROR;
    }

    /** {@code rules/deny.drl:12: error: unknown surface 'jbdc' (did you mean 'jdbc'?)} */
    @Override
    public String toString() {
        String where = file.isEmpty() ? "" : file + (line > 0 ? ":" + line : "") + ": ";
        return where + severity.name().toLowerCase(java.util.Locale.ROOT) + ": " + message;
    }
}
