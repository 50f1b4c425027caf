package dev.warden.instrumentation.jdbc.sql;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.TreeSet;
import net.sf.jsqlparser.expression.AnalyticExpression;
import net.sf.jsqlparser.expression.Expression;
import net.sf.jsqlparser.expression.Function;
import net.sf.jsqlparser.expression.NextValExpression;
import net.sf.jsqlparser.schema.Column;
import net.sf.jsqlparser.schema.Table;
import net.sf.jsqlparser.statement.ResetStatement;
import net.sf.jsqlparser.statement.SetStatement;
import net.sf.jsqlparser.statement.ShowColumnsStatement;
import net.sf.jsqlparser.statement.Statement;
import net.sf.jsqlparser.statement.create.view.AlterView;
import net.sf.jsqlparser.statement.execute.Execute;
import net.sf.jsqlparser.statement.delete.Delete;
import net.sf.jsqlparser.statement.insert.Insert;
import net.sf.jsqlparser.statement.merge.Merge;
import net.sf.jsqlparser.statement.merge.MergeDelete;
import net.sf.jsqlparser.statement.merge.MergeInsert;
import net.sf.jsqlparser.statement.merge.MergeOperation;
import net.sf.jsqlparser.statement.merge.MergeUpdate;
import net.sf.jsqlparser.statement.select.AllColumns;
import net.sf.jsqlparser.statement.select.AllTableColumns;
import net.sf.jsqlparser.statement.select.FromItem;
import net.sf.jsqlparser.statement.select.LateralSubSelect;
import net.sf.jsqlparser.statement.select.ParenthesedFromItem;
import net.sf.jsqlparser.statement.select.ParenthesedSelect;
import net.sf.jsqlparser.statement.select.PlainSelect;
import net.sf.jsqlparser.statement.select.SetOperationList;
import net.sf.jsqlparser.statement.select.SelectVisitor;
import net.sf.jsqlparser.statement.select.TableFunction;
import net.sf.jsqlparser.statement.select.WithItem;
import net.sf.jsqlparser.statement.show.ShowIndexStatement;
import net.sf.jsqlparser.statement.show.ShowTablesStatement;
import net.sf.jsqlparser.statement.update.Update;
import net.sf.jsqlparser.statement.update.UpdateSet;
import net.sf.jsqlparser.statement.upsert.Upsert;
import net.sf.jsqlparser.util.TablesNamesFinder;

/**
 * Walks parsed statements for the tables, columns and operations they touch.
 *
 * <p>JSqlParser's {@link TablesNamesFinder} already knows every place a table can hide (joins,
 * subqueries, CTE bodies, insert-select sources, update/delete targets, merge sources); this
 * subclass listens to its visits instead of re-implementing the traversal: it keeps the {@link Table}
 * objects (to split schema from name and unquote each part), the CTE names (to drop them
 * case-insensitively), the columns, and any DML met on the way — a PostgreSQL data-modifying CTE
 * ({@code WITH d AS (DELETE ...) SELECT ...}) or {@code EXPLAIN ANALYZE DELETE} must count as DELETE —
 * and every function called, in the select list, the conditions or as a table ({@code FROM CSVREAD(..)}).
 * Not thread-safe: one instance per classification.
 */
final class SqlTableCollector extends TablesNamesFinder<Void> {

    private final Set<String> tables = new TreeSet<>();
    private final Set<String> qualifiedTables = new TreeSet<>();
    private final Set<String> columns = new TreeSet<>();
    private final Set<String> functions = new TreeSet<>();
    private final Set<String> unsafeFunctions = new TreeSet<>();
    private final Set<String> names = new HashSet<>(); // tables, CTEs, aliases: not calls when "name(" is written
    private SqlOperation nestedOperation = SqlOperation.OTHER;
    private String unlisted; // the kind of a statement whose tables could not be listed, if any

    // Per statement: a CTE named like a table in the next statement must not hide that table.
    private final List<Table> statementTables = new ArrayList<>();
    private final Set<String> cteNames = new HashSet<>();
    /**
     * The CTE names in scope where the walk is: the statement's, then one set per query being walked. A CTE is
     * visible in the query whose WITH names it (and the queries inside it), not elsewhere in the statement:
     * {@code SELECT * FROM secrets UNION (WITH secrets AS (...) SELECT * FROM secrets)} reads the table secrets.
     */
    private final java.util.ArrayDeque<Set<String>> cteScopes = new java.util.ArrayDeque<>();
    private int functionDepth;
    private final Naming naming;

