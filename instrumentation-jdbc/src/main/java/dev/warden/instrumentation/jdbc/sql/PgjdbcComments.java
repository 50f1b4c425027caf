package dev.warden.instrumentation.jdbc.sql;

/**
 * Comments pgjdbc's own lexer ends where PostgreSQL reads on. pgjdbc rewrites a prepared statement's text by what that
 * lexer finds: with {@code reWriteBatchedInserts=true} it sends a batch of an {@code INSERT ... VALUES (...)} as one
 * {@code INSERT} that repeats the list it took for the {@code VALUES} list once per row; in its simple query mode it
 * splices the bound values in place. Its lexer ends a {@code /}{@code *} comment at the {@code /} of
 * {@code /}{@code *}{@code /}, where PostgreSQL reads on (and nests a second comment in each copy), so the list it
 * copies can end inside what the server reads as a comment, and what the single statement held in a comment or a
 * string runs in the rewrite: {@code VALUES (?, 'a' /}{@code *}{@code / ) , ('x') *}{@code / ) , (9, '*}{@code / ), (8,
 * (SELECT secret FROM secrets)) -- ')} inserts a row of {@code secrets} once batched. Warden does not model the
 * driver's lexer: a prepared statement whose text holds {@code /}{@code *}{@code /} anywhere is refused on PostgreSQL
 * and on a database of unknown kind.
 */
public final class PgjdbcComments {

    /** The reason a prepared statement is refused, in {@code sql.parseError}. */
    static final String ENDED_EARLY = "a comment opened as /*/, which pgjdbc's lexer ends at its own / where the database"
            + " reads on, so that the text the driver rewrites (a batch of inserts, spliced values) goes by another"
            + " reading: put a blank after the /*";

    private PgjdbcComments() {
    }

    /** True when a prepared statement's text is refused: it holds {@code /}{@code *}{@code /} on a database pgjdbc may serve. */
    static boolean endedEarly(String sql, String system) {
        return RenumberedPlaceholders.renumberedBy(system) && sql.contains("/*/");
    }
}
