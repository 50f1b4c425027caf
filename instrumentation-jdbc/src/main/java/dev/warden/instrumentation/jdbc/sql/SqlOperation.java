package dev.warden.instrumentation.jdbc.sql;

import java.util.Locale;

/**
 * What a statement does, declared from least to most dangerous: stacked statements are classified by
 * the most dangerous of their parts, so {@link #max} is all the combining there is.
 */
enum SqlOperation {
    OTHER, SELECT, CALL, INSERT, MERGE, UPDATE, DELETE, DDL;

    SqlOperation max(SqlOperation other) {
        return other != null && other.ordinal() > ordinal() ? other : this;
    }

    /**
     * Best guess from a statement's first keyword, for SQL the parser cannot (or may not) read.
     * {@code WITH} and {@code EXPLAIN} are prefixes: the caller looks further for the keyword that
     * follows them (see {@link #isPrefixKeyword}).
     */
    static SqlOperation ofKeyword(String keyword) {
        switch (keyword.toUpperCase(Locale.ROOT)) {
            case "SELECT": case "VALUES": case "TABLE": case "SHOW": case "DESCRIBE": case "DESC":
                return SELECT;
            case "INSERT": case "REPLACE": case "UPSERT":
                return INSERT;
            case "UPDATE":
                return UPDATE;
            case "DELETE":
                return DELETE;
            case "MERGE":
                return MERGE;
            case "CREATE": case "ALTER": case "DROP": case "TRUNCATE": case "RENAME":
            case "GRANT": case "REVOKE": case "COMMENT":
                return DDL;
            case "CALL": case "EXEC": case "EXECUTE":
                return CALL;
            default:
                return OTHER;
        }
    }

    static boolean isPrefixKeyword(String keyword) {
        return keyword.equalsIgnoreCase("WITH") || keyword.equalsIgnoreCase("EXPLAIN");
    }
}
