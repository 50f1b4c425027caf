package dev.warden.instrumentation.jdbc.sql;

import java.util.ArrayList;
import java.util.List;

/**
 * Single-pass, allocation-light scanner for SQL text. It never parses: it walks the characters once
 * (no regular expressions, so no backtracking on hostile input) and
 * <ul>
 *   <li>builds the statement's <em>shape</em>: string and numeric literals masked as {@code ?},
 *       comments removed, whitespace collapsed — the cache key for the expensive parse;</li>
 *   <li>notes what the guardrails need without a parse: comments, the number of stacked statements,
 *       comparisons between two literals ({@code 1=1}) and bare literal truth values ({@code OR 1}),
 *       a best-guess operation for each statement, the parenthesis depth.</li>
 * </ul>
 * Content inside literals and quoted identifiers is opaque: a {@code ;} or {@code --} there is data.
 *
 * <p>Where databases disagree about where a literal or a comment ends, an agent can hide a statement
 * from one reading that the database executes under another (MySQL's {@code \'} escape and {@code "}
 * strings, PostgreSQL's and H2's nested comments, H2's {@code //} comments, MySQL's {@code /*! *}{@code /}
 * code, {@code $a$} being a string in PostgreSQL and a name in MySQL, SQLite's {@code [names]}). The
 * shape is built under {@link Reading#STANDARD}; when the text contains a character on which readings
 * can differ, {@link #scan} scans it again under each {@link Reading} the database may apply and keeps
 * the most alarming answer for every guard signal, plus each reading's shape that differs, so the
 * classifier can parse what the database will actually run.
 *
 * <p>The operation guess looks beyond the first keyword where a read is not a read: a data-modifying
 * word anywhere in a query ({@code WITH d AS (DELETE ...) SELECT}, {@code SELECT ... FOR UPDATE},
 * {@code PREPARE p AS DELETE ...}), {@code SELECT ... INTO} (a new table, a file, variables) and
 * {@code FOR SHARE} / {@code LOCK IN SHARE MODE} locks.
 */
final class SqlLexer {

    /**
     * One reading's shape, as the parser needs it.
     *
     * @param maxDepth       deepest parenthesis nesting (the parser recurses on it)
     * @param squareBrackets [bracketed identifiers] seen: the parser needs a flag for them
     * @param firstGroupEnd  where in {@code text} the first parenthesis opened at depth 0 was closed, -1 when none was:
     *                       for a call escape, whose arguments a driver copies into a statement of its own
     */
    record Shape(Reading reading, String text, int maxDepth, boolean squareBrackets, int firstGroupEnd) {}

    /**
     * What the scans found: signals are the most alarming over every reading.
     *
     * @param shapes            the standard reading's shape first, then every other reading's that differs
     *                          ("" when nothing but blanks/comments)
     * @param statementCount    non-empty statements separated by {@code ;}
     * @param keywordOperation  most dangerous keyword guess over all statements and readings
     */
    record Result(List<Shape> shapes, int statementCount, boolean hasComment, boolean literalComparison,
                  SqlOperation keywordOperation) {

        String shape() {
            return shapes.get(0).text();
        }

        int maxDepth() {
            return shapes.get(0).maxDepth();
        }
    }

    /** Scans under the standard reading and, when the text is ambiguous, under every reading Warden knows. */
    static Result scan(String sql) {
        return scan(sql, Reading.of(null));
    }

    /** Scans under the standard reading and, when the text is ambiguous, under {@code readings} too. */
    static Result scan(String sql, List<Reading> readings) {
        SqlLexer primary = new SqlLexer(sql, Reading.STANDARD, true, false);
        primary.run();
        Shape first = primary.shape();
        int count = primary.statements;
        boolean comment = primary.hasComment;
        boolean literal = primary.literalComparison;
        SqlOperation op = primary.keywordOp;
        if (!mayReadDifferently(sql, readings)) {
            return new Result(List.of(first), count, comment, literal, op);
        }
        List<Shape> shapes = new ArrayList<>(2);
        shapes.add(first);
        for (Reading reading : readings) {
            SqlLexer other = new SqlLexer(sql, reading, true, false);
            other.run();
            count = Math.max(count, other.statements);
            comment |= other.hasComment;
            literal |= other.literalComparison;
            op = op.max(other.keywordOp);
            String text = other.out.toString();
            if (shapes.stream().noneMatch(known -> known.text().equals(text))) {
                shapes.add(other.shape());
            }
        }
        return new Result(List.copyOf(shapes), count, comment, literal, op);
    }

    /**
     * The text as {@code reading} reads it, comments removed and literals kept, but every string
     * literal written as {@code 'x'}: for the parser when a masked shape is not valid SQL
     * ({@code VARCHAR(?)}); the values do not change which tables or functions a statement uses.
     */
    static String withLiterals(String sql, Reading reading) {
        SqlLexer lexer = new SqlLexer(sql, reading, true, true);
        lexer.run();
        return lexer.out.toString();
    }

