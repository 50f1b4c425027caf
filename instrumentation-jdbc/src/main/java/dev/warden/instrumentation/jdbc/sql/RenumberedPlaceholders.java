package dev.warden.instrumentation.jdbc.sql;

/**
 * Placeholders a driver rewrites in the text. pgjdbc sends a prepared statement's text with each {@code ?} its own lexer
 * takes for a placeholder rewritten as {@code $1}, {@code $2}, ... (with {@code preferQueryMode=simple}, as the bound
 * value itself). PostgreSQL takes {@code $} and digits into a name, so a {@code ?} right after a name character joins
 * that name: {@code SELECT v?$$ FROM (SELECT secret ...) s --$$ FROM notes} is a read of {@code notes} and a string to
 * every reading of the text as written, and {@code SELECT v$1$$ FROM (SELECT secret ...) s} to the server, which reads
 * the "string" as code. After a {@code $} the rewrite can also close a dollar-quoted string ({@code $a$...$a?} becomes
 * {@code $a$...$a$1}). Warden does not ask the driver's lexer (it is the driver's, and changes with its version): a
 * prepared statement whose text has a {@code ?} right after a name character or a {@code $} anywhere, even where a
 * reading sees a string, is refused, since the driver's lexer may find a placeholder where the server sees a string.
 */
public final class RenumberedPlaceholders {

    /** The reason a prepared statement is refused, in {@code sql.parseError}. */
    static final String JOINED = "a ? right after a name character or $, where the driver's $n for it would join the name"
            + " or close a string: put a blank before the ?, or write a literal ? as CHR(63)";

    private RenumberedPlaceholders() {
    }

    /** True for a database whose usual driver rewrites placeholders as {@code $n} ({@code db.system} postgresql, or unknown). */
    static boolean renumberedBy(String system) {
        return system == null || system.contains("postgres");
    }

    /** True when a prepared statement's text is refused: some {@code ?} in it follows a name character or a {@code $}. */
    static boolean joined(String sql, String system) {
        if (!renumberedBy(system)) {
            return false;
        }
        for (int i = sql.indexOf('?', 1); i > 0; i = sql.indexOf('?', i + 1)) {
            char before = sql.charAt(i - 1);
            if (before == '$' || before == '_' || before >= 0x80 || Character.isLetterOrDigit(before)) {
                return true; // PostgreSQL's name characters: letters, digits, _, $ and every byte beyond ASCII
            }
        }
        return false;
    }
}
