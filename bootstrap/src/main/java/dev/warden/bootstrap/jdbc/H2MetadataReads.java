package dev.warden.bootstrap.jdbc;

import java.util.Map;
import java.util.Set;

/**
 * What H2's {@code DatabaseMeta} answers without SQL (every {@code DatabaseMetaData} method that returns a result set
 * delegates to it), as the query of H2's {@code INFORMATION_SCHEMA} that reads the same facts: pgjdbc and MariaDB run
 * SQL on their catalog tables for these calls, and H2's answers are to rules what that SQL would be. The query is
 * never run: it only says what is read.
 */
public final class H2MetadataReads {

    /** The {@code INFORMATION_SCHEMA} tables each method reads the facts of, by name. */
    private static final Map<String, String> READS = Map.ofEntries(
            Map.entry("getTables", "TABLES"),
            Map.entry("getColumns", "COLUMNS"),
            Map.entry("getPseudoColumns", "COLUMNS"),
            Map.entry("getSchemas", "SCHEMATA"),
            Map.entry("getCatalogs", "INFORMATION_SCHEMA_CATALOG_NAME"),
            Map.entry("getProcedures", "ROUTINES"),
            Map.entry("getFunctions", "ROUTINES"),
            Map.entry("getProcedureColumns", "ROUTINES, INFORMATION_SCHEMA.PARAMETERS"),
            Map.entry("getFunctionColumns", "ROUTINES, INFORMATION_SCHEMA.PARAMETERS"),
            Map.entry("getColumnPrivileges", "COLUMN_PRIVILEGES"),
            Map.entry("getTablePrivileges", "TABLE_PRIVILEGES"),
            Map.entry("getPrimaryKeys", "TABLE_CONSTRAINTS, INFORMATION_SCHEMA.KEY_COLUMN_USAGE"),
            Map.entry("getBestRowIdentifier", "INDEXES, INFORMATION_SCHEMA.INDEX_COLUMNS, INFORMATION_SCHEMA.COLUMNS"),
            // An index's cardinality and pages are its table's row count.
            Map.entry("getIndexInfo", "INDEXES, INFORMATION_SCHEMA.INDEX_COLUMNS, INFORMATION_SCHEMA.TABLES"),
            Map.entry("getImportedKeys", "REFERENTIAL_CONSTRAINTS, INFORMATION_SCHEMA.KEY_COLUMN_USAGE"),
            Map.entry("getExportedKeys", "REFERENTIAL_CONSTRAINTS, INFORMATION_SCHEMA.KEY_COLUMN_USAGE"),
            Map.entry("getCrossReference", "REFERENTIAL_CONSTRAINTS, INFORMATION_SCHEMA.KEY_COLUMN_USAGE"));

    /**
     * Methods whose answer is H2's own constants, the same for every database: the types and table types H2 knows, and
     * what H2 2.x never has (user-defined structured types, type and table hierarchies, columns a row change updates).
     */
    private static final Set<String> CONSTANT = Set.of("getTypeInfo", "getTableTypes", "getUDTs", "getSuperTypes",
            "getSuperTables", "getAttributes", "getVersionColumns");

    /** Returned for a method Warden does not know: it is refused, never answered undecided. */
    public static final String UNKNOWN = "";

    private H2MetadataReads() {
    }

    /**
     * The query of {@code INFORMATION_SCHEMA} that reads what {@code method} answers; null when it answers only H2's
     * constants (not decided); {@link #UNKNOWN} for a method this version of Warden does not know.
     */
    public static String sqlOf(String method) {
        String tables = READS.get(method);
        if (tables != null) {
            return "SELECT * FROM INFORMATION_SCHEMA." + tables;
        }
        return CONSTANT.contains(method) ? null : UNKNOWN;
    }
}
