package dev.warden.instrumentation.jdbc.sql;

import java.util.List;
import java.util.Locale;

/**
 * One database's way of reading SQL text: where comments, literals and quoted names begin and end.
 * The databases Warden is tested on disagree, and an agent that writes SQL can exploit every
 * disagreement: text that one reading takes for a comment or a string is a statement in another
 * ({@code /* /* *}{@code / ' *}{@code / ; DELETE ...} is one comment for PostgreSQL and H2, which nest
 * them, and a string for databases that do not). {@link SqlLexer} scans the text under every reading
 * the database might apply and keeps the most dangerous answer.
 *
 * @param hashComment        {@code #} starts a line comment (MySQL, MariaDB)
 * @param hashInNames        {@code #} is part of a name ({@code #temp}: SQL Server, H2's MSSQLServer and Oracle modes;
 *                           SQLite's {@code #param})
 * @param dashDashNeedsSpace {@code --} is a comment only when blank or a control character follows (MySQL)
 * @param slashSlashComment  {@code //} starts a line comment (H2)
 * @param nestedComments     {@code /* /* *}{@code / *}{@code /} nests (PostgreSQL, H2, SQL Server)
 * @param executableComments MySQL's {@code /*! ... *}{@code /} and MariaDB's {@code /*M! ... *}{@code /} are code
 * @param backslashEscapes   a backslash escapes the next character in {@code '...'} (and {@code "..."} strings)
 * @param doubleQuoteStrings {@code "..."} is a string, not a name (MySQL without ANSI_QUOTES)
 * @param escapeStrings      {@code E'...'} and {@code U&'...'} are strings (PostgreSQL, H2)
 * @param escapeBackslashes  a backslash escapes the next character in {@code E'...'}, a quote included (PostgreSQL).
 *                           H2 ends {@code E'...'} at the first lone quote, as any string, and decodes the escapes only
 *                           after: there {@code E'\'; DELETE ...} is the string {@code \} and a DELETE
 * @param crEndsLineComment  a carriage return ends a line comment as a line feed does (PostgreSQL, H2). MariaDB and
 *                           SQLite read a {@code --} or {@code #} comment on to the line feed, over a lone
 *                           carriage return and whatever it would have opened
 * @param dollar             what {@code $} starts
 * @param brackets           what {@code [} starts
 * @param blanks             which characters beyond ASCII separate tokens (the rest are name characters)
 */
