package dev.warden.instrumentation.jdbc;

import dev.warden.bootstrap.ActionRequest;
import dev.warden.bootstrap.jdbc.JdbcActions;
import dev.warden.instrumentation.api.ActionDescription;
import dev.warden.instrumentation.api.ActionEnricher;
import dev.warden.instrumentation.api.FactModel;
import dev.warden.instrumentation.api.RecordedFacts;
import dev.warden.instrumentation.jdbc.sql.SqlClassification;
import dev.warden.instrumentation.jdbc.sql.SqlClassifier;

import java.util.HashMap;
import java.util.Map;
import java.util.Set;

/**
 * Turns a statement's SQL into rule facts: operation, every table, columns, functions, and the
 * guardrail signals (stacked statements, comments, literal comparisons). Classification is cached by
 * statement shape, so the parser runs once per distinct SQL, never per execution. The SQL is read the
 * ways the connection's database may read it (its product name, from the driver's metadata; every
 * way Warden knows when that is unknown), and the facts are the most dangerous over those readings.
 */
final class SqlActionEnricher implements ActionEnricher {

    private static final int MAX_CACHED_SHAPES = 10_000;
    private static final int MAX_PARSED_LENGTH = 64 * 1024;

    private final SqlClassifier classifier = new SqlClassifier(MAX_CACHED_SHAPES, MAX_PARSED_LENGTH);

    /** What the advice packs ({@code sql}, {@code db.*}, {@code jdbc.*}) and what is read from the SQL. */
    static final FactModel FACTS = FactModel.of(union(SqlClassification.OPERATIONS, ConnectionCallFacts.OPERATIONS), union(Set.of(
            "sql", "db.product", "db.url", "db.user", "db.system", "jdbc.method", "jdbc.prepared", "jdbc.catalog", "jdbc.schema",
            "sql.shape", "sql.tables", "sql.columns", "sql.computedColumns", "sql.statements", "sql.comment", "sql.literalComparison",
            "sql.functions", "sql.unsafeFunctions", "sql.parseError", "sql.qualifiedTables"), ConnectionCallFacts.ATTRIBUTES))
            .withTargetAttributes("sql.tables", "sql.qualifiedTables", "sql.shape", "sql", "jdbc.use", "jdbc.function");

    @Override
    public FactModel facts() {
        return FACTS;
    }

