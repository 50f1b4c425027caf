package dev.warden.instrumentation.jdbc.sql;

import java.util.Set;

/**
 * What one SQL text does, as far as the guardrails need to know. Produced by {@link SqlClassifier};
 * the sets it hands out are unmodifiable and sorted.
 *
 * @param operation         SELECT INSERT UPDATE DELETE MERGE DDL CALL OTHER; for stacked statements the
 *                          most dangerous part (DDL > DELETE > UPDATE > MERGE > INSERT > CALL > SELECT > OTHER);
 *                          a query that calls a function not known to be read-only is CALL, one with
 *                          FOR UPDATE/SHARE is UPDATE, SELECT ... INTO is DDL
 * @param tables            every table referenced (joins, subqueries, CTE bodies, insert-select sources,
 *                          update/delete targets; CTE names themselves excluded), unquoted, lower-cased,
 *                          without schema
 * @param qualifiedTables   the same with schema/catalog where the SQL gave one, e.g. {@code public.customers}
 * @param columns           columns referenced (select list, where, set, insert list), unquoted,
 *                          lower-cased; {@code *} for a star select
 * @param computedColumns   those read other than as a plain result column of the one query (unaliased, in its own
 *                          select list), which is all a redaction by result name reaches; {@code *} for a star
 *                          elsewhere, a column list that renames ({@code FROM t x(a, b)}) or a column named like a
 *                          table or alias of the statement (PostgreSQL's whole row)
 * @param statementCount    top-level statements; a single trailing semicolon does not make a second one
 * @param shape             the SQL with string/numeric literals masked as {@code ?}, comments removed,
 *                          whitespace collapsed
 * @param hasComment        {@code --}, {@code /* *}{@code /} or {@code #} comment outside literals
 * @param literalComparison a comparison between two literals ({@code 1=1}) or a bare literal truth value
 *                          after WHERE/ON/OR ({@code OR 1}): tautology risk
 * @param functions         every function called, upper-cased (schema-qualified as written), e.g. {@code COUNT}
 * @param unsafeFunctions   those not known to be read-only built-ins: they may write files, tables or
 *                          sequences, read server files, sleep or run user code, so a statement calling
 *                          one is at least {@code CALL}, never a plain {@code SELECT}
 * @param parseError        null when the SQL was parsed; otherwise why not — then {@code operation} is a
 *                          guess from the keywords and tables/columns/functions are empty (or what
 *                          another reading of the text gave), while statementCount, hasComment and
 *                          literalComparison still hold (they come from the lexer, not the parser)
 *
 * <p>Every fact is the most alarming over the ways the database may read the text ({@link Reading}):
 * the most statements, the strongest operation, the union of tables, columns and functions.
 */
public record SqlClassification(
        String operation,
        Set<String> tables,
        Set<String> qualifiedTables,
        Set<String> columns,
        Set<String> computedColumns,
        int statementCount,
        String shape,
        boolean hasComment,
        boolean literalComparison,
        Set<String> functions,
        Set<String> unsafeFunctions,
        String parseError) {

    /** Every operation a statement can be classified as. */
    public static final Set<String> OPERATIONS = java.util.Arrays.stream(SqlOperation.values()).map(Enum::name)
            .collect(java.util.stream.Collectors.toUnmodifiableSet());

    public SqlClassification {
        operation = operation == null ? "OTHER" : operation;
        tables = tables == null ? Set.of() : tables;
        qualifiedTables = qualifiedTables == null ? Set.of() : qualifiedTables;
        columns = columns == null ? Set.of() : columns;
        computedColumns = computedColumns == null ? Set.of() : computedColumns;
        functions = functions == null ? Set.of() : functions;
        unsafeFunctions = unsafeFunctions == null ? Set.of() : unsafeFunctions;
        shape = shape == null ? "" : shape;
    }

    /**
     * What the statement touches, for rules: every table without schema, and beside it the qualified name of each
     * reference that gave a schema or catalog. So {@code targets contains "secrets"} still sees
     * {@code public.secrets}, while {@code targetsWithin("accounts")} does not cover {@code private.accounts} (another
     * schema's table of that name) unless {@code "private.accounts"} is listed too.
     */
    public Set<String> targets() {
        if (qualifiedTables.isEmpty() || tables.containsAll(qualifiedTables)) {
            return tables;
        }
        java.util.TreeSet<String> all = new java.util.TreeSet<>(tables);
        all.addAll(qualifiedTables);
        return java.util.Collections.unmodifiableSortedSet(all);
    }

    /** The qualified names among {@link #qualifiedTables}: references that gave a schema or catalog. */
    public Set<String> schemaQualified() {
        java.util.TreeSet<String> qualified = new java.util.TreeSet<>(qualifiedTables);
        qualified.removeAll(tables);
        return qualified.isEmpty() ? Set.of() : java.util.Collections.unmodifiableSortedSet(qualified);
    }

    /** True when the parser could not (or was not allowed to) read the statement. */
    public boolean parsed() {
        return parseError == null;
    }
}