    /**
     * What the text of {@code shape} (a shape this lexer built under {@code reading}) shows, as a check on the parser's
     * tree walk, which does not look everywhere a function or a query can be ({@code OVER (PARTITION BY f(x))},
     * {@code SUBSTRING(x FROM (SELECT ...))}).
     *
     * @param calls   every name written right before an opening parenthesis, as written with its qualifier and quotes
     *                ({@code pg_catalog.lower}, {@code "f"}), and {@code NEXT VALUE FOR}, each with how often it is
     *                written; keywords and type names before a parenthesis are the caller's to drop
     *                ({@link ReadOnlyFunctions#isKeyword})
     * @param selects how many times the keyword {@code SELECT} is written
     */
    record Written(java.util.Map<String, Integer> calls, int selects) {
    }

    static Written written(String shape, Reading reading) {
        SqlLexer lexer = new SqlLexer(shape, reading, true, false);
        lexer.calls = new java.util.TreeMap<>();
        lexer.run();
        return new Written(lexer.calls, lexer.selects);
    }

    /**
     * True when every {@code ?} in {@code sql} is a placeholder under the standard reading and under each of
     * {@code readings}: none takes one for part of a literal, a quoted name or a comment ({@link SplicedValues}).
     */
    static boolean everyQuestionMarkIsAPlaceholder(String sql, List<Reading> readings) {
        int marks = 0;
        for (int i = 0; i < sql.length(); i++) {
            if (sql.charAt(i) == '?') {
                marks++;
            }
        }
        List<Reading> all = new ArrayList<>(readings.size() + 1);
        all.add(Reading.STANDARD);
        all.addAll(readings);
        for (Reading reading : all) {
            SqlLexer lexer = new SqlLexer(sql, reading, true, false);
            lexer.run();
            if (lexer.placeholders != marks) {
                return false;
            }
        }
        return true;
    }

    /** True when some reading may lex {@code sql} differently from the standard one. */
    static boolean mayReadDifferently(String sql) {
        return mayReadDifferently(sql, Reading.of(null));
    }

    /** True when one of {@code readings} may lex {@code sql} differently from the standard one. */
    static boolean mayReadDifferently(String sql, List<Reading> readings) {
        boolean sqliteParameters = false;
        for (Reading reading : readings) {
            sqliteParameters |= reading.sqliteParameters();
        }
        int n = sql.length();
        for (int i = 0; i < n; i++) {
            char c = sql.charAt(i);
            switch (c) {
                case '\\': case '#': case '"': case '$': case '[': case ']': case '`':
                case '\r': // it ends a line comment to PostgreSQL and H2, not to MariaDB and SQLite
                    return true;
                case '@': case ':':
                    if (sqliteParameters) {
                        return true; // SQLite's @name(...) and :name(...) parameters
                    }
                    break;
                case '/':
                    if (i + 1 < n && (sql.charAt(i + 1) == '*' || sql.charAt(i + 1) == '/')) {
                        return true;
                    }
                    break;
                case '-':
                    if (i + 1 < n && sql.charAt(i + 1) == '-' && (i + 2 >= n || !isSpace(sql.charAt(i + 2)))) {
                        return true;
                    }
                    break;
                default:
                    if (c >= 0x80 && isSpace(c)) {
                        return true; // a blank to Warden's standard reading, a name character to PostgreSQL or MariaDB
                    }
                    break;
            }
        }
        return false;
    }

    // Kinds of significant tokens, as far as the literal-comparison window needs them.
    private static final int NONE = 0;
    private static final int LITERAL = 1;   // '..', 12.5, TRUE, FALSE, $$..$$
    private static final int PARAM = 2;     // ?, $1
    private static final int IDENT = 3;    // names and keywords of no interest here
    private static final int CMP = 4;      // = <> != < > <= >= <=> LIKE ILIKE
    private static final int ARITH = 5;    // + - * / % & | ^ ~ << >>
    private static final int CLOSE = 6;    // )
    private static final int OTHER = 7;    // ( , . :: and the rest
    private static final int SEMI = 8;
    private static final int END = 9;
    private static final int KW_OR = 10;   // OR XOR || : a literal after these widens the condition
    private static final int KW_WHERE = 11; // WHERE ON HAVING: a literal after these is the condition
    private static final int KW_CLAUSE = 12; // AND && ORDER GROUP LIMIT UNION JOIN ...: ends a condition term

    private final String s;
    private final int n;
    private final Reading reading;
    private final StringBuilder out;
    private final boolean keepLiterals; // withLiterals(): numbers as written, strings as 'x'
    private java.util.Map<String, Integer> calls; // written(): names before '(', counted; null otherwise (the hot path)
    private int selects;                  // written(): SELECT keywords
    private int nextValueWords;           // written(): 1 after NEXT, 2 after NEXT VALUE
    private boolean nameJustEmitted;      // the last significant token was a name (for calls)
    private int fieldAccess;              // written(): 1 right after ')', ']' or '?', 2 after one of them and '.'