    // What the walk met, to compare with what the text shows (SqlLexer.written): a query or a call it did not meet
    // stands where the walk does not look, and so may any table.
    private final Set<Object> selectsMet = java.util.Collections.newSetFromMap(new java.util.IdentityHashMap<>());
    private final java.util.Map<Object, String> callsMet = new java.util.IdentityHashMap<>();
    /**
     * Names written before a parenthesis that opens no call: an alias's, a CTE's or an insert's column list, by the node
     * that holds it (the walk may pass one node twice).
     */
    private final java.util.Map<Object, String> columnLists = new java.util.IdentityHashMap<>();
    private boolean definesSchema; // a DDL statement: its names before a parenthesis are not all counted here
    /** Every column reference and star the walk met (by node: the walk may pass one twice), for {@link #computedColumns}. */
    private final java.util.Map<Object, String> columnsMet = new java.util.IdentityHashMap<>();

    static final String NEXT_VALUE_FOR = "NEXT VALUE FOR";
    /** H2's {@code seq.NEXTVAL}, a column to the parser and a sequence advanced to H2 (Oracle, DB2, Legacy modes). */
    static final String NEXTVAL_PSEUDO_COLUMN = "SEQUENCE NEXTVAL";

    SqlTableCollector(Naming naming) {
        this.naming = naming;
    }

    /** Adds what {@code statement} references. A statement kind the finder does not support adds what was seen. */
    void collect(Statement statement) {
        statementTables.clear();
        cteNames.clear();
        cteScopes.clear();
        cteScopes.push(new HashSet<>());
        functionDepth = 0;
        definesSchema |= SqlStatementParser.operationOf(statement) == SqlOperation.DDL;
        writtenTables(statement).forEach(table -> {
            if (table != null && table.getName() != null) {
                statementTables.add(table); // a write's target is a table whatever a WITH before it names
            }
        });
        try {
            getTables(statement);
        } catch (UnsupportedOperationException e) {
            // "Finding tables from SetStatement/... is not supported": where the tables can hide is walked here, and
            // a kind that is not walked is named, so the classification says its tables are not known.
            if (!walkUnsupported(statement) && unlisted == null) {
                unlisted = statement.getClass().getSimpleName();
            }
        }
        names.addAll(cteNames);
        for (Table table : statementTables) {
            if (table.getName().trim().startsWith("'")) {
                continue; // FROM 'x': a string where a dialect wants a name is a syntax error there, not a table
            }
            if (table.getName().trim().equalsIgnoreCase("TABLE") && unlisted == null) {
                // FROM (TABLE secrets) s: PostgreSQL's TABLE query, which the parser takes for a table named "table"
                unlisted = "TABLE query";
            }
            String name = naming.canonical(table.getName());
            if (name.isEmpty()) {
                continue;
            }
            String schema = naming.canonical(table.getSchemaName());
            String catalog = naming.canonical(table.getDatabaseName());
            tables.add(name);
            names.add(name);
            StringBuilder qualified = new StringBuilder();
            if (!catalog.isEmpty()) {
                qualified.append(catalog).append('.');
            }
            if (!schema.isEmpty() || !catalog.isEmpty()) {
                qualified.append(schema).append('.'); // db..table keeps its empty schema
            }
            qualifiedTables.add(qualified.append(name).toString());
        }
    }

    Set<String> tables() {
        return tables;
    }

    /** The tables an INSERT, UPDATE, DELETE or MERGE writes: never a CTE (the databases refuse writes to one). */
    private static List<Table> writtenTables(Statement statement) {
        List<Table> written = new ArrayList<>();
        if (statement instanceof net.sf.jsqlparser.statement.insert.Insert insert) {
            written.add(insert.getTable());
        } else if (statement instanceof net.sf.jsqlparser.statement.update.Update update) {
            written.add(update.getTable());
        } else if (statement instanceof net.sf.jsqlparser.statement.delete.Delete delete) {
            written.add(delete.getTable());
            if (delete.getTables() != null) {
                written.addAll(delete.getTables());
            }
        } else if (statement instanceof net.sf.jsqlparser.statement.merge.Merge merge) {
            written.add(merge.getTable());
        }
        return written;
    }