record Reading(String name, boolean hashComment, boolean hashInNames, boolean dashDashNeedsSpace,
               boolean slashSlashComment, boolean nestedComments, boolean executableComments,
               boolean backslashEscapes, boolean doubleQuoteStrings, boolean escapeStrings, boolean escapeBackslashes,
               boolean crEndsLineComment, Dollar dollar, Brackets brackets, Blanks blanks) {

    /**
     * Which characters beyond ASCII are blanks. Where a database takes one for a name character ({@code LIKE\uFEFF$$}
     * is one name in PostgreSQL) and Warden for a blank, a {@code $$} after it opens a string only to Warden.
     */
    enum Blanks {
        /** every Unicode space, and U+FEFF (the standard reading: the widest) */
        UNICODE,
        /** {@link Character#isWhitespace} (H2, whose tokenizer is Java's: U+FEFF and no-break spaces are not blanks) */
        JAVA_WHITESPACE,
        /** none: every character beyond ASCII is a name character (PostgreSQL, MariaDB, SQLite) */
        ASCII_ONLY;

        boolean blank(char c) {
            if (c <= ' ') {
                return true;
            }
            if (c < 0x80) {
                return false;
            }
            return switch (this) {
                case UNICODE -> Character.isSpaceChar(c) || Character.isWhitespace(c) || c == '\uFEFF';
                case JAVA_WHITESPACE -> Character.isWhitespace(c);
                case ASCII_ONLY -> false;
            };
        }
    }

    enum Dollar {
        /** {@code $} is a name character: {@code $a$} is a name (MySQL, MariaDB, SQLite, SQL Server). */
        NAME,
        /** only {@code $$...$$} is a string (H2). */
        PLAIN,
        /** {@code $$...$$} and {@code $tag$...$tag$} are strings, {@code $1} a parameter (PostgreSQL). */
        TAGGED
    }

    enum Brackets {
        /** {@code [} is an operator (array subscripts, PostgreSQL). */
        NONE,
        /** {@code [name]} where a name can start, {@code ]]} escaping (SQL Server). */
        NAME_WHERE_A_NAME_STARTS,
        /** {@code [} always starts a name that ends at the next {@code ]} (SQLite). */
        ALWAYS_NAME
    }

    /** The reading that builds the shape: a blend of the dialects (the one the classifier always applied). */
    static final Reading STANDARD = new Reading("standard", true, false, false, false, false, true,
            false, false, true, true, true, Dollar.TAGGED, Brackets.NAME_WHERE_A_NAME_STARTS, Blanks.UNICODE);

    static final Reading POSTGRESQL = new Reading("postgresql", false, false, false, false, true, false,
            false, false, true, true, true, Dollar.TAGGED, Brackets.NONE, Blanks.ASCII_ONLY);
    /** standard_conforming_strings = off: backslashes escape in '...' too. */
    static final Reading POSTGRESQL_BACKSLASH = new Reading("postgresql (standard_conforming_strings=off)",
            false, false, false, false, true, false, true, false, true, true, true, Dollar.TAGGED, Brackets.NONE,
            Blanks.ASCII_ONLY);

    static final Reading MARIADB = new Reading("mariadb", true, false, true, false, false, true,
            true, true, false, false, false, Dollar.NAME, Brackets.NONE, Blanks.ASCII_ONLY);
    /** A server older than a versioned comment ({@code /*!99999 ... *}{@code /}) or MySQL reading {@code /*M!}: a comment. */
    static final Reading MARIADB_COMMENTS = new Reading("mariadb (versioned comments skipped)", true, false, true,
            false, false, false, true, true, false, false, false, Dollar.NAME, Brackets.NONE, Blanks.ASCII_ONLY);
    static final Reading MARIADB_ANSI_QUOTES = new Reading("mariadb (ANSI_QUOTES)", true, false, true, false,
            false, true, true, false, false, false, false, Dollar.NAME, Brackets.NONE, Blanks.ASCII_ONLY);
    static final Reading MARIADB_NO_BACKSLASH = new Reading("mariadb (NO_BACKSLASH_ESCAPES)", true, false, true,
            false, false, true, false, true, false, false, false, Dollar.NAME, Brackets.NONE, Blanks.ASCII_ONLY);
    static final Reading MARIADB_ANSI = new Reading("mariadb (ANSI_QUOTES, NO_BACKSLASH_ESCAPES)", true, false,
            true, false, false, true, false, false, false, false, false, Dollar.NAME, Brackets.NONE, Blanks.ASCII_ONLY);

    static final Reading H2 = new Reading("h2", false, false, false, true, true, false,
            false, false, true, false, true, Dollar.PLAIN, Brackets.NONE, Blanks.JAVA_WHITESPACE);
    /** H2's MSSQLServer mode: [names], and # in names ({@code x#$$} is one name, no string). */
    static final Reading H2_BRACKETS = new Reading("h2 (MSSQLServer mode)", false, true, false, true, true, false,
            false, false, true, false, true, Dollar.PLAIN, Brackets.ALWAYS_NAME, Blanks.JAVA_WHITESPACE);
    /** H2's Oracle mode: # in names, [ an operator. */
    static final Reading H2_POUND = new Reading("h2 (Oracle mode)", false, true, false, true, true, false,
            false, false, true, false, true, Dollar.PLAIN, Brackets.NONE, Blanks.JAVA_WHITESPACE);

    static final Reading SQLITE = new Reading("sqlite", false, true, false, false, false, false,
            false, false, false, false, false, Dollar.NAME, Brackets.ALWAYS_NAME, Blanks.ASCII_ONLY);

    static final Reading SQLSERVER = new Reading("sqlserver", false, true, false, false, true, false,
            false, false, false, false, true, Dollar.NAME, Brackets.NAME_WHERE_A_NAME_STARTS, Blanks.UNICODE);

    private static final List<Reading> POSTGRESQL_READINGS = List.of(POSTGRESQL, POSTGRESQL_BACKSLASH);
    private static final List<Reading> MARIADB_READINGS = List.of(MARIADB, MARIADB_COMMENTS, MARIADB_ANSI_QUOTES,
            MARIADB_NO_BACKSLASH, MARIADB_ANSI);
    private static final List<Reading> H2_READINGS = List.of(H2, H2_BRACKETS, H2_POUND);
    private static final List<Reading> SQLITE_READINGS = List.of(SQLITE);
    private static final List<Reading> SQLSERVER_READINGS = List.of(SQLSERVER);
    private static final List<Reading> ALL = List.of(POSTGRESQL, POSTGRESQL_BACKSLASH, MARIADB, MARIADB_COMMENTS,
            MARIADB_ANSI_QUOTES, MARIADB_NO_BACKSLASH, MARIADB_ANSI, H2, H2_BRACKETS, H2_POUND, SQLITE, SQLSERVER);

    /**
     * The readings besides {@link #STANDARD} that the database may apply: its own (in every mode that
     * changes lexing) when the product is known, every reading Warden knows otherwise.
     *
     * @param system {@code db.system} as the enricher derives it from the driver's product name, or null
     */
    static List<Reading> of(String system) {
        if (system == null) {
            return ALL;
        }
        String s = system.toLowerCase(Locale.ROOT);
        if (s.contains("postgres")) {
            return POSTGRESQL_READINGS;
        }
        if (s.contains("mariadb") || s.contains("mysql")) {
            return MARIADB_READINGS;
        }
        if (s.equals("h2")) {
            return H2_READINGS;
        }
        if (s.contains("sqlite")) {
            return SQLITE_READINGS;
        }
        if (s.contains("sqlserver")) {
            return SQLSERVER_READINGS;
        }
        return ALL;
    }

    /**
     * MySQL and MariaDB skip a versioned comment the server is older than ({@code /*!99999 ... *}{@code /}) with one
     * nested {@code /* ... *}{@code /} allowed inside it (their lexer recurses once there, never in a plain comment).
     */
    boolean skippedVersionedCommentNestsOnce() {
        return dashDashNeedsSpace; // the MySQL family's readings
    }

    /**
     * H2's tokenizer is Java's: past its first character a name goes on over every character Java takes for part of an
     * identifier, the control characters Java ignores there (U+0001, U+007F) included, although a control character
     * where a token starts is a blank to it. So {@code LIKE}, U+0001, {@code $$} is one name to H2, and that {@code $$}
     * opens no string there.
     */
    boolean javaNames() {
        return blanks == Blanks.JAVA_WHITESPACE;
    }

    /**
     * SQLite's parameters: {@code $}, {@code @}, {@code :} or {@code #} and a name, which may go on with {@code ::}
     * and end in a parenthesised suffix that runs to the first blank or {@code )}: {@code $a::VARCHAR(')} is one
     * parameter there, and a quote inside it opens no string.
     */
    boolean sqliteParameters() {
        return this == SQLITE;
    }

    @Override
    public String toString() {
        return name;
    }
}