    private int pos;
    private int placeholders;             // ? read as a placeholder (not in a literal, a quoted name or a comment)
    private boolean pendingSpace;
    private boolean inExecutableComment;

    private boolean hasComment;
    private boolean literalComparison;
    private int statements;
    private boolean statementHasToken;
    private int depth;
    private int maxDepth;
    private boolean squareBrackets;
    private int firstGroupEnd = -1;

    // Beyond the first keyword, per statement: what it really does when it starts like a read.
    private SqlOperation statementOp = SqlOperation.OTHER; // the first-keyword guess for this statement
    private SqlOperation innerOp = SqlOperation.OTHER;     // DELETE/UPDATE/INSERT words anywhere in it
    private boolean into;                                   // an INTO
    private boolean shareLock;                              // FOR SHARE, FOR KEY SHARE, LOCK IN SHARE MODE
    private int previousWord;                               // FOR, KEY or IN just before, for SHARE

    // First-keyword guess: 0 = looking for the statement's first keyword, 1 = after WITH/EXPLAIN,
    // looking for the main keyword at the prefix's depth, 2 = done for this statement.
    private SqlOperation keywordOp = SqlOperation.OTHER;
    private int keywordState;
    private int keywordDepth;

    // The last three significant tokens (k1 newest), for "literal CMP literal" and "OR literal".
    private int k1 = NONE;
    private int k2 = NONE;
    private int k3 = NONE;
    private boolean pendingComparison; // saw "literal CMP literal"; confirmed unless arithmetic follows

    private SqlLexer(String sql, Reading reading, boolean buildShape, boolean keepLiterals) {
        this.s = sql;
        this.n = sql.length();
        this.reading = reading;
        this.out = buildShape ? new StringBuilder(Math.min(n, 1 << 16)) : null;
        this.keepLiterals = keepLiterals;
    }

    private Shape shape() {
        return new Shape(reading, out.toString(), maxDepth, squareBrackets, firstGroupEnd);
    }

    private void run() {
        while (pos < n) {
            char c = s.charAt(pos);
            if (blank(c)) {
                pos++;
                pendingSpace = true;
                continue;
            }
            char next = pos + 1 < n ? s.charAt(pos + 1) : '\0';
            if (reading.sqliteParameters() && (c == '$' || c == '@' || c == ':' || c == '#') && isIdentPart(next)) {
                sqliteParameter();
                continue;
            }
            switch (c) {
                case '-':
                    if (next == '-' && dashDashIsComment()) {
                        lineComment();
                    } else {
                        operator(1, ARITH);
                    }
                    break;
                case '/':
                    if (next == '*') {
                        blockComment();
                    } else if (next == '/' && reading.slashSlashComment()) {
                        lineComment();
                    } else {
                        operator(1, ARITH);
                    }
                    break;
                case '*':
                    if (inExecutableComment && next == '/') { // end of a MySQL /*! ... */ block
                        inExecutableComment = false;
                        pos += 2;
                        pendingSpace = true;
                    } else {
                        operator(1, ARITH);
                    }
                    break;
                case '#':
                    if (reading.hashComment()) {
                        lineComment();
                    } else if (reading.hashInNames()) {
                        identifier();
                    } else {
                        operator(1, OTHER); // PostgreSQL's xor, H2's nothing
                    }
                    break;
                case '\'':
                    stringLiteral(pos, reading.backslashEscapes());
                    break;
                case '"':
                    if (reading.doubleQuoteStrings()) {
                        quoted('"', reading.backslashEscapes(), LITERAL); // MySQL's default: a string
                    } else {
                        quoted('"', false, IDENT);
                    }
                    break;
                case '`':
                    if (reading == Reading.POSTGRESQL || reading == Reading.POSTGRESQL_BACKSLASH) {
                        operator(1, OTHER); // not a quote in PostgreSQL: what follows is read as code
                    } else {
                        quoted('`', false, IDENT);
                    }
                    break;
                case '[':
                    bracket();
                    break;
                case '$':
                    dollar(next);
                    break;
                case '?':
                    placeholders++;
                    operator(1, PARAM);
                    break;
                case ';':
                    semicolon();
                    break;
                case '(':
                    depth++;
                    maxDepth = Math.max(maxDepth, depth);
                    operator(1, OTHER);
                    break;
                case ')': {
                    boolean closesAGroup = depth == 1;
                    depth = Math.max(0, depth - 1);
                    operator(1, CLOSE);
                    if (closesAGroup && firstGroupEnd < 0 && out != null) {
                        firstGroupEnd = out.length();
                    }
                    break;
                }
                case '.':
                    if (isDigit(next) && !isIdentPart(previousChar())) {
                        number();
                    } else {
                        operator(1, OTHER);
                    }
                    break;
                case '=':
                    operator(next == '=' || next == '>' ? 2 : 1, CMP);
                    break;
                case '<':
                    if (next == '=' && pos + 2 < n && s.charAt(pos + 2) == '>') {
                        operator(3, CMP); // <=>
                    } else if (next == '=' || next == '>') {
                        operator(2, CMP);
                    } else if (next == '<') {
                        operator(2, ARITH);
                    } else {
                        operator(1, CMP);
                    }
                    break;
                case '>':
                    if (next == '=') {
                        operator(2, CMP);
                    } else if (next == '>') {
                        operator(2, ARITH);
                    } else {
                        operator(1, CMP);
                    }
                    break;
                case '!':
                    operator(next == '=' ? 2 : 1, next == '=' ? CMP : OTHER);
                    break;
                case '|':
                    operator(next == '|' ? 2 : 1, next == '|' ? KW_OR : ARITH); // || is OR in MySQL
                    break;
                case '&':
                    operator(next == '&' ? 2 : 1, next == '&' ? KW_CLAUSE : ARITH);
                    break;
                case '+': case '%': case '^': case '~':
                    operator(1, ARITH);
                    break;
                default:
                    if (isDigit(c)) {
                        number();
                    } else if (isIdentStart(c)) {
                        identifier();
                    } else {
                        operator(1, OTHER);
                    }
            }
        }
        significant(END);
        endStatement();
    }

