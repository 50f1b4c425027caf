package dev.warden.instrumentation.jdbc.sql;

import java.util.List;

/**
 * Bound values a driver splices into the SQL text itself. MariaDB Connector/J (as MySQL's) prepares a statement in the
 * client unless told otherwise: it finds the {@code ?} placeholders with a lexer of its own and sends the text with
 * each bound value quoted and escaped in place of its placeholder. That lexer reads comments unlike the server
 * ({@code --'} starts a comment to it and is code to the server; {@code /}{@code *}{@code /} opens and closes one), so
 * it can splice a value where the server reads a string or a comment: the value's own quotes then end the server's
 * string, and the bound value, which Warden treats as data, runs as SQL (a {@code UNION} read of another table under
 * a permit to read one). Warden does not ask the driver's lexer (it is the driver's, and changes with its version):
 * such a prepared statement is refused unless every {@code ?} in its text is a placeholder under every reading of the
 * database, so that wherever the driver splices a value, the server reads a value. pgjdbc splices too when told to
 * ({@code preferQueryMode=simple}, in the URL, the properties or a data source's setter, none of which Warden sees
 * for sure), and its lexer closes a {@code /}{@code *} at the {@code /} of {@code /}{@code *}{@code /} where PostgreSQL
 * reads on: a value spliced there ends the server's comment with its own {@code *}{@code /}. So PostgreSQL, and a
 * database of unknown kind, are read so too.
 */
public final class SplicedValues {

    /** The reason a prepared statement is refused, in {@code sql.parseError}. */
    static final String AMBIGUOUS = "a ? the database may read inside a string or a comment, where the driver may splice"
            + " a bound value into the text: bind no value there, or write the ? as CHAR(63) (CHR(63) on PostgreSQL)";

    private SplicedValues() {
    }

    /**
     * True for a database whose usual drivers splice bound values into the text ({@code db.system} mariadb, mysql;
     * postgresql, whose pgjdbc does in its simple query mode; or unknown).
     */
    static boolean splicedBy(String system) {
        return system == null || system.contains("mariadb") || system.contains("mysql") || system.contains("postgres");
    }

    /** True when a prepared statement's text is refused: some {@code ?} in it is no placeholder to some reading. */
    static boolean ambiguous(String sql, String system, List<Reading> readings) {
        return splicedBy(system) && sql.indexOf('?') >= 0 && !SqlLexer.everyQuestionMarkIsAPlaceholder(sql, readings);
    }
}
