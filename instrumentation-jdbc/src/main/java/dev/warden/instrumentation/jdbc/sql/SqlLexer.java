package dev.warden.instrumentation.jdbc.sql;

/**
 * Single-pass, allocation-light scanner for SQL text. It never parses: it walks the characters once
 * (no regular expressions, so no backtracking on hostile input) and
 * <ul>
 *   <li>builds the statement's <em>shape</em>: string and numeric literals masked as {@code ?},
 *       comments removed, whitespace collapsed — the cache key for the expensive parse;</li>
 *   <li>notes what the guardrails need without a parse: comments, the number of stacked statements,
 *       comparisons between two literals ({@code 1=1}) and bare literal truth values ({@code OR 1}),
 *       a best-guess operation from each statement's first keyword, the parenthesis depth.</li>
 * </ul>
 * Content inside literals and quoted identifiers is opaque: a {@code ;} or {@code --} there is data.
 *
 * <p>Where SQL dialects disagree about where a literal or a comment ends, an attacker can hide a
 * statement from one reading that the database executes under another (MySQL's {@code \'} escape,
 * its {@code --x} not being a comment, {@code #} being a comment there and an identifier character in
 * SQL Server). The shape is built under one reading ({@link Dialect#STANDARD}); when the text contains
 * one of those ambiguous constructs, {@link #scan} rescans it under the other readings and keeps the
 * most alarming answer for every guard signal.
 */
final class SqlLexer {

    /** The ways of reading ambiguous text; only {@link #STANDARD} builds the shape. */
    enum Dialect {
        /** '' escapes only (backslash only in E'..'), -- always a comment, # a comment. */
        STANDARD,
        /** MySQL: backslash escapes in '..' and "..", "..." is a string, "--" needs a following space. */
        MYSQL,
        /** SQL Server / PostgreSQL: # is an identifier character (#temp) or an operator, never a comment. */
        HASH_IS_CODE
    }

    /**
     * What one scan found.
     *
     * @param shape             masked, comment-free, whitespace-collapsed text ("" when nothing but blanks/comments)
     * @param statementCount    non-empty statements separated by {@code ;}
     * @param keywordOperation  most dangerous first-keyword guess over all statements
     * @param maxDepth          deepest parenthesis nesting (the parser recurses on it)
     * @param squareBrackets    [bracketed identifiers] seen: the parser needs a flag for them
     * @param jdbcEscape        a statement starts with '{' ({call ...} escape syntax)
     */
    record Result(String shape, int statementCount, boolean hasComment, boolean literalComparison,
                  SqlOperation keywordOperation, int maxDepth, boolean squareBrackets, boolean jdbcEscape) {}

