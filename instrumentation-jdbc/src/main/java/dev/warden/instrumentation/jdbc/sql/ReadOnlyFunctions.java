package dev.warden.instrumentation.jdbc.sql;

import java.util.Locale;
import java.util.Set;

/**
 * Built-in functions that only compute a value from their arguments (or read the clock or the
 * session's identity) in every database Warden is tested on. A function not on this list may write:
 * files (H2 {@code FILE_WRITE}, {@code CSVWRITE}; PostgreSQL {@code lo_export}), tables or sequences
 * ({@code nextval}, {@code setval}, a user-defined function or H2 alias), settings ({@code set_config}),
 * other sessions ({@code pg_terminate_backend}); or read what SQL privileges do not cover (server files:
 * {@code pg_read_file}, {@code LOAD_FILE}, {@code CSVREAD}); or stall the server ({@code SLEEP},
 * {@code BENCHMARK}, {@code pg_sleep}); or load code ({@code load_extension}). So a statement that calls
 * one is not a plain read: its operation is at least {@code CALL}.
 *
 * <p>An allow-list, not a deny-list: a user-defined function has whatever name its author chose.
 * Only unqualified, unquoted names match: {@code myschema.lower(x)} or {@code "LOWER"(x)} may be
 * somebody's own function.
 */
final class ReadOnlyFunctions {

    private static final Set<String> NAMES = Set.of(
            // aggregates and window functions
            "COUNT", "SUM", "AVG", "MIN", "MAX", "STDDEV", "STDDEV_POP", "STDDEV_SAMP", "VARIANCE", "VAR_POP",
            "VAR_SAMP", "EVERY", "BOOL_AND", "BOOL_OR", "BIT_AND", "BIT_OR", "BIT_XOR", "ANY_VALUE",
            "GROUP_CONCAT", "STRING_AGG", "LISTAGG", "ARRAY_AGG", "JSON_AGG", "JSONB_AGG", "JSON_ARRAYAGG",
            "JSON_OBJECTAGG", "MEDIAN", "PERCENTILE_CONT", "PERCENTILE_DISC", "MODE", "TOTAL",
            "ROW_NUMBER", "RANK", "DENSE_RANK", "PERCENT_RANK", "CUME_DIST", "NTILE", "LAG", "LEAD",
            "FIRST_VALUE", "LAST_VALUE", "NTH_VALUE",
            // strings
            "LOWER", "UPPER", "LCASE", "UCASE", "INITCAP", "TRIM", "LTRIM", "RTRIM", "BTRIM", "LENGTH",
            "CHAR_LENGTH", "CHARACTER_LENGTH", "OCTET_LENGTH", "BIT_LENGTH", "SUBSTRING", "SUBSTR", "MID",
            "LEFT", "RIGHT", "LPAD", "RPAD", "REPLACE", "TRANSLATE", "REVERSE", "REPEAT", "SPACE",
            "CONCAT", "CONCAT_WS", "POSITION", "STRPOS", "INSTR", "LOCATE", "SPLIT_PART", "ASCII", "CHR",
            "CHAR", "UNICODE", "FORMAT", "QUOTE_IDENT", "QUOTE_LITERAL", "QUOTE", "REGEXP_REPLACE",
            "REGEXP_LIKE", "REGEXP_SUBSTR", "REGEXP_MATCHES", "REGEXP_INSTR", "STARTS_WITH", "TO_HEX",
            "HEX", "UNHEX", "ENCODE", "DECODE", "MD5", "SHA1", "SHA2", "SHA256", "SOUNDEX",
            // numbers
            "ABS", "CEIL", "CEILING", "FLOOR", "ROUND", "TRUNC", "TRUNCATE", "MOD", "POWER", "POW", "SQRT",
            "CBRT", "EXP", "LN", "LOG", "LOG10", "LOG2", "SIGN", "PI", "DEGREES", "RADIANS", "SIN", "COS",
            "TAN", "ASIN", "ACOS", "ATAN", "ATAN2", "COT", "GREATEST", "LEAST", "RANDOM", "RAND", "WIDTH_BUCKET",
            // conditionals and conversions
            "ARRAY", // PostgreSQL's ARRAY(SELECT ...) constructor, a reserved word: no function can be named so
            "COALESCE", "NULLIF", "IFNULL", "NVL", "NVL2", "IIF", "IF", "ISNULL", "DECODE_ORACLE", "CAST",
            "CONVERT", "TO_CHAR", "TO_NUMBER", "TO_DATE", "TO_TIMESTAMP", "TYPEOF",
            // dates and times
            "NOW", "CURRENT_DATE", "CURRENT_TIME", "CURRENT_TIMESTAMP", "LOCALTIME", "LOCALTIMESTAMP",
            "CURDATE", "CURTIME", "SYSDATE", "DATE", "TIME", "DATETIME", "TIMESTAMP", "JULIANDAY", "STRFTIME",
            "UNIXEPOCH", "DATE_TRUNC", "DATE_PART", "EXTRACT", "DATE_FORMAT", "DATE_ADD", "DATE_SUB",
            "DATEADD", "DATEDIFF", "TIMESTAMPADD", "TIMESTAMPDIFF", "AGE", "MAKE_DATE", "MAKE_TIMESTAMP",
            "YEAR", "MONTH", "DAY", "DAYOFMONTH", "DAYOFWEEK", "DAYOFYEAR", "HOUR", "MINUTE", "SECOND",
            "WEEK", "QUARTER", "LAST_DAY", "UNIX_TIMESTAMP", "FROM_UNIXTIME",
            // JSON and arrays
            "JSON_EXTRACT", "JSON_VALUE", "JSON_QUERY", "JSON_OBJECT", "JSON_ARRAY", "JSON_BUILD_OBJECT",
            "JSON_BUILD_ARRAY", "JSONB_BUILD_OBJECT", "JSON_LENGTH", "JSON_TYPE", "JSON_VALID",
            "JSON_ARRAY_LENGTH", "JSONB_ARRAY_LENGTH", "TO_JSON", "TO_JSONB", "ARRAY_LENGTH", "CARDINALITY",
            "UNNEST", "GENERATE_SERIES", "JSON_CONTAINS", "JSON_KEYS", "JSON_UNQUOTE", "JSON_EACH",
            "JSONB_EACH", "JSON_OBJECT_KEYS", "JSONB_OBJECT_KEYS", "XMLELEMENT", "XMLFOREST", "XMLAGG",
            // syntax that parses as a call
            "ROW", "TABLE", "OVERLAY", "TRIM_ARRAY",
            // the session, read only
            "CURRENT_USER", "SESSION_USER", "USER", "CURRENT_SCHEMA", "CURRENT_DATABASE", "DATABASE",
            "SCHEMA", "VERSION");

