package dev.warden.instrumentation.jdbc.sql;

import java.util.Locale;

/**
 * What a statement does, declared from least to most dangerous: stacked statements are classified by
 * the most dangerous of their parts, so {@link #max} is all the combining there is. {@code OTHER} is only
 * what is known to touch no data and change nothing later statements do (transaction control, {@code EXPLAIN},
 * {@code PREPARE ... FROM '...'}): anything else that is not data access, or not known, is {@code DDL}.
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
        SqlOperation known = ofKnownKeyword(keyword);
        // SET, RESET, USE, PRAGMA, DECLARE, ... and keywords not known: what is not known to be harmless must not
        // rank below a read it is stacked after.
        return known != null ? known : DDL;
    }

    /** The operation a statement's first keyword names, or null for a word that names none (a name, SET, ...). */
    static SqlOperation ofKnownKeyword(String keyword) {
        switch (keyword.toUpperCase(Locale.ROOT)) {
            case "SELECT": case "VALUES": case "TABLE": case "SHOW": case "DESCRIBE": case "DESC":
                return SELECT;
            case "INSERT": case "REPLACE": case "UPSERT":
                return INSERT;
            case "UPDATE":
            case "LOCK": // LOCK TABLE(S): the locks of a write
                return UPDATE;
            case "DELETE":
                return DELETE;
            case "MERGE":
                return MERGE;
            case "CREATE": case "ALTER": case "DROP": case "TRUNCATE": case "RENAME":
            case "GRANT": case "REVOKE": case "COMMENT":
            // Statements that reach the server's files, programs or whole database:
            case "COPY":                                  // COPY ... TO/FROM file or PROGRAM (PostgreSQL)
            case "RUNSCRIPT": case "SCRIPT": case "BACKUP": // run or write SQL script files (H2)
            case "ATTACH": case "VACUUM":                 // open/create database files (SQLite)
            case "INSTALL": case "UNINSTALL":             // plugins and sonames (MariaDB)
            case "LOAD":                                  // LOAD DATA/XML [LOCAL] INFILE: a file of the server or the host (MariaDB)
            case "IMPORT": case "SHUTDOWN": case "KILL":
                return DDL;
            case "CALL": case "EXEC": case "EXECUTE":
            case "DO": // DO $$ ... $$ (PostgreSQL): an anonymous procedure
                return CALL;
            case "BEGIN": case "COMMIT": case "END": case "ROLLBACK": case "ABORT": // not START: START SLAVE, START REPLICA
            case "SAVEPOINT": case "RELEASE":
            case "PREPARE": case "DEALLOCATE": // the text prepared is a string; EXECUTE is CALL
                return OTHER;
            default:
                return null;
        }
    }

    static boolean isPrefixKeyword(String keyword) {
        return keyword.equalsIgnoreCase("WITH") || keyword.equalsIgnoreCase("EXPLAIN");
    }
}
