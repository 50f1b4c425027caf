package dev.warden.rules;

import dev.warden.bootstrap.Obligations;

import java.util.Set;
import java.util.TreeSet;

/**
 * Whether a permit's redaction reaches every value of the columns it names. A JDBC result set redacts a column by
 * the name the result gives it, so a statement that reads a redacted column anywhere else — in an expression
 * ({@code LOWER(email)}), under an alias, in a condition, a nested query, another branch of a {@code UNION}, renamed
 * by a column list — would hand its values over unredacted, or reveal them through what it returns. Such a permit
 * cannot be honoured: the action is refused, by a rule of Warden's own. The statement's reading says which columns
 * it reads so ({@code sql.computedColumns}); SQL Warden could not read ({@code sql.parseError}) is refused under a
 * redaction too.
 */
final class RedactionReach {

    static final String RULE = "redaction-unenforceable";

    private RedactionReach() {}

    /** Why {@code obligations}' redaction cannot be honoured for {@code action}, or null when it can (or redacts nothing). */
    static String unreachable(Obligations obligations, Action action) {
        if (obligations.redact().isEmpty() || !"jdbc".equals(action.getSurface())
                || action.attribute("sql.shape") == null && action.attribute("sql.parseError") == null) {
            return null; // nothing redacted, or no SQL: a driver API's call is refused under a redaction where it runs
        }
        String parseError = action.text("sql.parseError");
        if (!parseError.isEmpty()) {
            return "the permit redacts " + String.join(",", obligations.redact())
                    + ", and the statement's columns cannot be read (" + parseError + ")";
        }
        Set<String> computed = action.names("sql.computedColumns");
        Set<String> reached = new TreeSet<>();
        for (String column : computed) {
            if (column.equals("*") || obligations.redacts(column)) {
                reached.add(column);
            }
        }
        if (reached.isEmpty()) {
            return null;
        }
        return "the permit redacts " + String.join(",", obligations.redact()) + " by result column, and the statement reads "
                + (reached.equals(Set.of("*")) ? "columns under other names (a star in a nested query, a column list)"
                        : String.join(",", reached) + " other than as a plain result column")
                + ": their values would reach the host unredacted";
    }
}