    /** Scans under the standard reading and, when the text is ambiguous, under the others too. */
    static Result scan(String sql) {
        SqlLexer primary = new SqlLexer(sql, Dialect.STANDARD, true);
        primary.run();
        int count = primary.statements;
        boolean comment = primary.hasComment;
        boolean literal = primary.literalComparison;
        SqlOperation op = primary.keywordOp;
        if (primary.sawBackslashInString || primary.sawTightDashes || primary.sawHash) {
            SqlLexer mysql = new SqlLexer(sql, Dialect.MYSQL, false);
            mysql.run();
            count = Math.max(count, mysql.statements);
            comment |= mysql.hasComment;
            literal |= mysql.literalComparison;
            op = op.max(mysql.keywordOp);
        }
        if (primary.sawHash) {
            SqlLexer hash = new SqlLexer(sql, Dialect.HASH_IS_CODE, false);
            hash.run();
            count = Math.max(count, hash.statements);
            literal |= hash.literalComparison;
            op = op.max(hash.keywordOp);
        }
        return new Result(primary.out.toString(), count, comment, literal, op,
                primary.maxDepth, primary.squareBrackets, primary.jdbcEscape);
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
    private final Dialect dialect;
    private final StringBuilder out; // null for the extra readings, which need no shape

    private int pos;
    private boolean pendingSpace;
    private boolean inExecutableComment;

    private boolean hasComment;
    private boolean literalComparison;
    private int statements;
    private boolean statementHasToken;
    private int depth;
    private int maxDepth;
    private boolean squareBrackets;
    private boolean jdbcEscape;
    private boolean sawHash;
    private boolean sawTightDashes;
    private boolean sawBackslashInString;

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

    private SqlLexer(String sql, Dialect dialect, boolean buildShape) {
        this.s = sql;
        this.n = sql.length();
        this.dialect = dialect;
        this.out = buildShape ? new StringBuilder(Math.min(n, 1 << 16)) : null;
    }

    private void run() {
        while (pos < n) {
            char c = s.charAt(pos);
            if (isSpace(c)) {
                pos++;
                pendingSpace = true;
                continue;
            }
            char next = pos + 1 < n ? s.charAt(pos + 1) : '\0';
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
                    sawHash = true;
                    if (dialect == Dialect.HASH_IS_CODE) {
                        identifier();
                    } else {
                        lineComment();
                    }
                    break;
                case '\'':
                    stringLiteral(pos, dialect == Dialect.MYSQL);
                    break;
                case '"':
                    if (dialect == Dialect.MYSQL) {
                        quoted('"', true, LITERAL); // MySQL's default: a string, with backslash escapes
                    } else {
                        quoted('"', false, IDENT);
                    }
                    break;
                case '`':
                    quoted('`', false, IDENT);
                    break;
                case '[':
                    bracket();
                    break;
                case '$':
                    dollar(next);
                    break;
                case '?':
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
                case ')':
                    depth = Math.max(0, depth - 1);
                    operator(1, CLOSE);
                    break;
                case '{':
                    if (!statementHasToken) {
                        jdbcEscape = true; // {call proc(?)} / {? = call proc(?)}
                    }
                    operator(1, OTHER);
                    break;
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
        if (statementHasToken) {
            statements++;
        }
    }

    // ---- comments -------------------------------------------------------------------------------

    private boolean dashDashIsComment() {
        char after = pos + 2 < n ? s.charAt(pos + 2) : ' ';
        boolean spaced = isSpace(after);
        if (!spaced) {
            sawTightDashes = true; // "1--1" is arithmetic in MySQL
        }
        return dialect != Dialect.MYSQL || spaced;
    }

    private void lineComment() {
        hasComment = true;
        int i = pos;
        while (i < n && s.charAt(i) != '\n' && s.charAt(i) != '\r') {
            i++;
        }
        pos = i;
        pendingSpace = true;
    }

    /**
     * Block comments do not nest (MySQL, Oracle, SQL Server; PostgreSQL nests them). Not nesting is
     * the safe error: text we treat as code that PostgreSQL treats as comment can only add
     * statements, never hide them. MySQL's {@code /*! ... *}{@code /} is executed by MySQL, so its
     * content is scanned as code.
     */
    private void blockComment() {
        hasComment = true;
        pendingSpace = true;
        if (pos + 2 < n && s.charAt(pos + 2) == '!' && !inExecutableComment) {
            int i = pos + 3;
            while (i < n && i < pos + 9 && isDigit(s.charAt(i))) {
                i++; // optional version number: /*!50000 ... */
            }
            inExecutableComment = true;
            pos = i;
            return;
        }
        int end = s.indexOf("*/", pos + 2);
        pos = end < 0 ? n : end + 2;
    }

    // ---- literals and quoted identifiers --------------------------------------------------------

    /** A '...' literal starting at {@code quote}; '' is an escaped quote, backslash too when asked. */
    private void stringLiteral(int start, boolean backslashEscapes) {
        int i = pos + 1;
        while (i < n) {
            char ch = s.charAt(i);
            if (ch == '\\') {
                if (backslashEscapes) {
                    i += 2;
                    continue;
                }
                sawBackslashInString = true;
            } else if (ch == '\'') {
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
        masked(start);
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
            if (ch == '\\' && delimiter == '"') {
                sawBackslashInString = true; // MySQL would read "..\".." differently
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
            masked(start);
        } else {
            token(start, pos, IDENT);
        }
    }

    /**
     * SQL Server's [bracketed identifier] — but only where an identifier can start: after a name or
     * a closing parenthesis, {@code [} is a PostgreSQL array subscript ({@code arr[1]}, {@code int[]}).
     */
    private void bracket() {
        char prev = previousChar();
        if (!isIdentPart(prev) && prev != ')' && prev != ']' && prev != '"' && prev != '`') {
            int i = pos + 1;
            while (i < n) {
                if (s.charAt(i) == ']') {
                    if (i + 1 < n && s.charAt(i + 1) == ']') {
                        i += 2;
                        continue;
                    }
                    squareBrackets = true;
                    int start = pos;
                    pos = i + 1;
                    token(start, pos, IDENT);
                    return;
                }
                i++;
            }
        }
        operator(1, OTHER);
    }

    /** PostgreSQL: $$..$$ and $tag$..$tag$ are literals, $1 a positional parameter. */
    private void dollar(char next) {
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
            if (!isAsciiLetter(next) && next != '_') {
                operator(1, OTHER);
                return;
            }
            while (i < n && (isAsciiLetter(s.charAt(i)) || isDigit(s.charAt(i)) || s.charAt(i) == '_')) {
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
        masked(start);
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
        masked(start);
    }

    private void identifier() {
        int start = pos;
        int i = pos + 1;
        boolean hashPart = dialect == Dialect.HASH_IS_CODE;
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
            if (len == 1 && (first == 'N' || first == 'E' || first == 'X' || first == 'B')) {
                pos = i;
                stringLiteral(start, first == 'E' || dialect == Dialect.MYSQL);
                return;
            }
            if (first == '_') {
                pos = i;
                stringLiteral(start, dialect == Dialect.MYSQL);
                return;
            }
        }
        if (i - start == 1 && i + 1 < n && s.charAt(i) == '&' && s.charAt(i + 1) == '\''
                && Character.toUpperCase(s.charAt(start)) == 'U') {
            pos = i + 1;
            stringLiteral(start, false);
            return;
        }
        pos = i;
        int kind = keywordKind(start, i - start);
        noteKeyword(start, i);
        token(start, i, kind);
    }

    // ---- tokens ---------------------------------------------------------------------------------

    private void operator(int length, int kind) {
        int start = pos;
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

    private void masked(int start) {
        if (out != null) {
            space();
            out.append('?');
        }
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
        if (out != null) {
            space();
            out.append(s, start, end);
        }
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
        if (statementHasToken) {
            statements++;
        }
        statementHasToken = false;
        keywordState = 0;
        k1 = NONE;
        k2 = NONE;
        k3 = NONE;
    }

    /** Slides the three-token window and looks for the two tautology patterns. */
    private void significant(int kind) {
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
        if (keywordState == 2 || end - start > 8) {
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
                keywordOp = keywordOp.max(SqlOperation.ofKeyword(word));
                keywordState = 2;
            }
        } else {
            SqlOperation op = SqlOperation.ofKeyword(word);
            if (op != SqlOperation.OTHER) {
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

    private static boolean isSpace(char c) {
        return c <= ' ' || (c >= 0x80 && (Character.isSpaceChar(c) || Character.isWhitespace(c) || c == '\uFEFF'));
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

    /** Any non-blank character beyond ASCII counts as a letter: 客户, Ünïcode, surrogate pairs. */
    private static boolean isIdentStart(char c) {
        return isAsciiLetter(c) || c == '_' || c == '@' || (c >= 0x80 && !isSpace(c));
    }

    private static boolean isIdentPart(char c) {
        return isIdentStart(c) || isDigit(c) || c == '$';
    }
}