    @Override
    public ActionDescription describe(ActionRequest request) {
        Object sqlAttribute = request.attribute("sql");
        String sql = sqlAttribute instanceof String ? (String) sqlAttribute : null;
        Object product = request.attribute("db.product");
        String system = JdbcUrls.system(product instanceof String ? (String) product : null);
        Object connectedTo = request.attribute("db.url");
        SqlClassification sqlClass = sql != null ? classifier.classify(sql, system,
                connectedTo instanceof String ? (String) connectedTo : null, Boolean.TRUE.equals(request.attribute("jdbc.prepared")))
                : null;

        Map<String, Object> attributes = new HashMap<>(request.attributes());
        Map<String, String> summary = new HashMap<>();
        String url = JdbcUrls.withoutCredentials((String) request.attribute("db.url"));
        attributes.put("db.system", system);
        summary.put("db.system", system);
        if (url != null) {
            attributes.put("db.url", url);
            summary.put("db.url", url);
        }
        copy(request, "db.user", attributes, summary);
        copy(request, "db.product", attributes, summary);
        copy(request, "jdbc.method", attributes, summary);
        copy(request, "jdbc.prepared", attributes, summary);
        // The catalog or schema a permitted setCatalog/setSchema switched the connection to.
        copy(request, "jdbc.catalog", attributes, summary);
        copy(request, "jdbc.schema", attributes, summary);
        ActionDescription call = sql == null ? ConnectionCallFacts.describe(request.attribute("jdbc.method"), attributes, summary) : null;
        if (call != null) {
            return call;
        }

        // Warden's own marker, no fact: it only names the cause.
        boolean noSql = Boolean.TRUE.equals(attributes.remove(JdbcActions.NULL_SQL));
        if (sqlClass == null) {
            attributes.put("sql.parseError", noSql ? "no SQL (null)" : "the statement's SQL is unknown (created before Warden started?)");
            summary.put("sql.parseError", (String) attributes.get("sql.parseError"));
            return new ActionDescription("OTHER", "", java.util.Set.of(), attributes, summary);
        }
        attributes.put("sql.shape", sqlClass.shape());
        attributes.put("sql.tables", sqlClass.tables());
        attributes.put("sql.columns", sqlClass.columns());
        attributes.put("sql.computedColumns", sqlClass.computedColumns());
        attributes.put("sql.statements", (long) sqlClass.statementCount());
        attributes.put("sql.comment", sqlClass.hasComment());
        attributes.put("sql.literalComparison", sqlClass.literalComparison());
        attributes.put("sql.functions", sqlClass.functions());
        attributes.put("sql.unsafeFunctions", sqlClass.unsafeFunctions());
        if (!sqlClass.functions().isEmpty()) {
            summary.put("sql.functions", String.join(",", sqlClass.functions()));
        }
        // Column names are schema, not data: recorded so that replay sees what rules on columns saw.
        if (!sqlClass.columns().isEmpty()) {
            summary.put("sql.columns", String.join(",", sqlClass.columns()));
        }
        if (!sqlClass.computedColumns().isEmpty()) {
            summary.put("sql.computedColumns", String.join(",", sqlClass.computedColumns()));
        }
        if (!sqlClass.unsafeFunctions().isEmpty()) {
            summary.put("sql.unsafeFunctions", String.join(",", sqlClass.unsafeFunctions()));
        }
        summary.put("sql.shape", sqlClass.shape());
        summary.put("sql.tables", String.join(",", sqlClass.tables()));
        Set<String> qualified = sqlClass.schemaQualified();
        attributes.put("sql.qualifiedTables", qualified);
        if (!qualified.isEmpty()) {
            summary.put("sql.qualifiedTables", String.join(",", qualified));
        }
        summary.put("sql.statements", Integer.toString(sqlClass.statementCount()));
        if (sqlClass.hasComment()) {
            summary.put("sql.comment", "true");
        }
        if (sqlClass.literalComparison()) {
            summary.put("sql.literalComparison", "true");
        }
        if (sqlClass.parseError() != null) {
            attributes.put("sql.parseError", sqlClass.parseError());
            summary.put("sql.parseError", sqlClass.parseError());
        }
        String target = sqlClass.tables().isEmpty() ? "" : sqlClass.tables().iterator().next();
        return new ActionDescription(sqlClass.operation(), target, sqlClass.targets(), attributes, summary);
    }

    /** Receipts join these sets with commas. */
    private static final Set<String> LISTS = Set.of("sql.tables", "sql.qualifiedTables", "sql.columns", "sql.computedColumns",
            "sql.functions", "sql.unsafeFunctions");

    /** The statement's facts as classified when it ran; its text is the shape (literals masked), its targets every table. */
    @Override
    public ActionDescription recorded(String operation, String target, Map<String, String> summary) {
        Map<String, Object> attributes = RecordedFacts.typed(summary, LISTS);
        Object shape = attributes.get("sql.shape");
        if (shape != null) {
            attributes.put("sql", shape);
        }
        attributes.putIfAbsent("sql.comment", false);
        attributes.putIfAbsent("sql.literalComparison", false);
        for (String list : LISTS) {
            attributes.putIfAbsent(list, Set.of());
        }
        @SuppressWarnings("unchecked")
        Set<String> tables = (Set<String>) attributes.get("sql.tables");
        @SuppressWarnings("unchecked")
        Set<String> qualified = (Set<String>) attributes.get("sql.qualifiedTables");
        Set<String> targets = tables;
        if (shape == null && !target.isEmpty()) {
            targets = Set.of(target); // not SQL: a switch's catalog or schema, a called function's OID
        } else if (!qualified.isEmpty()) {
            targets = new java.util.TreeSet<>(tables);
            targets.addAll(qualified);
        }
        return new ActionDescription(operation, target, targets, attributes, summary);
    }

    @Override
    public java.util.List<String> unrecorded() {
        return java.util.List.of("SQL literals and bound values are masked: sql is the statement's shape");
    }

    private static Set<String> union(Set<String> one, Set<String> other) {
        Set<String> all = new java.util.HashSet<>(one);
        all.addAll(other);
        return all;
    }

    private static void copy(ActionRequest request, String name, Map<String, Object> attributes,
                             Map<String, String> summary) {
        Object value = request.attribute(name);
        if (value != null) {
            attributes.put(name, value);
            summary.put(name, value.toString());
        }
    }
}