    /** The kind of the first statement whose tables could not be listed, or null. */
    String unlisted() {
        return unlisted;
    }

    /**
     * The finder's unsupported kinds whose tables are walked here: {@code SET @x = (SELECT s FROM secrets)} reads a
     * table, {@code ALTER VIEW v AS SELECT ...} too, {@code SHOW COLUMNS FROM t} names one. False for the others.
     */
    private boolean walkUnsupported(Statement statement) {
        if (statement instanceof SetStatement set) {
            for (int i = 0; i < set.getCount(); i++) {
                List<Expression> values = set.getExpressions(i);
                if (values != null) {
                    values.forEach(value -> value.accept(this, null));
                }
            }
            return true;
        }
        if (statement instanceof ResetStatement || statement instanceof ShowTablesStatement) {
            return true; // no table: a setting's name, a database's
        }
        if (statement instanceof ShowColumnsStatement show) {
            return named(show.getTableName());
        }
        if (statement instanceof ShowIndexStatement show) {
            return named(show.getTableName());
        }
        if (statement instanceof Execute execute) {
            if (execute.getExprList() != null) {
                execute.getExprList().accept(this, null);
            }
            return true;
        }
        if (statement instanceof AlterView view) {
            visit(view.getView(), null);
            if (view.getSelect() != null) {
                view.getSelect().accept((SelectVisitor<Void>) this, null);
            }
            return true;
        }
        return false;
    }

    private boolean named(String table) {
        if (table == null || table.isBlank()) {
            return false;
        }
        visit(new Table(List.of(table.split("\\.", -1))), null);
        return true;
    }

    Set<String> qualifiedTables() {
        return qualifiedTables;
    }

    Set<String> columns() {
        return columns;
    }

    /**
     * The columns {@code parsed} reads other than as a plain result column ({@link ResultColumns}), and {@code *} when
     * a star stands elsewhere, a column list renames what a query returns, or a column is named like a table or an
     * alias (a whole row).
     */
    Set<String> computedColumns(List<Statement> parsed) {
        Set<Object> plain = ResultColumns.plain(parsed);
        Set<String> computed = new TreeSet<>();
        Set<String> rows = new HashSet<>();
        names.forEach(name -> rows.add(name.toLowerCase(Locale.ROOT)));
        columnsMet.forEach((node, name) -> {
            if (!plain.contains(node)) {
                computed.add(name);
            }
            if (rows.contains(name)) {
                computed.add("*"); // PostgreSQL's whole row: SELECT c FROM customers c, to_json(customers)
            }
        });
        if (!columnLists.isEmpty()) {
            computed.add("*"); // FROM customers c(a, b), WITH x(a) AS (...): the result names other columns
        }
        return computed;
    }

    /** Every function called, upper-cased, unquoted, with its schema if the SQL gave one. */
    Set<String> functions() {
        return functions;
    }

    /** The functions not known to be read-only built-ins ({@link ReadOnlyFunctions}). */
    Set<String> unsafeFunctions() {
        return unsafeFunctions;
    }

    /**
     * Adds the calls the text shows ({@link SqlLexer#written}) that the tree walk did not meet: each time a name is
     * written before a parenthesis more often than the walk met it called or followed by a column list. In a statement
     * that defines schema (whose table definitions and references this does not count), a table's, CTE's or alias's
     * name before a parenthesis is taken for no call, as it may be {@code CREATE TABLE t(...)}.
     */
    void addWrittenCalls(java.util.Map<String, Integer> written) {
        java.util.Map<String, Integer> met = new java.util.HashMap<>();
        columnLists.values().forEach(name -> met.merge(name, 1, Integer::sum));
        callsMet.values().forEach(name -> met.merge(name, 1, Integer::sum));
        // Counted per name as the walk spells it: NEXTVAL( and "nextval"( are two writings of one name.
        java.util.Map<String, Integer> writtenPerKey = new java.util.HashMap<>();
        java.util.Map<String, String> spelling = new java.util.TreeMap<>();
        written.forEach((call, times) -> {
            String key = callKey(List.of(call.split("\\.", -1)));
            writtenPerKey.merge(key, times, Integer::sum);
            spelling.putIfAbsent(key, call);
        });
        spelling.forEach((key, call) -> {
            String plain = normalize(call);
            if (ReadOnlyFunctions.isKeyword(plain) || definesSchema && names.contains(naming.canonical(call))) {
                return;
            }
            if (writtenPerKey.get(key) > met.getOrDefault(key, 0)) {
                called(call.equals(NEXT_VALUE_FOR) || call.equals(NEXTVAL_PSEUDO_COLUMN) ? List.of(call)
                        : List.of(call.split("\\.", -1)));
            }
        });
    }