    /** Folds what the statement's later words say into the guess, and counts it if it had any token. */
    private void endStatement() {
        if (statementOp == SqlOperation.OTHER || statementOp == SqlOperation.SELECT || statementOp == SqlOperation.CALL) {
            keywordOp = keywordOp.max(innerOp); // a query, a PREPARE or an EXPLAIN that writes
        }
        if (statementOp == SqlOperation.SELECT) {
            if (into) {
                keywordOp = keywordOp.max(SqlOperation.DDL); // SELECT INTO a new table, OUTFILE, DUMPFILE
            }
            if (shareLock) {
                keywordOp = keywordOp.max(SqlOperation.UPDATE); // row locks, as FOR UPDATE
            }
        }
        if (statementHasToken) {
            statements++;
        }
        statementOp = SqlOperation.OTHER;
        innerOp = SqlOperation.OTHER;
        into = false;
        shareLock = false;
        previousWord = 0;
    }

    // ---- comments -------------------------------------------------------------------------------

    private boolean dashDashIsComment() {
        char after = pos + 2 < n ? s.charAt(pos + 2) : ' ';
        return !reading.dashDashNeedsSpace() || after <= ' '; // MySQL: "1--1" is 1 - -1
    }

    private void lineComment() {
        hasComment = true;
        int i = pos;
        boolean crEnds = reading.crEndsLineComment();
        while (i < n && s.charAt(i) != '\n' && (s.charAt(i) != '\r' || !crEnds)) {
            i++;
        }
        pos = i;
        pendingSpace = true;
    }

    /**
     * A block comment: nested where the reading nests them; MySQL's {@code /*! ... *}{@code /} and
     * MariaDB's {@code /*M! ... *}{@code /} (optionally with a version number) are executed by those
     * servers, so under a reading that runs them their content is scanned as code.
     */
    private void blockComment() {
        hasComment = true;
        pendingSpace = true;
        int i = pos + 2;
        if (i < n && s.charAt(i) == 'M' && i + 1 < n && s.charAt(i + 1) == '!') {
            i++;
        }
        boolean versioned = i < n && s.charAt(i) == '!';
        // MariaDB runs a /*! inside a /*! as code too: the first */ ends them both.
        if (versioned && reading.executableComments()) {
            i++;
            int digits = i;
            while (i < n && i < digits + 6 && isDigit(s.charAt(i))) {
                i++; // optional version number: /*!50000 ... */, /*M!100100 ... */
            }
            inExecutableComment = true;
            pos = i;
            return;
        }
        int level = 1;
        int nestable = reading.nestedComments() ? Integer.MAX_VALUE
                : versioned && reading.skippedVersionedCommentNestsOnce() ? 2 : 1;
        i = pos + 2;
        while (i < n) {
            char ch = s.charAt(i);
            if (ch == '*' && i + 1 < n && s.charAt(i + 1) == '/') {
                i += 2;
                if (--level == 0) {
                    break;
                }
            } else if (ch == '/' && i + 1 < n && s.charAt(i + 1) == '*' && level < nestable) {
                i += 2;
                level++;
            } else {
                i++;
            }
        }
        pos = Math.min(i, n);
    }

    // ---- literals and quoted identifiers --------------------------------------------------------

    /** A '...' literal starting at {@code quote}; '' is an escaped quote, backslash too when asked. */
    private void stringLiteral(int start, boolean backslashEscapes) {
        int i = pos + 1;
        while (i < n) {
            char ch = s.charAt(i);
            if (ch == '\\' && backslashEscapes) {
                i += 2;
                continue;
            }
            if (ch == '\'') {
                if (i + 1 < n && s.charAt(i + 1) == '\'') {
                    i += 2;
                    continue;
                }
                i++;
                break;
            }
            i++;
        }
        pos = Math.min(i, n);
        masked(start, false);
    }

