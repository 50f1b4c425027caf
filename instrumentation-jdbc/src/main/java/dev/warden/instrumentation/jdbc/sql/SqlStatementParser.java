package dev.warden.instrumentation.jdbc.sql;

import java.util.Collections;
import java.util.Set;
import java.util.TreeSet;
import net.sf.jsqlparser.parser.CCJSqlParser;
import net.sf.jsqlparser.parser.CCJSqlParserUtil;
import net.sf.jsqlparser.statement.Commit;
import net.sf.jsqlparser.statement.DescribeStatement;
import net.sf.jsqlparser.statement.ExplainStatement;
import net.sf.jsqlparser.statement.RollbackStatement;
import net.sf.jsqlparser.statement.SavepointStatement;
import net.sf.jsqlparser.statement.ShowColumnsStatement;
import net.sf.jsqlparser.statement.ShowStatement;
import net.sf.jsqlparser.statement.Statement;
import net.sf.jsqlparser.statement.Statements;
import net.sf.jsqlparser.statement.UnsupportedStatement;
import net.sf.jsqlparser.statement.delete.Delete;
import net.sf.jsqlparser.statement.execute.Execute;
import net.sf.jsqlparser.statement.insert.Insert;
import net.sf.jsqlparser.statement.lock.LockStatement;
import net.sf.jsqlparser.statement.merge.Merge;
import net.sf.jsqlparser.statement.select.Select;
import net.sf.jsqlparser.statement.show.ShowIndexStatement;
import net.sf.jsqlparser.statement.show.ShowTablesStatement;
import net.sf.jsqlparser.statement.update.Update;
import net.sf.jsqlparser.statement.upsert.Upsert;

/**
 * Runs JSqlParser on a shape — the expensive step (120–400 µs) that the classifier does once per
 * shape. Always on the calling thread: {@code CCJSqlParserUtil.parse(...)} would start an executor
 * thread per call inside the host, so the parser is driven directly, with JSqlParser's own strategy
 * (simple grammar first, the backtracking "complex" grammar only for shallow statements).
 */
final class SqlStatementParser {

    /**
     * Deeper nesting is not parsed: JSqlParser recurses per parenthesis; depth 200 already takes
     * ~70 ms, 1000 ends in a StackOverflowError after seconds, 5000 after nearly a minute (measured).
     */
    static final int MAX_PARSE_DEPTH = 100;

    /** As {@code CCJSqlParserUtil.ALLOWED_NESTING_DEPTH}: complex parsing of deeper SQL explodes. */
    private static final int MAX_COMPLEX_PARSE_DEPTH = 10;

    private static final int MAX_ERROR_LENGTH = 160;

    /**
     * What parsing gave; {@code operation} does not include the lexer's keyword guess, but is at least
     * {@code CALL} when a function not known to be read-only is called.
     */
    record Parsed(SqlOperation operation, Set<String> tables, Set<String> qualifiedTables,
                  Set<String> columns, Set<String> computedColumns, Set<String> functions, Set<String> unsafeFunctions,
                  String parseError) {

        static Parsed failed(SqlOperation guess, String error) {
            return new Parsed(guess, Set.of(), Set.of(), Set.of(), Set.of(), Set.of(), Set.of(), error);
        }
    }

    private SqlStatementParser() {}

    /**
     * Parses {@code shape}. If the masked shape is not valid SQL where the original is
     * ({@code VARCHAR(?)}, {@code COMMENT ... IS ?}: places where the grammar wants a literal, not a
     * parameter), {@code original} is tried (the text as the shape's reading reads it, comments removed and literals
     * kept: {@link SqlLexer#withLiterals}, never the raw text, whose comments JSqlParser reads its own way); what it
     * gives does not depend on the literal values, so
     * it may still be cached under the shape. Errors always describe the shape, never the original,
     * whose literals may be secrets.
     */
    static Parsed parse(SqlLexer.Shape shape, String original, SqlOperation guess, int maxParsedLength, Naming naming) {
        if (shape.maxDepth() > MAX_PARSE_DEPTH) {
            return Parsed.failed(guess, "statement too deeply nested to classify (depth " + shape.maxDepth() + ")");
        }
        String text = shape.text();
        SqlLexer.Written written = SqlLexer.written(text, shape.reading());
        String error;
        try {
            return collect(parseText(text, shape), written, naming);
        } catch (Exception | StackOverflowError | LinkageError e) {
            error = describe(e);
        }
        if (!original.equals(text) && original.length() <= maxParsedLength) {
            try {
                return collect(parseText(original, shape), written, naming);
            } catch (Exception | StackOverflowError | LinkageError e) {
                // keep the shape's error
            }
        }
        // Unparsed: still, the calls the text shows are facts, and make the statement at least CALL.
        SqlTableCollector calls = new SqlTableCollector(naming);
        calls.addWrittenCalls(written.calls());
        SqlOperation operation = calls.unsafeFunctions().isEmpty() ? guess : guess.max(SqlOperation.CALL);
        return new Parsed(operation, Set.of(), Set.of(), Set.of(), Set.of(), frozen(calls.functions()),
                frozen(calls.unsafeFunctions()), error);
    }