    /**
     * Whether the walk met every query the text writes {@code SELECT} for, given how many it writes. GRANT SELECT and
     * REVOKE SELECT name a privilege, not a query.
     */
    boolean metEveryQuery(int selectsWritten, List<Statement> statements) {
        for (Statement statement : statements) {
            String text = statement.toString().stripLeading();
            if (statement instanceof net.sf.jsqlparser.statement.grant.Grant || text.regionMatches(true, 0, "REVOKE", 0, 6)) {
                return true;
            }
        }
        return selectsMet.size() >= selectsWritten;
    }

    /** A call's name as the text and the walk both spell it: each part unquoted, lower case. */
    private static String callKey(List<String> parts) {
        StringBuilder key = new StringBuilder();
        for (String part : parts) {
            if (part != null) {
                key.append(key.length() > 0 ? "." : "").append(normalize(part));
            }
        }
        return key.toString();
    }

    private void columnListAfter(Object node, String name) {
        columnLists.put(node, callKey(List.of(name)));
    }

    /** INSERT INTO t (a), INSERT INTO s.t (a), INSERT INTO t AS n (a): the name written before the list. */
    private void columnListAfter(Table table) {
        if (table.getAlias() != null && table.getAlias().getName() != null) {
            columnListAfter(table, table.getAlias().getName());
        } else if (table.getName() != null) {
            columnLists.put(table, callKey(List.of(table.getFullyQualifiedName().split("\\.", -1))));
        }
    }

    SqlOperation nestedOperation() {
        return nestedOperation;
    }

    private void called(List<String> nameParts) {
        if (nameParts == null || nameParts.isEmpty()) {
            return;
        }
        StringBuilder name = new StringBuilder();
        boolean quoted = false;
        for (String part : nameParts) {
            if (part == null) {
                continue;
            }
            String trimmed = part.trim();
            quoted |= trimmed.startsWith("\"") || trimmed.startsWith("`") || trimmed.startsWith("[");
            name.append(name.length() > 0 ? "." : "").append(normalize(trimmed).toUpperCase(Locale.ROOT));
        }
        if (name.length() == 0) {
            return;
        }
        String called = name.toString();
        functions.add(called);
        if (quoted || nameParts.size() > 1 || !ReadOnlyFunctions.contains(called)) {
            unsafeFunctions.add(called);
        }
    }

    /**
     * Strips "..", `..`, [..] quoting (undoubling escaped delimiters) and lower-cases: for columns and functions, whose
     * case no rule is allowed to depend on (MariaDB's column names ignore case). Tables go through {@link Naming}.
     */
    static String normalize(String identifier) {
        return identifier == null ? "" : unquote(identifier.trim()).toLowerCase(Locale.ROOT);
    }

    static boolean isQuoted(String id) {
        if (id.length() < 2) {
            return false;
        }
        char first = id.charAt(0);
        char last = id.charAt(id.length() - 1);
        return (first == '"' && last == '"') || (first == '`' && last == '`') || (first == '[' && last == ']');
    }

    /** {@code id} without its quotes, escaped delimiters undoubled; as it is when not quoted. */
    static String unquote(String id) {
        if (!isQuoted(id)) {
            return id;
        }
        char last = id.charAt(id.length() - 1);
        return id.substring(1, id.length() - 1).replace(String.valueOf(last) + last, String.valueOf(last));
    }

    // ---- listening to the finder's traversal ----------------------------------------------------

    @Override
    public <S> Void visit(Table table, S context) {
        if (table != null && table.getName() != null) {
            if (!referencesACte(table)) {
                statementTables.add(table);
            }
            aliasOf(table);
        }
        return super.visit(table, context);
    }