    /** "ident", `ident` (doubled delimiter escapes it) — or, for MySQL, a "string". */
    private void quoted(char delimiter, boolean backslashEscapes, int kind) {
        int start = pos;
        int i = pos + 1;
        while (i < n) {
            char ch = s.charAt(i);
            if (ch == '\\' && backslashEscapes) {
                i += 2;
                continue;
            }
            if (ch == delimiter) {
                if (i + 1 < n && s.charAt(i + 1) == delimiter) {
                    i += 2;
                    continue;
                }
                i++;
                break;
            }
            i++;
        }
        pos = Math.min(i, n);
        if (kind == LITERAL) {
            masked(start, false);
        } else {
            token(start, pos, IDENT);
            nameJustEmitted = true;
        }
    }

    /**
     * {@code [}: SQL Server's [bracketed name] where a name can start (after a name or a closing
     * parenthesis it is a PostgreSQL array subscript, {@code arr[1]}, {@code int[]}); SQLite's
     * [name], which always is one and ends at the first {@code ]}; or an operator.
     */
    private void bracket() {
        char prev = previousChar();
        boolean always = reading.brackets() == Reading.Brackets.ALWAYS_NAME;
        if (always || (reading.brackets() == Reading.Brackets.NAME_WHERE_A_NAME_STARTS
                && !isIdentPart(prev) && prev != ')' && prev != ']' && prev != '"' && prev != '`')) {
            int i = pos + 1;
            while (i < n) {
                if (s.charAt(i) == ']') {
                    if (!always && i + 1 < n && s.charAt(i + 1) == ']') {
                        i += 2;
                        continue;
                    }
                    squareBrackets = true;
                    int start = pos;
                    pos = i + 1;
                    token(start, pos, IDENT);
                    nameJustEmitted = true; // [f](...) is a call (SQLite, SQL Server, H2's MSSQLServer mode)
                    return;
                }
                i++;
            }
        }
        operator(1, OTHER);
    }

    /**
     * {@code $}: PostgreSQL's $$..$$ and $tag$..$tag$ literals (a tag is a name without {@code $}, any
     * letters) and $1 parameters; H2's $$..$$ only; a name character in MySQL ({@code $a$} is a name).
     */
    private void dollar(char next) {
        if (reading.dollar() == Reading.Dollar.NAME) {
            identifier();
            return;
        }
        int start = pos;
        if (isDigit(next)) {
            int i = pos + 1;
            while (i < n && isDigit(s.charAt(i))) {
                i++;
            }
            pos = i;
            token(start, pos, PARAM);
            return;
        }
        int i = pos + 1;
        if (next != '$') {
            if (reading.dollar() == Reading.Dollar.PLAIN || !isTagStart(next)) {
                operator(1, OTHER);
                return;
            }
            while (i < n && (isTagStart(s.charAt(i)) || isDigit(s.charAt(i)))) {
                i++;
            }
            if (i >= n || s.charAt(i) != '$') {
                operator(1, OTHER);
                return;
            }
        }
        String delimiter = s.substring(start, i + 1);
        int end = s.indexOf(delimiter, i + 1);
        pos = end < 0 ? n : end + delimiter.length();
        masked(start, false);
    }

    /** SQLite's {@code $name}, {@code @name}, {@code :name}, {@code #name}, read as SQLite's tokenizer reads them. */
    private void sqliteParameter() {
        int start = pos;
        int i = pos + 1;
        boolean plain = true; // @x, :x as a name is written as it is: other readings read it alike
        while (i < n) {
            char ch = s.charAt(i);
            if (isIdentPart(ch)) {
                i++;
            } else if (ch == ':' && i + 1 < n && s.charAt(i + 1) == ':') {
                plain = false;
                i += 2;
            } else if (ch == '(') {
                plain = false;
                i++;
                while (i < n && !blank(s.charAt(i)) && s.charAt(i) != ')') {
                    i++;
                }
                if (i < n && s.charAt(i) == ')') {
                    i++;
                }
                break;
            } else {
                break;
            }
        }
        pos = i;
        if (out != null) {
            space();
            if (plain) {
                out.append(s, start, pos);
            } else {
                out.append('?'); // a parameter, as the parser reads one: its suffix may hold a quote
            }
        }
        statementHasToken = true;
        doneLookingForKeyword();
        significant(PARAM);
    }

