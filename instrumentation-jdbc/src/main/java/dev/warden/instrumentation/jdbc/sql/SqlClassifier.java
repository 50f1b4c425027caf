package dev.warden.instrumentation.jdbc.sql;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Function;

/**
 * Classifies SQL text for the rules: operation, tables, columns, functions, stacked statements,
 * comments, tautologies. Pure and thread-safe; {@link #classify} never throws and never returns null.
 *
 * <p>Cost model (DESIGN §7): the budget per statement is a few µs and a JSqlParser parse costs
 * 120–400 µs. So every call runs only {@link SqlLexer} (one pass, no regex) to get the statement's
 * shape — literals masked — plus the guard signals, and the parse runs once per shape, its result
 * cached ({@link ShapeCache}). A PreparedStatement's text is already its shape; a plain statement
 * with inline literals (what text-to-SQL agents send) shares the cache entry of every other
 * statement that differs from it only in literal values.
 *
 * <p>Read as strictly as the database: text on which the database's readings ({@link Reading}) disagree
 * is lexed under each of them, and each reading's shape that differs is parsed too (once, cached
 * under all the shapes together); the classification is the most dangerous over all of them.
 *
 * <p>Text with a brace is JDBC escape syntax the driver rewrites after the decision, by its own reading
 * ({@link JdbcEscapes}): only a whole-statement call escape is read, as the call the drivers make of it.
 */
public final class SqlClassifier {

    /** One cache per way of naming tables: a shape's tables are named by the database that reads it. */
    private final java.util.Map<Naming, ShapeCache<Entry>> caches = new java.util.concurrent.ConcurrentHashMap<>();
    private final int maxCachedShapes;
    private final int maxParsedLength;

    /** The cached parses (one per distinct shape, standard reading first) and the last classification built from them. */
    private record Entry(List<SqlStatementParser.Parsed> parsed, SqlClassification last) {}

    /**
     * @param maxCachedShapes at most this many distinct shapes are kept (e.g. 10_000); 0 disables the cache
     * @param maxParsedLength shapes longer than this many chars are not parsed (e.g. 64 * 1024)
     */
    public SqlClassifier(int maxCachedShapes, int maxParsedLength) {
        this.maxCachedShapes = maxCachedShapes;
        this.maxParsedLength = Math.max(0, maxParsedLength);
    }

    /** Classifies {@code sql} for a database of unknown kind: every reading Warden knows applies. */
    public SqlClassification classify(String sql) {
        return classify(sql, null);
    }

    /**
     * Classifies {@code sql} as the database {@code system} ({@code db.system}: {@code postgresql},
     * {@code mariadb}, {@code h2}, ...; null or unknown: all of them) may read it.
     */
    public SqlClassification classify(String sql, String system) {
        return classify(sql, system, null);
    }

    /** As {@link #classify(String, String)}, on a connection to {@code url} (an H2 URL may say how H2 names tables). */
    public SqlClassification classify(String sql, String system, String url) {
        return classify(sql, system, url, false);
    }

    /**
     * As {@link #classify(String, String, String)}, for a statement prepared with {@code sql} when {@code prepared}: a
     * driver may splice its bound values into the text ({@link SplicedValues}), rewrite its placeholders there
     * ({@link RenumberedPlaceholders}) or copy what its own lexer reads unlike the database ({@link PgjdbcComments}).
     */
    public SqlClassification classify(String sql, String system, String url, boolean prepared) {
        try {
            String text = sql == null ? "" : sql;
            List<Reading> readings = Reading.of(system);
            if (prepared && RenumberedPlaceholders.joined(text, system)) {
                return refused(SqlLexer.scan(text, readings), RenumberedPlaceholders.JOINED);
            }
            if (prepared && PgjdbcComments.endedEarly(text, system)) {
                return refused(SqlLexer.scan(text, readings), PgjdbcComments.ENDED_EARLY);
            }
            if (prepared && SplicedValues.ambiguous(text, system, readings)) {
                return refused(SqlLexer.scan(text, readings), SplicedValues.AMBIGUOUS);
            }
            return classifyOrThrow(text, readings, Naming.of(system, url));
        } catch (RuntimeException | StackOverflowError | LinkageError e) {
            // A bug here must not break the host's JDBC call; the rules see parseError and can deny.
            return new SqlClassification(SqlOperation.OTHER.name(), Collections.emptySortedSet(),
                    Collections.emptySortedSet(), Collections.emptySortedSet(), Collections.emptySortedSet(), 0, "", false, false,
                    Collections.emptySortedSet(), Collections.emptySortedSet(),
                    "classification failed: " + e.getClass().getSimpleName());
        }
    }

    private SqlClassification classifyOrThrow(String sql, List<Reading> readings, Naming naming) {
        if (JdbcEscapes.present(sql)) {
            // The driver rewrites escapes after the decision, by its own reading: only a whole-statement call is read.
            String call = JdbcEscapes.call(sql);
            if (call == null) {
                return refused(SqlLexer.scan(sql, readings), JdbcEscapes.REWRITTEN);
            }
            SqlLexer.Result lexed = SqlLexer.scan(call, readings);
            if (lexed.statementCount() != 1 || !lexed.shapes().stream().allMatch(JdbcEscapes::isOneCall)) {
                return refused(lexed, JdbcEscapes.NOT_ONE_CALL);
            }
            return classifyLexed(call, lexed, naming);
        }
        return classifyLexed(sql, SqlLexer.scan(sql, readings), naming);
    }

