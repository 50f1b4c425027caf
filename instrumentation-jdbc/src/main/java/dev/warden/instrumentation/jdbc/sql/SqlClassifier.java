package dev.warden.instrumentation.jdbc.sql;

import java.util.Collections;

/**
 * Classifies SQL text for the rules: operation, tables, columns, stacked statements, comments,
 * tautologies. Pure and thread-safe; {@link #classify} never throws and never returns null.
 *
 * <p>Cost model (DESIGN §7): the budget per statement is a few µs and a JSqlParser parse costs
 * 120–400 µs. So every call runs only {@link SqlLexer} (one pass, no regex) to get the statement's
 * shape — literals masked — plus the guard signals, and the parse runs once per shape, its result
 * cached ({@link ShapeCache}). A PreparedStatement's text is already its shape; a plain statement
 * with inline literals (what text-to-SQL agents send) shares the cache entry of every other
 * statement that differs from it only in literal values.
 */
public final class SqlClassifier {

    private final ShapeCache<Entry> cache;
    private final int maxParsedLength;

    /** A cached parse and the last classification built from it, handed out again when nothing differs. */
    private record Entry(SqlStatementParser.Parsed parsed, SqlClassification last) {}

    /**
     * @param maxCachedShapes at most this many distinct shapes are kept (e.g. 10_000); 0 disables the cache
     * @param maxParsedLength shapes longer than this many chars are not parsed (e.g. 64 * 1024)
     */
    public SqlClassifier(int maxCachedShapes, int maxParsedLength) {
        this.cache = new ShapeCache<>(maxCachedShapes);
        this.maxParsedLength = Math.max(0, maxParsedLength);
    }

    public SqlClassification classify(String sql) {
        try {
            return classifyOrThrow(sql == null ? "" : sql);
        } catch (RuntimeException | StackOverflowError | LinkageError e) {
            // A bug here must not break the host's JDBC call; the rules see parseError and can deny.
            return new SqlClassification(SqlOperation.OTHER.name(), Collections.emptySortedSet(),
                    Collections.emptySortedSet(), Collections.emptySortedSet(), 0, "", false, false,
                    "classification failed: " + e.getClass().getSimpleName());
        }
    }

    private SqlClassification classifyOrThrow(String sql) {
        SqlLexer.Result lexed = SqlLexer.scan(sql);
        String shape = lexed.shape();
        if (lexed.statementCount() == 0) {
            return build(SqlStatementParser.Parsed.failed(SqlOperation.OTHER, "empty statement"), lexed);
        }
        if (shape.length() > maxParsedLength) {
            // Not cached either: a shape this long is rarely seen twice and would crowd the cache.
            return build(SqlStatementParser.Parsed.failed(lexed.keywordOperation(),
                    "statement too large to classify (" + shape.length() + " chars)"), lexed);
        }
        Entry entry = cache.get(shape);
        if (entry == null) {
            SqlStatementParser.Parsed parsed = SqlStatementParser.parse(shape, sql, lexed, maxParsedLength);
            SqlClassification classification = build(parsed, lexed);
            cache.put(shape, new Entry(parsed, classification));
            return classification;
        }
        SqlClassification last = entry.last();
        SqlOperation operation = entry.parsed().operation().max(lexed.keywordOperation());
        if (operation.name().equals(last.operation()) && lexed.statementCount() == last.statementCount()
                && lexed.hasComment() == last.hasComment() && lexed.literalComparison() == last.literalComparison()) {
            return last; // the hot path: no allocation beyond the lexer's
        }
        return build(entry.parsed(), lexed);
    }

    /**
     * The operation is the more dangerous of the parser's and the keyword guess: the lexer also reads
     * the text the way other dialects would and may have seen a statement the parsed shape hides.
     */
    private static SqlClassification build(SqlStatementParser.Parsed parsed, SqlLexer.Result lexed) {
        SqlOperation operation = parsed.operation().max(lexed.keywordOperation());
        return new SqlClassification(operation.name(), parsed.tables(), parsed.qualifiedTables(), parsed.columns(),
                lexed.statementCount(), lexed.shape(), lexed.hasComment(), lexed.literalComparison(),
                parsed.parseError());
    }

    /** Distinct shapes currently cached (for tests and metrics). */
    int cachedShapes() {
        return cache.size();
    }
}