    /** 42, 4.2, .42, 4.2e-1, 0x2A, 0b101010. */
    private void number() {
        int start = pos;
        int i = pos;
        char c0 = s.charAt(i);
        char c1 = i + 1 < n ? s.charAt(i + 1) : '\0';
        if (c0 == '0' && (c1 == 'x' || c1 == 'X') && i + 2 < n && isHexDigit(s.charAt(i + 2))) {
            i += 2;
            while (i < n && isHexDigit(s.charAt(i))) {
                i++;
            }
        } else if (c0 == '0' && (c1 == 'b' || c1 == 'B') && i + 2 < n && (s.charAt(i + 2) == '0' || s.charAt(i + 2) == '1')) {
            i += 2;
            while (i < n && (s.charAt(i) == '0' || s.charAt(i) == '1')) {
                i++;
            }
        } else {
            while (i < n && isDigit(s.charAt(i))) {
                i++;
            }
            if (i < n && s.charAt(i) == '.') {
                i++;
                while (i < n && isDigit(s.charAt(i))) {
                    i++;
                }
            }
            if (i < n && (s.charAt(i) == 'e' || s.charAt(i) == 'E')) {
                int j = i + 1;
                if (j < n && (s.charAt(j) == '+' || s.charAt(j) == '-')) {
                    j++;
                }
                if (j < n && isDigit(s.charAt(j))) {
                    i = j;
                    while (i < n && isDigit(s.charAt(i))) {
                        i++;
                    }
                }
            }
        }
        // Letters glued to the digits ("1AND", MySQL's 1abc name) start a new token: reading "1AND"
        // as a number and a keyword is what most databases do, and it keeps "OR 1=1AND ..." visible.
        pos = i;
        masked(start, true);
    }

    private void identifier() {
        int start = pos;
        int i = pos + 1;
        boolean hashPart = reading.hashInNames();
        while (i < n) {
            char ch = s.charAt(i);
            if (isIdentPart(ch) || (hashPart && ch == '#')) {
                i++;
            } else {
                break;
            }
        }
        // Prefixed literals: N'..' E'..' X'..' B'..' U&'..' and MySQL's _utf8mb4'..' introducers.
        if (i < n && s.charAt(i) == '\'') {
            int len = i - start;
            char first = Character.toUpperCase(s.charAt(start));
            if (len == 1 && (first == 'N' || first == 'X' || first == 'B'
                    || (first == 'E' && reading.escapeStrings()))) {
                pos = i;
                stringLiteral(start, first == 'E' ? reading.escapeBackslashes() : reading.backslashEscapes());
                return;
            }
            if (first == '_') {
                pos = i;
                stringLiteral(start, reading.backslashEscapes());
                return;
            }
        }
        if (i - start == 1 && i + 1 < n && s.charAt(i) == '&' && s.charAt(i + 1) == '\''
                && Character.toUpperCase(s.charAt(start)) == 'U' && reading.escapeStrings()) {
            pos = i + 1;
            stringLiteral(start, false);
            return;
        }
        pos = i;
        int kind = keywordKind(start, i - start);
        noteKeyword(start, i);
        noteLaterWord(start, i - start);
        if (calls != null) {
            noteWrittenWord(start, i - start);
        }
        token(start, i, kind);
        nameJustEmitted = true;
    }

    /**
     * For {@link #written}: counts SELECT, and NEXT VALUE FOR and H2's {@code seq.NEXTVAL} (Oracle, DB2 and Legacy
     * modes), which advance a sequence with no parenthesis.
     */
    private void noteWrittenWord(int start, int len) {
        if (len == 6 && is(start, "SELECT")) {
            selects++;
        }
        if (len == 7 && is(start, "NEXTVAL") && out != null && out.length() > 0 && out.charAt(out.length() - 1) == '.') {
            calls.merge(SqlTableCollector.NEXTVAL_PSEUDO_COLUMN, 1, Integer::sum);
        }
        if (len == 4 && is(start, "NEXT")) {
            nextValueWords = 1;
        } else if (nextValueWords == 1 && len == 5 && is(start, "VALUE")) {
            nextValueWords = 2;
        } else {
            if (nextValueWords == 2 && len == 3 && is(start, "FOR")) {
                calls.merge(SqlTableCollector.NEXT_VALUE_FOR, 1, Integer::sum);
            }
            nextValueWords = 0;
        }
    }

    /** The dotted, possibly quoted name at the end of the shape built so far (a [bracketed] part with its brackets). */
    private String nameBefore() {
        int end = out.length();
        int i = end;
        while (i > 0) {
            char ch = out.charAt(i - 1);
            if (ch == ']') {
                int open = out.lastIndexOf("[", i - 1);
                if (open < 0) {
                    break;
                }
                i = open;
            } else if (isIdentPart(ch) || ch == '.' || ch == '"' || ch == '`' || ch == '#') {
                i--;
            } else {
                break;
            }
        }
        return out.substring(i, end);
    }