    /** SQL Warden does not read: what the lexer saw, no tables, ranked as a statement of unknown kind. */
    private static SqlClassification refused(SqlLexer.Result lexed, String why) {
        return build(List.of(SqlStatementParser.Parsed.failed(SqlOperation.DDL, why)), lexed);
    }

    private SqlClassification classifyLexed(String sql, SqlLexer.Result lexed, Naming naming) {
        ShapeCache<Entry> cache = caches.get(naming);
        if (cache == null) {
            cache = caches.computeIfAbsent(naming, n -> new ShapeCache<>(maxCachedShapes)); // a handful of namings at most
        }
        if (lexed.statementCount() == 0) {
            return build(List.of(SqlStatementParser.Parsed.failed(SqlOperation.OTHER, "empty statement")), lexed);
        }
        String key = key(lexed.shapes());
        int longest = 0;
        for (SqlLexer.Shape shape : lexed.shapes()) {
            longest = Math.max(longest, shape.text().length());
        }
        if (longest > maxParsedLength) {
            // Not cached either: a shape this long is rarely seen twice and would crowd the cache.
            return build(List.of(SqlStatementParser.Parsed.failed(lexed.keywordOperation(),
                    "statement too large to classify (" + longest + " chars)")), lexed);
        }
        Entry entry = cache.get(key);
        if (entry == null) {
            List<SqlStatementParser.Parsed> parsed = new ArrayList<>(lexed.shapes().size());
            for (int i = 0; i < lexed.shapes().size(); i++) {
                SqlLexer.Shape shape = lexed.shapes().get(i);
                // The text as this reading reads it, never the raw text: JSqlParser takes /*! */ and // for comments.
                String original = SqlLexer.withLiterals(sql, shape.reading());
                parsed.add(SqlStatementParser.parse(shape, original, lexed.keywordOperation(), maxParsedLength, naming));
            }
            SqlClassification classification = build(parsed, lexed);
            cache.put(key, new Entry(List.copyOf(parsed), classification));
            return classification;
        }
        SqlClassification last = entry.last();
        if (operation(entry.parsed(), lexed).name().equals(last.operation())
                && lexed.statementCount() == last.statementCount() && lexed.hasComment() == last.hasComment()
                && lexed.literalComparison() == last.literalComparison()) {
            return last; // the hot path: no allocation beyond the lexer's
        }
        return build(entry.parsed(), lexed);
    }

    /**
     * The cache key: the standard shape alone when every reading agrees (the hot path: no copy), else
     * all distinct shapes, length-prefixed after a NUL — a standard shape never starts with one (a NUL
     * is a blank to the lexer).
     */
    private static String key(List<SqlLexer.Shape> shapes) {
        if (shapes.size() == 1) {
            return shapes.get(0).text();
        }
        StringBuilder key = new StringBuilder().append('\0');
        for (SqlLexer.Shape shape : shapes) {
            key.append(shape.text().length()).append(':').append(shape.text());
        }
        return key.toString();
    }

    /**
     * The operation is the most dangerous of the parsers' and the lexer's keyword guess: the lexer
     * reads the text the way every dialect would and looks past the first keyword.
     */
    private static SqlOperation operation(List<SqlStatementParser.Parsed> parsed, SqlLexer.Result lexed) {
        SqlOperation operation = lexed.keywordOperation();
        for (SqlStatementParser.Parsed p : parsed) {
            operation = operation.max(p.operation());
        }
        return operation;
    }

    private static SqlClassification build(List<SqlStatementParser.Parsed> parsed, SqlLexer.Result lexed) {
        String parseError = null;
        for (int i = 0; i < parsed.size() && parseError == null; i++) {
            String error = parsed.get(i).parseError();
            if (error != null) {
                parseError = i == 0 ? error : "as " + lexed.shapes().get(i).reading() + " reads it, " + error;
            }
        }
        return new SqlClassification(operation(parsed, lexed).name(),
                union(parsed, SqlStatementParser.Parsed::tables), union(parsed, SqlStatementParser.Parsed::qualifiedTables),
                union(parsed, SqlStatementParser.Parsed::columns), union(parsed, SqlStatementParser.Parsed::computedColumns),
                lexed.statementCount(), lexed.shape(),
                lexed.hasComment(), lexed.literalComparison(),
                union(parsed, SqlStatementParser.Parsed::functions), union(parsed, SqlStatementParser.Parsed::unsafeFunctions),
                parseError);
    }

    private static Set<String> union(List<SqlStatementParser.Parsed> parsed,
                                     Function<SqlStatementParser.Parsed, Set<String>> facts) {
        if (parsed.size() == 1) {
            return facts.apply(parsed.get(0));
        }
        TreeSet<String> all = new TreeSet<>();
        parsed.forEach(p -> all.addAll(facts.apply(p)));
        return all.isEmpty() ? Collections.emptySortedSet() : Collections.unmodifiableSortedSet(all);
    }

    /** Distinct shapes currently cached (for tests and metrics). */
    int cachedShapes() {
        return caches.values().stream().mapToInt(ShapeCache::size).sum();
    }
}