    private static Statements parseText(String sql, SqlLexer.Shape shape) throws Exception {
        try {
            return newParser(sql, shape).withAllowComplexParsing(false).Statements();
        } catch (Exception e) {
            if (shape.maxDepth() > MAX_COMPLEX_PARSE_DEPTH) {
                throw e;
            }
            return newParser(sql, shape).withAllowComplexParsing(true).Statements(); // a parser is single-use
        }
    }

    private static CCJSqlParser newParser(String sql, SqlLexer.Shape shape) {
        CCJSqlParser parser = CCJSqlParserUtil.newParser(sql);
        if (parser == null) {
            throw new IllegalArgumentException("empty statement");
        }
        return parser.withSquareBracketQuotation(shape.squareBrackets());
    }

    private static Parsed collect(Statements statements, SqlLexer.Written written, Naming naming) {
        SqlTableCollector collector = new SqlTableCollector(naming);
        SqlOperation operation = SqlOperation.OTHER;
        java.util.List<Statement> parsed = new java.util.ArrayList<>();
        for (Statement statement : statements) {
            if (statement != null) {
                operation = operation.max(operationOf(statement));
                collector.collect(statement);
                parsed.add(statement);
            }
        }
        collector.addWrittenCalls(written.calls());
        operation = operation.max(collector.nestedOperation());
        if (!collector.unsafeFunctions().isEmpty()) {
            operation = operation.max(SqlOperation.CALL); // SELECT FILE_WRITE(..) FROM t is not a read
        }
        String unlisted = collector.unlisted() == null ? null
                : "the tables a " + collector.unlisted() + " statement reads cannot be listed";
        if (unlisted == null && !collector.metEveryQuery(written.selects(), parsed)) {
            // SUBSTRING(x FROM (SELECT ...)), JSON_OBJECT('k' : (SELECT ...)): JSqlParser's walk does not go there
            unlisted = "a query stands where its tables cannot be listed";
        }
        return new Parsed(operation, frozen(collector.tables()), frozen(collector.qualifiedTables()),
                frozen(collector.columns()), frozen(collector.computedColumns(parsed)), frozen(collector.functions()),
                frozen(collector.unsafeFunctions()), unlisted);
    }

    static SqlOperation operationOf(Statement statement) {
        if (statement instanceof Select) {
            return SqlOperation.SELECT;
        }
        if (statement instanceof Insert || statement instanceof Upsert) {
            return SqlOperation.INSERT;
        }
        if (statement instanceof Update) {
            return SqlOperation.UPDATE;
        }
        if (statement instanceof Delete) {
            return SqlOperation.DELETE;
        }
        if (statement instanceof Merge) {
            return SqlOperation.MERGE;
        }
        if (statement instanceof Execute) {
            return SqlOperation.CALL;
        }
        if (statement instanceof LockStatement) {
            return SqlOperation.UPDATE; // the locks of a write
        }
        if (statement instanceof ShowStatement || statement instanceof ShowColumnsStatement || statement instanceof ShowTablesStatement
                || statement instanceof ShowIndexStatement || statement instanceof DescribeStatement) {
            return SqlOperation.SELECT;
        }
        if (statement instanceof Commit || statement instanceof RollbackStatement || statement instanceof SavepointStatement
                || statement instanceof ExplainStatement) {
            return SqlOperation.OTHER; // EXPLAIN gets its inner statement's operation from the collector
        }
        if (statement instanceof UnsupportedStatement) {
            // Text JSqlParser keeps without reading it (SHOW TRANSACTION ISOLATION LEVEL, START SLAVE): the lexer's
            // keyword guess for it decides, as for SQL that does not parse (a keyword it does not know is DDL).
            return SqlOperation.OTHER;
        }
        // CREATE/ALTER/DROP/TRUNCATE/..., and every other kind: SET, RESET and USE change what later statements do
        // (SET GLOBAL init_connect, SET PASSWORD, SET search_path), DECLARE and blocks hold statements, and a kind
        // not named here is not known to be harmless. Ranked below SELECT, one stacked after a permitted read would
        // have hidden behind it.
        return SqlOperation.DDL;
    }

    private static String describe(Throwable e) {
        if (e instanceof StackOverflowError) {
            return "statement too deeply nested to parse";
        }
        String message = e.getMessage();
        if (message == null || message.isBlank()) {
            return "unparseable SQL (" + e.getClass().getSimpleName() + ")";
        }
        String line = message.strip().lines().findFirst().orElse("").strip();
        if (line.length() > MAX_ERROR_LENGTH) {
            line = line.substring(0, MAX_ERROR_LENGTH) + "…";
        }
        return "unparseable SQL: " + line;
    }

    private static Set<String> frozen(Set<String> set) {
        return set.isEmpty() ? Collections.emptySortedSet() : Collections.unmodifiableSortedSet(new TreeSet<>(set));
    }
}