    /** An unqualified name that a CTE in scope here defines: a reference to the CTE, not a table. */
    private boolean referencesACte(Table table) {
        if (naming.tablesBeforeCtes()) {
            return false; // H2: the table of that name, if there is one, is what the statement reads
        }
        if (!naming.canonical(table.getSchemaName()).isEmpty() || !naming.canonical(table.getDatabaseName()).isEmpty()) {
            return false;
        }
        String name = naming.canonical(table.getName());
        for (Set<String> scope : cteScopes) {
            if (scope.contains(name)) {
                return true;
            }
        }
        return false;
    }

    /** Walks a query in a scope of its own: the CTEs its WITH names are visible in it alone. */
    private <T> T inQueryScope(java.util.function.Supplier<T> walk) {
        cteScopes.push(new HashSet<>());
        try {
            return walk.get();
        } finally {
            cteScopes.pop();
        }
    }

    @Override
    public <S> Void visit(PlainSelect select, S context) {
        selectsMet.add(select);
        return inQueryScope(() -> super.visit(select, context));
    }

    @Override
    public <S> Void visit(SetOperationList select, S context) {
        return inQueryScope(() -> super.visit(select, context));
    }

    private void aliasOf(FromItem item) {
        if (item != null && item.getAlias() != null && item.getAlias().getName() != null) {
            names.add(naming.canonical(item.getAlias().getName())); // FROM (VALUES (1)) v(a): v( is no call
            if (item.getAlias().getAliasColumns() != null && !item.getAlias().getAliasColumns().isEmpty()) {
                columnListAfter(item.getAlias(), item.getAlias().getName());
            }
        }
    }

    @Override
    public <S> Void visit(ParenthesedSelect select, S context) {
        aliasOf(select);
        return inQueryScope(() -> super.visit(select, context));
    }

    @Override
    public <S> Void visit(LateralSubSelect select, S context) {
        aliasOf(select);
        return super.visit(select, context);
    }

    @Override
    public <S> Void visit(ParenthesedFromItem item, S context) {
        aliasOf(item);
        return super.visit(item, context);
    }

    @Override
    public <S> Void visit(TableFunction function, S context) {
        aliasOf(function);
        return super.visit(function, context);
    }

    @Override
    public <S> Void visit(WithItem<?> withItem, S context) {
        if (withItem.getAlias() == null) {
            return super.visit(withItem, context);
        }
        String name = naming.canonical(withItem.getAlias().getName());
        cteNames.add(name);
        if (withItem.getWithItemList() != null && !withItem.getWithItemList().isEmpty()) {
            columnListAfter(withItem, withItem.getAlias().getName());
        }
        Set<String> scope = cteScopes.isEmpty() ? null : cteScopes.peek(); // the query whose WITH this is
        // Only a RECURSIVE CTE's own body means the CTE by its name: elsewhere WITH s AS (SELECT * FROM s) reads table s.
        if (scope != null && withItem.isRecursive()) {
            scope.add(name);
        }
        try {
            return super.visit(withItem, context);
        } finally {
            if (scope != null) {
                scope.add(name); // for the statement after the WITH, and the CTEs after this one
            }
        }
    }

    @Override
    public <S> Void visit(Column column, S context) {
        String name = normalize(column.getColumnName());
        if (!name.isEmpty()) {
            columns.add(name);
            columnsMet.put(column, name);
        }
        if (name.equals("nextval") && column.getTable() != null && column.getTable().getName() != null) {
            called(List.of(NEXTVAL_PSEUDO_COLUMN)); // s.NEXTVAL
            callsMet.put(column, callKey(List.of(NEXTVAL_PSEUDO_COLUMN)));
        }
        return super.visit(column, context);
    }

    @Override
    public <S> Void visit(AllColumns allColumns, S context) {
        if (functionDepth == 0) {
            columns.add("*"); // SELECT *, but not COUNT(*)
            columnsMet.put(allColumns, "*");
        }
        return super.visit(allColumns, context);
    }

    @Override
    public <S> Void visit(AllTableColumns allTableColumns, S context) {
        if (functionDepth == 0) {
            columns.add("*");
            columnsMet.put(allTableColumns, "*");
        }
        return super.visit(allTableColumns, context);
    }