    /** Words that make a query more than a read, wherever they stand in the statement. */
    private void noteLaterWord(int start, int len) {
        if (keywordState == 2 && statementOp == SqlOperation.OTHER && len <= 10) {
            // A statement that starts as harmless (BEGIN, as in MariaDB's BEGIN NOT ATOMIC REPLACE ... END) does what
            // any statement keyword later in it does.
            SqlOperation named = SqlOperation.ofKnownKeyword(s.substring(start, start + len));
            if (named != null) {
                innerOp = innerOp.max(named);
            }
        }
        int word = 0;
        if (len == 6) {
            if (is(start, "DELETE")) {
                innerOp = innerOp.max(SqlOperation.DELETE);
            } else if (is(start, "UPDATE")) {
                innerOp = innerOp.max(SqlOperation.UPDATE); // also FOR UPDATE, FOR NO KEY UPDATE
            } else if (is(start, "INSERT")) {
                innerOp = innerOp.max(SqlOperation.INSERT);
            }
        } else if (len == 4 && is(start, "INTO")) {
            into = true;
        } else if (len == 5 && is(start, "SHARE") && previousWord != 0) {
            shareLock = true;
        } else if (len == 3 && is(start, "FOR")) {
            word = 1;
        } else if (len == 3 && is(start, "KEY")) {
            word = 2;
        } else if (len == 2 && is(start, "IN")) {
            word = 3;
        }
        previousWord = word;
    }

    // ---- tokens ---------------------------------------------------------------------------------

    private void operator(int length, int kind) {
        int start = pos;
        if (calls != null && nameJustEmitted && s.charAt(start) == '(') {
            calls.merge(nameBefore(), 1, Integer::sum);
        }
        pos = Math.min(n, pos + length);
        if (kind == OTHER && length == 1 && (s.charAt(start) == '(' || s.charAt(start) == '{'
                || s.charAt(start) == '=')) {
            emit(start, pos);
            statementHasToken = true;
            significant(kind);
            return; // these may precede a statement's first keyword: (SELECT ..), {call ..}
        }
        if (kind == PARAM && keywordState == 0) {
            emit(start, pos);
            statementHasToken = true;
            significant(kind);
            return; // {? = call ...}
        }
        if ((kind == ARITH) && (s.charAt(start) == '-' || s.charAt(start) == '+') && !valueEnds(k1)) {
            emit(start, pos);
            statementHasToken = true;
            doneLookingForKeyword();
            return; // a unary sign belongs to the literal that follows: "= -1" compares a literal
        }
        token(start, pos, kind);
    }

    private void masked(int start, boolean number) {
        if (out != null) {
            space();
            if (!keepLiterals) {
                out.append('?');
            } else if (number) {
                out.append(s, start, pos);
            } else {
                out.append("'x'");
            }
        }
        previousWord = 0;
        statementHasToken = true;
        doneLookingForKeyword();
        significant(LITERAL);
    }

    private void token(int start, int end, int kind) {
        emit(start, end);
        statementHasToken = true;
        if (kind != IDENT && kind != KW_OR && kind != KW_WHERE && kind != KW_CLAUSE && kind != CMP
                && kind != LITERAL) {
            doneLookingForKeyword();
        }
        significant(kind);
    }

    private void emit(int start, int end) {
        if (calls != null) {
            noteFieldCall(start, end);
        }
        if (out != null) {
            space();
            if (end > start && out.length() > 0 && joinsIntoAComment(out.charAt(out.length() - 1), s.charAt(start))) {
                out.append(' '); // "/" "/", "/" "*", "-" "-": written apart, so the parser reads no comment the lexer did not
            }
            out.append(s, start, end);
        }
    }

    /**
     * For {@link #written}: a name after {@code ).}, {@code ].} or {@code ?.} is a call to PostgreSQL, whose functional
     * notation reads {@code (expr).f} (and {@code $1.f}, {@code (SELECT ...).f}) as {@code f(expr)} when {@code expr}
     * has no field {@code f}: {@code ('/etc/passwd'::text).pg_read_file} reads a server file with no parenthesis after
     * the function's name. A field of a composite value is written the same way, so it counts as a call too.
     */
    private void noteFieldCall(int start, int end) {
        char first = s.charAt(start);
        if (fieldAccess == 2 && (isIdentStart(first) || first == '"' || first == '`')) {
            calls.merge(s.substring(start, end), 1, Integer::sum);
        }
        boolean one = end - start == 1;
        fieldAccess = one && first == '.' && fieldAccess == 1 ? 2
                : one && (first == ')' || first == ']' || first == '?') ? 1 : 0;
    }

    private static boolean joinsIntoAComment(char last, char first) {
        return last == '/' && (first == '/' || first == '*') || last == '-' && first == '-';
    }

    private void space() {
        if (pendingSpace && out.length() > 0) {
            out.append(' ');
        }
        pendingSpace = false;
    }

    private void semicolon() {
        significant(SEMI);
        emit(pos, pos + 1);
        pos++;
        endStatement();
        statementHasToken = false;
        keywordState = 0;
        k1 = NONE;
        k2 = NONE;
        k3 = NONE;
    }

    /** Slides the three-token window and looks for the two tautology patterns. */
    private void significant(int kind) {
        nameJustEmitted = false;
        if (pendingComparison) {
            pendingComparison = false;
            if (kind != ARITH) {
                literalComparison = true; // "1=1" not followed by "+ x"
            }
        }
        if (k1 == LITERAL && (k2 == KW_OR || k2 == KW_WHERE) && endsTerm(kind)) {
            literalComparison = true; // OR 1, WHERE TRUE, ON 1
        }
        if (kind == LITERAL && k1 == CMP && k2 == LITERAL && k3 != ARITH) {
            pendingComparison = true; // 1=1, 'a'='a', 2>1 — unless "x + 1 = 2" or "1 = 2 + x"
        }
        k3 = k2;
        k2 = k1;
        k1 = kind;
    }