    /**
     * Words that are followed by a parenthesis without calling anything: keywords ({@code IN (},
     * {@code OVER (}, {@code AS (}) and type names ({@code VARCHAR(10)}).
     */
    private static final Set<String> NOT_CALLS = Set.of(
            "IN", "EXISTS", "VALUES", "VALUE", "AS", "FROM", "JOIN", "ON", "USING", "WHERE", "AND", "OR", "NOT",
            "XOR", "ANY", "ALL", "SOME", "OVER", "FILTER", "WITHIN", "GROUP", "ROW", "ROWS", "ARRAY", "INTO",
            "SELECT", "THEN", "ELSE", "WHEN", "CASE", "BETWEEN", "LIKE", "ILIKE", "IS", "DISTINCT", "UNION",
            "EXCEPT", "INTERSECT", "MINUS", "BY", "HAVING", "RETURNING", "SET", "TABLE", "LATERAL", "CROSS",
            "APPLY", "DEFAULT", "GROUPING", "SETS", "CUBE", "ROLLUP", "KEEP", "MATCH", "AGAINST", "ESCAPE",
            "LIMIT", "OFFSET", "FETCH", "FIRST", "NEXT", "ONLY", "PARTITION", "INDEX", "KEY", "PRIMARY",
            "UNIQUE", "CHECK", "REFERENCES", "FOREIGN", "CONSTRAINT", "TABLESAMPLE", "SYSTEM", "BERNOULLI",
            "REPEATABLE", "PIVOT", "UNPIVOT", "FOR", "OF", "WITH", "RECURSIVE", "MATERIALIZED", "TO", "RETURN",
            "SIMILAR", "REGEXP", "RLIKE", "COLLATE", "AT", "ZONE", "LEADING", "TRAILING", "BOTH", "PLACING",
            "ORDER", "EXPLAIN", "ANALYZE", "USE", "FORCE", "IGNORE", "NATURAL", "INNER", "OUTER", "FULL",
            "WINDOW", "QUALIFY", "INSERT", "UPDATE", "DELETE", "MERGE", "REPLACE", "CREATE", "ALTER", "DROP",
            "ENUM", "NULLS", "ASC", "DESC", "CALL", "EXECUTE", "EXEC", "DO", "CONFLICT",
            // types
            "CHAR", "CHARACTER", "VARCHAR", "VARCHAR2", "NVARCHAR", "NCHAR", "VARYING", "DECIMAL", "DEC",
            "NUMERIC", "NUMBER", "FLOAT", "DOUBLE", "REAL", "PRECISION", "INT", "INTEGER", "BIGINT",
            "SMALLINT", "TINYINT", "MEDIUMINT", "BIT", "BINARY", "VARBINARY", "TIME", "TIMESTAMP",
            "DATETIME", "INTERVAL", "BLOB", "CLOB", "TEXT", "RAW");

    private ReadOnlyFunctions() {
    }

    /** True for a keyword or type name that a parenthesis may follow without a call. */
    static boolean isKeyword(String name) {
        return name != null && NOT_CALLS.contains(name.toUpperCase(Locale.ROOT));
    }

    /** True for an unqualified, unquoted name on the list, in any case. */
    static boolean contains(String name) {
        return name != null && NAMES.contains(name.toUpperCase(Locale.ROOT));
    }
}