    @Override
    public <S> Void visit(Function function, S context) {
        called(function.getMultipartName());
        if (function.getMultipartName() != null) {
            callsMet.put(function, callKey(function.getMultipartName()));
        }
        functionDepth++;
        try {
            return super.visit(function, context);
        } finally {
            functionDepth--;
        }
    }

    @Override
    public <S> Void visit(AnalyticExpression analytic, S context) {
        if (analytic.getName() != null) {
            called(List.of(analytic.getName()));
            callsMet.put(analytic, callKey(List.of(analytic.getName())));
        }
        return super.visit(analytic, context);
    }

    /** NEXT VALUE FOR s / nextval: advances a sequence. */
    @Override
    public <S> Void visit(NextValExpression nextVal, S context) {
        called(List.of(NEXT_VALUE_FOR));
        callsMet.put(nextVal, callKey(List.of(NEXT_VALUE_FOR)));
        return super.visit(nextVal, context);
    }

    @Override
    public <S> Void visit(Delete delete, S context) {
        nestedOperation = nestedOperation.max(SqlOperation.DELETE);
        return super.visit(delete, context);
    }

    @Override
    public <S> Void visit(Update update, S context) {
        nestedOperation = nestedOperation.max(SqlOperation.UPDATE);
        return super.visit(update, context);
    }

    @Override
    public <S> Void visit(Insert insert, S context) {
        nestedOperation = nestedOperation.max(SqlOperation.INSERT);
        if (insert.getColumns() != null) {
            insert.getColumns().forEach(c -> visit(c, context));
            if (!insert.getColumns().isEmpty() && insert.getTable() != null) {
                columnListAfter(insert.getTable());
            }
        }
        if (insert.getSetUpdateSets() != null) {
            collectUpdateSets(insert.getSetUpdateSets(), context);
        }
        if (insert.getDuplicateUpdateSets() != null) {
            collectUpdateSets(insert.getDuplicateUpdateSets(), context);
        }
        return super.visit(insert, context);
    }

    @Override
    public <S> Void visit(Upsert upsert, S context) {
        nestedOperation = nestedOperation.max(SqlOperation.INSERT);
        if (upsert.getColumns() != null) {
            upsert.getColumns().forEach(c -> visit(c, context));
            if (!upsert.getColumns().isEmpty() && upsert.getTable() != null) {
                columnListAfter(upsert.getTable());
            }
        }
        return super.visit(upsert, context);
    }

    /** The finder reads only a merge's target and source; the ON condition and the actions name columns. */
    @Override
    public <S> Void visit(Merge merge, S context) {
        nestedOperation = nestedOperation.max(SqlOperation.MERGE);
        super.visit(merge, context);
        if (merge.getOnCondition() != null) {
            merge.getOnCondition().accept(this, context);
        }
        if (merge.getOperations() != null) {
            for (MergeOperation operation : merge.getOperations()) {
                if (operation instanceof MergeUpdate) {
                    MergeUpdate update = (MergeUpdate) operation;
                    if (update.getUpdateSets() != null) {
                        collectUpdateSets(update.getUpdateSets(), context);
                    }
                    if (update.getDeleteWhereCondition() != null) {
                        nestedOperation = nestedOperation.max(SqlOperation.DELETE); // Oracle's UPDATE SET ... DELETE WHERE
                    }
                } else if (operation instanceof MergeInsert) {
                    MergeInsert insert = (MergeInsert) operation;
                    if (insert.getColumns() != null) {
                        insert.getColumns().forEach(c -> visit(c, context));
                    }
                } else if (operation instanceof MergeDelete) {
                    // WHEN MATCHED THEN DELETE deletes rows: a DELETE, which ranks above MERGE's inserts and updates (a
                    // thirteenth review: as MERGE it passed a tier of jdbc:t:delete and deleted with no approval)
                    nestedOperation = nestedOperation.max(SqlOperation.DELETE);
                }
            }
        }
        return null;
    }

    private <S> void collectUpdateSets(List<UpdateSet> updateSets, S context) {
        for (UpdateSet set : updateSets) {
            if (set.getColumns() != null) {
                set.getColumns().accept(this, context);
            }
            if (set.getValues() != null) {
                set.getValues().accept(this, context);
            }
        }
    }
}
