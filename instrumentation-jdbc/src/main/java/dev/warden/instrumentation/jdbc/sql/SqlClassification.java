package dev.warden.instrumentation.jdbc.sql;

import java.util.Set;

/**
 * What one SQL text does, as far as the guardrails need to know. Produced by {@link SqlClassifier};
 * the sets it hands out are unmodifiable and sorted.
 *
 * @param operation         SELECT INSERT UPDATE DELETE MERGE DDL CALL OTHER; for stacked statements the
 *                          most dangerous part (DDL > DELETE > UPDATE > MERGE > INSERT > CALL > SELECT > OTHER)
 * @param tables            every table referenced (joins, subqueries, CTE bodies, insert-select sources,
 *                          update/delete targets; CTE names themselves excluded), unquoted, lower-cased,
 *                          without schema
 * @param qualifiedTables   the same with schema/catalog where the SQL gave one, e.g. {@code public.customers}
 * @param columns           columns referenced (select list, where, set, insert list), unquoted,
 *                          lower-cased; {@code *} for a star select
 * @param statementCount    top-level statements; a single trailing semicolon does not make a second one
 * @param shape             the SQL with string/numeric literals masked as {@code ?}, comments removed,
 *                          whitespace collapsed
 * @param hasComment        {@code --}, {@code /* *}{@code /} or {@code #} comment outside literals
 * @param literalComparison a comparison between two literals ({@code 1=1}) or a bare literal truth value
 *                          after WHERE/ON/OR ({@code OR 1}): tautology risk
 * @param parseError        null when the SQL was parsed; otherwise why not — then {@code operation} is a
 *                          guess from the first keyword(s) and tables/columns are empty, while
 *                          statementCount, hasComment and literalComparison still hold (they come from
 *                          the lexer, not the parser)
 */
public record SqlClassification(
        String operation,
        Set<String> tables,
        Set<String> qualifiedTables,
        Set<String> columns,
        int statementCount,
        String shape,
        boolean hasComment,
        boolean literalComparison,
        String parseError) {

    public SqlClassification {
        operation = operation == null ? "OTHER" : operation;
        tables = tables == null ? Set.of() : tables;
        qualifiedTables = qualifiedTables == null ? Set.of() : qualifiedTables;
        columns = columns == null ? Set.of() : columns;
        shape = shape == null ? "" : shape;
    }

    /** True when the parser could not (or was not allowed to) read the statement. */
    public boolean parsed() {
        return parseError == null;
    }
}
