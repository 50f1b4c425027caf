package dev.warden.instrumentation.jdbc.sql;

/**
 * JDBC escape syntax ({@code {fn ...}}, {@code {d '...'}}, {@code {oj ...}}, {@code {call ...}}): the driver
 * rewrites it before the database sees the text, after Warden decided, with a lexer of its own that reads
 * comments and quotes unlike the database (pgjdbc copies a {@code {fn ...}} raw up to the next brace,
 * comments and strings included; MariaDB Connector/J loses a quote in {@code {fn convert(x, '...')}}). So a
 * brace anywhere, even in what the database would take for a string or a comment, means the text run may
 * not be the text read, and such SQL is refused: a value with braces (JSON, a PostgreSQL array) is bound as
 * a parameter instead. The one escape read is the whole-statement call, which every tested driver turns into
 * a call of the same name with the arguments copied as written ({@code CALL name(args)}, {@code SELECT
 * name(args)}, {@code select * from name(args) as result}); Warden reads it as {@code CALL name(args)},
 * provided the arguments close where the text ends under every reading ({@link #isOneCall}).
 */
final class JdbcEscapes {

    /** Why other escapes are refused, for {@code sql.parseError}. */
    static final String REWRITTEN = "JDBC escape syntax: the driver rewrites text with a brace by its own reading of it"
            + " (a brace in a string or comment too; bind such values as parameters); only {call name(...)} is read";

    /** Why a call escape that is not exactly one call is refused. */
    static final String NOT_ONE_CALL = "JDBC call escape: the driver rewrites {call name(...)} into another statement,"
            + " so nothing may follow the call's arguments";

    private JdbcEscapes() {
    }

    /** True when a driver may rewrite {@code sql}: it holds a brace (cheap, and blind to literals on purpose). */
    static boolean present(String sql) {
        return sql.indexOf('{') >= 0 || sql.indexOf('}') >= 0;
    }

    /**
     * The SQL Warden reads for {@code sql} when it is one whole-statement call escape,
     * {@code {[? =] call name[(args)]}} with nothing but blanks around it and no other brace: {@code CALL name(args)}
     * ({@code CALL name()} without arguments, as pgjdbc writes it). Null for every other text with a brace. The
     * name is plain (letters, digits and {@code _}, quoted or not, parts joined by dots) and
     * no keyword ({@code {call only(secrets)}} is {@code select * from only(secrets)} to pgjdbc: a table read).
     */
    static String call(String sql) {
        int open = skipBlanks(sql, 0);
        int close = lastNonBlank(sql);
        if (open >= sql.length() || sql.charAt(open) != '{' || close <= open || sql.charAt(close) != '}'
                || sql.indexOf('{', open + 1) >= 0 || sql.indexOf('}') != close) {
            return null;
        }
        int i = skipBlanks(sql, open + 1);
        if (i < close && sql.charAt(i) == '?') {
            i = skipBlanks(sql, i + 1);
            if (i >= close || sql.charAt(i) != '=') {
                return null;
            }
            i = skipBlanks(sql, i + 1);
        }
        if (!sql.regionMatches(true, i, "call", 0, 4) || i + 4 >= close || !blank(sql.charAt(i + 4))) {
            return null;
        }
        int nameStart = skipBlanks(sql, i + 4);
        int nameEnd = nameEnd(sql, nameStart, close);
        if (nameEnd < 0) {
            return null;
        }
        String name = sql.substring(nameStart, nameEnd);
        int rest = skipBlanks(sql, nameEnd);
        if (rest == close) {
            return "CALL " + name + "()";
        }
        int last = lastNonBlank(sql.substring(0, close));
        if (sql.charAt(rest) != '(' || last <= rest || sql.charAt(last) != ')') {
            return null;
        }
        return "CALL " + name + sql.substring(rest, last + 1);
    }

    /**
     * True when {@code shape}, one reading's shape of a text {@link #call} gave, is one call whose arguments close
     * at its end: a driver copies the arguments into {@code select * from name(args) as result} or
     * {@code SELECT name(args)}, where text after them would be more tables or columns.
     */
    static boolean isOneCall(SqlLexer.Shape shape) {
        return shape.firstGroupEnd() == shape.text().length();
    }

    /** The end of a qualified name starting at {@code start}, or -1 when no plain name starts there. */
    private static int nameEnd(String sql, int start, int limit) {
        int i = start;
        while (true) {
            int partEnd = partEnd(sql, i, limit);
            if (partEnd < 0) {
                return -1;
            }
            i = partEnd;
            if (i < limit && sql.charAt(i) == '.') {
                i++;
            } else {
                return i;
            }
        }
    }

    private static int partEnd(String sql, int start, int limit) {
        if (start >= limit) {
            return -1;
        }
        char first = sql.charAt(start);
        if (first == '"' || first == '`') {
            int end = sql.indexOf(first, start + 1);
            if (end < 0 || end >= limit || end == start + 1) {
                return -1;
            }
            for (int i = start + 1; i < end; i++) {
                if (!Character.isLetterOrDigit(sql.charAt(i)) && sql.charAt(i) != '_') {
                    return -1;
                }
            }
            return end + 1;
        }
        if (!asciiLetter(first) && first != '_') {
            return -1;
        }
        int i = start + 1;
        while (i < limit && (asciiLetter(sql.charAt(i)) || sql.charAt(i) == '_' || Character.isDigit(sql.charAt(i))
                && sql.charAt(i) < 0x80)) {
            i++;
        }
        return ReadOnlyFunctions.isKeyword(sql.substring(start, i)) ? -1 : i;
    }

    private static boolean asciiLetter(char c) {
        return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z';
    }

    /** Only the blanks every driver's call syntax and every reading agree on. */
    private static boolean blank(char c) {
        return c == ' ' || c == '\t' || c == '\n' || c == '\r';
    }

    private static int skipBlanks(String sql, int i) {
        while (i < sql.length() && blank(sql.charAt(i))) {
            i++;
        }
        return i;
    }

    private static int lastNonBlank(String sql) {
        int i = sql.length() - 1;
        while (i >= 0 && blank(sql.charAt(i))) {
            i--;
        }
        return i;
    }
}