    private static boolean endsTerm(int kind) {
        return kind == END || kind == SEMI || kind == CLOSE || kind == KW_OR || kind == KW_WHERE
                || kind == KW_CLAUSE;
    }

    private static boolean valueEnds(int kind) {
        return kind == LITERAL || kind == PARAM || kind == IDENT || kind == CLOSE;
    }

    private int keywordKind(int start, int len) {
        switch (len) {
            case 2:
                if (is(start, "OR")) return KW_OR;
                if (is(start, "ON")) return KW_WHERE;
                return IDENT;
            case 3:
                if (is(start, "AND")) return KW_CLAUSE;
                if (is(start, "XOR")) return KW_OR;
                return IDENT;
            case 4:
                if (is(start, "TRUE")) return LITERAL;
                if (is(start, "LIKE")) return CMP;
                if (is(start, "JOIN") || is(start, "LEFT") || is(start, "FULL")) return KW_CLAUSE;
                return IDENT;
            case 5:
                if (is(start, "WHERE")) return KW_WHERE;
                if (is(start, "FALSE")) return LITERAL;
                if (is(start, "ILIKE")) return CMP;
                if (is(start, "ORDER") || is(start, "GROUP") || is(start, "LIMIT") || is(start, "UNION")
                        || is(start, "FETCH") || is(start, "CROSS") || is(start, "INNER")
                        || is(start, "RIGHT")) return KW_CLAUSE;
                return IDENT;
            case 6:
                if (is(start, "HAVING")) return KW_WHERE;
                if (is(start, "EXCEPT") || is(start, "OFFSET") || is(start, "WINDOW")) return KW_CLAUSE;
                return IDENT;
            case 7:
                return is(start, "NATURAL") ? KW_CLAUSE : IDENT;
            case 9:
                return is(start, "INTERSECT") || is(start, "RETURNING") ? KW_CLAUSE : IDENT;
            default:
                return IDENT;
        }
    }

    private boolean is(int start, String keyword) {
        return s.regionMatches(true, start, keyword, 0, keyword.length());
    }

    /** Feeds the first-keyword guess; only the first word of a statement (or after WITH) is looked at. */
    private void noteKeyword(int start, int end) {
        if (keywordState == 2 || end - start > 10) {
            if (keywordState == 0) {
                keywordState = 2;
            }
            return;
        }
        if (keywordState == 1 && depth > keywordDepth) {
            return;
        }
        String word = s.substring(start, end);
        if (keywordState == 0) {
            if (SqlOperation.isPrefixKeyword(word)) {
                keywordState = 1;
                keywordDepth = depth;
            } else {
                statementOp = SqlOperation.ofKeyword(word);
                keywordOp = keywordOp.max(statementOp);
                keywordState = 2;
            }
        } else {
            SqlOperation op = SqlOperation.ofKnownKeyword(word); // after WITH or EXPLAIN: the first word naming one
            if (op != null && op != SqlOperation.OTHER) {
                statementOp = op;
                keywordOp = keywordOp.max(op);
                keywordState = 2;
            }
        }
    }

    private void doneLookingForKeyword() {
        if (keywordState == 0) {
            keywordState = 2;
        }
    }

    // ---- characters -----------------------------------------------------------------------------

    private char previousChar() {
        return pos > 0 ? s.charAt(pos - 1) : ' ';
    }

    /** Blank under the standard reading (the widest): for the checks made before any reading is chosen. */
    private static boolean isSpace(char c) {
        return Reading.Blanks.UNICODE.blank(c);
    }

    /** Blank under this lexer's reading. */
    private boolean blank(char c) {
        return reading.blanks().blank(c);
    }

    private static boolean isDigit(char c) {
        return c >= '0' && c <= '9';
    }

    private static boolean isHexDigit(char c) {
        return isDigit(c) || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
    }

    private static boolean isAsciiLetter(char c) {
        return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
    }

    /** Any character beyond ASCII that is not blank to the reading counts as a letter: 客户, Ünïcode, surrogate pairs. */
    private boolean isIdentStart(char c) {
        return isAsciiLetter(c) || c == '_' || c == '@' || (c >= 0x80 && !blank(c));
    }

    /** A dollar-quote tag character (PostgreSQL: letters of any script, digits after the first, _). */
    private boolean isTagStart(char c) {
        return isAsciiLetter(c) || c == '_' || (c >= 0x80 && !blank(c));
    }

    private boolean isIdentPart(char c) {
        return isIdentStart(c) || isDigit(c) || c == '$'
                || (reading.javaNames() && Character.isJavaIdentifierPart(c)); // H2: U+0001 goes on with a name
    }
}
